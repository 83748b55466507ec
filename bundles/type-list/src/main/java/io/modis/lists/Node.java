package io.modis.lists;

import java.util.Arrays;

/**
 * One link of a {@link QuickList}. A packed node keeps many elements in one byte array, each
 * as {@code [length][bytes][length reversed]}, so it can be walked from either end (like a
 * listpack's back-length); the used bytes sit in {@code [start, end)} with free room on both
 * sides, so pushing at either end rarely moves anything. A plain node holds one large element
 * as its own array, never modified in place, so it may be handed out without copying.
 *
 * <p>Lengths are 7-bit groups, low group first, the high bit marking that another group
 * follows; the trailing copy stores the same groups in reverse order so that reading backwards
 * from the end of an entry meets the low group first.
 */
final class Node {
    /** Object header, the array reference and the int fields, rounded as HotSpot lays them out. */
    static final int OVERHEAD = 32;
    private static final int MIN_CAPACITY = 16;
    private static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

    byte[] buf;
    int start;
    int end;
    int count;
    final boolean plain;

    private Node(byte[] buf, int start, int end, int count, boolean plain) {
        this.buf = buf;
        this.start = start;
        this.end = end;
        this.count = count;
        this.plain = plain;
    }

    static Node plain(byte[] element) {
        return new Node(element, 0, element.length, 1, true);
    }

    /** An empty packed node whose free room is at the front ({@code atFront}) or the back. */
    static Node packed(int capacity, boolean atFront) {
        int cap = Math.max(MIN_CAPACITY, capacity);
        int at = atFront ? cap : 0;
        return new Node(new byte[cap], at, at, 0, false);
    }

    /** Bytes this node holds on the heap, array included. */
    long footprint() {
        return OVERHEAD + arrayFootprint(buf.length);
    }

    static long arrayFootprint(int length) {
        return (16L + length + 7) & ~7L;
    }

    /** Bytes of entries (for a plain node, the element's length). */
    int used() {
        return end - start;
    }

    /* ------------------------------------------------------------ entry encoding */

    static int lengthSize(int len) {
        if (len < (1 << 7)) {
            return 1;
        }
        if (len < (1 << 14)) {
            return 2;
        }
        if (len < (1 << 21)) {
            return 3;
        }
        return len < (1 << 28) ? 4 : 5;
    }

    /** Bytes an element of {@code len} bytes takes in a packed node. */
    static int entrySize(int len) {
        return 2 * lengthSize(len) + len;
    }

    /** The length of the element whose entry begins at {@code pos}. */
    int lengthAt(int pos) {
        if (plain) {
            return buf.length;
        }
        int v = 0;
        int shift = 0;
        byte b;
        do {
            b = buf[pos++];
            v |= (b & 0x7f) << shift;
            shift += 7;
        } while (b < 0);
        return v;
    }

    /** The length of the element whose entry ends just before {@code entryEnd}. */
    int lengthBefore(int entryEnd) {
        if (plain) {
            return buf.length;
        }
        int v = 0;
        int shift = 0;
        int p = entryEnd - 1;
        byte b;
        do {
            b = buf[p--];
            v |= (b & 0x7f) << shift;
            shift += 7;
        } while (b < 0);
        return v;
    }

    /** Where the bytes of the element at {@code pos} (length {@code len}) begin. */
    int dataAt(int pos, int len) {
        return plain ? 0 : pos + lengthSize(len);
    }

    int next(int pos) {
        return pos + (plain ? buf.length : entrySize(lengthAt(pos)));
    }

    /** The start of the entry ending at {@code entryEnd}. */
    int previous(int entryEnd) {
        return entryEnd - (plain ? buf.length : entrySize(lengthBefore(entryEnd)));
    }

    /** Byte offset of the {@code i}-th entry (0 ≤ i ≤ count), walking from the nearer end. */
    int offsetOf(int i) {
        if (i <= count / 2) {
            int pos = start;
            for (int k = 0; k < i; k++) {
                pos = next(pos);
            }
            return pos;
        }
        int pos = end;
        for (int k = count; k > i; k--) {
            pos = previous(pos);
        }
        return pos;
    }

