package io.modis.api;

import java.util.Arrays;

/**
 * The string type's value: a binary-safe byte string, kept as a long when it is a strict
 * integer (OBJECT ENCODING "int"), otherwise in a byte array ("embstr" up to 44 bytes when
 * created whole, "raw" when longer or changed in place by APPEND/SETRANGE).
 *
 * <p>It lives in the api because bitmaps, HyperLogLog, SORT and persistence all work on strings.
 */
public final class StringValue implements Value {
    public static final int EMBSTR_LIMIT = 44;
    private static final byte INT = 0;
    private static final byte EMBSTR = 1;
    private static final byte RAW = 2;

    private byte[] buf;
    /**
     * False while {@link #buf} is the array the value was made from: the caller's (often a
     * command argument still referenced by a pending propagation), so in-place writes copy it
     * first.
     */
    private boolean ownsBuffer;
    private int len;
    private long num;
    private byte enc;

    private StringValue(byte[] buf, int len, long num, byte enc) {
        this.buf = buf;
        this.len = len;
        this.num = num;
        this.enc = enc;
    }

    /** A value from bytes the caller gives up (not copied), int-encoded when possible. */
    public static StringValue of(byte[] bytes) {
        if (bytes.length <= 20 && bytes.length > 0) {
            byte c = bytes[0];
            if ((c >= '0' && c <= '9') || c == '-') {
                try {
                    return ofLong(Bytes.parseLong(bytes));
                } catch (NumberFormatException e) {
                    // not an integer: kept as bytes
                }
            }
        }
        return new StringValue(bytes, bytes.length, 0, bytes.length <= EMBSTR_LIMIT ? EMBSTR : RAW);
    }

    /** A value kept as bytes even if they look like a number (RESTORE of a raw string, ...). */
    public static StringValue ofRaw(byte[] bytes) {
        return new StringValue(bytes, bytes.length, 0, RAW);
    }

    public static StringValue ofLong(long v) {
        return new StringValue(null, 0, v, INT);
    }

    @Override
    public DataType type() {
        return StringType.INSTANCE;
    }

    public boolean isInt() {
        return enc == INT;
    }

    /** The integer of an int-encoded value (check {@link #isInt()} first). */
    public long longValue() {
        return num;
    }

    /** Replaces the integer of an int-encoded value in place (INCR and friends). */
    public void setLong(long v) {
        if (enc != INT) {
            throw new IllegalStateException("not an int-encoded string");
        }
        num = v;
    }

    /** The bytes (a fresh array for int values; do not modify the array). */
    public byte[] bytes() {
        if (enc == INT) {
            return Bytes.fromLong(num);
        }
        if (buf.length != len) {
            buf = Arrays.copyOf(buf, len);
        }
        return buf;
    }

    public int length() {
        return enc == INT ? Bytes.fromLong(num).length : len;
    }

    /** The byte at {@code index} (0 &lt;= index &lt; length()), without copying the value. */
    public byte byteAt(int index) {
        if (enc == INT) {
            return Bytes.fromLong(num)[index];
        }
        if (index >= len) {
            throw new IndexOutOfBoundsException(index);
        }
        return buf[index];
    }

    /** Appends in place (the value becomes "raw"); returns the new length. */
    public int append(byte[] b) {
        toRaw(len() + b.length);
        System.arraycopy(b, 0, buf, len, b.length);
        len += b.length;
        return len;
    }

    /** Writes {@code b} at {@code offset}, zero-padding as needed (SETRANGE); value becomes raw. */
    public int setRange(int offset, byte[] b) {
        int end = offset + b.length;
        toRaw(Math.max(end, len()));
        System.arraycopy(b, 0, buf, offset, b.length);
        len = Math.max(len, end);
        return len;
    }

    /** Sets the byte at {@code index}, growing with zeros if needed (SETBIT). */
    public void setByte(int index, byte value) {
        toRaw(Math.max(index + 1, len()));
        buf[index] = value;
        len = Math.max(len, index + 1);
    }

    private int len() {
        return enc == INT ? Bytes.fromLong(num).length : len;
    }

    private void toRaw(int capacity) {
        if (enc == INT) {
            byte[] digits = Bytes.fromLong(num);
            buf = Arrays.copyOf(digits, Math.max(capacity, digits.length));
            len = digits.length;
        } else if (buf.length < capacity) {
            buf = Arrays.copyOf(buf, Math.max(capacity, buf.length + (buf.length >> 1)));
        } else if (!ownsBuffer) {
            buf = buf.clone();
        }
        ownsBuffer = true;
        enc = RAW;
    }

    @Override
    public String encoding() {
        return switch (enc) {
            case INT -> "int";
            case EMBSTR -> "embstr";
            default -> "raw";
        };
    }

    @Override
    public long memoryUsage() {
        return enc == INT ? 24 : 24 + 16 + ((buf.length + 7) & ~7);
    }

    @Override
    public StringValue copy() {
        if (enc == INT) {
            return ofLong(num);
        }
        StringValue c = new StringValue(Arrays.copyOf(buf, len), len, 0, enc);
        c.ownsBuffer = true;
        return c;
    }

    @Override
    public void digest(Digest d) {
        d.add(bytes());
    }

    @Override
    public String toString() {
        return Bytes.str(bytes());
    }
}
