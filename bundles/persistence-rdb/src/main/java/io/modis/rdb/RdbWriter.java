package io.modis.rdb;

import io.modis.api.Bytes;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * Writes RDB data as rdb.c does: lengths, strings (integer-encoded when short and numeric,
 * LZF-compressed when longer than 20 bytes and rdbcompression is on), raw bytes, millisecond
 * times. Bytes collect in a buffer; with a sink they are flushed past 64 KB. The CRC-64 of
 * everything written is kept.
 */
final class RdbWriter {
    private static final int FLUSH_AT = 1 << 16;

    private final OutputStream sink;
    private final boolean compress;
    private byte[] buf = new byte[1 << 12];
    private int size;
    private long crc;
    private long flushed;

    RdbWriter(OutputStream sink, boolean compress) {
        this.sink = sink;
        this.compress = compress;
    }

    /** A writer that keeps everything in memory (DUMP payloads, one value of a snapshot). */
    static RdbWriter inMemory(boolean compress) {
        return new RdbWriter(null, compress);
    }

    RdbWriter writeByte(int b) {
        ensure(1);
        buf[size++] = (byte) b;
        return this;
    }

    RdbWriter raw(byte[] b) {
        return raw(b, 0, b.length);
    }

    RdbWriter raw(byte[] b, int off, int len) {
        if (sink != null && len > FLUSH_AT) {
            flush();
            crc = Crc64.update(crc, b, off, len);
            write(b, off, len);
            flushed += len;
            return this;
        }
        ensure(len);
        System.arraycopy(b, off, buf, size, len);
        size += len;
        return this;
    }

    /** A length; values are unsigned 64-bit (stream IDs and counters use the full range). */
    RdbWriter length(long len) {
        if (len >= 0 && len < (1 << 6)) {
            writeByte((int) len);
        } else if (len >= 0 && len < (1 << 14)) {
            writeByte(0x40 | (int) (len >>> 8));
            writeByte((int) len);
        } else if (len >= 0 && len <= 0xFFFFFFFFL) {
            writeByte(0x80);
            bigEndian(len, 4);
        } else {
            writeByte(0x81);
            bigEndian(len, 8);
        }
        return this;
    }

    RdbWriter string(byte[] s) {
        return string(s, 0, s.length);
    }

    RdbWriter string(byte[] s, int off, int len) {
        if (len > 0 && len <= 11 && intEncoded(s, off, len)) {
            return this;
        }
        if (compress && len > 20) {
            byte[] packed = Lzf.compress(s, off, len);
            if (packed != null) {
                writeByte(0xC3);
                length(packed.length);
                length(len);
                return raw(packed);
            }
        }
        length(len);
        return raw(s, off, len);
    }

    /** A string known to be a number (stream IDs in listpacks are not; this is for RDB lengths). */
    RdbWriter string(long v) {
        return string(Bytes.fromLong(v));
    }

    /** Milliseconds as 8 little-endian bytes (expire times, stream PEL times). */
    RdbWriter millis(long ms) {
        ensure(8);
        for (int i = 0; i < 8; i++) {
            buf[size++] = (byte) (ms >>> (8 * i));
        }
        return this;
    }

    RdbWriter binaryDouble(double d) {
        return millis(Double.doubleToRawLongBits(d));
    }

    private boolean intEncoded(byte[] s, int off, int len) {
        long v;
        try {
            v = Bytes.parseLong(s, off, len);
        } catch (NumberFormatException e) {
            return false;
        }
        if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) {
            writeByte(0xC0);
            writeByte((int) v);
        } else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
            writeByte(0xC1);
            writeByte((int) v);
            writeByte((int) (v >> 8));
        } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            writeByte(0xC2);
            for (int i = 0; i < 4; i++) {
                writeByte((int) (v >> (8 * i)));
            }
        } else {
            return false;
        }
        return true;
    }

    private void bigEndian(long v, int bytes) {
        ensure(bytes);
        for (int i = bytes - 1; i >= 0; i--) {
            buf[size++] = (byte) (v >>> (8 * i));
        }
    }

    /** The CRC-64 of all bytes written so far. */
    long crc() {
        return Crc64.update(crc, buf, 0, size);
    }

    /** Bytes written so far. */
    long written() {
        return flushed + size;
    }

    /** The buffered bytes (in-memory writers). */
    byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }

    /** Hands what is buffered to the sink. */
    void flush() {
        if (sink == null || size == 0) {
            return;
        }
        crc = Crc64.update(crc, buf, 0, size);
        write(buf, 0, size);
        flushed += size;
        size = 0;
    }

    private void write(byte[] b, int off, int len) {
        try {
            sink.write(b, off, len);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void ensure(int more) {
        if (size + more > buf.length) {
            if (sink != null && size >= FLUSH_AT) {
                flush();
                if (more <= buf.length) {
                    return;
                }
            }
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
        }
    }
}
