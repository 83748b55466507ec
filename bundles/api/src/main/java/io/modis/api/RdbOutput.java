package io.modis.api;

import java.util.Arrays;

/**
 * Builds a value's payload in Redis's RDB encoding: lengths, strings and binary doubles as
 * rdb.c writes them. Types use it in {@link DataType#serialize}; strings are written plain
 * (integer and LZF string encodings are the persistence bundle's business).
 */
public final class RdbOutput {
    private byte[] buf;
    private int size;

    public RdbOutput() {
        this(64);
    }

    public RdbOutput(int capacity) {
        buf = new byte[Math.max(16, capacity)];
    }

    public RdbOutput writeByte(int b) {
        ensure(1);
        buf[size++] = (byte) b;
        return this;
    }

    /** A length: 6 bits, 14 bits, or a 32/64-bit big-endian number after a marker byte. */
    public RdbOutput writeLength(long len) {
        if (len < 0) {
            throw new IllegalArgumentException("negative length " + len);
        }
        if (len < (1 << 6)) {
            writeByte((int) len);
        } else if (len < (1 << 14)) {
            writeByte(0x40 | (int) (len >>> 8));
            writeByte((int) len);
        } else if (len <= 0xFFFFFFFFL) {
            writeByte(0x80);
            writeBigEndian(len, 4);
        } else {
            writeByte(0x81);
            writeBigEndian(len, 8);
        }
        return this;
    }

    /** A string: its length, then its bytes. */
    public RdbOutput writeString(byte[] s) {
        return writeString(s, 0, s.length);
    }

    public RdbOutput writeString(byte[] s, int off, int len) {
        writeLength(len);
        ensure(len);
        System.arraycopy(s, off, buf, size, len);
        size += len;
        return this;
    }

    /** A double as 8 little-endian IEEE 754 bytes (RDB_TYPE_ZSET_2 scores). */
    public RdbOutput writeBinaryDouble(double d) {
        long bits = Double.doubleToRawLongBits(d);
        ensure(8);
        for (int i = 0; i < 8; i++) {
            buf[size++] = (byte) (bits >>> (8 * i));
        }
        return this;
    }

    public int size() {
        return size;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }

    private void writeBigEndian(long v, int bytes) {
        ensure(bytes);
        for (int i = bytes - 1; i >= 0; i--) {
            buf[size++] = (byte) (v >>> (8 * i));
        }
    }

    private void ensure(int more) {
        if (size + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
        }
    }
}
