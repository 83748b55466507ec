package io.modis.bitmaps;

import io.modis.api.Bytes;

/**
 * BITFIELD's OVERFLOW policies and the arithmetic of a field of some width: whether a value plus
 * an increment leaves the field's range, and what is stored then.
 */
enum Overflow {
    /** Keep the low bits (two's complement wrap-around for signed fields). */
    WRAP,
    /** Clamp to the field's minimum or maximum. */
    SAT,
    /** Store nothing and answer nil. */
    FAIL;

    /** The policy named by {@code name} (any case), or null. */
    static Overflow named(byte[] name) {
        if (Bytes.is(name, "wrap")) {
            return WRAP;
        }
        if (Bytes.is(name, "sat")) {
            return SAT;
        }
        return Bytes.is(name, "fail") ? FAIL : null;
    }

    /**
     * The outcome of {@code value + increment} in the field {@code type}: the value to store, or
     * {@link Outcome#FAILED}. SET is the case of a zero increment.
     *
     * <p>The range checks reproduce Redis's int64 arithmetic exactly, wrap-arounds included, so
     * that edge cases (SET of a value far out of range, increments near the int64 limits) pick
     * the same side as Redis does.
     */
    Outcome add(BitfieldType type, long value, long increment) {
        return type.signed() ? addSigned(value, increment, type.bits()) : addUnsigned(value, increment, type.bits());
    }

    private Outcome addSigned(long value, long increment, int bits) {
        long max = bits == 64 ? Long.MAX_VALUE : (1L << (bits - 1)) - 1;
        long min = -max - 1;
        long roomUp = max - value;
        long roomDown = min - value;
        boolean above = value > max || (bits != 64 && increment > roomUp)
                || (value >= 0 && increment > 0 && increment > roomUp);
        boolean below = !above && (value < min || (bits != 64 && increment < roomDown)
                || (value < 0 && increment < 0 && increment < roomDown));
        if (!above && !below) {
            return new Outcome(value + increment);
        }
        return switch (this) {
            case WRAP -> new Outcome(signExtend(value + increment, bits));
            case SAT -> new Outcome(above ? max : min);
            case FAIL -> Outcome.FAILED;
        };
    }

    private Outcome addUnsigned(long value, long increment, int bits) {
        long max = (1L << bits) - 1; // bits <= 63
        long roomUp = max - value;
        long roomDown = -value;
        boolean above = Long.compareUnsigned(value, max) > 0 || (increment > 0 && increment > roomUp);
        boolean below = !above && increment < 0 && increment < roomDown;
        if (!above && !below) {
            return new Outcome(value + increment);
        }
        return switch (this) {
            case WRAP -> new Outcome((value + increment) & max);
            case SAT -> new Outcome(above ? max : 0);
            case FAIL -> Outcome.FAILED;
        };
    }

    /** The low {@code bits} of {@code v} read as a signed number of that width. */
    static long signExtend(long v, int bits) {
        return bits == 64 ? v : v << (64 - bits) >> (64 - bits);
    }

    /** What to store after an operation, or {@link #FAILED} when OVERFLOW FAIL refused it. */
    record Outcome(long value, boolean failed) {
        static final Outcome FAILED = new Outcome(0, true);

        Outcome(long value) {
            this(value, false);
        }
    }
}
