package io.modis.core;

import io.modis.api.Bytes;
import io.modis.api.Command;
import io.modis.api.CommandContext;
import io.modis.api.CommandException;
import io.modis.api.CommandSpec;
import io.modis.api.Errors;
import io.modis.api.Reply;

import java.util.List;

import static io.modis.api.CommandFlag.ALLOW_BUSY;
import static io.modis.api.CommandFlag.FAST;
import static io.modis.api.CommandFlag.LOADING;
import static io.modis.api.CommandFlag.NOSCRIPT;
import static io.modis.api.CommandFlag.NO_AUTH;
import static io.modis.api.CommandFlag.SENTINEL;
import static io.modis.api.CommandFlag.STALE;
import static io.modis.core.CoreCommands.command;

/** PING ECHO QUIT RESET HELLO SELECT AUTH. */
final class ConnectionCommands {
    private final Server server;

    ConnectionCommands(Server server) {
        this.server = server;
    }

    private static CommandSpec.Builder spec(String name, int arity) {
        return CommandSpec.of(name, arity).group("connection").acl("connection");
    }

    List<Command> commands() {
        return List.of(
                command(spec("ping", -1).flags(FAST, SENTINEL).since("1.0.0")
                        .summary("Returns the server's liveliness response."), this::ping),
                command(spec("echo", 2).flags(LOADING, STALE, FAST).summary("Returns the given string."),
                        ctx -> ctx.reply().bulk(ctx.arg(1))),
                command(spec("quit", -1).flags(ALLOW_BUSY, NOSCRIPT, LOADING, STALE, FAST, NO_AUTH)
                        .summary("Closes the connection."), ctx -> {
                            ctx.reply().ok();
                            server.close(session(ctx));
                        }),
                command(spec("reset", 1).flags(NOSCRIPT, LOADING, STALE, FAST, NO_AUTH, ALLOW_BUSY).since("6.2.0")
                        .summary("Resets the connection."), this::reset),
                command(spec("hello", -1).flags(NOSCRIPT, LOADING, STALE, FAST, NO_AUTH, SENTINEL, ALLOW_BUSY)
                        .since("6.0.0").summary("Handshakes with the server."), this::hello),
                command(spec("select", 2).flags(LOADING, STALE, FAST).summary("Changes the selected database."),
                        this::select),
                command(spec("auth", -2).flags(NOSCRIPT, LOADING, STALE, FAST, NO_AUTH, SENTINEL, ALLOW_BUSY)
                        .summary("Authenticates the connection."), this::auth));
    }

    static ClientSession session(CommandContext ctx) {
        return (ClientSession) ctx.client();
    }

    private void ping(CommandContext ctx) {
        if (ctx.argc() > 2) {
            throw Errors.wrongArity("ping");
        }
        if (session(ctx).inSubscriberMode()) {
            // a RESP2 subscriber reads replies as messages: PING answers in that shape
            ctx.reply().array(2);
            ctx.reply().bulk(Bytes.of("pong"));
            ctx.reply().bulk(ctx.argc() == 1 ? new byte[0] : ctx.arg(1));
        } else if (ctx.argc() == 1) {
            ctx.reply().simple("PONG");
        } else {
            ctx.reply().bulk(ctx.arg(1));
        }
    }

    private void reset(CommandContext ctx) {
        ClientSession c = session(ctx);
        server.discard(c);
        server.unwatchAll(c);
        c.db = server.db(0);
        c.protocol = 2;
        c.connection().protocol(2);
        c.name = null;
        c.replyMode = ClientSession.ReplyMode.ON;
        c.noEvict = false;
        c.authenticated = server.startsAuthenticated();
        c.user = "default";
        server.unmonitor(c);
        server.clientReset(c);
        ctx.reply().simple("RESET");
    }

