package io.modis.core;

import io.modis.api.Command;
import io.modis.api.CommandContext;
import io.modis.api.CommandException;
import io.modis.api.CommandSpec;

import static io.modis.api.CommandFlag.ADMIN;
import static io.modis.api.CommandFlag.LOADING;
import static io.modis.api.CommandFlag.NOSCRIPT;
import static io.modis.api.CommandFlag.PROTECTED;
import static io.modis.api.CommandFlag.STALE;

/** DEBUG, gated by enable-debug-command. */
final class DebugCommand {
    private final Server server;

    DebugCommand(Server server) {
        this.server = server;
    }

    Command command() {
        return new Command(CommandSpec.of("debug", -2).group("server").flags(ADMIN, NOSCRIPT, LOADING, STALE, PROTECTED)
                .acl("admin", "slow", "dangerous").summary("A container for debugging commands.").build(), this::debug);
    }

    private void debug(CommandContext ctx) {
        String sub = ctx.argLower(1);
        switch (sub) {
            case "set-active-expire" -> {
                server.activeExpire(ctx.argLong(2) != 0);
                ctx.reply().ok();
            }
            default -> throw new CommandException("ERR unknown subcommand '" + sub + "'. Try DEBUG HELP.");
        }
    }
}
