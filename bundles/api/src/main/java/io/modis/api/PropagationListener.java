package io.modis.api;

/**
 * Receives every change as the commands that reproduce it, in execution order, on the engine
 * thread (AOF, replication, MONITOR-like consumers). Transactions and scripts arrive wrapped in
 * MULTI ... EXEC. Copy what you keep: arrays are not yours after the call.
 */
public interface PropagationListener {
    void propagate(int db, byte[][] argv);

    /**
     * A command propagated to replicas only ({@link CommandContext#propagateToReplicas}), in the
     * same order as the others. The AOF ignores these (the default); replication sends them.
     */
    default void propagateToReplicas(int db, byte[][] argv) {
    }

    /**
     * Asked before replies are sent ({@link Engine#whenDurable}): a listener that must make what
     * it received durable first (AOF with appendfsync always) keeps {@code send} and runs it on
     * the engine thread once that is done, returning true; false lets the replies go now.
     */
    default boolean holdUntilDurable(Runnable send) {
        return false;
    }
}
