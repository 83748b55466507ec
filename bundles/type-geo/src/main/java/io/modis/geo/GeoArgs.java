package io.modis.geo;

import io.modis.api.Bytes;
import io.modis.api.CommandContext;
import io.modis.api.CommandException;
import io.modis.api.Errors;

/** Parsing shared by the geo commands, with Redis's error replies. */
final class GeoArgs {
    static final String UNSUPPORTED_UNIT = "ERR unsupported unit provided. please use M, KM, FT, MI";

    private GeoArgs() {
    }

    /** A longitude at {@code i} and a latitude at {@code i + 1}, within the indexable limits. */
    static double[] longLat(CommandContext ctx, int i) {
        double longitude = ctx.argDouble(i);
        double latitude = ctx.argDouble(i + 1);
        if (!GeoHash.validLongLat(longitude, latitude)) {
            throw new CommandException("ERR invalid longitude,latitude pair "
                    + GeoFormat.fixed6(longitude) + "," + GeoFormat.fixed6(latitude));
        }
        return new double[] {longitude, latitude};
    }

    /** Meters per unit of M, KM, FT or MI (any case). */
    static double unit(byte[] arg) {
        if (Bytes.is(arg, "m")) {
            return 1;
        }
        if (Bytes.is(arg, "km")) {
            return 1000;
        }
        if (Bytes.is(arg, "ft")) {
            return 0.3048;
        }
        if (Bytes.is(arg, "mi")) {
            return 1609.34;
        }
        throw new CommandException(UNSUPPORTED_UNIT);
    }

    /** A float argument, or {@code ERR <message>} when it is not one. */
    static double number(CommandContext ctx, int i, String message) {
        try {
            return Bytes.parseDouble(ctx.arg(i));
        } catch (NumberFormatException e) {
            throw new CommandException("ERR " + message);
        }
    }

    static CommandException syntax() {
        return Errors.syntax();
    }
}