    private void select(CommandContext ctx) {
        long id;
        try {
            id = Bytes.parseLong(ctx.arg(1));
        } catch (NumberFormatException e) {
            throw new CommandException("ERR value is not an integer or out of range");
        }
        if (id < 0 || id >= server.databases()) {
            throw new CommandException(Errors.DB_INDEX);
        }
        session(ctx).db = server.db((int) id);
        ctx.reply().ok();
    }

    /** Checks a user's password: the acl bundle's users, or requirepass for "default" without it. */
    private boolean checkPassword(ClientSession c, byte[] userName, byte[] pass) {
        io.modis.api.AccessControl ac = server.accessControl;
        if (ac != null) {
            return ac.authenticate(c, userName, pass);
        }
        String user = Bytes.str(userName);
        String required = server.requirePass();
        if (!user.equals("default")) {
            return false;
        }
        return required == null ? true : required.equals(Bytes.str(pass));
    }

    private void auth(CommandContext ctx) {
        if (ctx.argc() > 3) {
            throw Errors.syntax();
        }
        ClientSession c = session(ctx);
        byte[] user = ctx.argc() == 3 ? ctx.arg(1) : Bytes.of("default");
        byte[] pass = ctx.arg(ctx.argc() - 1);
        io.modis.api.AccessControl ac = server.accessControl;
        if (ctx.argc() == 2 && (ac != null ? ac.defaultUserNoPass() : server.requirePass() == null)) {
            throw new CommandException("ERR AUTH <password> called without any password configured for the "
                    + "default user. Are you sure your configuration is correct?");
        }
        if (!checkPassword(c, user, pass)) {
            throw new CommandException("WRONGPASS invalid username-password pair or user is disabled.");
        }
        c.authenticated = true;
        c.user = Bytes.str(user);
        ctx.reply().ok();
    }

    private void hello(CommandContext ctx) {
        ClientSession c = session(ctx);
        int ver = c.protocol;
        int i = 1;
        if (ctx.argc() >= 2) {
            long v;
            try {
                v = Bytes.parseLong(ctx.arg(1));
            } catch (NumberFormatException e) {
                throw new CommandException("ERR Protocol version is not an integer or out of range");
            }
            if (v < 2 || v > 3) {
                throw new CommandException("NOPROTO unsupported protocol version");
            }
            ver = (int) v;
            i = 2;
        }
        String newName = null;
        boolean nameSet = false;
        for (; i < ctx.argc(); i++) {
            String opt = ctx.argLower(i);
            if (opt.equals("auth") && ctx.argc() - i - 1 >= 2) {
                byte[] user = ctx.arg(i + 1);
                byte[] pass = ctx.arg(i + 2);
                if (!checkPassword(c, user, pass)) {
                    throw new CommandException("WRONGPASS invalid username-password pair or user is disabled.");
                }
                c.authenticated = true;
                c.user = Bytes.str(user);
                i += 2;
            } else if (opt.equals("setname") && ctx.argc() - i - 1 >= 1) {
                newName = Bytes.str(ctx.arg(i + 1));
                ClientCommands.validateName(newName);
                nameSet = true;
                i++;
            } else {
                throw new CommandException("ERR Syntax error in HELLO option '" + Bytes.str(ctx.arg(i)) + "'");
            }
        }
        if (!c.authenticated) {
            throw new CommandException("NOAUTH HELLO must be called with the client already authenticated, "
                    + "otherwise the HELLO <proto> AUTH <user> <pass> option can be used to authenticate the "
                    + "client and select the RESP protocol version at the same time");
        }
        if (nameSet) {
            c.name = newName.isEmpty() ? null : newName;
        }
        c.protocol = ver;
        c.connection().protocol(ver);
        Reply r = ctx.reply();
        r.map(7);
        r.bulk("server");
        r.bulk("redis");
        r.bulk("version");
        r.bulk(CoreComponent.REDIS_VERSION);
        r.bulk("proto");
        r.integer(ver);
        r.bulk("id");
        r.integer(c.id);
        r.bulk("mode");
        r.bulk("standalone");
        r.bulk("role");
        r.bulk("master");
        r.bulk("modules");
        r.array(0);
    }
}
