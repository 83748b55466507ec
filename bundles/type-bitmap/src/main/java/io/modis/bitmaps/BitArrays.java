package io.modis.bitmaps;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Counting and searching bits in a byte array, eight bytes at a time. Bit 0 is the most
 * significant bit of byte 0, as in Redis.
 */
final class BitArrays {
    /** Big-endian words keep bit order: the first bit of the first byte is the word's top bit. */
    private static final VarHandle WORD = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private BitArrays() {
    }

    static long word(byte[] b, int index) {
        return (long) WORD.get(b, index);
    }

    static void word(byte[] b, int index, long value) {
        WORD.set(b, index, value);
    }

    /** The number of set bits in {@code range} (which lies inside {@code b}). */
    static long count(byte[] b, BitRange range) {
        int first = (int) (range.firstBit() >>> 3);
        int last = (int) range.lastByte();
        long count = countBytes(b, first, last + 1);
        // the edge bytes were counted whole: take back the bits outside the range
        int before = 0xff00 >>> (range.firstBit() & 7) & 0xff;
        int after = 0xff >>> ((range.lastBit() & 7) + 1);
        count -= Integer.bitCount(b[first] & before) + Integer.bitCount(b[last] & after);
        return count;
    }

    /** The number of set bits in bytes {@code from} (inclusive) to {@code to} (exclusive). */
    static long countBytes(byte[] b, int from, int to) {
        long count = 0;
        int i = from;
        for (; i + 8 <= to; i += 8) {
            count += Long.bitCount(word(b, i));
        }
        for (; i < to; i++) {
            count += Integer.bitCount(b[i] & 0xff);
        }
        return count;
    }

    /**
     * The position of the first bit equal to {@code one} in {@code range} (which lies inside
     * {@code b}), or -1 if there is none.
     */
    static long find(byte[] b, BitRange range, boolean one) {
        // searching for zeros is searching for ones in the complement
        int flip = one ? 0 : 0xff;
        long flipWord = one ? 0 : -1L;
        int first = (int) (range.firstBit() >>> 3);
        int last = (int) range.lastByte();
        int headMask = 0xff >>> (range.firstBit() & 7);
        int tailMask = 0xff << (7 - (range.lastBit() & 7)) & 0xff;

        int head = ((b[first] & 0xff) ^ flip) & headMask;
        if (first == last) {
            return firstOne(first, head & tailMask);
        }
        if (head != 0) {
            return firstOne(first, head);
        }
        int i = first + 1;
        for (; i + 8 <= last; i += 8) {
            long w = word(b, i) ^ flipWord;
            if (w != 0) {
                return ((long) i << 3) + Long.numberOfLeadingZeros(w);
            }
        }
        for (; i < last; i++) {
            int v = (b[i] & 0xff) ^ flip;
            if (v != 0) {
                return firstOne(i, v);
            }
        }
        return firstOne(last, ((b[last] & 0xff) ^ flip) & tailMask);
    }

    /** The position of the top set bit of byte value {@code v} at {@code index}, or -1 if none. */
    private static long firstOne(int index, int v) {
        return v == 0 ? -1 : ((long) index << 3) + Integer.numberOfLeadingZeros(v) - 24;
    }
}
