package io.modis.api;

/**
 * Reads a value's payload in Redis's RDB encoding (the counterpart of {@link RdbOutput}).
 * Strings may be plain or integer-encoded; malformed input throws
 * {@link IllegalArgumentException}.
 */
public final class RdbInput {
    private final byte[] buf;
    private int pos;
    private final int end;

    public RdbInput(byte[] buf) {
        this(buf, 0, buf.length);
    }

    public RdbInput(byte[] buf, int off, int len) {
        this.buf = buf;
        this.pos = off;
        this.end = off + len;
    }

    public int readByte() {
        need(1);
        return buf[pos++] & 0xFF;
    }

    public long readLength() {
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
                    long v = readBigEndian(8);
                    if (v < 0) {
                        throw new IllegalArgumentException("length out of range");
                    }
                    return v;
                }
                throw new IllegalArgumentException("unknown length encoding " + first);
            default:
                throw new IllegalArgumentException("encoded string where a length was expected");
        }
    }

    /** A length that must fit an int and the bytes left (a count of items each taking a byte or more). */
    public int readCount() {
        long n = readLength();
        if (n > end - pos) {
            throw new IllegalArgumentException("count " + n + " larger than the payload");
        }
        return (int) n;
    }

    public byte[] readString() {
        int first = buf[need(1)] & 0xFF;
        if ((first >>> 6) == 3) {
            pos++;
            long v = switch (first & 0x3F) {
                case 0 -> (byte) readByte();
                case 1 -> (short) readLittleEndian(2);
                case 2 -> (int) readLittleEndian(4);
                default -> throw new IllegalArgumentException("unsupported string encoding " + (first & 0x3F));
            };
            return Bytes.fromLong(v);
        }
        long len = readLength();
        if (len > end - pos) {
            throw new IllegalArgumentException("string longer than the payload");
        }
        byte[] s = new byte[(int) len];
        System.arraycopy(buf, pos, s, 0, s.length);
        pos += s.length;
        return s;
    }

    public double readBinaryDouble() {
        return Double.longBitsToDouble(readLittleEndian(8));
    }

    public boolean atEnd() {
        return pos >= end;
    }

    private long readBigEndian(int bytes) {
        need(bytes);
        long v = 0;
        for (int i = 0; i < bytes; i++) {
            v = (v << 8) | (buf[pos++] & 0xFF);
        }
        return v;
    }

    private long readLittleEndian(int bytes) {
        need(bytes);
        long v = 0;
        for (int i = 0; i < bytes; i++) {
            v |= (long) (buf[pos++] & 0xFF) << (8 * i);
        }
        return v;
    }

    private int need(int n) {
        if (pos + n > end) {
            throw new IllegalArgumentException("truncated payload");
        }
        return pos;
    }
}
