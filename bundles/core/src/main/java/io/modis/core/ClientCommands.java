package io.modis.core;

import io.modis.api.Bytes;
import io.modis.api.Command;
import io.modis.api.CommandContext;
import io.modis.api.CommandException;
import io.modis.api.CommandHandler;
import io.modis.api.CommandSpec;
import io.modis.api.Errors;
import io.modis.api.Reply;

import java.util.ArrayList;
import java.util.List;

import static io.modis.api.CommandFlag.ADMIN;
import static io.modis.api.CommandFlag.LOADING;
import static io.modis.api.CommandFlag.NOSCRIPT;
import static io.modis.api.CommandFlag.SENTINEL;
import static io.modis.api.CommandFlag.STALE;
import static io.modis.core.ConnectionCommands.session;

/** CLIENT and its subcommands. */
final class ClientCommands {
    /** Reply buffer size CLIENT LIST reports (Redis's initial 16k buffer). */
    private static final int REPLY_BUFFER_SIZE = 16 * 1024;
    /** What a client's own bookkeeping costs, roughly, on top of its buffers. */
    private static final int CLIENT_OVERHEAD = 2048;

    private final Server server;

    ClientCommands(Server server) {
        this.server = server;
    }

    private static Command sub(String name, int arity, String since, String summary, boolean admin,
                               CommandHandler handler) {
        CommandSpec.Builder b = CommandSpec.of("client|" + name, arity).group("connection").since(since)
                .summary(summary).complexity("O(1)");
        if (admin) {
            b.flags(ADMIN, NOSCRIPT, LOADING, STALE, SENTINEL).acl("admin", "slow", "dangerous", "connection");
        } else if (name.equals("help")) {
            b.flags(LOADING, STALE, SENTINEL).acl("slow", "connection");
        } else {
            b.flags(NOSCRIPT, LOADING, STALE, SENTINEL).acl("slow", "connection");
        }
        return new Command(b.build(), handler);
    }

    Command command() {
        CommandSpec spec = CommandSpec.of("client", -2).group("connection").flags(SENTINEL).since("2.4.0")
                .summary("A container for client connection commands").complexity("Depends on subcommand.")
                .subcommand(sub("caching", 3, "6.0.0",
                        "Instruct the server about tracking or not keys in the next request", false, this::caching))
                .subcommand(sub("getname", 2, "2.6.9", "Get the current connection name", false, this::getname))
                .subcommand(sub("getredir", 2, "6.0.0",
                        "Get tracking notifications redirection client ID if any", false,
                        this::getredir))
                .subcommand(sub("help", 2, "5.0.0", "Show helpful text about the different subcommands", false,
                        this::help))
                .subcommand(sub("id", 2, "5.0.0", "Returns the client ID for the current connection", false,
                        ctx -> ctx.reply().integer(session(ctx).id)))
                .subcommand(sub("info", 2, "6.2.0", "Returns information about the current client connection.",
                        false, this::info))
                .subcommand(sub("kill", -3, "2.4.0", "Kill the connection of a client", true, this::kill))
                .subcommand(sub("list", -2, "2.4.0", "Get the list of client connections", true, this::list))
                .subcommand(sub("no-evict", 3, "7.0.0", "Set client eviction mode for the current connection", true,
                        this::noEvict))
                .subcommand(sub("pause", -3, "2.9.50", "Stop processing commands from clients for some time", true,
                        this::pause))
                .subcommand(sub("reply", 3, "3.2.0", "Instruct the server whether to reply to commands", false,
                        this::reply))
                .subcommand(sub("setinfo", 4, "7.2.0", "Set client or connection specific info", false,
                        this::setinfo))
                .subcommand(sub("setname", 3, "2.6.9", "Set the current connection name", false, this::setname))
                .subcommand(sub("tracking", -3, "6.0.0",
                        "Enable or disable server assisted client side caching support", false,
                        ctx -> {
                            server.tracking.command(session(ctx), ctx.args());
                            ctx.reply().ok();
                        }))
                .subcommand(sub("trackinginfo", 2, "6.2.0",
                        "Return information about server assisted client side caching for the current connection",
                        false, this::trackinginfo))
                .subcommand(sub("unblock", -3, "5.0.0",
                        "Unblock a client blocked in a blocking command from a different connection", true,
                        this::unblock))
                .subcommand(sub("unpause", 2, "6.2.0", "Resume processing of clients that were paused", true,
                        this::unpause))
                .build();
        return new Command(spec, ctx -> {
            throw Errors.unknownSubcommand(ctx.argLower(1), "client");
        });
    }

