package io.modis.api;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Helpers for binary-safe keys and values, which are always {@code byte[]}. */
public final class Bytes {
    public static final byte[] EMPTY = new byte[0];
    private static final byte[][] SMALL_INTS = new byte[10000][];

    static {
        for (int i = 0; i < SMALL_INTS.length; i++) {
            SMALL_INTS[i] = Integer.toString(i).getBytes(StandardCharsets.US_ASCII);
        }
    }

    private Bytes() {
    }

    public static byte[] of(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Decodes as UTF-8 (for messages and names, never for keys or values kept in the keyspace). */
    public static String str(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    /** ASCII-lowercase copy as a String: for option and subcommand names. */
    public static String lower(byte[] b) {
        char[] c = new char[b.length];
        for (int i = 0; i < b.length; i++) {
            int x = b[i] & 0xff;
            c[i] = (char) (x >= 'A' && x <= 'Z' ? x + 32 : x);
        }
        return new String(c);
    }

    /** True if {@code b} equals the ASCII-lowercase word {@code lower}, ignoring case. */
    public static boolean is(byte[] b, String lower) {
        int n = lower.length();
        if (b.length != n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            int x = b[i];
            if (x >= 'A' && x <= 'Z') {
                x += 32;
            }
            if (x != lower.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    public static boolean equal(byte[] a, byte[] b) {
        return Arrays.equals(a, b);
    }

    /** The decimal form of {@code v}, shared arrays for small non-negative values (never modify). */
    public static byte[] fromLong(long v) {
        if (v >= 0 && v < SMALL_INTS.length) {
            return SMALL_INTS[(int) v];
        }
        if (v == Long.MIN_VALUE) {
            return Long.toString(v).getBytes(StandardCharsets.US_ASCII);
        }
        long u = v < 0 ? -v : v;
        int len = v < 0 ? 2 : 1;
        for (long x = u; x >= 10; x /= 10) {
            len++;
        }
        byte[] out = new byte[len];
        for (int i = len - 1; u >= 10; i--) {
            out[i] = (byte) ('0' + u % 10);
            u /= 10;
        }
        out[v < 0 ? 1 : 0] = (byte) ('0' + u);
        if (v < 0) {
            out[0] = '-';
        }
        return out;
    }

    /**
     * Parses a strict 64-bit decimal integer as Redis's string2ll does: optional '-', no '+',
     * no spaces, no leading zeros, no overflow.
     *
     * @throws NumberFormatException if the bytes are not such an integer
     */
    public static long parseLong(byte[] b) {
        return parseLong(b, 0, b.length);
    }

    public static long parseLong(byte[] b, int off, int len) {
        if (len == 0 || len > 20) {
            throw new NumberFormatException();
        }
        int i = off;
        int end = off + len;
        if (len == 1 && b[i] == '0') {
            return 0;
        }
        boolean negative = b[i] == '-';
        if (negative && ++i == end) {
            throw new NumberFormatException();
        }
        if (b[i] < '1' || b[i] > '9') {
            throw new NumberFormatException();
        }
        // accumulate negatively so that Long.MIN_VALUE fits
        long limit = negative ? Long.MIN_VALUE : -Long.MAX_VALUE;
        long v = 0;
        for (; i < end; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9 || v < limit / 10) {
                throw new NumberFormatException();
            }
            v *= 10;
            if (v < limit + d) {
                throw new NumberFormatException();
            }
            v -= d;
        }
        return negative ? v : -v;
    }

    /** True if the bytes are a strict integer as {@link #parseLong(byte[])} accepts. */
    public static boolean isLong(byte[] b) {
        try {
            parseLong(b);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /**
     * Parses a double as Redis does for scores and floats: no surrounding spaces, no NaN,
     * accepts "inf", "+inf", "-inf", "infinity" in any case.
     *
     * @throws NumberFormatException if the bytes are not such a number
     */
    public static double parseDouble(byte[] b) {
        int n = b.length;
        if (n == 0 || n > 5000) {
            throw new NumberFormatException();
        }
        for (byte c : b) {
            boolean ok = (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E'
                    || c == 'i' || c == 'I' || c == 'n' || c == 'N' || c == 'f' || c == 'F' || c == 't' || c == 'T'
                    || c == 'y' || c == 'Y';
            if (!ok) {
                throw new NumberFormatException();
            }
        }
        String s = new String(b, StandardCharsets.US_ASCII);
        String l = s.toLowerCase();
        int sign = 1;
        String body = l;
        if (body.startsWith("+") || body.startsWith("-")) {
            sign = body.charAt(0) == '-' ? -1 : 1;
            body = body.substring(1);
        }
        if (body.equals("inf") || body.equals("infinity")) {
            return sign * Double.POSITIVE_INFINITY;
        }
        if (body.indexOf('i') >= 0 || body.indexOf('n') >= 0 || body.indexOf('f') >= 0 || body.indexOf('t') >= 0
                || body.indexOf('y') >= 0) {
            throw new NumberFormatException();
        }
        double d = Double.parseDouble(s);
        if (Double.isNaN(d)) {
            throw new NumberFormatException();
        }
        return d;
    }

    /**
     * Formats a double the way Redis 7.0 replies with it: C's {@code %.17g} (17 significant
     * digits, trailing zeros removed, exponent form below 1e-4 and from 1e17), "inf"/"-inf".
     */
    public static String formatDouble(double d) {
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (d == 0) {
            return (1 / d < 0) ? "-0" : "0";
        }
        java.math.BigDecimal bd = new java.math.BigDecimal(d).round(new java.math.MathContext(17,
                java.math.RoundingMode.HALF_EVEN));
        int exp = bd.precision() - bd.scale() - 1;
        if (exp < -4 || exp >= 17) {
            String digits = bd.unscaledValue().abs().toString();
            digits = stripZeros(digits);
            StringBuilder sb = new StringBuilder();
            if (bd.signum() < 0) {
                sb.append('-');
            }
            sb.append(digits.charAt(0));
            if (digits.length() > 1) {
                sb.append('.').append(digits, 1, digits.length());
            }
            sb.append('e').append(exp < 0 ? '-' : '+');
            int a = Math.abs(exp);
            if (a < 10) {
                sb.append('0');
            }
            return sb.append(a).toString();
        }
        String plain = bd.toPlainString();
        if (plain.indexOf('.') >= 0) {
            plain = stripZeros(plain);
            if (plain.endsWith(".")) {
                plain = plain.substring(0, plain.length() - 1);
            }
        }
        return plain;
    }

    private static String stripZeros(String s) {
        int end = s.length();
        while (end > 1 && s.charAt(end - 1) == '0') {
            end--;
        }
        return s.substring(0, end);
    }

    /** Redis's glob match (stringmatchlen): '*', '?', '[...]' with '^' and ranges, '\\' escapes. */
    public static boolean globMatch(byte[] pattern, byte[] string, boolean nocase) {
        return Glob.match(pattern, 0, pattern.length, string, 0, string.length, nocase, 0);
    }
}
