package io.modis.hyperloglog;

import static io.modis.hyperloglog.HllFormat.Q;
import static io.modis.hyperloglog.HllFormat.REGISTERS;

/**
 * The cardinality estimate Redis 7.0 computes from the histogram of register values: Otmar
 * Ertl's improved raw estimator ("New cardinality estimation algorithms for HyperLogLog
 * sketches", arXiv:1702.01284), evaluated in the same order of double operations as Redis so
 * that both give the same integer.
 */
final class Estimator {
    /** 0.5 / ln(2): the estimator's limit constant for an infinite number of registers. */
    private static final double ALPHA_INF = 0.721347520444481703680;

    private Estimator() {
    }

    /** A histogram large enough for any 6-bit register value. */
    static int[] newHistogram() {
        return new int[64];
    }

    static long estimate(int[] histogram) {
        double m = REGISTERS;
        double z = m * tau((m - histogram[Q + 1]) / m);
        for (int j = Q; j >= 1; --j) {
            z += histogram[j];
            z *= 0.5;
        }
        z += m * sigma(histogram[0] / m);
        return Math.round(ALPHA_INF * m * m / z);
    }

    static double sigma(double x) {
        if (x == 1.0) {
            return Double.POSITIVE_INFINITY;
        }
        double zPrime;
        double y = 1;
        double z = x;
        do {
            x *= x;
            zPrime = z;
            z += x * y;
            y += y;
        } while (zPrime != z);
        return z;
    }

    static double tau(double x) {
        if (x == 0.0 || x == 1.0) {
            return 0.0;
        }
        double zPrime;
        double y = 1.0;
        double z = 1 - x;
        do {
            x = Math.sqrt(x);
            zPrime = z;
            y *= 0.5;
            double d = 1 - x;
            z -= d * d * y;
        } while (zPrime != z);
        return z / 3;
    }
}
