package io.modis.core;

import io.modis.api.Bytes;
import io.modis.api.Command;
import io.modis.api.CommandContext;
import io.modis.api.CommandException;
import io.modis.api.CommandFlag;
import io.modis.api.CommandHandler;
import io.modis.api.CommandSpec;
import io.modis.api.ConfigParam;
import io.modis.api.Errors;
import io.modis.api.Reply;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;

/**
 * The slow log: commands that ran longer than slowlog-log-slower-than microseconds, newest
 * first, at most slowlog-max-len of them. Entries keep at most 32 arguments of at most 128
 * bytes each, with Redis's "... (N more arguments)" and "... (N more bytes)" markers, and hide
 * secrets (AUTH, HELLO AUTH, CONFIG SET of sensitive parameters, ACL SETUSER, MIGRATE AUTH).
 */
final class SlowLog {
    static final int MAX_ARGC = 32;
    static final int MAX_STRING = 128;
    private static final byte[] REDACTED = Bytes.of("(redacted)");
    /** Redis's sensitive parameters, for while no bundle owns them (they are then kept as text). */
    private static final java.util.Set<String> SENSITIVE_UNOWNED = java.util.Set.of("requirepass", "masterauth",
            "masteruser");

    record Entry(long id, long time, long micros, byte[][] args, String peer, String clientName) {
    }

    private final Server server;
    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private long nextId;

    SlowLog(Server server) {
        this.server = server;
    }

    /** After a command ran (at the top level, in EXEC, or when a blocked command was served). */
    void commandDone(ClientSession c, CommandSpec spec, byte[][] argv, long micros) {
        long threshold = server.ops.slowlogSlowerThan;
        if (threshold < 0 || micros < threshold || spec.has(CommandFlag.SKIP_SLOWLOG)) {
            return;
        }
        entries.addFirst(new Entry(nextId++, System.currentTimeMillis() / 1000, micros, logged(spec, argv),
                c.conn.remoteAddress(), c.name == null ? "" : c.name));
        trim();
    }

    private void trim() {
        long max = server.ops.slowlogMaxLen;
        while (entries.size() > max) {
            entries.removeLast();
        }
    }

    int size() {
        return entries.size();
    }

    /** The arguments as the log keeps them: trimmed, secrets replaced. */
    private byte[][] logged(CommandSpec spec, byte[][] argv) {
        int argc = Math.min(argv.length, MAX_ARGC);
        byte[][] out = new byte[argc][];
        for (int j = 0; j < argc; j++) {
            if (argc != argv.length && j == argc - 1) {
                out[j] = Bytes.of("... (" + (argv.length - argc + 1) + " more arguments)");
            } else if (redacted(spec.name(), argv, j)) {
                out[j] = REDACTED;
            } else if (argv[j].length > MAX_STRING) {
                byte[] tail = ("... (" + (argv[j].length - MAX_STRING) + " more bytes)")
                        .getBytes(StandardCharsets.US_ASCII);
                byte[] b = java.util.Arrays.copyOf(argv[j], MAX_STRING + tail.length);
                System.arraycopy(tail, 0, b, MAX_STRING, tail.length);
                out[j] = b;
            } else {
                out[j] = argv[j].clone();
            }
        }
        return out;
    }

    /** Whether argument {@code j} of this command is a secret the log must not keep. */
    private boolean redacted(String command, byte[][] argv, int j) {
        switch (command) {
            case "auth":
                return j > 0;
            case "hello":
                return j >= 2 && ((Bytes.is(argv[j - 1], "auth")) || (j >= 3 && Bytes.is(argv[j - 2], "auth")));
            case "acl|setuser":
                return j >= 2;
            case "config|set":
                if (j >= 3 && (j - 3) % 2 == 0) {
                    String name = Bytes.str(argv[j - 1]).toLowerCase(java.util.Locale.ROOT);
                    ConfigParam p = server.config.param(name);
                    return p != null ? p.has(ConfigParam.Flag.SENSITIVE) : SENSITIVE_UNOWNED.contains(name);
                }
                return false;
            case "migrate":
                return migrateSecret(argv, j);
            default:
                return false;
        }
    }

    /** MIGRATE ... AUTH password / AUTH2 username password: the values that neither log shows. */
    static boolean migrateSecret(byte[][] argv, int j) {
        for (int k = 6; k < j; k++) {
            if (Bytes.is(argv[k], "auth")) {
                return j == k + 1;
            }
            if (Bytes.is(argv[k], "auth2")) {
                return j == k + 1 || j == k + 2;
            }
        }
        return false;
    }

    // ---- SLOWLOG ----

    private static Command sub(String name, int arity, String summary, CommandHandler handler) {
        return new Command(CommandSpec.of("slowlog|" + name, arity).group("server").since("2.2.12")
                .flags(CommandFlag.ADMIN, CommandFlag.LOADING, CommandFlag.STALE)
                .acl("admin", "slow", "dangerous").summary(summary).build(), handler);
    }

    Command command() {
        CommandSpec spec = CommandSpec.of("slowlog", -2).group("server").since("2.2.12")
                .summary("A container for slow log commands").complexity("Depends on subcommand.")
                .subcommand(sub("get", -2, "Get the slow log's entries", this::get))
                .subcommand(sub("len", 2, "Get the slow log's length", ctx -> ctx.reply().integer(entries.size())))
                .subcommand(sub("reset", 2, "Clear all entries from the slow log", ctx -> {
                    entries.clear();
                    ctx.reply().ok();
                }))
                .subcommand(new Command(CommandSpec.of("slowlog|help", 2).group("server").since("6.2.0")
                        .flags(CommandFlag.LOADING, CommandFlag.STALE).acl("slow")
                        .summary("Show helpful text about the different subcommands").build(), this::help))
                .build();
        return new Command(spec, ctx -> {
            throw Errors.unknownSubcommand(ctx.argLower(1), "slowlog");
        });
    }

    private void help(CommandContext ctx) {
        Introspection.help(ctx.reply(), "SLOWLOG", List.of(
                "GET [<count>]",
                "    Return top <count> entries from the slowlog (default: 10, -1 mean all).",
                "    Entries are made of:",
                "    id, timestamp, time in microseconds, arguments array, client IP and port,",
                "    client name",
                "LEN",
                "    Return the length of the slowlog.",
                "RESET",
                "    Reset the slowlog."));
    }

    private void get(CommandContext ctx) {
        if (ctx.argc() > 3) {
            throw new CommandException("ERR unknown subcommand or wrong number of arguments for '"
                    + Bytes.str(ctx.arg(1)) + "'. Try SLOWLOG HELP.");
        }
        long count = 10;
        if (ctx.argc() == 3) {
            try {
                count = Long.parseLong(Bytes.str(ctx.arg(2)));
            } catch (NumberFormatException e) {
                throw Errors.notInteger();
            }
            if (count < -1) {
                throw new CommandException("ERR count should be greater than or equal to -1");
            }
            if (count == -1) {
                count = entries.size();
            }
        }
        int n = (int) Math.min(count, entries.size());
        Reply r = ctx.reply();
        r.array(n);
        Iterator<Entry> it = entries.iterator();
        for (int i = 0; i < n; i++) {
            Entry e = it.next();
            r.array(6);
            r.integer(e.id());
            r.integer(e.time());
            r.integer(e.micros());
            r.array(e.args().length);
            for (byte[] a : e.args()) {
                r.bulk(a);
            }
            r.bulk(e.peer());
            r.bulk(e.clientName());
        }
    }
}
