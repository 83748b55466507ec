package io.modis.sets;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A sorted set of 64-bit integers packed in one byte array, every member stored in the same
 * width: the narrowest of 2, 4 or 8 bytes that holds them all (Redis's intset). Adding a member
 * that needs a wider type rewrites the whole array in that width; the width never narrows again,
 * as in Redis. Lookups are binary searches, so adds and removes cost a search plus a shift.
 */
final class IntSet {
    private static final VarHandle I16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle I32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle I64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final byte[] NOTHING = new byte[0];
    /** Object header, three fields and the array header, as a 64-bit JVM with compressed oops lays them out. */
    private static final int OVERHEAD = 24 + 16;

    private byte[] data = NOTHING;
    /** Bytes per member: 2, 4 or 8. */
    private int width = Short.BYTES;
    private int size;

    IntSet() {
    }

    private IntSet(byte[] data, int width, int size) {
        this.data = data;
        this.width = width;
        this.size = size;
    }

    int size() {
        return size;
    }

    /** Bytes per member (Redis's intset encoding: 2, 4 or 8). */
    int width() {
        return width;
    }

    /** The member at {@code index} in ascending order. */
    long get(int index) {
        int at = index * width;
        return switch (width) {
            case Short.BYTES -> (short) I16.get(data, at);
            case Integer.BYTES -> (int) I32.get(data, at);
            default -> (long) I64.get(data, at);
        };
    }

    boolean contains(long v) {
        return widthOf(v) <= width && search(v) >= 0;
    }

    /** Adds {@code v}; false if it was already a member. */
    boolean add(long v) {
        int needed = widthOf(v);
        if (needed > width) {
            widenAndAdd(v, needed);
            return true;
        }
        int pos = search(v);
        if (pos >= 0) {
            return false;
        }
        pos = -pos - 1;
        if ((size + 1) * width > data.length) {
            data = Arrays.copyOf(data, grownCapacity(size + 1) * width);
        }
        System.arraycopy(data, pos * width, data, (pos + 1) * width, (size - pos) * width);
        put(data, width, pos, v);
        size++;
        return true;
    }

    /** Removes {@code v}; false if it was not a member. */
    boolean remove(long v) {
        if (widthOf(v) > width) {
            return false;
        }
        int pos = search(v);
        if (pos < 0) {
            return false;
        }
        removeAt(pos);
        return true;
    }

    /** Removes and returns the member at {@code index}. */
    long removeAt(int index) {
        long v = get(index);
        System.arraycopy(data, (index + 1) * width, data, index * width, (size - index - 1) * width);
        size--;
        // Give memory back once most of the array is spare, as Redis reallocates on every removal.
        if (data.length > 2 * (size + 4) * width) {
            data = Arrays.copyOf(data, grownCapacity(size) * width);
        }
        return v;
    }

    /** A uniformly chosen member; the set must not be empty. */
    long random() {
        return get(ThreadLocalRandom.current().nextInt(size));
    }

    IntSet copy() {
        return new IntSet(Arrays.copyOf(data, size * width), width, size);
    }

    /** Estimated heap bytes of this object and its array. */
    long memoryUsage() {
        return OVERHEAD + align8(data.length);
    }

    /**
     * The index of {@code v}, or {@code -(insertion point) - 1} when absent; {@code v} must fit
     * the current width.
     */
    private int search(long v) {
        if (size == 0) {
            return -1;
        }
        // Members are often added in ascending order: check the ends before bisecting.
        if (v > get(size - 1)) {
            return -(size + 1);
        }
        if (v < get(0)) {
            return -1;
        }
        int low = 0;
        int high = size - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            long m = get(mid);
            if (m < v) {
                low = mid + 1;
            } else if (m > v) {
                high = mid - 1;
            } else {
                return mid;
            }
        }
        return -(low + 1);
    }

    /**
     * Rewrites every member in {@code newWidth} and adds {@code v}. A value that needs a wider
     * type is smaller or larger than every current member, so it goes first or last.
     */
    private void widenAndAdd(long v, int newWidth) {
        byte[] wider = new byte[grownCapacity(size + 1) * newWidth];
        int shift = v < 0 ? 1 : 0;
        for (int i = 0; i < size; i++) {
            put(wider, newWidth, i + shift, get(i));
        }
        put(wider, newWidth, v < 0 ? 0 : size, v);
        data = wider;
        width = newWidth;
        size++;
    }

    private static void put(byte[] into, int width, int index, long v) {
        int at = index * width;
        switch (width) {
            case Short.BYTES -> I16.set(into, at, (short) v);
            case Integer.BYTES -> I32.set(into, at, (int) v);
            default -> I64.set(into, at, v);
        }
    }

    static int widthOf(long v) {
        if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
            return Short.BYTES;
        }
        if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            return Integer.BYTES;
        }
        return Long.BYTES;
    }

    /** Room for {@code members} plus a little slack, so that a run of adds does not copy every time. */
    private static int grownCapacity(int members) {
        return members + (members >> 3) + 1;
    }

    private static long align8(long n) {
        return (n + 7) & ~7L;
    }
}
