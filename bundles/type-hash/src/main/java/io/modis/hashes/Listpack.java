package io.modis.hashes;

import java.util.Arrays;

/**
 * A small hash packed into one byte array: field, value, field, value ..., each entry its length
 * (a 1, 2 or 5 byte prefix) followed by its bytes, in insertion order like Redis's listpack.
 * One array instead of an object per entry is what keeps many small hashes cheap; lookups are
 * linear scans, which is fine for the few hundred entries the listpack limits allow.
 *
 * <p>The array is kept at its exact size between commands (no spare capacity to pay for in every
 * small hash); a command adding many pairs may {@link #reserve} room first and {@link #trim}
 * afterwards, so that it copies the array once rather than once per pair.
 */
final class Listpack {
    private static final byte[] NONE = new byte[0];
    /** Lengths below this take one prefix byte. */
    private static final int ONE_BYTE_LIMIT = 0x80;
    /** Lengths below this take two prefix bytes; longer ones a marker and four bytes. */
    private static final int TWO_BYTE_LIMIT = 0x4000;
    private static final int FOUR_BYTE_MARKER = 0xC0;

    private byte[] buf = NONE;
    private int used;
    private int pairs;

    Listpack() {
    }

    private Listpack(byte[] buf, int used, int pairs) {
        this.buf = buf;
        this.used = used;
        this.pairs = pairs;
    }

    /** Number of field/value pairs. */
    int pairs() {
        return pairs;
    }

    /** Bytes of the array (what it costs, including any reserved room). */
    int capacity() {
        return buf.length;
    }

    /** Bytes the pairs take. */
    int used() {
        return used;
    }

    byte[] buffer() {
        return buf;
    }

    Listpack copy() {
        return new Listpack(Arrays.copyOf(buf, used), used, pairs);
    }

    // ---------------------------------------------------------------- entry layout

    /** Length of the entry at {@code pos}. */
    int length(int pos) {
        int b = buf[pos] & 0xFF;
        if (b < ONE_BYTE_LIMIT) {
            return b;
        }
        if (b < FOUR_BYTE_MARKER) {
            return ((b & 0x3F) << 8) | (buf[pos + 1] & 0xFF);
        }
        return ((buf[pos + 1] & 0xFF) << 24) | ((buf[pos + 2] & 0xFF) << 16) | ((buf[pos + 3] & 0xFF) << 8)
                | (buf[pos + 4] & 0xFF);
    }

    /** Where the bytes of the entry at {@code pos} start. */
    int data(int pos) {
        int b = buf[pos] & 0xFF;
        return pos + (b < ONE_BYTE_LIMIT ? 1 : b < FOUR_BYTE_MARKER ? 2 : 5);
    }

    /** The entry after the one at {@code pos}. */
    int next(int pos) {
        return data(pos) + length(pos);
    }

    private static int entrySize(int length) {
        return prefixSize(length) + length;
    }

    private static int prefixSize(int length) {
        return length < ONE_BYTE_LIMIT ? 1 : length < TWO_BYTE_LIMIT ? 2 : 5;
    }

    private static int writeEntry(byte[] into, int pos, byte[] bytes) {
        int n = bytes.length;
        if (n < ONE_BYTE_LIMIT) {
            into[pos++] = (byte) n;
        } else if (n < TWO_BYTE_LIMIT) {
            into[pos++] = (byte) (ONE_BYTE_LIMIT | (n >>> 8));
            into[pos++] = (byte) n;
        } else {
            into[pos++] = (byte) FOUR_BYTE_MARKER;
            into[pos++] = (byte) (n >>> 24);
            into[pos++] = (byte) (n >>> 16);
            into[pos++] = (byte) (n >>> 8);
            into[pos++] = (byte) n;
        }
        System.arraycopy(bytes, 0, into, pos, n);
        return pos + n;
    }

    /** A copy of the bytes of the entry at {@code pos}. */
    byte[] bytesAt(int pos) {
        int from = data(pos);
        return Arrays.copyOfRange(buf, from, from + length(pos));
    }

    // ---------------------------------------------------------------- lookups

    /** Position of the field entry equal to {@code field}, or -1. */
    int find(byte[] field) {
        int n = field.length;
        int pos = 0;
        for (int i = 0; i < pairs; i++) {
            int len = length(pos);
            int from = data(pos);
            if (len == n && Arrays.equals(buf, from, from + n, field, 0, n)) {
                return pos;
            }
            pos = next(from + len); // skips the value entry
        }
        return -1;
    }

    /** Positions of every field entry, in order: random access for HRANDFIELD. */
    int[] fieldPositions() {
        int[] out = new int[pairs];
        int pos = 0;
        for (int i = 0; i < pairs; i++) {
            out[i] = pos;
            pos = next(next(pos));
        }
        return out;
    }

    // ---------------------------------------------------------------- changes

    /** Sets {@code field} to {@code value}; returns true when the field is new. */
    boolean put(byte[] field, byte[] value) {
        int fieldPos = find(field);
        if (fieldPos < 0) {
            ensureRoom(entrySize(field.length) + entrySize(value.length));
            used = writeEntry(buf, used, field);
            used = writeEntry(buf, used, value);
            pairs++;
            return true;
        }
        int valuePos = next(fieldPos);
        int oldEnd = next(valuePos);
        int newSize = entrySize(value.length);
        int delta = newSize - (oldEnd - valuePos);
        if (delta == 0) {
            writeEntry(buf, valuePos, value);
            return false;
        }
        if (delta > 0 && used + delta <= buf.length) {
            System.arraycopy(buf, oldEnd, buf, oldEnd + delta, used - oldEnd); // into reserved room
        } else {
            byte[] target = new byte[used + delta];
            System.arraycopy(buf, 0, target, 0, valuePos);
            System.arraycopy(buf, oldEnd, target, oldEnd + delta, used - oldEnd);
            buf = target;
        }
        writeEntry(buf, valuePos, value);
        used += delta;
        return false;
    }

    /** Removes {@code field} and its value; returns whether it was there. */
    boolean remove(byte[] field) {
        int fieldPos = find(field);
        if (fieldPos < 0) {
            return false;
        }
        int end = next(next(fieldPos));
        int removed = end - fieldPos;
        byte[] target = new byte[used - removed];
        System.arraycopy(buf, 0, target, 0, fieldPos);
        System.arraycopy(buf, end, target, fieldPos, used - end);
        buf = target;
        used -= removed;
        pairs--;
        return true;
    }

    /** Makes room for {@code bytes} more without further copies (before adding many pairs). */
    void reserve(long bytes) {
        long wanted = used + bytes;
        if (wanted > buf.length && wanted <= Integer.MAX_VALUE - 8) {
            buf = Arrays.copyOf(buf, (int) wanted);
        }
    }

    /** Drops reserved room that was not used. */
    void trim() {
        if (buf.length != used) {
            buf = Arrays.copyOf(buf, used);
        }
    }

    /** Grows to exactly what is needed when the reserved room does not suffice. */
    private void ensureRoom(int bytes) {
        if (used + bytes > buf.length) {
            buf = Arrays.copyOf(buf, used + bytes);
        }
    }
}
