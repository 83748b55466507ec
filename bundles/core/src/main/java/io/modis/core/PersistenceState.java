package io.modis.core;

import io.modis.api.CommandFlag;
import io.modis.api.CommandSpec;
import io.modis.api.Engine;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What persistence bundles tell the dispatcher through {@link Engine}: the LOADING state, writes
 * refused after a failed save (MISCONF), and the steps to run before the process exits.
 */
final class PersistenceState {
    static final String LOADING_ERROR = "LOADING Redis is loading the dataset in memory";

    volatile boolean loading;
    volatile String refuseWrites;
    final List<Engine.ShutdownHook> shutdownHooks = new CopyOnWriteArrayList<>();
    /** Set while a snapshot is being taken; null otherwise (no cost per command then). */
    Engine.WriteBarrier writeBarrier;
    /** Commands whose writes reach beyond the keys they name (other databases, every key). */
    private static final java.util.Set<String> KEYSPACE_WIDE = java.util.Set.of("flushall", "flushdb", "swapdb",
            "move", "copy", "debug", "restore-asking", "migrate");

    /** Tells the barrier, if any, that a write command is about to run. */
    void beforeWrite(io.modis.api.Database db, CommandSpec spec, byte[][] argv) {
        Engine.WriteBarrier barrier = writeBarrier;
        if (barrier == null || !spec.has(CommandFlag.WRITE)) {
            return;
        }
        List<byte[]> keys = null;
        if (!KEYSPACE_WIDE.contains(spec.name())) {
            List<KeyPositions.KeyRef> refs = KeyPositions.find(spec, argv);
            if (refs != null) {
                keys = new java.util.ArrayList<>(refs.size());
                for (KeyPositions.KeyRef r : refs) {
                    keys.add(argv[r.pos()]);
                }
            }
        }
        barrier.beforeWrite(db, argv, keys);
    }

    /** The error a command gets before it runs (MISCONF after a failed save), or null to run it. */
    String denial(CommandSpec spec) {
        String refuse = refuseWrites;
        if (refuse != null && (spec.has(CommandFlag.WRITE) || spec.name().equals("ping"))) {
            return refuse;
        }
        return null;
    }

    /** Runs the hooks in order; the first reason to abort wins. */
    String beforeExit(boolean save, boolean nosave) {
        for (Engine.ShutdownHook h : shutdownHooks) {
            String reason = h.beforeExit(save, nosave);
            if (reason != null) {
                return reason;
            }
        }
        return null;
    }
}
