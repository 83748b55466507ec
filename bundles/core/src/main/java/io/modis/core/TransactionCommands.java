package io.modis.core;

import io.modis.api.Command;
import io.modis.api.CommandContext;
import io.modis.api.CommandException;
import io.modis.api.CommandSpec;
import io.modis.api.KeySpec;

import java.util.List;

import static io.modis.api.CommandFlag.ALLOW_BUSY;
import static io.modis.api.CommandFlag.FAST;
import static io.modis.api.CommandFlag.LOADING;
import static io.modis.api.CommandFlag.NOSCRIPT;
import static io.modis.api.CommandFlag.SKIP_SLOWLOG;
import static io.modis.api.CommandFlag.STALE;
import static io.modis.core.ConnectionCommands.session;
import static io.modis.core.CoreCommands.command;

/** MULTI EXEC DISCARD WATCH UNWATCH. */
final class TransactionCommands {
    private final Server server;

    TransactionCommands(Server server) {
        this.server = server;
    }

    private static CommandSpec.Builder spec(String name, int arity) {
        return CommandSpec.of(name, arity).group("transactions").acl("transaction");
    }

    List<Command> commands() {
        return List.of(
                command(spec("multi", 1).flags(NOSCRIPT, LOADING, STALE, FAST, ALLOW_BUSY).since("1.2.0")
                        .summary("Starts a transaction."), this::multi),
                command(spec("exec", 1).flags(NOSCRIPT, LOADING, STALE, SKIP_SLOWLOG).since("1.2.0")
                        .summary("Executes all commands in a transaction."), this::exec),
                command(spec("discard", 1).flags(NOSCRIPT, LOADING, STALE, FAST, ALLOW_BUSY).since("2.0.0")
                        .summary("Discards a transaction."), this::discard),
                command(spec("watch", -2).flags(NOSCRIPT, LOADING, STALE, FAST, ALLOW_BUSY).since("2.2.0")
                        .keys(1, -1, 1).keySpec(KeySpec.range(1, -1, 1, "RO"))
                        .summary("Monitors changes to keys to determine the execution of a transaction."),
                        this::watch),
                command(spec("unwatch", 1).flags(NOSCRIPT, LOADING, STALE, FAST, ALLOW_BUSY).since("2.2.0")
                        .summary("Forgets about watched keys of a transaction."), ctx -> {
                            server.unwatchAll(session(ctx));
                            ctx.reply().ok();
                        }));
    }

    private void multi(CommandContext ctx) {
        ClientSession c = session(ctx);
        if (c.inMulti) {
            throw new CommandException("ERR MULTI calls can not be nested");
        }
        server.multi(c);
        ctx.reply().ok();
    }

    private void exec(CommandContext ctx) {
        ClientSession c = session(ctx);
        if (!c.inMulti) {
            throw new CommandException("ERR EXEC without MULTI");
        }
        server.checkExpiredWatches(c);
        server.exec(c, ctx.reply());
    }

    private void discard(CommandContext ctx) {
        ClientSession c = session(ctx);
        if (!c.inMulti) {
            throw new CommandException("ERR DISCARD without MULTI");
        }
        server.discard(c);
        ctx.reply().ok();
    }

    private void watch(CommandContext ctx) {
        ClientSession c = session(ctx);
        if (c.inMulti) {
            throw new CommandException("ERR WATCH inside MULTI is not allowed");
        }
        for (int i = 1; i < ctx.argc(); i++) {
            server.watch(c, ctx.arg(i));
        }
        ctx.reply().ok();
    }
}
