package io.modis.zsets;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;

/**
 * Reads numbers the way Redis's C code does with strtod(3): the sorted-set commands accept
 * exactly what Redis accepts, including hexadecimal floats, "inf"/"infinity" and, for range
 * bounds, leading blanks and the empty string (which strtod reads as 0).
 */
final class Floats {
    /** Redis refuses longer numbers when it reads a long double (string2ld's buffer). */
    private static final int MAX_LONG_DOUBLE_CHARS = 5 * 1024;

    private Floats() {
    }

    /**
     * A score, weight or increment as Redis's string2d reads it: the whole argument, no leading
     * blank, not empty, no overflow to infinity or underflow to zero, not NaN.
     *
     * @throws NumberFormatException when Redis would refuse it
     */
    static double parseStrict(byte[] b) {
        if (b.length == 0 || isSpace(b[0])) {
            throw new NumberFormatException();
        }
        double simple = simpleDecimal(b);
        if (!Double.isNaN(simple)) {
            return simple;
        }
        Scan s = scan(b, 0, b.length);
        if (s.end != b.length || Double.isNaN(s.value) || s.outOfRange) {
            throw new NumberFormatException();
        }
        return s.value;
    }

    private static final double[] POWERS_OF_TEN = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
        1e11, 1e12, 1e13, 1e14, 1e15};

    /**
     * The common score, {@code [-]digits[.digits]} with at most 15 digits, without allocating:
     * the digits make an exact long below 2^53 and the divisor an exact power of ten, so the one
     * correctly rounded division gives what strtod gives. NaN when the text is of another form.
     */
    private static double simpleDecimal(byte[] b) {
        int i = 0;
        boolean negative = b[0] == '-';
        if (negative || b[0] == '+') {
            i++;
        }
        long mantissa = 0;
        int digits = 0;
        int fraction = -1;
        for (; i < b.length; i++) {
            int c = b[i];
            if (c >= '0' && c <= '9') {
                if (++digits > 15) {
                    return Double.NaN;
                }
                mantissa = mantissa * 10 + (c - '0');
                if (fraction >= 0) {
                    fraction++;
                }
            } else if (c == '.' && fraction < 0) {
                fraction = 0;
            } else {
                return Double.NaN;
            }
        }
        if (digits == 0) {
            return Double.NaN;
        }
        double v = fraction > 0 ? mantissa / POWERS_OF_TEN[fraction] : mantissa;
        return negative ? -v : v;
    }

    /**
     * A score range bound after its optional '(' as zslParseRange reads it: plain strtod that
     * must consume the rest of the argument, so "" is 0 and leading blanks are allowed; NaN is
     * refused.
     *
     * @throws NumberFormatException when Redis would refuse it
     */
    static double parseRangeBound(byte[] b, int off) {
        Scan s = scan(b, off, b.length);
        if (s.end != b.length || Double.isNaN(s.value)) {
            throw new NumberFormatException();
        }
        return s.value;
    }

    /**
     * A blocking timeout in seconds as whole milliseconds rounded up, as Redis computes
     * {@code ceill(seconds * 1000)} from a long double. Values that do not fit a 64-bit count of
     * milliseconds come back as Long.MIN_VALUE, which is what the C cast produces and callers
     * report as a negative timeout.
     *
     * @throws NumberFormatException when the argument is not a float
     */
    static long timeoutMillis(byte[] b) {
        if (b.length == 0 || b.length >= MAX_LONG_DOUBLE_CHARS || isSpace(b[0])) {
            throw new NumberFormatException();
        }
        Scan s = scan(b, 0, b.length);
        if (s.end != b.length || Double.isNaN(s.value)) {
            throw new NumberFormatException();
        }
        if (Double.isInfinite(s.value) && !s.outOfRange) {
            return Long.MIN_VALUE;
        }
        BigDecimal seconds;
        if (s.hex) {
            if (s.outOfRange) {
                throw new NumberFormatException();
            }
            seconds = new BigDecimal(s.value);
        } else {
            // a long double reaches far beyond a double: read the decimal exactly instead
            seconds = new BigDecimal(new String(b, s.start, s.end - s.start, StandardCharsets.US_ASCII));
        }
        BigDecimal millis = seconds.movePointRight(3).setScale(0, RoundingMode.CEILING);
        if (millis.toBigInteger().bitLength() > 63) {
            return Long.MIN_VALUE;
        }
        return millis.longValue();
    }

    /** The result of scanning a number: its value, where it ended, and how it was written. */
    private static final class Scan {
        double value;
        /** Index after the last character consumed; the start offset when nothing was read. */
        int end;
        /** Start of the numeral (after blanks), for an exact decimal reading. */
        int start;
        boolean hex;
        /** strtod would set ERANGE with an infinite or zero result (Redis refuses those). */
        boolean outOfRange;
    }

    private static Scan scan(byte[] b, int off, int to) {
        Scan s = new Scan();
        s.end = off;
        int i = off;
        while (i < to && isSpace(b[i])) {
            i++;
        }
        s.start = i;
        boolean negative = false;
        if (i < to && (b[i] == '+' || b[i] == '-')) {
            negative = b[i] == '-';
            i++;
        }
        if (matchesIgnoreCase(b, i, to, "inf")) {
            i += 3;
            if (matchesIgnoreCase(b, i, to, "inity")) {
                i += 5;
            }
            s.value = negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
            s.end = i;
            return s;
        }
        if (matchesIgnoreCase(b, i, to, "nan")) {
            i += 3;
            if (i < to && b[i] == '(') {
                int j = i + 1;
                while (j < to && (isAlnum(b[j]) || b[j] == '_')) {
                    j++;
                }
                if (j < to && b[j] == ')') {
                    i = j + 1;
                }
            }
            s.value = Double.NaN;
            s.end = i;
            return s;
        }
        if (i + 1 < to && b[i] == '0' && (b[i + 1] == 'x' || b[i + 1] == 'X')) {
            int end = scanHex(b, i + 2, to, s, negative);
            if (end > 0) {
                s.end = end;
                return s;
            }
            // "0x" without hex digits is the number 0 followed by junk
            s.value = negative ? -0.0 : 0.0;
            s.end = i + 1;
            return s;
        }
        int digitsStart = i;
        int mantissaDigits = 0;
        boolean nonZero = false;
        while (i < to && isDigit(b[i])) {
            nonZero |= b[i] != '0';
            i++;
            mantissaDigits++;
        }
        if (i < to && b[i] == '.') {
            i++;
            while (i < to && isDigit(b[i])) {
                nonZero |= b[i] != '0';
                i++;
                mantissaDigits++;
            }
        }
        if (mantissaDigits == 0) {
            return s;
        }
        if (i < to && (b[i] == 'e' || b[i] == 'E')) {
            int j = i + 1;
            if (j < to && (b[j] == '+' || b[j] == '-')) {
                j++;
            }
            if (j < to && isDigit(b[j])) {
                while (j < to && isDigit(b[j])) {
                    j++;
                }
                i = j;
            }
        }
        String text = new String(b, digitsStart, i - digitsStart, StandardCharsets.US_ASCII);
        double v = Double.parseDouble(text);
        s.value = negative ? -v : v;
        s.outOfRange = Double.isInfinite(v) || (v == 0 && nonZero);
        s.end = i;
        return s;
    }

    /** Reads hex digits [. hex digits] [p exponent]; returns the end, or -1 without any digit. */
    private static int scanHex(byte[] b, int i, int to, Scan s, boolean negative) {
        StringBuilder mantissa = new StringBuilder("0x");
        int digits = 0;
        boolean nonZero = false;
        while (i < to && hexValue(b[i]) >= 0) {
            nonZero |= b[i] != '0';
            mantissa.append((char) b[i++]);
            digits++;
        }
        if (i < to && b[i] == '.') {
            mantissa.append('.');
            i++;
            while (i < to && hexValue(b[i]) >= 0) {
                nonZero |= b[i] != '0';
                mantissa.append((char) b[i++]);
                digits++;
            }
        }
        if (digits == 0) {
            return -1;
        }
        String exponent = "0";
        if (i < to && (b[i] == 'p' || b[i] == 'P')) {
            int j = i + 1;
            int expStart = j;
            if (j < to && (b[j] == '+' || b[j] == '-')) {
                j++;
            }
            if (j < to && isDigit(b[j])) {
                while (j < to && isDigit(b[j])) {
                    j++;
                }
                exponent = new String(b, expStart, j - expStart, StandardCharsets.US_ASCII);
                i = j;
            }
        }
        double v;
        try {
            v = Double.parseDouble(mantissa + "p" + exponent);
        } catch (NumberFormatException e) {
            // an exponent too long for Java: as large or as small as a double gets
            v = exponent.startsWith("-") ? 0.0 : Double.POSITIVE_INFINITY;
        }
        s.value = negative ? -v : v;
        s.hex = true;
        s.outOfRange = Double.isInfinite(v) || (v == 0 && nonZero);
        return i;
    }

    private static boolean matchesIgnoreCase(byte[] b, int i, int to, String word) {
        if (to - i < word.length()) {
            return false;
        }
        for (int k = 0; k < word.length(); k++) {
            int c = b[i + k];
            if (c >= 'A' && c <= 'Z') {
                c += 32;
            }
            if (c != word.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    static boolean isSpace(byte c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x0b || c == '\f';
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isAlnum(byte c) {
        return isDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static int hexValue(byte c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }
}
