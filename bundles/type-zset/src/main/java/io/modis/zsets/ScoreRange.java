package io.modis.zsets;

/**
 * An interval of scores, each end inclusive or exclusive: what ZRANGEBYSCORE, ZCOUNT and
 * ZREMRANGEBYSCORE select. Comparisons use the primitive operators, so -0 and 0 are one score.
 */
public record ScoreRange(double min, boolean minExclusive, double max, boolean maxExclusive) {

    /**
     * Parses Redis's bound syntax: a float, "(" before it for an exclusive end, "inf" forms.
     * Returns null when either bound is not a float (the caller replies "min or max is not a float").
     */
    public static ScoreRange parse(byte[] min, byte[] max) {
        try {
            boolean minEx = min.length > 0 && min[0] == '(';
            boolean maxEx = max.length > 0 && max[0] == '(';
            double lo = Floats.parseRangeBound(min, minEx ? 1 : 0);
            double hi = Floats.parseRangeBound(max, maxEx ? 1 : 0);
            return new ScoreRange(lo, minEx, hi, maxEx);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The score is not below the lower end. */
    public boolean aboveMin(double score) {
        return minExclusive ? score > min : score >= min;
    }

    /** The score is not above the upper end. */
    public boolean belowMax(double score) {
        return maxExclusive ? score < max : score <= max;
    }

    public boolean contains(double score) {
        return aboveMin(score) && belowMax(score);
    }
}
