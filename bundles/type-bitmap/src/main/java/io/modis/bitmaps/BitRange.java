package io.modis.bitmaps;

/**
 * The inclusive range of bits BITCOUNT and BITPOS look at, from start/end indexes given in
 * bytes or bits (negative ones count from the end) and clamped to the string as Redis does.
 */
record BitRange(long firstBit, long lastBit) {

    /**
     * Resolves {@code start..end} over a string of {@code length} bytes; indexes are bits when
     * {@code inBits}, else bytes. Returns null for an empty range.
     */
    static BitRange of(long length, long start, long end, boolean inBits) {
        long total = inBits ? length << 3 : length;
        if (start < 0) {
            start += total;
        }
        if (end < 0) {
            end += total;
        }
        start = Math.max(start, 0);
        end = Math.max(end, 0);
        end = Math.min(end, total - 1);
        if (start > end) {
            return null;
        }
        return inBits ? new BitRange(start, end) : new BitRange(start << 3, (end << 3) + 7);
    }

    /** The whole string, or null when it is empty. */
    static BitRange whole(long length) {
        return length == 0 ? null : new BitRange(0, (length << 3) - 1);
    }

    /** The byte holding the last bit. */
    long lastByte() {
        return lastBit >>> 3;
    }
}
