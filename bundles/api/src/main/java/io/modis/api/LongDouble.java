package io.modis.api;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;

/**
 * The x87 80-bit {@code long double} arithmetic Redis uses for INCRBYFLOAT and HINCRBYFLOAT on
 * x86-64, emulated
 * exactly: numbers are parsed as {@code strtold} does (decimal with exponent, hex, inf), rounded
 * to a 64-bit significand, added with one rounding, and printed as {@code "%.17Lf"} with trailing
 * zeros removed. Exact emulation keeps results byte-identical to Redis (1.5 + 1.1 is "2.6").
 *
 * <p>Finite values are held as the exact {@link BigDecimal} of the binary value.
 */
public final class LongDouble {
    /** Redis's MAX_LONG_DOUBLE_CHARS: longer input is never a number. */
    public static final int MAX_CHARS = 5 * 1024;
    private static final int SIGNIFICAND_BITS = 64;
    /** Exponent of the smallest subnormal, 2^-16445: no value has a finer quantum. */
    private static final int MIN_QUANTUM_EXP = -16382 - (SIGNIFICAND_BITS - 1);
    /** Values at or above 2^16384 overflow to infinity. */
    private static final int OVERFLOW_EXP = 16384;
    private static final BigInteger FIVE = BigInteger.valueOf(5);

    public static final LongDouble ZERO = new LongDouble(BigDecimal.ZERO, 0);
    public static final LongDouble POSITIVE_INFINITY = new LongDouble(null, 1);
    public static final LongDouble NEGATIVE_INFINITY = new LongDouble(null, -1);
    public static final LongDouble NAN = new LongDouble(null, 2);

    private final BigDecimal value;
    /** 0 finite, 1 +inf, -1 -inf, 2 NaN. */
    private final int kind;

    private LongDouble(BigDecimal value, int kind) {
        this.value = value;
        this.kind = kind;
    }

    public static LongDouble of(long v) {
        return new LongDouble(BigDecimal.valueOf(v), 0);
    }

    public boolean isFinite() {
        return kind == 0;
    }

    /** The exact value of a finite number. */
    public BigDecimal exact() {
        return value;
    }

    /**
     * Parses as Redis's string2ld: the whole input must be a number, without leading space;
     * NaN, and finite input that overflows or underflows to zero, are rejected. Infinity is
     * accepted.
     *
     * @throws NumberFormatException if the bytes are not such a number
     */
    public static LongDouble parse(byte[] s) {
        int n = s.length;
        if (n == 0 || n >= MAX_CHARS) {
            throw new NumberFormatException();
        }
        int i = 0;
        boolean negative = false;
        if (s[0] == '+' || s[0] == '-') {
            negative = s[0] == '-';
            i = 1;
        }
        String body = new String(s, i, n - i, StandardCharsets.ISO_8859_1);
        String lower = body.toLowerCase(java.util.Locale.ROOT);
        if (lower.equals("inf") || lower.equals("infinity")) {
            return negative ? NEGATIVE_INFINITY : POSITIVE_INFINITY;
        }
        BigDecimal exact = lower.startsWith("0x") ? parseHex(lower.substring(2)) : parseDecimal(body);
        if (negative) {
            exact = exact.negate();
        }
        if (exact.signum() == 0) {
            return ZERO;
        }
        LongDouble rounded = round(exact);
        if (!rounded.isFinite() || rounded.value.signum() == 0) {
            throw new NumberFormatException(); // strtold's ERANGE
        }
        return rounded;
    }

    /** digits [. digits] [e [sign] digits], at least one mantissa digit. */
    private static BigDecimal parseDecimal(String t) {
        int i = 0;
        int n = t.length();
        int digits = 0;
        while (i < n && isDigit(t.charAt(i))) {
            i++;
            digits++;
        }
        if (i < n && t.charAt(i) == '.') {
            i++;
            while (i < n && isDigit(t.charAt(i))) {
                i++;
                digits++;
            }
        }
        if (digits == 0) {
            throw new NumberFormatException();
        }
        if (i < n && (t.charAt(i) == 'e' || t.charAt(i) == 'E')) {
            int j = i + 1;
            if (j < n && (t.charAt(j) == '+' || t.charAt(j) == '-')) {
                j++;
            }
            int expStart = j;
            while (j < n && isDigit(t.charAt(j))) {
                j++;
            }
            if (j == expStart) {
                throw new NumberFormatException();
            }
            i = j;
        }
        if (i != n) {
            throw new NumberFormatException();
        }
        if (allZeroDigits(t)) {
            return BigDecimal.ZERO; // "0e999999999999" is zero, whatever the exponent
        }
        BigDecimal d = new BigDecimal(t);
        if (d.signum() != 0) {
            // far outside the long double range: overflow or underflow, both rejected
            long magnitude = (long) d.precision() - d.scale();
            if (magnitude > 5000 || magnitude < -5000) {
                throw new NumberFormatException();
            }
        }
        return d;
    }