    /** A copy of the element at byte offset {@code pos}. */
    byte[] elementAt(int pos) {
        if (plain) {
            return buf;
        }
        int len = lengthAt(pos);
        int data = pos + lengthSize(len);
        return Arrays.copyOfRange(buf, data, data + len);
    }

    boolean elementEquals(int pos, byte[] element) {
        int len = lengthAt(pos);
        if (len != element.length) {
            return false;
        }
        int data = dataAt(pos, len);
        return Arrays.equals(buf, data, data + len, element, 0, len);
    }

    private void writeEntry(int pos, byte[] element) {
        int len = element.length;
        int n = lengthSize(len);
        int data = pos + n;
        int tail = data + len;
        for (int i = 0; i < n; i++) {
            byte group = (byte) (((len >>> (7 * i)) & 0x7f) | (i < n - 1 ? 0x80 : 0));
            buf[pos + i] = group;
            buf[tail + n - 1 - i] = group;
        }
        System.arraycopy(element, 0, buf, data, len);
    }

    /* ------------------------------------------------------------ changes (packed nodes only) */

    void addFirst(byte[] element) {
        int size = entrySize(element.length);
        makeRoom(size, 0);
        start -= size;
        writeEntry(start, element);
        count++;
    }

    void addLast(byte[] element) {
        int size = entrySize(element.length);
        makeRoom(0, size);
        writeEntry(end, element);
        end += size;
        count++;
    }

    /** Inserts {@code element} as a new entry at byte offset {@code pos} (start ≤ pos ≤ end). */
    void insertAt(int pos, byte[] element) {
        int size = entrySize(element.length);
        int before = pos - start;
        int after = end - pos;
        if (before <= after && start >= size) {
            System.arraycopy(buf, start, buf, start - size, before);
            start -= size;
            writeEntry(pos - size, element);
        } else if (buf.length - end >= size) {
            System.arraycopy(buf, pos, buf, pos + size, after);
            end += size;
            writeEntry(pos, element);
        } else if (start >= size) {
            System.arraycopy(buf, start, buf, start - size, before);
            start -= size;
            writeEntry(pos - size, element);
        } else {
            byte[] grown = new byte[grownCapacity(end - start + size)];
            int newStart = (grown.length - (end - start + size)) / 2;
            System.arraycopy(buf, start, grown, newStart, before);
            int at = newStart + before;
            System.arraycopy(buf, pos, grown, at + size, after);
            buf = grown;
            start = newStart;
            end = newStart + before + size + after;
            writeEntry(at, element);
        }
        count++;
    }

    /** Removes the entries in byte range [from, to), {@code entries} of them. */
    void removeBytes(int from, int to, int entries) {
        int size = to - from;
        if (from - start <= end - to) {
            System.arraycopy(buf, start, buf, start + size, from - start);
            start += size;
        } else {
            System.arraycopy(buf, to, buf, from, end - to);
            end -= size;
        }
        count -= entries;
        shrinkIfSparse();
    }

    /** Removes and returns the first element. */
    byte[] removeFirst() {
        byte[] e = elementAt(start);
        removeBytes(start, next(start), 1);
        return e;
    }

    byte[] removeLast() {
        int pos = previous(end);
        byte[] e = elementAt(pos);
        removeBytes(pos, end, 1);
        return e;
    }

    /** Replaces the element at byte offset {@code pos}. */
    void replaceAt(int pos, byte[] element) {
        int oldSize = next(pos) - pos;
        int newSize = entrySize(element.length);
        if (oldSize == newSize) {
            writeEntry(pos, element);
            return;
        }
        int before = pos - start;
        removeBytes(pos, pos + oldSize, 1);
        insertAt(start + before, element);
    }

    /**
     * Moves the entries from the {@code i}-th on (0 < i < count, byte offset {@code pos}) to a
     * new packed node, which it returns.
     */
    Node splitAt(int i, int pos) {
        int size = end - pos;
        Node tail = packed(size, false);
        System.arraycopy(buf, pos, tail.buf, 0, size);
        tail.end = size;
        tail.count = count - i;
        end = pos;
        count = i;
        shrinkIfSparse();
        return tail;
    }