    private void help(CommandContext ctx) {
        Introspection.help(ctx.reply(), "CLIENT", List.of(
                "CACHING (YES|NO)",
                "    Opts the next command in or out of key tracking (OPTIN/OPTOUT modes).",
                "GETREDIR",
                "    The id of the client receiving this one's invalidations, -1 if none.",
                "GETNAME",
                "    This connection's name.",
                "ID",
                "    This connection's id.",
                "INFO",
                "    A CLIENT LIST line for this connection.",
                "KILL <ip:port>",
                "    Closes the connection from <ip:port>.",
                "KILL <filter> <value> [<filter> <value> ...]",
                "    Closes every connection matching all filters; replies with the count.",
                "    Filters: ID <id>, ADDR <ip:port>, LADDR <ip:port>,",
                "    TYPE NORMAL|MASTER|REPLICA|PUBSUB, USER <name>, SKIPME YES|NO (default YES).",
                "LIST [TYPE NORMAL|MASTER|REPLICA|PUBSUB] [ID <id> ...]",
                "    One line of details per connection.",
                "UNPAUSE",
                "    Ends a CLIENT PAUSE.",
                "PAUSE <timeout> [WRITE|ALL]",
                "    Holds the commands of all clients (or only writes) for <timeout> ms.",
                "REPLY (ON|OFF|SKIP)",
                "    Turns this connection's replies on or off, or skips the next one.",
                "SETNAME <name>",
                "    Names this connection.",
                "SETINFO (LIB-NAME|LIB-VER) <value>",
                "    Records the client library's name or version.",
                "NO-EVICT (ON|OFF)",
                "    Protects this connection from client eviction.",
                "UNBLOCK <id> [TIMEOUT|ERROR]",
                "    Wakes a blocked client as if it timed out, or with an error.",
                "TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]] [OPTIN] [OPTOUT] [NOLOOP]",
                "    Client-side caching: invalidation messages for the keys this connection read",
                "    (or, with BCAST, for every key under the prefixes), sent to it or to <id>.",
                "TRACKINGINFO",
                "    This connection's key tracking settings."));
    }

    // ---- names ----

    /** Client names cannot contain spaces, newlines or special characters. */
    static void validateName(String name) {
        if (!isPrintableWord(name)) {
            throw new CommandException("ERR Client names cannot contain spaces, newlines or special characters.");
        }
    }

