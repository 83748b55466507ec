package io.modis.rdb;

import io.modis.api.Bytes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Reads RDB data (the counterpart of {@link RdbWriter}) from a stream of known size, keeping the
 * offset (for error messages) and the CRC-64 of what was consumed. Every length is checked
 * against the bytes left, so a corrupt length fails instead of allocating.
 */
final class RdbReader {
    private final InputStream in;
    private final long limit;
    private final byte[] buf = new byte[1 << 16];
    private int pos;
    private int end;
    private long consumedBefore;
    private long crc;
    private int crcFrom;

    RdbReader(InputStream in, long size) {
        this.in = in;
        this.limit = size;
    }

    static RdbReader of(byte[] b) {
        return new RdbReader(new java.io.ByteArrayInputStream(b), b.length);
    }

    /** Bytes consumed so far. */
    long offset() {
        return consumedBefore + pos;
    }

    long remaining() {
        return limit - offset();
    }

    /** The CRC-64 of every byte consumed so far. */
    long crc() {
        crc = Crc64.update(crc, buf, crcFrom, pos - crcFrom);
        crcFrom = pos;
        return crc;
    }

    int readByte() {
        if (pos == end) {
            fill();
        }
        return buf[pos++] & 0xFF;
    }

    byte[] readRaw(int n) {
        if (n < 0 || n > remaining()) {
            throw new RdbFormatException("unexpected end of data (needed " + n + " bytes)");
        }
        byte[] out = new byte[n];
        int done = 0;
        while (done < n) {
            if (pos == end) {
                fill();
            }
            int k = Math.min(n - done, end - pos);
            System.arraycopy(buf, pos, out, done, k);
            pos += k;
            done += k;
        }
        return out;
    }

    /** A length as an unsigned 64-bit value. */
    long readLength() {
        int first = readByte();
        switch (first >>> 6) {
            case 0:
                return first & 0x3F;
            case 1:
                return ((first & 0x3F) << 8) | readByte();
            case 2:
                if (first == 0x80) {
                    return readBigEndian(4);
                }
                if (first == 0x81) {
                    return readBigEndian(8);
                }
                throw new RdbFormatException("unknown length encoding " + first);
            default:
                throw new RdbFormatException("encoded string where a length was expected");
        }
    }

    /** A length that must be a count of items each taking at least one byte. */
    int readCount() {
        long n = readLength();
        if (n < 0 || n > remaining()) {
            throw new RdbFormatException("count " + Long.toUnsignedString(n) + " larger than the data left");
        }
        return (int) n;
    }

    byte[] readString() {
        int first = readByte();
        if ((first >>> 6) == 3) {
            switch (first & 0x3F) {
                case 0:
                    return Bytes.fromLong((byte) readByte());
                case 1:
                    return Bytes.fromLong((short) readLittleEndian(2));
                case 2:
                    return Bytes.fromLong((int) readLittleEndian(4));
                case 3: {
                    long clen = readLength();
                    long len = readLength();
                    if (clen < 0 || clen > remaining() || len < 0 || len > Integer.MAX_VALUE - 8
                            || len > clen * 200 + 64) {
                        throw new RdbFormatException("invalid LZF string lengths");
                    }
                    return Lzf.decompress(readRaw((int) clen), (int) len);
                }
                default:
                    throw new RdbFormatException("unknown string encoding " + (first & 0x3F));
            }
        }
        pos--;
        long len = readLength();
        if (len < 0 || len > remaining() || len > Integer.MAX_VALUE - 8) {
            throw new RdbFormatException("string length " + Long.toUnsignedString(len) + " past the end");
        }
        return readRaw((int) len);
    }

    long readMillis() {
        return readLittleEndian(8);
    }

    double readBinaryDouble() {
        return Double.longBitsToDouble(readLittleEndian(8));
    }

    /** RDB_TYPE_ZSET's score: a length byte then text; 253 nan, 254 +inf, 255 -inf. */
    double readStringDouble() {
        int len = readByte();
        switch (len) {
            case 253:
                return Double.NaN;
            case 254:
                return Double.POSITIVE_INFINITY;
            case 255:
                return Double.NEGATIVE_INFINITY;
            default:
                byte[] text = readRaw(len);
                try {
                    return Double.parseDouble(Bytes.str(text));
                } catch (NumberFormatException e) {
                    throw new RdbFormatException("invalid double");
                }
        }
    }

    private long readBigEndian(int bytes) {
        long v = 0;
        for (int i = 0; i < bytes; i++) {
            v = (v << 8) | readByte();
        }
        return v;
    }

    long readLittleEndian(int bytes) {
        long v = 0;
        for (int i = 0; i < bytes; i++) {
            v |= (long) readByte() << (8 * i);
        }
        return v;
    }

    private void fill() {
        crc();
        consumedBefore += end;
        pos = 0;
        end = 0;
        crcFrom = 0;
        if (consumedBefore >= limit) {
            throw new RdbFormatException("unexpected end of data");
        }
        try {
            int n = in.read(buf, 0, (int) Math.min(buf.length, limit - consumedBefore));
            if (n <= 0) {
                throw new RdbFormatException("unexpected end of file");
            }
            end = n;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
