package io.modis.api;

/**
 * Receives every change as the commands that reproduce it, in execution order, on the engine
 * thread (AOF, replication, MONITOR-like consumers). Transactions and scripts arrive wrapped in
 * MULTI ... EXEC. Copy what you keep: arrays are not yours after the call.
 */
public interface PropagationListener {
    void propagate(int db, byte[][] argv);
}
