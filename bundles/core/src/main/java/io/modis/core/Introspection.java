package io.modis.core;

import io.modis.api.Command;
import io.modis.api.CommandContext;
import io.modis.api.CommandSpec;
import io.modis.api.Reply;

import java.util.List;

import static io.modis.api.CommandFlag.LOADING;
import static io.modis.api.CommandFlag.SENTINEL;
import static io.modis.api.CommandFlag.STALE;
import static io.modis.core.CoreCommands.command;

/** INFO and COMMAND: what the server knows about itself. */
final class Introspection {
    private final Server server;

    Introspection(Server server) {
        this.server = server;
    }

    List<Command> commands() {
        return List.of(
                command(CommandSpec.of("info", -1).group("server").flags(LOADING, STALE, SENTINEL).acl("dangerous")
                        .summary("Returns information and statistics about the server."), this::info));
    }

    private void info(CommandContext ctx) {
        StringBuilder sb = new StringBuilder();
        sb.append("# Server\r\nredis_version:").append(CoreComponent.REDIS_VERSION).append("\r\n");
        ctx.reply().verbatim("txt", io.modis.api.Bytes.of(sb.toString()));
    }

    /** Writes a HELP reply: the title line, the given lines, then the HELP line itself. */
    static void help(Reply r, String command, List<String> lines) {
        r.array(lines.size() + 3);
        r.simple(command + " <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
        for (String l : lines) {
            r.simple(l);
        }
        r.simple("HELP");
        r.simple("    Print this help.");
    }
}
