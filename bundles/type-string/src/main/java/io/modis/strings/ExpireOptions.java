package io.modis.strings;

import io.modis.api.Bytes;
import io.modis.api.CommandException;
import io.modis.api.Errors;

/**
 * The options SET and GETEX share (Redis's parseExtendedStringArgumentsOrReply): NX, XX, GET and
 * KEEPTTL for SET, PERSIST for GETEX, and one of EX, PX, EXAT, PXAT for both. Conflicting or
 * unknown options, and a time option without its value, are a syntax error.
 */
final class ExpireOptions {
    static final int NX = 1;
    static final int XX = 1 << 1;
    static final int EX = 1 << 2;
    static final int PX = 1 << 3;
    static final int KEEPTTL = 1 << 4;
    static final int GET = 1 << 5;
    static final int EXAT = 1 << 6;
    static final int PXAT = 1 << 7;
    static final int PERSIST = 1 << 8;

    private static final int ANY_EXPIRE = EX | PX | EXAT | PXAT;
    private static final ExpireOptions NONE = new ExpireOptions(0, -1);

    /** The parsed flags. */
    final int flags;
    /** Index of the expire time argument, or -1 when no time option was given. */
    final int expireIndex;

    private ExpireOptions(int flags, int expireIndex) {
        this.flags = flags;
        this.expireIndex = expireIndex;
    }

    boolean has(int flag) {
        return (flags & flag) != 0;
    }

    boolean hasExpire() {
        return expireIndex >= 0;
    }

    /** True when the time is in seconds (EX, EXAT), false for milliseconds (PX, PXAT). */
    boolean inSeconds() {
        return (flags & (EX | EXAT)) != 0;
    }

    /** True when the time is relative to now (EX, PX), false for a unix time (EXAT, PXAT). */
    boolean relative() {
        return (flags & (EX | PX)) != 0;
    }

    /** Parses SET's options, from argument 3 on. */
    static ExpireOptions forSet(byte[][] argv) {
        return parse(argv, 3, true);
    }

    /** Parses GETEX's options, from argument 2 on. */
    static ExpireOptions forGetex(byte[][] argv) {
        return parse(argv, 2, false);
    }

    private static ExpireOptions parse(byte[][] argv, int from, boolean set) {
        if (from >= argv.length) {
            return NONE;
        }
        int flags = 0;
        int expireIndex = -1;
        for (int j = from; j < argv.length; j++) {
            byte[] opt = argv[j];
            boolean hasNext = j < argv.length - 1;
            int timeFlag = 0;
            if (set && Bytes.is(opt, "nx") && (flags & XX) == 0) {
                flags |= NX;
            } else if (set && Bytes.is(opt, "xx") && (flags & NX) == 0) {
                flags |= XX;
            } else if (set && Bytes.is(opt, "get")) {
                flags |= GET;
            } else if (set && Bytes.is(opt, "keepttl") && (flags & (PERSIST | ANY_EXPIRE)) == 0) {
                flags |= KEEPTTL;
            } else if (!set && Bytes.is(opt, "persist") && (flags & (KEEPTTL | ANY_EXPIRE)) == 0) {
                flags |= PERSIST;
            } else if (Bytes.is(opt, "ex")) {
                timeFlag = EX;
            } else if (Bytes.is(opt, "px")) {
                timeFlag = PX;
            } else if (Bytes.is(opt, "exat")) {
                timeFlag = EXAT;
            } else if (Bytes.is(opt, "pxat")) {
                timeFlag = PXAT;
            } else {
                throw Errors.syntax();
            }
            if (timeFlag != 0) {
                // the same time option may repeat (the last value wins), but not mix with another
                int conflicts = KEEPTTL | PERSIST | (ANY_EXPIRE & ~timeFlag);
                if ((flags & conflicts) != 0 || !hasNext) {
                    throw Errors.syntax();
                }
                flags |= timeFlag;
                expireIndex = ++j;
            }
        }
        return new ExpireOptions(flags, expireIndex);
    }

    /**
     * Turns a SET/GETEX expire argument into an absolute unix time in ms, with Redis's checks:
     * the value must be positive, must not overflow when made ms, nor when now is added.
     *
     * @throws CommandException {@code ERR invalid expire time in '<command>' command}
     */
    static long absoluteMillis(long value, boolean seconds, boolean relative, long now, String command) {
        if (value <= 0 || (seconds && value > Long.MAX_VALUE / 1000)) {
            throw invalidExpire(command);
        }
        long millis = seconds ? value * 1000 : value;
        if (relative) {
            if (millis > Long.MAX_VALUE - now) {
                throw invalidExpire(command);
            }
            millis += now;
        }
        if (millis <= 0) {
            throw invalidExpire(command);
        }
        return millis;
    }

    static CommandException invalidExpire(String command) {
        return new CommandException(String.format(Errors.INVALID_EXPIRE, command));
    }
}