    /** Appends every entry of packed node {@code other} after this node's. */
    void appendAll(Node other) {
        int size = other.used();
        makeRoom(0, size);
        System.arraycopy(other.buf, other.start, buf, end, size);
        end += size;
        count += other.count;
    }

    /**
     * Removes, walking from the first entry, up to {@code max} entries equal to
     * {@code element} (all of them when {@code max} is 0); returns how many.
     */
    int removeEqualFromStart(byte[] element, long max) {
        int removed = 0;
        int read = start;
        int write = start;
        while (read < end) {
            if (max != 0 && removed == max) {
                System.arraycopy(buf, read, buf, write, end - read);
                write += end - read;
                break;
            }
            int following = next(read);
            if (elementEquals(read, element)) {
                removed++;
            } else {
                if (write != read) {
                    System.arraycopy(buf, read, buf, write, following - read);
                }
                write += following - read;
            }
            read = following;
        }
        if (removed > 0) {
            end = write;
            count -= removed;
            shrinkIfSparse();
        }
        return removed;
    }

    /** As {@link #removeEqualFromStart}, walking from the last entry. */
    int removeEqualFromEnd(byte[] element, long max) {
        int removed = 0;
        int read = end;
        int write = end;
        while (read > start) {
            if (max != 0 && removed == max) {
                int rest = read - start;
                System.arraycopy(buf, start, buf, write - rest, rest);
                write -= rest;
                break;
            }
            int entryStart = previous(read);
            if (elementEquals(entryStart, element)) {
                removed++;
            } else {
                int size = read - entryStart;
                if (write != read) {
                    System.arraycopy(buf, entryStart, buf, write - size, size);
                }
                write -= size;
            }
            read = entryStart;
        }
        if (removed > 0) {
            start = write;
            count -= removed;
            shrinkIfSparse();
        }
        return removed;
    }

    /** Releases free room: called once a node is full, as it will seldom grow again. */
    void trim() {
        if (!plain && buf.length - used() > 8) {
            buf = Arrays.copyOfRange(buf, start, end);
            end -= start;
            start = 0;
        }
    }

    /**
     * Keeps the data and at least {@code front} free bytes before it and {@code back} after
     * it. The array is reused when a quarter of it would stay free, else grown by half; most
     * of the spare room goes to the side that asked, some to the other, so that pushes
     * alternating between both ends do not move the data every time.
     */
    private void makeRoom(int front, int back) {
        if (start >= front && buf.length - end >= back) {
            return;
        }
        int used = end - start;
        int need = used + front + back;
        byte[] target = need <= buf.length - buf.length / 4 ? buf : new byte[grownCapacity(need)];
        int spare = target.length - need;
        int newStart;
        if (back == 0) {
            newStart = front + spare - spare / 4;
        } else if (front == 0) {
            newStart = spare / 4;
        } else {
            newStart = front + spare / 2;
        }
        System.arraycopy(buf, start, target, newStart, used);
        buf = target;
        start = newStart;
        end = newStart + used;
    }

    private int grownCapacity(int need) {
        long grown = Math.max(need, buf.length + (long) buf.length / 2);
        return (int) Math.max(need, Math.min(grown, MAX_ARRAY));
    }

    /** Gives memory back once most of the array is free. */
    private void shrinkIfSparse() {
        int used = end - start;
        if (buf.length > 64 && used < buf.length / 4) {
            int cap = Math.max(MIN_CAPACITY, used + used / 2);
            byte[] smaller = new byte[cap];
            int newStart = (cap - used) / 2;
            System.arraycopy(buf, start, smaller, newStart, used);
            buf = smaller;
            start = newStart;
            end = newStart + used;
        }
    }

    /** A deep copy. */
    Node copy() {
        if (plain) {
            return plain(buf.clone());
        }
        byte[] b = Arrays.copyOfRange(buf, start, end);
        return new Node(b, 0, b.length, count, false);
    }
}
