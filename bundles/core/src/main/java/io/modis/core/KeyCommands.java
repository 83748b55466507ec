package io.modis.core;

import io.modis.api.Command;
import io.modis.api.CommandContext;
import io.modis.api.CommandSpec;
import io.modis.api.KeySpec;
import io.modis.api.Value;

import java.util.List;

import static io.modis.api.CommandFlag.FAST;
import static io.modis.api.CommandFlag.READONLY;
import static io.modis.api.CommandFlag.WRITE;
import static io.modis.core.CoreCommands.command;

/** Generic key commands: DEL UNLINK EXISTS TYPE RENAME ... EXPIRE TTL ... OBJECT SCAN KEYS. */
final class KeyCommands {
    private final Server server;

    KeyCommands(Server server) {
        this.server = server;
    }

    private static CommandSpec.Builder spec(String name, int arity) {
        return CommandSpec.of(name, arity).group("generic").acl("keyspace");
    }

    List<Command> commands() {
        return List.of(
                command(spec("del", -2).flags(WRITE).acl("write", "slow").keys(1, -1, 1)
                        .keySpec(KeySpec.range(1, -1, 1, "RM", "DELETE")).summary("Deletes one or more keys."),
                        this::del),
                command(spec("exists", -2).flags(READONLY, FAST).acl("read", "fast").keys(1, -1, 1)
                        .keySpec(KeySpec.range(1, -1, 1, "RO")).since("1.0.0")
                        .summary("Determines whether one or more keys exist."), this::exists),
                command(spec("type", 2).flags(READONLY, FAST).acl("read", "fast").keys(1, 1, 1)
                        .keySpec(KeySpec.range(1, 0, 1, "RO")).summary("Determines the type of value stored at a key."),
                        this::type));
    }

    private void del(CommandContext ctx) {
        long n = 0;
        for (int i = 1; i < ctx.argc(); i++) {
            if (ctx.db().delete(ctx.arg(i))) {
                n++;
                ctx.touched(ctx.db(), ctx.arg(i));
                ctx.notify('g', "del", ctx.arg(i), ctx.db());
            }
        }
        ctx.dirty(n);
        ctx.reply().integer(n);
    }

    private void exists(CommandContext ctx) {
        long n = 0;
        for (int i = 1; i < ctx.argc(); i++) {
            if (((Db) ctx.db()).peek(ctx.arg(i)) != null) {
                n++;
            }
        }
        ctx.reply().integer(n);
    }

    private void type(CommandContext ctx) {
        Value v = ((Db) ctx.db()).peek(ctx.arg(1));
        ctx.reply().simple(v == null ? "none" : v.type().name());
    }

    Server server() {
        return server;
    }
}
