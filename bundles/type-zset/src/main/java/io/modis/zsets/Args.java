package io.modis.zsets;

import io.modis.api.Bytes;
import io.modis.api.CommandContext;
import io.modis.api.CommandException;
import io.modis.api.Errors;

/** Argument parsing with Redis's exact error replies. */
final class Args {
    static final String MIN_MAX_NOT_FLOAT = "ERR min or max is not a float";
    static final String MIN_MAX_NOT_LEX = "ERR min or max not valid string range item";

    private Args() {
    }

    /** A score or increment (getDoubleFromObjectOrReply): "ERR value is not a valid float". */
    static double score(byte[] arg) {
        return strictDouble(arg, Errors.NOT_FLOAT);
    }

    static double strictDouble(byte[] arg, String error) {
        try {
            return Floats.parseStrict(arg);
        } catch (NumberFormatException e) {
            throw new CommandException(error);
        }
    }

    /**
     * An integer within {@code min..max} (getRangeLongFromObjectOrReply): with a message, that
     * message for any failure; without one, Redis's generic errors.
     */
    static long rangedLong(CommandContext ctx, int i, long min, long max, String message) {
        long v;
        try {
            v = Bytes.parseLong(ctx.arg(i));
        } catch (NumberFormatException e) {
            throw new CommandException(message != null ? message : Errors.NOT_INTEGER);
        }
        if (v < min || v > max) {
            throw new CommandException(message != null ? message
                    : "ERR value is out of range, value must between " + min + " and " + max);
        }
        return v;
    }

    /** A count that must not be negative (getPositiveLongFromObjectOrReply). */
    static long positiveLong(CommandContext ctx, int i, String message) {
        return rangedLong(ctx, i, 0, Long.MAX_VALUE, message != null ? message : "ERR value is out of range, must be positive");
    }

    static ScoreRange scoreRange(byte[] min, byte[] max) {
        ScoreRange r = ScoreRange.parse(min, max);
        if (r == null) {
            throw new CommandException(MIN_MAX_NOT_FLOAT);
        }
        return r;
    }

    static LexRange lexRange(byte[] min, byte[] max) {
        LexRange r = LexRange.parse(min, max);
        if (r == null) {
            throw new CommandException(MIN_MAX_NOT_LEX);
        }
        return r;
    }

    /**
     * A blocking timeout in seconds (getTimeoutFromObjectOrReply) as an absolute deadline in
     * Unix milliseconds, or 0 for "forever".
     */
    static long deadline(CommandContext ctx, int i) {
        long millis;
        try {
            millis = Floats.timeoutMillis(ctx.arg(i));
        } catch (NumberFormatException e) {
            throw new CommandException(Errors.TIMEOUT_NOT_FLOAT);
        }
        if (millis < 0) {
            throw new CommandException(Errors.TIMEOUT_NEGATIVE);
        }
        if (millis == 0) {
            return 0;
        }
        long now = ctx.now();
        return millis > Long.MAX_VALUE - now ? Long.MAX_VALUE : now + millis;
    }
}
