package io.modis.api;

import java.util.Collection;
import java.util.List;

/**
 * The access-control service (the acl bundle): who a client is, what it may run. The core
 * consults it, when one is registered, at connection, on AUTH / HELLO AUTH / RESET, and before
 * every command (top level, MULTI queueing, each command of EXEC and each command a script
 * calls). Without it the core keeps requirepass as the only password. All methods run on the
 * engine thread.
 */
public interface AccessControl {
    /** What a refused command touched that the user may not. */
    enum Kind { COMMAND, KEY, CHANNEL }

    /**
     * Why a command was refused: {@code command} is its full name ("client|kill"),
     * {@code object} the offending key or channel (null for COMMAND).
     */
    record Denial(Kind kind, String command, byte[] object) {
        /** The reply to a client that sent the command (Redis's -NOPERM). */
        public String error() {
            return switch (kind) {
                case COMMAND -> "NOPERM this user has no permissions to run the '" + command + "' command";
                case KEY -> "NOPERM this user has no permissions to access one of the keys used as arguments";
                case CHANNEL -> "NOPERM this user has no permissions to access one of the channels used as arguments";
            };
        }

        /** The reply for a queued command refused at EXEC (the rules changed after queueing). */
        public String execError() {
            String reason = switch (kind) {
                case COMMAND -> "no permission to execute the command or subcommand";
                case KEY -> "no permission to touch the specified keys";
                case CHANNEL -> "no permission to access one of the channels used as arguments";
            };
            return "NOPERM ACLs rules changed between the moment the transaction was accumulated and the EXEC "
                    + "call. This command is no longer allowed for the following reason: " + reason;
        }

        /** The error a script's redis.call raises. */
        public String scriptError() {
            return switch (kind) {
                case COMMAND -> "The user executing the script can't run this command or subcommand";
                case KEY -> "The user executing the script can't access at least one of the keys mentioned "
                        + "in the command arguments";
                case CHANNEL -> "The user executing the script can't publish to the channel mentioned in "
                        + "the command";
            };
        }
    }

    /** What the core offers the service: configuration, the command table and the clients. */
    interface Host {
        Config config();

        ServerLog log();

        /**
         * The config-file lines with directive {@code name} that are not parameters (each line's
         * words after the directive), in file order: the "user" lines.
         */
        List<List<String>> directives(String name);

        /** Every top-level command (subcommands are in {@link CommandSpec#subcommands()}). */
        Collection<CommandSpec> commands();

        /** A command by full name ("get", "config|get"), or null. */
        CommandSpec command(String fullName);

        /** The connected clients. */
        Collection<? extends Client> clients();
    }

    /**
     * Called once on the engine thread when the engine runs with this service (at startup, or
     * when the service appears later). At startup a thrown IllegalArgumentException is a fatal
     * configuration error (its message is reported).
     */
    void attach(Host host);

    /** True when a new connection (or one that ran RESET) starts authenticated as "default". */
    boolean startsAuthenticated();

    /** True when the default user needs no password ("AUTH password" is then an error). */
    boolean defaultUserNoPass();

    /**
     * AUTH / HELLO AUTH: true when {@code password} is valid for the enabled user {@code user};
     * the core then marks the client authenticated as that user. A failure is logged (ACL LOG).
     */
    boolean authenticate(Client client, byte[] user, byte[] password);

    /**
     * Null when {@code client}'s user may run {@code argv} (its command is {@code spec}); else
     * why not, after logging the refusal (ACL LOG).
     */
    Denial check(Client client, CommandSpec spec, byte[][] argv);

    /** True when {@code client}'s user may run {@code argv}; nothing is logged (redis.acl_check_cmd). */
    default boolean permits(Client client, CommandSpec spec, byte[][] argv) {
        return check(client, spec, argv) == null;
    }

    /**
     * True when one of the user's selectors allows this call and grants read access to every key
     * (SORT's BY and GET options, which read keys no key spec names).
     */
    default boolean readsAnyKey(Client client, CommandSpec spec, byte[][] argv) {
        return true;
    }

    /** True when a user of this name exists (CLIENT KILL USER). */
    default boolean hasUser(String name) {
        return "default".equals(name);
    }

    /**
     * The "user" lines CONFIG REWRITE writes in place of the config file's ones (every user, as
     * ACL LIST shows them; none when an ACL file holds the users), or null to leave them alone.
     */
    default List<String> configUserLines() {
        return null;
    }

    /** requirepass changed: the default user's password becomes {@code password} (empty: nopass). */
    void requirePass(String password);
}
