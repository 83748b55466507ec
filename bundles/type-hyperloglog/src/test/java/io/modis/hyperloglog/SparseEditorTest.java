package io.modis.hyperloglog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modis.api.StringValue;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The sparse encoding against a plain array of registers, without any server around. */
class SparseEditorTest {
    private static final long NO_LIMIT = Long.MAX_VALUE;

    private static SparseEditor empty() {
        byte[] hll = HllFormat.emptySparse();
        return new SparseEditor(hll, hll.length);
    }

    @Test
    void everyRaiseKeepsTheSameRegistersAsAPlainArray() {
        Random random = new Random(11);
        for (int round = 0; round < 200; round++) {
            SparseEditor sparse = empty();
            int[] expected = new int[HllFormat.REGISTERS];
            int raises = random.nextInt(400);
            // crowd a small window now and then, so VAL runs form, split and join
            int window = random.nextBoolean() ? 40 : HllFormat.REGISTERS;
            int base = random.nextInt(HllFormat.REGISTERS - window + 1);
            for (int i = 0; i < raises; i++) {
                int reg = base + random.nextInt(window);
                int count = 1 + random.nextInt(Sparse.VAL_MAX_VALUE);
                int result = sparse.raise(reg, count, NO_LIMIT);
                assertEquals(count > expected[reg] ? SparseEditor.CHANGED : SparseEditor.UNCHANGED, result);
                expected[reg] = Math.max(expected[reg], count);
            }
            byte[] dense = Sparse.toDense(sparse.buffer(), sparse.length());
            assertNotNull(dense);
            for (int reg = 0; reg < HllFormat.REGISTERS; reg++) {
                assertEquals(expected[reg], Dense.get(dense, reg), "register " + reg);
            }
            int[] fromSparse = Estimator.newHistogram();
            int[] fromDense = Estimator.newHistogram();
            assertTrue(Sparse.histogram(sparse.buffer(), sparse.length(), fromSparse));
            Dense.histogram(dense, fromDense);
            assertArrayEquals(fromDense, fromSparse);
        }
    }

    @Test
    void equalNeighboursJoinIntoOneValOpcode() {
        SparseEditor sparse = empty();
        for (int reg = 100; reg < 104; reg++) {
            sparse.raise(reg, 3, NO_LIMIT);
        }
        assertEquals("Z:100 v:3,4 Z:16280", Sparse.decode(sparse.buffer(), sparse.length()));
        sparse.raise(104, 3, NO_LIMIT);
        assertEquals("Z:100 v:3,4 v:3,1 Z:16279", Sparse.decode(sparse.buffer(), sparse.length()));
        sparse.raise(101, 5, NO_LIMIT);
        // the split leaves v:3,2 next to v:3,1, and the scan after the change joins them
        assertEquals("Z:100 v:3,1 v:5,1 v:3,3 Z:16279", Sparse.decode(sparse.buffer(), sparse.length()));
        sparse.raise(5, 1, NO_LIMIT);
        assertEquals("z:5 v:1,1 Z:94 v:3,1 v:5,1 v:3,3 Z:16279", Sparse.decode(sparse.buffer(), sparse.length()));
    }

    @Test
    void valuesAboveThirtyTwoAndTheSizeLimitNeedTheDenseEncoding() {
        SparseEditor sparse = empty();
        assertEquals(SparseEditor.NEEDS_DENSE, sparse.raise(7, 33, NO_LIMIT));
        assertEquals(18, sparse.length());
        assertEquals(SparseEditor.NEEDS_DENSE, sparse.raise(7, 1, 19));
        assertEquals(SparseEditor.CHANGED, sparse.raise(7, 1, 20)); // XZERO -> ZERO VAL XZERO: 2 bytes more
        assertEquals(20, sparse.length());
        assertEquals("z:7 v:1,1 Z:16376", Sparse.decode(sparse.buffer(), sparse.length()));
        assertEquals(SparseEditor.CHANGED, sparse.raise(7, 2, 0)); // rewriting in place needs no room
    }

    @Test
    void theEditorPromotesAndKeepsRaisingInTheDenseValue() {
        StringValue[] stored = {StringValue.ofRaw(HllFormat.emptySparse())};
        HllEditor hll = new HllEditor(stored[0], v -> stored[0] = v, 3000);
        assertEquals(1, hll.raise(10, 5));
        assertEquals(1, hll.raise(11, 40));
        assertEquals(12304, stored[0].length());
        assertEquals(0, hll.raise(10, 4));
        assertEquals(1, hll.raise(16383, 51));
        byte[] dense = hll.finish().bytes();
        assertEquals(5, Dense.get(dense, 10));
        assertEquals(40, Dense.get(dense, 11));
        assertEquals(51, Dense.get(dense, 16383));
    }

    @Test
    void theEstimatorMatchesRedisOnKnownHistograms() {
        assertEquals(0, Estimator.estimate(histogramOf(0)));
        int[] one = Estimator.newHistogram();
        one[0] = HllFormat.REGISTERS - 1;
        one[1] = 1;
        assertEquals(1, Estimator.estimate(one));
        assertEquals(Double.POSITIVE_INFINITY, Estimator.sigma(1.0));
        assertEquals(0.0, Estimator.tau(0.0));
    }

    private static int[] histogramOf(int value) {
        int[] h = Estimator.newHistogram();
        h[value] = HllFormat.REGISTERS;
        return h;
    }
}
