package io.modis.geo;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * sin, cos and asin rounded correctly (to the double nearest the exact result), which is what
 * glibc's libm answers in practice and Java's Math does not always (its asin differs in the last
 * bit for a few percent of inputs). Evaluated with 50 significant digits, so it is slow: used
 * only where a distance is shown in full, the scores STOREDIST writes.
 */
final class CorrectlyRounded {
    private static final MathContext WIDE = new MathContext(50);

    private CorrectlyRounded() {
    }

    static double sin(double x) {
        if (x == 0 || !Double.isFinite(x) || Math.abs(x) > 4) {
            return Math.sin(x);
        }
        return sinWide(new BigDecimal(x)).doubleValue();
    }

    static double cos(double x) {
        if (!Double.isFinite(x) || Math.abs(x) > 4) {
            return Math.cos(x);
        }
        return cosWide(new BigDecimal(x)).doubleValue();
    }

    /** By Newton's method on sin, from Math's answer (already within an ulp). */
    static double asin(double y) {
        if (y == 0 || !(Math.abs(y) < 1)) {
            return Math.asin(y);
        }
        BigDecimal target = new BigDecimal(y);
        BigDecimal z = new BigDecimal(Math.asin(y));
        for (int i = 0; i < 3; i++) {
            BigDecimal cos = cosWide(z);
            if (cos.signum() == 0) {
                break;
            }
            z = z.subtract(sinWide(z).subtract(target, WIDE).divide(cos, WIDE), WIDE);
        }
        return z.doubleValue();
    }

    private static BigDecimal sinWide(BigDecimal x) {
        return series(x, x, 1);
    }

    private static BigDecimal cosWide(BigDecimal x) {
        return series(x, BigDecimal.ONE, 0);
    }

    /** Sum of the alternating Taylor terms starting with {@code first} (x^k / k!, k = {@code k0}). */
    private static BigDecimal series(BigDecimal x, BigDecimal first, int k0) {
        BigDecimal x2 = x.multiply(x, WIDE);
        BigDecimal term = first;
        BigDecimal sum = first;
        BigDecimal epsilon = BigDecimal.ONE.movePointLeft(60);
        for (int k = k0 + 2; term.abs().compareTo(epsilon) > 0; k += 2) {
            term = term.multiply(x2, WIDE).divide(BigDecimal.valueOf((long) k * (k - 1)), WIDE).negate();
            sum = sum.add(term, WIDE);
        }
        return sum;
    }
}
