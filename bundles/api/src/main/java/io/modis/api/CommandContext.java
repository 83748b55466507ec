package io.modis.api;

import java.util.List;

/** Everything a handler sees while it runs one command on the engine thread. */
public interface CommandContext {
    /** Number of arguments, the command name included. */
    int argc();

    /** Argument {@code i}; 0 is the command name. */
    byte[] arg(int i);

    /** All arguments, the command name first (do not modify). */
    byte[][] args();

    /** Argument {@code i} lowercased as a String, for option names. */
    default String argLower(int i) {
        return Bytes.lower(arg(i));
    }

    /** Argument {@code i} as a strict integer, or {@code ERR value is not an integer or out of range}. */
    default long argLong(int i) {
        try {
            return Bytes.parseLong(arg(i));
        } catch (NumberFormatException e) {
            throw Errors.notInteger();
        }
    }

    /** Argument {@code i} as a float, or {@code ERR value is not a valid float}. */
    default double argDouble(int i) {
        try {
            return Bytes.parseDouble(arg(i));
        } catch (NumberFormatException e) {
            throw new CommandException(Errors.NOT_FLOAT);
        }
    }

    /** Where the handler writes its one reply. */
    Reply reply();

    /**
     * For commands whose reply can be very long: true once the client went over its output
     * buffer limit and is being disconnected, so the rest of the reply would be thrown away and
     * the command may stop early (Redis's HRANDFIELD and KEYS do). Call it every so often, not per
     * element.
     */
    default boolean replyAbandoned() {
        return false;
    }

    /**
     * True when the command comes from a source that must be obeyed as written, not checked as
     * a user's input (Redis's mustObeyClient): the AOF being loaded (and a master link). Such a
     * command is an effect this server or another Redis propagated, e.g. XADD's
     * {@code MAXLEN = N LIMIT L}, which a user may not write.
     */
    default boolean mustObey() {
        return false;
    }

    /**
     * True when the client's ACL user may read any key with this command (SORT's BY / GET read
     * keys that its key specs cannot name). Always true without the acl bundle.
     */
    default boolean mayReadAnyKey() {
        return true;
    }

    /** The client running the command (its state: MULTI, script, name, id ...). */
    Client client();

    /** The client's selected database. */
    Database db();

    /** Every database (SELECT, SWAPDB, MOVE and commands that span databases). */
    Keyspace keyspace();

    /** The current configuration (CONFIG GET values, including bundles' parameters). */
    Config config();

    /** The server log (Redis's log format and verbosity). */
    ServerLog log();

    /** The time in ms, fixed for the whole command (and a whole script or EXEC). */
    long now();

    /** The spec of the running command. */
    CommandSpec command();

    /** Counts changes made (drives propagation, save points and rdb_changes_since_last_save). */
    void dirty(long changes);

    /**
     * Propagates {@code argv} (to AOF and replicas) instead of the command as received. Call once
     * per effect; a command that changes data and never calls it is propagated verbatim.
     */
    void propagate(byte[]... argv);

    /**
     * Propagates {@code argv} to replicas only, never to the AOF: what Redis sends that way
     * (PUBLISH, SPUBLISH) changes no data but must reach a replica's subscribers.
     */
    default void propagateToReplicas(byte[]... argv) {
        propagate(argv);
    }

    /** Propagate nothing for this command even though it changed data. */
    void propagateNothing();

    /** A key was modified: invalidates WATCH and client-side caching. */
    void touched(Database db, byte[] key);

    /** Emits a keyspace event of class {@code type} (g $ l s h z x e t m d n). */
    void notify(char type, String event, byte[] key, Database db);

    /** Signals that {@code key} may now serve clients blocked on it. */
    void keyReady(Database db, byte[] key);

    /**
     * Parks the client on {@code keys} of the current database until one is ready or the
     * absolute deadline {@code timeoutMillis} (Unix ms; 0 = forever) passes. The handler then
     * returns without replying. When a key is signalled ready, {@link BlockedCommand#serve} runs
     * with this command's arguments and the client's own context; it must propagate its effects
     * with {@link #propagate} (a served command is never propagated verbatim). Inside MULTI or a
     * script, callers must not block: check {@link Client#inMulti()} and {@link Client#inScript()}
     * and reply as on timeout.
     */
    void block(List<byte[]> keys, long timeoutMillis, BlockedCommand command);

