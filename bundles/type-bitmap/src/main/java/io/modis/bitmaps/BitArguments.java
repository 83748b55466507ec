package io.modis.bitmaps;

import io.modis.api.Bytes;
import io.modis.api.CommandContext;
import io.modis.api.CommandException;

/** Parses the bit offsets and bit values the bitmap commands share, with Redis's errors. */
final class BitArguments {
    static final String BAD_OFFSET = "ERR bit offset is not an integer or out of range";
    static final String BAD_BIT = "ERR bit is not an integer or out of range";
    static final String TOO_BIG = "ERR string exceeds maximum allowed size (proto-max-bulk-len)";

    /** Redis's default proto-max-bulk-len, used if the core does not know the parameter. */
    private static final long DEFAULT_MAX_BULK_LEN = 512L * 1024 * 1024;
    /** The largest byte array the JVM allocates reliably: the real limit of a string here. */
    static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    private BitArguments() {
    }

    /**
     * A bit offset: a non-negative integer whose byte lies below proto-max-bulk-len. With
     * {@code fieldBits > 0}, "#N" means the N-th field of that width (BITFIELD).
     */
    static long offset(CommandContext ctx, byte[] arg, int fieldBits) {
        boolean fieldIndex = fieldBits > 0 && arg.length > 0 && arg[0] == '#';
        int skip = fieldIndex ? 1 : 0;
        long offset;
        try {
            offset = Bytes.parseLong(arg, skip, arg.length - skip);
        } catch (NumberFormatException e) {
            throw new CommandException(BAD_OFFSET);
        }
        if (fieldIndex) {
            // wraps on overflow like Redis's int64 multiplication; the range check below catches it
            offset *= fieldBits;
        }
        if (offset < 0 || (offset >> 3) >= maxBulkLen(ctx)) {
            throw new CommandException(BAD_OFFSET);
        }
        return offset;
    }

    /** SETBIT's value: exactly 0 or 1. */
    static boolean bitValue(byte[] arg) {
        long on;
        try {
            on = Bytes.parseLong(arg);
        } catch (NumberFormatException e) {
            throw new CommandException(BAD_BIT);
        }
        if ((on & ~1L) != 0) {
            throw new CommandException(BAD_BIT);
        }
        return on == 1;
    }

    /** A string must stay addressable as one Java array. */
    static void checkLength(long bytes) {
        if (bytes > MAX_ARRAY) {
            throw new CommandException(TOO_BIG);
        }
    }

    private static long maxBulkLen(CommandContext ctx) {
        Object v = ctx.config().value("proto-max-bulk-len");
        return v instanceof Number n ? n.longValue() : DEFAULT_MAX_BULK_LEN;
    }
}
