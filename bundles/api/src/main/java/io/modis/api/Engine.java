package io.modis.api;

import java.util.concurrent.ScheduledExecutorService;

/**
 * The core's engine, registered as a service once the configuration is loaded. Commands run
 * only on {@link #executor()}'s single thread.
 */
public interface Engine {
    /** The engine thread. With io-threads 1 it is also the transport's event loop. */
    ScheduledExecutorService executor();

    /**
     * Opens a session for a new connection (on the engine thread).
     *
     * @throws CommandException (e.g. "ERR max number of clients reached") to refuse it
     */
    Session open(Connection connection);

    Config config();

    ServerLog log();

    /** Counts a protocol error or a refused connection (INFO stats). */
    void rejectedConnection();
}
