package io.modis.core;

import io.modis.api.Bytes;
import io.modis.api.StringValue;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * used_memory's data estimate against what the heap really grew by. The stated tolerance: the
 * estimate is within 25% of the measured growth for a data set of many small string keys (the
 * case where per-key overhead dominates and an accounting error would show most).
 */
class MemoryAccountingTest {
    private static final int KEYS = 200_000;
    private static final double TOLERANCE = 0.25;

    private static long heapAfterGc() {
        MemoryMXBean mx = ManagementFactory.getMemoryMXBean();
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            best = Math.min(best, mx.getHeapMemoryUsage().getUsed());
        }
        return best;
    }

    @Test
    void estimateMatchesHeapGrowthWithinTolerance() {
        try (TestServer ts = new TestServer()) {
            // TestServer records keyspace events as strings: that would be measured too
            ts.onEngine(() -> ts.server.notifyFlags(""));
            long before = heapAfterGc();
            long estimate = ts.onEngine(() -> {
                Db db = ts.server.db(0);
                for (int i = 0; i < KEYS; i++) {
                    byte[] key = Bytes.of("key:" + i);
                    db.set(key, StringValue.of(Bytes.of("value-" + i + "-" + "x".repeat(i % 40))));
                    if (i % 4 == 0) {
                        db.setExpireAt(key, System.currentTimeMillis() + 3_600_000);
                    }
                }
                return ts.server.eviction.datasetMemory();
            });
            long after = heapAfterGc();
            long measured = after - before;
            double ratio = (double) estimate / measured;
            assertTrue(Math.abs(ratio - 1) <= TOLERANCE,
                    "estimate " + estimate + " vs heap growth " + measured + " (ratio " + ratio + ")");
            // the data must stay reachable until measured
            assertTrue(ts.onEngine(() -> ts.server.db(0).size()) == KEYS);
        }
    }
}
