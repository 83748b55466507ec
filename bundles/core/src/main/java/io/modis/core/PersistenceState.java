package io.modis.core;

import io.modis.api.CommandFlag;
import io.modis.api.CommandKeys;
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
    /** Loaders at work (an RDB and an AOF loader may overlap): loading lasts until the last ends. */
    private int loaders;
    /** Set once the starting bundles are all active (the core's start). */
    private boolean started;
    private final List<Runnable> whenReady = new java.util.ArrayList<>();
    /** Engine.startupModules: done once the loadmodule directives are (or when there are none). */
    final java.util.concurrent.CompletableFuture<Void> startupModules = new java.util.concurrent.CompletableFuture<>();

    /** Engine.loading: counted, so that two loaders do not end each other's state. */
    synchronized void loading(boolean on) {
        loaders = Math.max(0, loaders + (on ? 1 : -1));
        loading = loaders > 0;
    }

    private final List<Runnable> whenStarted = new java.util.ArrayList<>();

    /** The core's start is done; called on the engine thread. */
    void started() {
        List<Runnable> ready;
        List<Runnable> start;
        synchronized (this) {
            started = true;
            ready = takeReady();
            start = new java.util.ArrayList<>(whenStarted);
            whenStarted.clear();
        }
        start.forEach(Runnable::run);
        ready.forEach(Runnable::run);
    }

    /** Engine.whenStarted, on the engine thread: at once when the core's start is done, else then. */
    void whenStarted(Runnable action) {
        boolean now;
        synchronized (this) {
            now = started;
            if (!now) {
                whenStarted.add(action);
            }
        }
        if (now) {
            action.run();
        }
    }

    /** Engine.whenReady, on the engine thread: at once when up and not loading, else later. */
    void whenReady(Runnable action) {
        boolean now;
        synchronized (this) {
            now = started && !loading;
            if (!now) {
                whenReady.add(action);
            }
        }
        if (now) {
            action.run();
        }
    }

    /** Called on the engine thread (cron): runs what waited for the end of loading. */
    void runReadyActions() {
        List<Runnable> ready;
        synchronized (this) {
            ready = takeReady();
        }
        ready.forEach(Runnable::run);
    }

    private List<Runnable> takeReady() {
        if (!started || loading || whenReady.isEmpty()) {
            return List.of();
        }
        List<Runnable> ready = new java.util.ArrayList<>(whenReady);
        whenReady.clear();
        return ready;
    }
    volatile String refuseWrites;
    final List<Engine.ShutdownHook> shutdownHooks = new CopyOnWriteArrayList<>();
    /** Set while a snapshot is being taken; null otherwise (no cost per command then). */
    Engine.WriteBarrier writeBarrier;
    /**
     * Fork-less snapshots started (BGSAVE, an AOF rewrite with an RDB preamble): INFO's
     * total_forks, since each stands where Redis forks a child.
     */
    long snapshotsStarted;
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
            List<CommandKeys.Key> refs = CommandKeys.find(spec, argv);
            if (refs != null) {
                keys = new java.util.ArrayList<>(refs.size());
                for (CommandKeys.Key r : refs) {
                    keys.add(argv[r.position()]);
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
