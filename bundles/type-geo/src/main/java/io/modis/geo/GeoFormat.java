package io.modis.geo;

import io.modis.api.Bytes;
import io.modis.api.Reply;
import java.math.BigDecimal;
import java.math.RoundingMode;

/** How Redis prints geo numbers: distances with four decimals, coordinates in full. */
final class GeoFormat {
    private GeoFormat() {
    }

    /**
     * A distance as Redis prints it (fixed point, four decimals): the value times 10^4 rounded
     * half to even, as llrint does, then written with the decimal point put back.
     */
    static String distance(double d) {
        if (d == 0) {
            return "0.0000";
        }
        double scaled = d * 10000.0;
        // llrint's answer for values it cannot represent (x86 returns the "indefinite" integer)
        long units = Double.isNaN(scaled) || Math.abs(scaled) >= 0x1p63 ? Long.MIN_VALUE : (long) Math.rint(scaled);
        String digits = units == Long.MIN_VALUE ? "9223372036854775808" : Long.toString(Math.abs(units));
        StringBuilder out = new StringBuilder(24);
        if (units < 0) {
            out.append('-');
        }
        if (digits.length() <= 4) {
            out.append("0.").append("0".repeat(4 - digits.length())).append(digits);
        } else {
            out.append(digits, 0, digits.length() - 4).append('.').append(digits, digits.length() - 4, digits.length());
        }
        return out.toString();
    }

    static void distance(Reply reply, double d) {
        reply.bulk(Bytes.of(distance(d)));
    }

    /**
     * A coordinate as Redis's "human" long double format prints it: the exact binary value with
     * 17 decimals rounded half to even (printf's "%.17Lf"), trailing zeros and a bare point removed.
     */
    static String coordinate(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return Double.isNaN(v) ? "nan" : v > 0 ? "inf" : "-inf";
        }
        String s = new BigDecimal(v).setScale(17, RoundingMode.HALF_EVEN).toPlainString();
        int end = s.length();
        while (s.charAt(end - 1) == '0') {
            end--;
        }
        if (s.charAt(end - 1) == '.') {
            end--;
        }
        s = s.substring(0, end);
        return s.equals("-0") ? "0" : s;
    }

    /**
     * A coordinate in the reply: a bulk string in RESP2; in RESP3 a double, which carries the same
     * value though the api writes it in its own (round-trip exact) digits.
     */
    static void coordinate(Reply reply, double v) {
        if (reply.protocol() == 2) {
            reply.bulk(Bytes.of(coordinate(v)));
        } else {
            reply.dbl(v);
        }
    }

    /** printf's "%f" of the exact binary value (the invalid-pair error message). */
    static String fixed6(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return Double.isNaN(v) ? "nan" : v > 0 ? "inf" : "-inf";
        }
        String s = new BigDecimal(v).setScale(6, RoundingMode.HALF_EVEN).toPlainString();
        return v < 0 || (v == 0 && 1 / v < 0) ? (s.startsWith("-") ? s : "-" + s) : s;
    }
}