    /** hexdigits [. hexdigits] [p [sign] digits], after "0x". */
    private static BigDecimal parseHex(String t) {
        int i = 0;
        int n = t.length();
        BigInteger mantissa = BigInteger.ZERO;
        int digits = 0;
        int fractionDigits = 0;
        boolean point = false;
        for (; i < n; i++) {
            char c = t.charAt(i);
            int d = Character.digit(c, 16);
            if (d >= 0) {
                mantissa = mantissa.shiftLeft(4).or(BigInteger.valueOf(d));
                digits++;
                if (point) {
                    fractionDigits++;
                }
            } else if (c == '.' && !point) {
                point = true;
            } else {
                break;
            }
        }
        if (digits == 0) {
            throw new NumberFormatException();
        }
        long exponent = 0;
        if (i < n && t.charAt(i) == 'p') {
            int j = i + 1;
            boolean neg = false;
            if (j < n && (t.charAt(j) == '+' || t.charAt(j) == '-')) {
                neg = t.charAt(j) == '-';
                j++;
            }
            int expStart = j;
            for (; j < n && isDigit(t.charAt(j)); j++) {
                exponent = Math.min(exponent * 10 + (t.charAt(j) - '0'), 1_000_000);
            }
            if (j == expStart) {
                throw new NumberFormatException();
            }
            exponent = neg ? -exponent : exponent;
            i = j;
        }
        if (i != n) {
            throw new NumberFormatException();
        }
        if (mantissa.signum() == 0) {
            return BigDecimal.ZERO;
        }
        long binaryExp = exponent - 4L * fractionDigits;
        long magnitude = binaryExp + mantissa.bitLength();
        if (magnitude > OVERFLOW_EXP + 1 || magnitude < MIN_QUANTUM_EXP - 2) {
            throw new NumberFormatException();
        }
        return times2(mantissa, (int) binaryExp);
    }

    private static boolean allZeroDigits(String t) {
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c == 'e' || c == 'E') {
                return true;
            }
            if (c != '0' && c != '.') {
                return false;
            }
        }
        return true;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** The sum, rounded once to long double precision (inf + -inf is NaN). */
    public LongDouble add(LongDouble other) {
        if (kind == 2 || other.kind == 2) {
            return NAN;
        }
        if (kind != 0 || other.kind != 0) {
            if (kind != 0 && other.kind != 0 && kind != other.kind) {
                return NAN;
            }
            return kind != 0 ? this : other;
        }
        return round(value.add(other.value));
    }

    /** Rounds an exact value to the nearest long double (ties to even), or to an infinity. */
    public static LongDouble round(BigDecimal x) {
        int sign = x.signum();
        if (sign == 0) {
            return ZERO;
        }
        BigDecimal a = x.abs();
        BigInteger p;
        BigInteger q;
        if (a.scale() <= 0) {
            p = a.unscaledValue().multiply(BigInteger.TEN.pow(-a.scale()));
            q = BigInteger.ONE;
        } else {
            p = a.unscaledValue();
            q = BigInteger.TEN.pow(a.scale());
        }
        // a = p / q; find e with 2^e <= a < 2^(e+1)
        int e = p.bitLength() - q.bitLength();
        if (compareWithPowerOfTwo(p, q, e) < 0) {
            e--;
        }
        if (e >= OVERFLOW_EXP) {
            return sign > 0 ? POSITIVE_INFINITY : NEGATIVE_INFINITY;
        }
        int quantumExp = Math.max(e - (SIGNIFICAND_BITS - 1), MIN_QUANTUM_EXP);
        BigInteger num = quantumExp < 0 ? p.shiftLeft(-quantumExp) : p;
        BigInteger den = quantumExp > 0 ? q.shiftLeft(quantumExp) : q;
        BigInteger[] qr = num.divideAndRemainder(den);
        BigInteger m = qr[0];
        int half = qr[1].shiftLeft(1).compareTo(den);
        if (half > 0 || (half == 0 && m.testBit(0))) {
            m = m.add(BigInteger.ONE);
        }
        if (m.signum() == 0) {
            return ZERO;
        }
        if (m.bitLength() + quantumExp > OVERFLOW_EXP) {
            return sign > 0 ? POSITIVE_INFINITY : NEGATIVE_INFINITY;
        }
        BigDecimal r = times2(m, quantumExp);
        return new LongDouble(sign < 0 ? r.negate() : r, 0);
    }

    /** Compares p/q with 2^e. */
    private static int compareWithPowerOfTwo(BigInteger p, BigInteger q, int e) {
        return e >= 0 ? p.compareTo(q.shiftLeft(e)) : p.shiftLeft(-e).compareTo(q);
    }

    /** The exact decimal value of m * 2^exp. */
    private static BigDecimal times2(BigInteger m, int exp) {
        if (exp >= 0) {
            return new BigDecimal(m.shiftLeft(exp));
        }
        return new BigDecimal(m.multiply(FIVE.pow(-exp)), -exp);
    }

    /**
     * Formats as Redis's ld2string in human mode: {@code "%.17Lf"}, trailing zeros and a bare
     * point removed, "-0" written "0"; infinities are "inf" and "-inf".
     */
    public String toHumanString() {
        if (kind == 1) {
            return "inf";
        }
        if (kind == -1) {
            return "-inf";
        }
        if (kind == 2) {
            return "nan";
        }
        String s = value.setScale(17, RoundingMode.HALF_EVEN).toPlainString();
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

    @Override
    public String toString() {
        return toHumanString();
    }
}
