package io.modis.bitmaps;

import io.modis.api.Bytes;
import io.modis.api.CommandException;

/** A BITFIELD type: i1..i64 (signed) or u1..u63 (unsigned; u64 would not fit a RESP integer). */
record BitfieldType(boolean signed, int bits) {
    static final String INVALID = "ERR Invalid bitfield type. Use something like i16 u8."
            + " Note that u64 is not supported but i64 is.";

    static BitfieldType parse(byte[] arg) {
        if (arg.length == 0 || (arg[0] != 'i' && arg[0] != 'u')) {
            throw new CommandException(INVALID);
        }
        boolean signed = arg[0] == 'i';
        // Redis reads the width as a C string: it ends at the first NUL byte
        int end = 1;
        while (end < arg.length && arg[end] != 0) {
            end++;
        }
        long bits;
        try {
            bits = Bytes.parseLong(arg, 1, end - 1);
        } catch (NumberFormatException e) {
            throw new CommandException(INVALID);
        }
        if (bits < 1 || bits > (signed ? 64 : 63)) {
            throw new CommandException(INVALID);
        }
        return new BitfieldType(signed, (int) bits);
    }

    /** The field's bits (right-aligned) as this type's number. */
    long decode(long raw) {
        return signed ? Overflow.signExtend(raw, bits) : raw;
    }
}
