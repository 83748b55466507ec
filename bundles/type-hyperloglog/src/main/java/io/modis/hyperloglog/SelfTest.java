package io.modis.hyperloglog;

import static io.modis.hyperloglog.HllFormat.DENSE_SIZE;
import static io.modis.hyperloglog.HllFormat.REGISTERS;
import static io.modis.hyperloglog.HllFormat.REGISTER_MAX;

import io.modis.api.StringValue;
import java.util.Random;

/**
 * PFSELFTEST: checks that packed registers keep their values without disturbing their
 * neighbours, and that a sparse HLL and a dense one fed the same ten million elements agree
 * and stay within six standard errors of the true count at every power of ten.
 */
final class SelfTest {
    private static final int REGISTER_CYCLES = 1000;
    private static final int ELEMENTS = 10_000_000;

    private final Random random;
    private final long sparseMaxBytes;

    SelfTest(Random random, long sparseMaxBytes) {
        this.random = random;
        this.sparseMaxBytes = sparseMaxBytes;
    }

    /** Null if every check passed, else the error reply. */
    String run() {
        String failure = registerAccess();
        return failure != null ? failure : approximation();
    }

    private String registerAccess() {
        byte[] dense = new byte[DENSE_SIZE];
        int[] expected = new int[REGISTERS];
        for (int cycle = 0; cycle < REGISTER_CYCLES; cycle++) {
            for (int i = 0; i < REGISTERS; i++) {
                int r = random.nextInt() & REGISTER_MAX;
                expected[i] = r;
                Dense.set(dense, i, r);
            }
            for (int i = 0; i < REGISTERS; i++) {
                int actual = Dense.get(dense, i);
                if (actual != expected[i]) {
                    return "ERR TESTFAILED Register " + i + " should be " + expected[i] + " but is " + actual;
                }
            }
        }
        return null;
    }

    private String approximation() {
        byte[] dense = new byte[DENSE_SIZE];
        HllEditor sparse = new HllEditor(StringValue.ofRaw(HllFormat.emptySparse()), v -> { }, sparseMaxBytes);
        double relativeError = 1.04 / Math.sqrt(REGISTERS);
        long checkpoint = 1;
        long seed = random.nextLong();
        byte[] element = new byte[8];
        for (long j = 1; j <= ELEMENTS; j++) {
            long e = j ^ seed;
            for (int b = 0; b < 8; b++) {
                element[b] = (byte) (e >>> (8 * b));
            }
            long hash = ElementHash.murmurHash64A(element, 0, 8, ElementHash.SEED);
            int reg = ElementHash.register(hash);
            int count = ElementHash.runLength(hash);
            if (count > Dense.get(dense, reg)) {
                Dense.set(dense, reg, count);
            }
            sparse.raise(reg, count);
            if (j != checkpoint) {
                continue;
            }
            if (j < sparseMaxBytes / 2 && !sparse.isSparse()) {
                return "ERR TESTFAILED sparse encoding not used";
            }
            long denseCount = count(dense);
            int[] histogram = Estimator.newHistogram();
            sparse.histogram(histogram);
            if (denseCount != Estimator.estimate(histogram)) {
                return "ERR TESTFAILED dense/sparse disagree";
            }
            long absoluteError = Math.abs(checkpoint - denseCount);
            long maxError = j == 10 ? 1 : (long) Math.ceil(relativeError * 6 * checkpoint);
            if (absoluteError > maxError) {
                return "ERR TESTFAILED Too big error. card:" + checkpoint + " abserr:" + absoluteError;
            }
            checkpoint *= 10;
        }
        return null;
    }

    private static long count(byte[] dense) {
        int[] histogram = Estimator.newHistogram();
        Dense.histogram(dense, histogram);
        return Estimator.estimate(histogram);
    }
}
