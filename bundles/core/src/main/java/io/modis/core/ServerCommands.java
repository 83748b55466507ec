package io.modis.core;

import io.modis.api.Bytes;
import io.modis.api.Command;
import io.modis.api.CommandContext;
import io.modis.api.CommandException;
import io.modis.api.CommandSpec;
import io.modis.api.Errors;
import io.modis.api.Reply;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.modis.api.CommandFlag.ADMIN;
import static io.modis.api.CommandFlag.FAST;
import static io.modis.api.CommandFlag.LOADING;
import static io.modis.api.CommandFlag.NOSCRIPT;
import static io.modis.api.CommandFlag.NO_MULTI;
import static io.modis.api.CommandFlag.READONLY;
import static io.modis.api.CommandFlag.SENTINEL;
import static io.modis.api.CommandFlag.STALE;
import static io.modis.api.CommandFlag.ALLOW_BUSY;
import static io.modis.api.CommandFlag.WRITE;
import static io.modis.core.ConnectionCommands.session;
import static io.modis.core.CoreCommands.command;

/** DBSIZE FLUSHDB FLUSHALL SWAPDB TIME SHUTDOWN LASTSAVE and the families INFO CONFIG COMMAND CLIENT DEBUG. */
final class ServerCommands {
    private final Server server;
    ServerCommands(Server server) {
        this.server = server;
    }

    static CommandSpec.Builder spec(String name, int arity) {
        return CommandSpec.of(name, arity).group("server");
    }

    List<Command> commands() {
        List<Command> all = new ArrayList<>(List.of(
                command(spec("dbsize", 1).flags(READONLY, FAST).acl("keyspace")
                        .summary("Returns the number of keys in the database."),
                        ctx -> ctx.reply().integer(ctx.db().size())),
                command(spec("flushdb", -1).flags(WRITE).acl("keyspace", "dangerous")
                        .summary("Removes all keys from the current database."), this::flushdb),
                command(spec("flushall", -1).flags(WRITE).acl("keyspace", "dangerous")
                        .summary("Removes all keys from all databases."), this::flushall),
                command(spec("swapdb", 3).flags(WRITE, FAST).acl("keyspace", "dangerous").since("4.0.0")
                        .summary("Swaps two Redis databases."), this::swapdb),
                command(spec("time", 1).flags(LOADING, STALE, FAST).since("2.6.0")
                        .summary("Returns the server time."), this::time),
                command(spec("lastsave", 1).flags(LOADING, STALE, FAST).acl("admin", "dangerous")
                        .summary("Returns the Unix timestamp of the last successful save to disk."),
                        ctx -> ctx.reply().integer(server.lastSave)),
                command(spec("shutdown", -1).flags(ADMIN, NOSCRIPT, LOADING, STALE, NO_MULTI, SENTINEL, ALLOW_BUSY)
                        .acl("admin", "dangerous")
                        .summary("Synchronously saves the database(s) to disk and shuts down the Redis server."),
                        this::shutdown),
                command(spec("monitor", 1).flags(ADMIN, NOSCRIPT, LOADING, STALE).acl("admin", "slow", "dangerous")
                        .since("1.0.0").summary("Streams every command the server runs, as it runs it."),
                        this::monitor)));
        all.add(new ConfigCommand(server).command());
        all.addAll(new Introspection(server).commands());
        all.add(new ClientCommands(server).command());
        all.add(new DebugCommand(server).command());
        all.add(new MemoryCommand(server).command());
        all.add(server.slowlog.command());
        all.add(server.latency.command());
        return all;
    }

    private static boolean flushMode(CommandContext ctx) {
        if (ctx.argc() > 2) {
            throw Errors.syntax();
        }
        if (ctx.argc() == 2) {
            String m = ctx.argLower(1);
            if (!m.equals("sync") && !m.equals("async")) {
                throw Errors.syntax();
            }
            return m.equals("async");
        }
        return false;
    }

    private void flushdb(CommandContext ctx) {
        flushMode(ctx);
        Db db = (Db) ctx.db();
        long n = db.size();
        server.touchAll(db, null);
        db.signalStreamsBeforeFlush();
        db.clear();
        server.tracking.flushed();
        ctx.dirty(n);
        ctx.propagate(ctx.args());
        ctx.reply().ok();
    }

    private void flushall(CommandContext ctx) {
        flushMode(ctx);
        long n = 0;
        for (int i = 0; i < server.databases(); i++) {
            Db db = server.db(i);
            n += db.size();
            server.touchAll(db, null);
            db.signalStreamsBeforeFlush();
            db.clear();
        }
        server.tracking.flushed();
        ctx.dirty(n + 1);
        ctx.propagate(ctx.args());
        ctx.reply().ok();
    }

    private void swapdb(CommandContext ctx) {
        long a;
        long b;
        try {
            a = Bytes.parseLong(ctx.arg(1));
        } catch (NumberFormatException e) {
            throw new CommandException("ERR invalid first DB index");
        }
        try {
            b = Bytes.parseLong(ctx.arg(2));
        } catch (NumberFormatException e) {
            throw new CommandException("ERR invalid second DB index");
        }
        if (a < 0 || a >= server.databases() || b < 0 || b >= server.databases()) {
            throw new CommandException(Errors.DB_INDEX);
        }
        if (a != b) {
            server.swapDbs((int) a, (int) b);
        }
        ctx.dirty(1);
        ctx.reply().ok();
    }

    private void time(CommandContext ctx) {
        long micros = java.time.Instant.now().getEpochSecond() * 1_000_000L + java.time.Instant.now().getNano() / 1000;
        Reply r = ctx.reply();
        r.array(2);
        r.bulk(Bytes.fromLong(micros / 1_000_000));
        r.bulk(Bytes.fromLong(micros % 1_000_000));
    }

    private void shutdown(CommandContext ctx) {
        boolean abort = false;
        boolean save = false;
        boolean nosave = false;
        for (int i = 1; i < ctx.argc(); i++) {
            switch (ctx.argLower(i)) {
                case "nosave" -> nosave = true;
                case "save" -> save = true;
                case "now", "force" -> {
                }
                case "abort" -> abort = true;
                default -> throw Errors.syntax();
            }
        }
        if (abort) {
            if (ctx.argc() > 2) {
                throw Errors.syntax();
            }
            throw new CommandException("ERR No shutdown in progress.");
        }
        if (save && nosave) {
            throw Errors.syntax();
        }
        if (server.shutdown(save, nosave) != null) {
            throw new CommandException("ERR Errors trying to SHUTDOWN. Check logs.");
        }
        ClientSession c = session(ctx);
        c.closing = true;
    }

    private void monitor(CommandContext ctx) {
        ClientSession c = session(ctx);
        if (c.inMulti()) {
            throw new CommandException("ERR MONITOR isn't allowed for DENY BLOCKING client");
        }
        if (server.isMonitor(c)) {
            return;
        }
        server.monitor(c);
        ctx.reply().ok();
    }

    static void replyMap(Reply r, Map<String, String> m) {
        r.map(m.size());
        for (Map.Entry<String, String> e : m.entrySet()) {
            r.bulk(e.getKey());
            r.bulk(e.getValue());
        }
    }
}
