package io.modis.sets;

import io.modis.api.Bytes;
import io.modis.api.CommandException;

/**
 * Integer arguments whose commands answer a bad value with their own error message, as Redis's
 * get...OrReply helpers do when given one.
 */
final class Arguments {
    private Arguments() {
    }

    /** A strict 64-bit integer, or {@code error} when the argument is not one. */
    static long longOr(byte[] arg, String error) {
        try {
            return Bytes.parseLong(arg);
        } catch (NumberFormatException e) {
            throw new CommandException(error);
        }
    }
}