    /* ---------------------------------------------------------------- scripting support */

    /**
     * The command {@code argv} would run (a container's subcommand resolved), or null for an
     * unknown command or subcommand. Used by script engines to apply Redis's script checks.
     */
    default CommandSpec lookupCommand(byte[][] argv) {
        return null;
    }

    /**
     * Runs {@code argv} now, from a script, as this command's client and through the same
     * dispatcher path as a client's command (its reply goes to {@code reply}). The caller has
     * already made the script checks (unknown command, arity, noscript, writes); the core adds
     * the permission check. Only valid inside {@link #runScript}.
     */
    default void callFromScript(byte[][] argv, Reply reply) {
        throw new UnsupportedOperationException("scripting is not supported by this core");
    }

    /**
     * Runs {@code body} as one script: {@link Client#inScript()} is true during it, a SELECT
     * inside it does not change the caller's database, and its effects are propagated wrapped
     * in MULTI/EXEC when there are several.
     */
    default void runScript(Runnable body) {
        body.run();
    }

    /**
     * Called by a script engine, repeatedly, while its script runs past busy-reply-threshold: the
     * core processes the other clients' input meanwhile (they get Redis's -BUSY error except for
     * commands flagged allow_busy, such as SCRIPT KILL and SHUTDOWN). {@code eval} tells which
     * kill command the error names (SCRIPT for EVAL, FUNCTION for FCALL). Returns true when the
     * script must stop now (the server is shutting down).
     */
    default boolean scriptBusy(boolean eval) {
        return false;
    }

    /** True after DEBUG SET-DISABLE-DENY-SCRIPTS 1: scripts may call noscript commands (tests). */
    default boolean scriptDenyDisabled() {
        return false;
    }

    /**
     * True when maxmemory is set, the memory was over it when the client's command started (after
     * eviction did what it could) and the client is one that obeys the limit (not the AOF
     * loader). A script engine then refuses a script that may write and lacks the allow-oom
     * flag, and a deny-oom command called by a script that has not written yet.
     */
    default boolean scriptOutOfMemory() {
        return false;
    }

    /**
     * A script engine refused {@code argv} (its script checks: unknown command, arity, noscript,
     * writes in a read-only script, OOM) with {@code error}: the error counts in errorstats and,
     * for a known command, in its rejected calls, as when a client's command is refused.
     */
    default void scriptCallRejected(byte[][] argv, String error) {
    }

    /**
     * Replies {@code error} as this command's error without counting it in errorstats again: it
     * was counted when the command a script called returned it, or when the call was refused
     * ({@link #scriptCallRejected}). It still counts as this command's failed call.
     */
    default void replyCountedError(String error) {
        reply().error(error);
    }

    /**
     * True when this command's client may run {@code argv} (command, keys and channels) by its
     * ACL user (redis.acl_check_cmd); the caller has checked that the command exists.
     */
    default boolean aclPermits(byte[][] argv) {
        return true;
    }

    /**
     * True when this command's client can converse with a script debugger while the script runs
     * ({@link #scriptDebugSend}, {@link #scriptDebugReceive}): its connection is served on the
     * engine thread (io-threads 1).
     */
    default boolean scriptDebugAvailable() {
        return false;
    }

    /**
     * Sends what was written to {@link #reply()} so far to the client at once, in the middle of
     * the command (the Lua debugger's output while the script is stopped).
     */
    default void scriptDebugSend() {
    }

    /**
     * Waits for this command's client's next command and returns it without running it (a Lua
     * debugger command), processing the engine's I/O meanwhile: other clients' commands wait
     * until this command has ended. Returns null when the client is gone or the server must stop
     * (SHUTDOWN, a signal).
     */
    default byte[][] scriptDebugReceive() {
        return null;
    }
}
