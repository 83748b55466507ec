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

    /**
     * Enters or leaves the LOADING state (on the engine thread): while on, commands without
     * {@link CommandFlag#LOADING} are answered "-LOADING Redis is loading the dataset in memory",
     * keys are not expired and nothing is propagated.
     */
    default void loading(boolean on) {
    }

    /** The databases (on the engine thread only). */
    default Keyspace keyspace() {
        throw new UnsupportedOperationException("this engine does not expose its keyspace");
    }

    /**
     * A session replaying a persistence file (the AOF loader): like Redis's fake AOF client it is
     * exempt from authentication, protected-command and LOADING checks and is not listed among
     * the clients. Call {@link Session#disconnected()} when done.
     */
    default Session openLoader(Connection connection) {
        return open(connection);
    }

    /**
     * Runs {@code send} (a connection's replies being sent) on the engine thread once everything
     * propagated so far is durable, as appendfsync always requires; at once otherwise. Tasks given
     * here run in the order given.
     */
    default void whenDurable(Runnable send) {
        send.run();
    }
}
