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
}
