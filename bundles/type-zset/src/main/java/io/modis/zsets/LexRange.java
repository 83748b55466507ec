package io.modis.zsets;

import java.util.Arrays;

/**
 * An interval of members in byte order, for members that share one score: what ZRANGEBYLEX,
 * ZLEXCOUNT and ZREMRANGEBYLEX select. An end is "[m" (inclusive), "(m" (exclusive), "-" (below
 * every member) or "+" (above every member).
 */
public final class LexRange {
    /** How an end compares with members: a string, or beyond every member on one side. */
    private enum Kind { STRING, MINUS_INFINITY, PLUS_INFINITY }

    private final byte[] min;
    private final Kind minKind;
    private final boolean minExclusive;
    private final byte[] max;
    private final Kind maxKind;
    private final boolean maxExclusive;

    private LexRange(byte[] min, Kind minKind, boolean minExclusive, byte[] max, Kind maxKind, boolean maxExclusive) {
        this.min = min;
        this.minKind = minKind;
        this.minExclusive = minExclusive;
        this.max = max;
        this.maxKind = maxKind;
        this.maxExclusive = maxExclusive;
    }

    /** Parses both ends; null when either is not a valid range item. */
    public static LexRange parse(byte[] min, byte[] max) {
        Kind minKind = kind(min);
        Kind maxKind = kind(max);
        if (minKind == null || maxKind == null) {
            return null;
        }
        return new LexRange(text(min, minKind), minKind, min[0] != '[', text(max, maxKind), maxKind, max[0] != '[');
    }

    private static Kind kind(byte[] item) {
        if (item.length == 0) {
            return null;
        }
        switch (item[0]) {
            case '+':
                return item.length == 1 ? Kind.PLUS_INFINITY : null;
            case '-':
                return item.length == 1 ? Kind.MINUS_INFINITY : null;
            case '(':
            case '[':
                return Kind.STRING;
            default:
                return null;
        }
    }

    private static byte[] text(byte[] item, Kind kind) {
        return kind == Kind.STRING ? Arrays.copyOfRange(item, 1, item.length) : null;
    }

    /** The member (bytes {@code off..off+len} of {@code buf}) is not below the lower end. */
    public boolean aboveMin(byte[] buf, int off, int len) {
        int cmp = compare(buf, off, len, min, minKind);
        return minExclusive ? cmp > 0 : cmp >= 0;
    }

    /** The member is not above the upper end. */
    public boolean belowMax(byte[] buf, int off, int len) {
        int cmp = compare(buf, off, len, max, maxKind);
        return maxExclusive ? cmp < 0 : cmp <= 0;
    }

    public boolean aboveMin(byte[] member) {
        return aboveMin(member, 0, member.length);
    }

    public boolean belowMax(byte[] member) {
        return belowMax(member, 0, member.length);
    }

    private static int compare(byte[] buf, int off, int len, byte[] end, Kind kind) {
        return switch (kind) {
            case MINUS_INFINITY -> 1;
            case PLUS_INFINITY -> -1;
            case STRING -> Arrays.compareUnsigned(buf, off, off + len, end, 0, end.length);
        };
    }
}
