package io.modis.core;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Gives heap memory back to the operating system once the server goes quiet after a burst.
 *
 * <p>A burst of writes (a mass insert, a benchmark) makes G1 commit and touch far more heap
 * than the data needs: the garbage of the requests fills young regions spread over the
 * committed heap. Redis's RSS follows its data; without help a JVM's stays at the burst's
 * high-water mark. So when the committed heap has grown by {@link #GROWTH} since the last trim
 * and the server has been quiet (no more than a few commands per cron tick) for {@link #IDLE_MILLIS}, a background thread asks for a concurrent
 * collection ({@code System.gc()} under {@code -XX:+ExplicitGCInvokesConcurrent}, which the
 * launcher sets), after which G1 shrinks the heap to {@code MaxHeapFreeRatio} and uncommits
 * the rest. MEMORY PURGE asks for the same at once.
 *
 * <p>It only ever runs under G1 with ExplicitGCInvokesConcurrent: with another collector, or
 * that option off, {@code System.gc()} could stop the world (engine thread included) for a
 * full collection, so nothing is done. The engine thread never waits for it.
 */
final class HeapTrimmer {
    static final long GROWTH = 32L << 20;
    static final long IDLE_MILLIS = 200;
    /** A monitoring agent's occasional INFO or PING does not count as activity. */
    static final long QUIET_COMMANDS_PER_TICK = 10;

    private final boolean enabled = concurrentExplicitGc();
    private final Runtime runtime = Runtime.getRuntime();
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile long committedAfterTrim = runtime.totalMemory();
    private long lastCommands;
    private long lastActivityMillis;
    private long trims;

    /** True when System.gc() is a concurrent G1 cycle, never a stop-the-world full collection. */
    private static boolean concurrentExplicitGc() {
        boolean g1 = false;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            g1 |= gc.getName().startsWith("G1");
        }
        // the JVM's own arguments (java.lang.management needs no package import in OSGi)
        boolean concurrent = false;
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.equals("-XX:+ExplicitGCInvokesConcurrent")) {
                concurrent = true;
            } else if (arg.equals("-XX:-ExplicitGCInvokesConcurrent")) {
                concurrent = false;
            }
        }
        return g1 && concurrent;
    }

    /** Called by the cron on the engine thread with the running count of processed commands. */
    void tick(long commandsProcessed, long nowMillis) {
        if (!enabled) {
            return;
        }
        long ran = commandsProcessed - lastCommands;
        lastCommands = commandsProcessed;
        if (ran > QUIET_COMMANDS_PER_TICK) {
            lastActivityMillis = nowMillis;
            return;
        }
        if (nowMillis - lastActivityMillis >= IDLE_MILLIS && runtime.totalMemory() - committedAfterTrim >= GROWTH) {
            trim();
        }
    }

    /** Starts a trim unless one is running; returns at once. False when trimming is not possible. */
    boolean trim() {
        if (!enabled) {
            return false;
        }
        if (running.compareAndSet(false, true)) {
            trims++;
            Thread t = new Thread(() -> {
                try {
                    System.gc();
                } finally {
                    committedAfterTrim = runtime.totalMemory();
                    running.set(false);
                }
            }, "modis-heap-trim");
            t.setDaemon(true);
            t.start();
        }
        return true;
    }

    boolean enabled() {
        return enabled;
    }

    /** Trims started so far. */
    long trims() {
        return trims;
    }
}