    private static boolean isPrintableWord(String s) {
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch < '!' || ch > '~') {
                return false;
            }
        }
        return true;
    }

    private void setname(CommandContext ctx) {
        String name = Bytes.str(ctx.arg(2));
        validateName(name);
        session(ctx).name = name.isEmpty() ? null : name;
        ctx.reply().ok();
    }

    private void getname(CommandContext ctx) {
        String name = session(ctx).name;
        if (name == null) {
            ctx.reply().nil();
        } else {
            ctx.reply().bulk(name);
        }
    }

    private void setinfo(CommandContext ctx) {
        String attr = Bytes.str(ctx.arg(2));
        String value = Bytes.str(ctx.arg(3));
        String which = ctx.argLower(2);
        if (!which.equals("lib-name") && !which.equals("lib-ver")) {
            throw new CommandException("ERR Unrecognized option '" + attr + "'");
        }
        if (!isPrintableWord(value)) {
            throw new CommandException("ERR " + attr + " cannot contain spaces, newlines or special characters.");
        }
        ClientSession c = session(ctx);
        String v = value.isEmpty() ? null : value;
        if (which.equals("lib-name")) {
            c.libName = v;
        } else {
            c.libVersion = v;
        }
        ctx.reply().ok();
    }

    // ---- CLIENT INFO / LIST ----

    private void info(CommandContext ctx) {
        ClientSession self = session(ctx);
        ctx.reply().verbatim("txt", Bytes.of(infoLine(self, ctx) + "\n"));
    }

    private void list(CommandContext ctx) {
        StringBuilder out = new StringBuilder();
        if (ctx.argc() == 4 && Bytes.is(ctx.arg(2), "type")) {
            String type = clientType(ctx.arg(3));
            for (ClientSession c : server.clients().values()) {
                if (type.equals(typeOf(c))) {
                    out.append(infoLine(c, ctx)).append('\n');
                }
            }
        } else if (ctx.argc() > 3 && Bytes.is(ctx.arg(2), "id")) {
            for (int i = 3; i < ctx.argc(); i++) {
                long id;
                try {
                    id = Bytes.parseLong(ctx.arg(i));
                } catch (NumberFormatException e) {
                    throw new CommandException("ERR Invalid client ID");
                }
                ClientSession c = server.clients().get(id);
                if (c != null) {
                    out.append(infoLine(c, ctx)).append('\n');
                }
            }
        } else if (ctx.argc() == 2) {
            for (ClientSession c : server.clients().values()) {
                out.append(infoLine(c, ctx)).append('\n');
            }
        } else {
            throw Errors.syntax();
        }
        ctx.reply().verbatim("txt", Bytes.of(out.toString()));
    }

    /** A type name as CLIENT LIST TYPE and CLIENT KILL TYPE take it, normalized ("slave" is "replica"). */
    private static String clientType(byte[] name) {
        String t = Bytes.lower(name);
        return switch (t) {
            case "normal", "master", "pubsub", "replica" -> t;
            case "slave" -> "replica";
            default -> throw new CommandException("ERR Unknown client type '" + Bytes.str(name) + "'");
        };
    }

    /** Replicas, masters and subscribers are connections of other bundles: the core's are normal. */
    private static String typeOf(ClientSession c) {
        return "normal";
    }

    /**
     * One client as CLIENT LIST prints it, field for field as Redis 7.0. The calling client
     * reports the command running now and its arguments, as Redis does.
     */
    static String infoLine(ClientSession c, CommandContext ctx) {
        boolean self = ctx != null && ctx.client() == c;
        byte[][] argv = self ? ctx.args() : null;
        long now = System.currentTimeMillis();
        long argvMem = self ? argvMemory(argv) : c.conn.partialArgvSize();
        long qbuf = c.conn.queryBufferSize() + (self ? requestSize(argv) : 0);
        long qbufFree = Math.max(0, c.conn.queryBufferFree() - (self ? requestSize(argv) : 0));
        long omem = c.conn.outputBufferSize();
        String cmd = self && ctx.command() != null ? ctx.command().name() : c.lastCommand;
        return "id=" + c.id
                + " addr=" + c.conn.remoteAddress()
                + " laddr=" + c.conn.localAddress()
                + " fd=" + c.conn.fd()
                + " name=" + (c.name == null ? "" : c.name)
                + " age=" + (now - c.createdAt) / 1000
                + " idle=" + (now - c.lastInteraction) / 1000
                + " flags=" + flags(c)
                + " db=" + c.db.id()
                + " sub=" + c.subChannels + " psub=" + c.subPatterns + " ssub=" + c.subShard
                + " multi=" + (c.inMulti ? c.queued.size() : -1)
                + " qbuf=" + qbuf
                + " qbuf-free=" + qbufFree
                + " argv-mem=" + argvMem
                + " multi-mem=" + multiMemory(c)
                + " rbs=" + REPLY_BUFFER_SIZE
                + " rbp=0"
                + " obl=0 oll=0"
                + " omem=" + omem
                + " tot-mem=" + totalMemory(c, argv)
                + " events=" + (omem > 0 ? "rw" : "r")
                + " cmd=" + cmd
                + " user=" + c.user
                + " redir=" + (c.tracking == null ? -1 : c.tracking.redirect)
                + " resp=" + c.protocol;
    }

    private static String flags(ClientSession c) {
        StringBuilder f = new StringBuilder();
        if (c.server.isMonitor(c)) {
            f.append("SO");
        }
        if (c.subscriptionCount() > 0) {
            f.append('P');
        }
        if (c.inMulti) {
            f.append('x');
        }
        if (c.blockedOn != null) {
            f.append('b');
        }
        if (c.tracking != null) {
            f.append('t');
            if (c.tracking.brokenRedirect) {
                f.append('R');
            }
            if (c.tracking.bcast) {
                f.append('B');
            }
        }
        if (c.watchDirty) {
            f.append('d');
        }
        if (c.closing) {
            f.append('c');
        }
        if (c.conn.unixSocket()) {
            f.append('U');
        }
        if (c.noEvict) {
            f.append('e');
        }
        return f.length() == 0 ? "N" : f.toString();
    }

    private static long argvMemory(byte[][] argv) {
        long sum = 0;
        if (argv != null) {
            for (byte[] a : argv) {
                sum += a.length;
            }
        }
        return sum;
    }

    /** The size of {@code argv} as a RESP request: what the query buffer held for it. */
    private static long requestSize(byte[][] argv) {
        long n = 1 + Integer.toString(argv.length).length() + 2;
        for (byte[] a : argv) {
            n += 1 + Integer.toString(a.length).length() + 2 + a.length + 2;
        }
        return n;
    }

    private static long multiMemory(ClientSession c) {
        long sum = 0;
        if (c.inMulti && c.queued != null) {
            for (byte[][] q : c.queued) {
                sum += argvMemory(q) + 8L * q.length;
            }
        }
        return sum;
    }

    /** What a client costs: its buffers and pending arguments plus a fixed overhead. */
    static long totalMemory(ClientSession c, byte[][] argv) {
        return CLIENT_OVERHEAD + REPLY_BUFFER_SIZE + c.conn.queryBufferSize() + c.conn.queryBufferFree()
                + c.conn.outputBufferSize() + (argv != null ? argvMemory(argv) : c.conn.partialArgvSize())
                + multiMemory(c);
    }

    // ---- CLIENT KILL ----

    private void kill(CommandContext ctx) {
        ClientSession self = session(ctx);
        Filter f = ctx.argc() == 3 ? Filter.address(Bytes.str(ctx.arg(2))) : parseFilter(ctx);
        List<ClientSession> victims = new ArrayList<>();
        for (ClientSession c : server.clients().values()) {
            if (f.matches(c) && !(c == self && f.skipMe)) {
                victims.add(c);
            }
        }
        boolean closeSelf = false;
        for (ClientSession c : victims) {
            if (c == self) {
                closeSelf = true;
            } else {
                server.close(c);
                server.disconnected(c);
            }
        }
        if (ctx.argc() == 3) {
            if (victims.isEmpty()) {
                throw new CommandException("ERR No such client");
            }
            ctx.reply().ok();
        } else {
            ctx.reply().integer(victims.size());
        }
        if (closeSelf) {
            server.close(self);
        }
    }

    /** CLIENT KILL's filters; unset ones match every client. */
    private static final class Filter {
        String addr;
        String laddr;
        String type;
        String user;
        long id;
        boolean skipMe = true;

        static Filter address(String addr) {
            Filter f = new Filter();
            f.addr = addr;
            f.skipMe = false;
            return f;
        }

        boolean matches(ClientSession c) {
            return (addr == null || addr.equals(c.conn.remoteAddress()))
                    && (laddr == null || laddr.equals(c.conn.localAddress()))
                    && (type == null || type.equals(typeOf(c)))
                    && (user == null || user.equals(c.user))
                    && (id == 0 || id == c.id);
        }
    }

    private Filter parseFilter(CommandContext ctx) {
        Filter f = new Filter();
        for (int i = 2; i < ctx.argc(); i += 2) {
            if (i + 1 >= ctx.argc()) {
                throw Errors.syntax();
            }
            byte[] value = ctx.arg(i + 1);
            switch (ctx.argLower(i)) {
                case "id" -> f.id = clientId(value);
                case "type" -> f.type = clientType(value);
                case "addr" -> f.addr = Bytes.str(value);
                case "laddr" -> f.laddr = Bytes.str(value);
                case "user" -> f.user = knownUser(Bytes.str(value));
                case "skipme" -> {
                    if (Bytes.is(value, "yes")) {
                        f.skipMe = true;
                    } else if (Bytes.is(value, "no")) {
                        f.skipMe = false;
                    } else {
                        throw Errors.syntax();
                    }
                }
                default -> throw Errors.syntax();
            }
        }
        return f;
    }

    private static long clientId(byte[] value) {
        try {
            long id = Bytes.parseLong(value);
            if (id >= 1) {
                return id;
            }
        } catch (NumberFormatException e) {
            // same error as a non-positive id
        }
        throw new CommandException("ERR client-id should be greater than 0");
    }

    /** Without the ACL bundle the users are "default" and whoever is logged in now. */
    private String knownUser(String user) {
        io.modis.api.AccessControl ac = server.accessControl;
        if (ac != null) {
            if (ac.hasUser(user)) {
                return user;
            }
            throw new CommandException("ERR No such user '" + user + "'");
        }
        if (user.equals("default")) {
            return user;
        }
        for (ClientSession c : server.clients().values()) {
            if (user.equals(c.user)) {
                return user;
            }
        }
        throw new CommandException("ERR No such user '" + user + "'");
    }

    // ---- per-connection modes ----

    private void reply(CommandContext ctx) {
        ClientSession c = session(ctx);
        if (Bytes.is(ctx.arg(2), "on")) {
            c.replyMode = ClientSession.ReplyMode.ON;
            // this very reply is sent even though the command started with replies off
            Reply r = ctx.reply() instanceof DiscardingReply ? c.conn.reply() : ctx.reply();
            r.ok();
        } else if (Bytes.is(ctx.arg(2), "off")) {
            c.replyMode = ClientSession.ReplyMode.OFF;
        } else if (Bytes.is(ctx.arg(2), "skip")) {
            if (c.replyMode != ClientSession.ReplyMode.OFF) {
                c.replyMode = ClientSession.ReplyMode.SKIP_NEXT;
            }
        } else {
            throw Errors.syntax();
        }
    }

    private void noEvict(CommandContext ctx) {
        if (Bytes.is(ctx.arg(2), "on")) {
            session(ctx).noEvict = true;
        } else if (Bytes.is(ctx.arg(2), "off")) {
            session(ctx).noEvict = false;
        } else {
            throw Errors.syntax();
        }
        ctx.reply().ok();
    }

    private void caching(CommandContext ctx) {
        server.tracking.caching(session(ctx), ctx.arg(2));
        ctx.reply().ok();
    }

    private void getredir(CommandContext ctx) {
        Tracking.State t = session(ctx).tracking;
        ctx.reply().integer(t == null ? -1 : t.redirect);
    }

    private void trackinginfo(CommandContext ctx) {
        server.tracking.trackingInfo(session(ctx), ctx.reply());
    }

    // ---- PAUSE / UNPAUSE / UNBLOCK ----

    private void pause(CommandContext ctx) {
        if (ctx.argc() > 4) {
            throw Errors.syntax();
        }
        boolean writesOnly = false;
        if (ctx.argc() == 4) {
            if (Bytes.is(ctx.arg(3), "write")) {
                writesOnly = true;
            } else if (!Bytes.is(ctx.arg(3), "all")) {
                throw new CommandException("ERR CLIENT PAUSE mode must be WRITE or ALL");
            }
        }
        long timeout;
        try {
            timeout = Bytes.parseLong(ctx.arg(2));
        } catch (NumberFormatException e) {
            throw new CommandException("ERR timeout is not an integer or out of range");
        }
        if (timeout < 0) {
            throw new CommandException(Errors.TIMEOUT_NEGATIVE);
        }
        long now = System.currentTimeMillis();
        server.pause(timeout > Long.MAX_VALUE - now ? Long.MAX_VALUE : now + timeout, writesOnly);
        ctx.reply().ok();
    }

    private void unpause(CommandContext ctx) {
        server.unpause();
        ctx.reply().ok();
    }

    private void unblock(CommandContext ctx) {
        if (ctx.argc() > 4) {
            throw Errors.syntax();
        }
        boolean withError = false;
        if (ctx.argc() == 4) {
            if (Bytes.is(ctx.arg(3), "error")) {
                withError = true;
            } else if (!Bytes.is(ctx.arg(3), "timeout")) {
                throw new CommandException("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR");
            }
        }
        long id = ctx.argLong(2);
        ClientSession target = server.clients().get(id);
        if (target == null || !target.blocked()) {
            ctx.reply().integer(0);
            return;
        }
        server.unblock(target, withError);
        if (withError) {
            // the blocked command fails now: count it as Redis does
            server.stats.error("UNBLOCKED client unblocked via CLIENT UNBLOCK");
            CommandTable.Entry blockedCommand = server.commands.lookupFullName(target.lastCommand);
            if (blockedCommand != null) {
                blockedCommand.failedCalls++;
            }
        }
        ctx.reply().integer(1);
    }
}
