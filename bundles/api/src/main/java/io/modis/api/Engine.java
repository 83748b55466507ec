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
     * Runs {@code task} on the engine thread once the connections' input that is ready now has
     * been read and its commands run: how a long background job (a snapshot walk, the revival of
     * swapped values) yields to clients between slices. {@code executor().execute(task)} called on
     * the engine thread would not yield: the event loop runs the tasks queued while it runs tasks
     * (up to a second of them) before it reads sockets again. A task scheduled with no delay
     * waits for the next turn of the loop, after its I/O.
     */
    default void afterPendingIo(Runnable task) {
        executor().schedule(task, 0, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

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

    // ---- persistence hooks (persistence bundles call these on the engine thread) ----

    /**
     * Enters or leaves the LOADING state: while on, commands without {@link CommandFlag#LOADING}
     * get "-LOADING Redis is loading the dataset in memory" and INFO shows loading:1.
     */
    default void loading(boolean on) {
    }

    /**
     * Runs {@code action} on the engine thread once the server is up: every bundle of the
     * starting set active and no dataset loading (several loaders may each call
     * {@link #loading(boolean)}; the state ends when the last one is done). The transport logs
     * "Ready to accept connections" through it, after the data is loaded, as Redis does.
     */
    default void whenReady(Runnable action) {
        action.run();
    }

    /**
     * Completes once the modules named by the configuration's {@code loadmodule} directives are
     * loaded (at once when there are none, or when no bundle loads modules). Dataset loaders wait
     * for it before reading values whose types those modules provide, as Redis loads its modules
     * before its data. Never wait for it on the engine thread or inside a component's activation:
     * the modules are loaded through both.
     */
    default java.util.concurrent.CompletableFuture<Void> startupModules() {
        return java.util.concurrent.CompletableFuture.completedFuture(null);
    }

    /** Called by the bundle that handles {@code loadmodule} once every such directive is done. */
    default void startupModulesLoaded() {
    }

    /**
     * Runs {@code action} on the engine thread once the core's start is done (its banner logged),
     * loading or not: a loader's fatal error exits after it, as Redis logs its logo before loading.
     *
     * @since 1.3.0
     */
    default void whenStarted(Runnable action) {
        action.run();
    }

    /**
     * Keeps a departing component's in-memory state for whoever takes it next under {@code name}:
     * the next revision of its bundle after an update, or the same bundle started again later.
     * {@code state} runs on the engine thread: at once when this is called there (an update
     * applied as one engine task), else as an engine task this call waits for, so that it runs
     * after every command still queued for the departing code (and after a running script ends).
     * Only bytes are kept, so nothing holds on to the departing bundle's classes; a second call
     * under the same name replaces the first. Call it from a component's deactivation.
     *
     * @since 1.4.0
     */
    default void keepState(String name, java.util.function.Supplier<byte[]> state) {
    }

    /**
     * Removes and returns the state kept under {@code name} by {@link #keepState}, or null. Call
     * it from a component's activation, before its commands serve. Any thread.
     *
     * @since 1.4.0
     */
    default byte[] takeState(String name) {
        return null;
    }

    /** All databases (for saving and loading a whole dataset). */
    default Keyspace keyspace() {
        throw new UnsupportedOperationException("this engine does not expose its keyspace");
    }

    /** Changes since the last successful save (rdb_changes_since_last_save). */
    default long dirty() {
        return 0;
    }

    /**
     * A save that started when {@link #dirty()} was {@code dirtyAtStart} succeeded: subtracts them
     * and sets LASTSAVE to {@code unixSeconds}.
     */
    default void saved(long dirtyAtStart, long unixSeconds) {
    }

    /**
     * Refuses write commands (and PING) with {@code error} (e.g. "MISCONF ..." after a failed
     * background save), or accepts them again when {@code error} is null.
     */
    default void refuseWrites(String error) {
    }

    /**
     * Installs (or, with null, removes) the barrier the dispatcher calls before every write
     * command runs, served blocked commands and commands inside scripts and EXEC included. A
     * fork-less snapshot uses it to save a key's old contents before they change.
     */
    default void writeBarrier(WriteBarrier barrier) {
    }

    /** Called on the engine thread before a write command changes anything. */
    interface WriteBarrier {
        /**
         * @param db the database the command runs in
         * @param argv the command and its arguments
         * @param keys the keys it names, or null when they cannot be known from its arguments
         *     (the barrier must then assume any key of any database may change)
         */
        void beforeWrite(Database db, byte[][] argv, java.util.List<byte[]> keys);
    }

    /** Adds a step run before the process exits (SHUTDOWN, SIGTERM, SIGINT). */
    default void addShutdownHook(ShutdownHook hook) {
    }

    default void removeShutdownHook(ShutdownHook hook) {
    }

    /** A step of the shutdown path; a non-null result stops the shutdown. */
    interface ShutdownHook {
        /**
         * Runs on the engine thread before exit.
         *
         * @param save true for SHUTDOWN SAVE
         * @param nosave true for SHUTDOWN NOSAVE
         * @return null to go on, or a reason (logged) to abort the shutdown
         */
        String beforeExit(boolean save, boolean nosave);
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
