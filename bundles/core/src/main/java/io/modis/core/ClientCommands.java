package io.modis.core;

import io.modis.api.Command;
import io.modis.api.CommandContext;
import io.modis.api.CommandException;
import io.modis.api.CommandSpec;
import io.modis.api.Errors;

import static io.modis.api.CommandFlag.LOADING;
import static io.modis.api.CommandFlag.NOSCRIPT;
import static io.modis.api.CommandFlag.STALE;
import static io.modis.core.ConnectionCommands.session;

/** CLIENT and its subcommands. */
final class ClientCommands {
    private final Server server;

    ClientCommands(Server server) {
        this.server = server;
    }

    private static CommandSpec.Builder sub(String name, int arity) {
        return CommandSpec.of("client|" + name, arity).group("connection").acl("slow", "connection");
    }

    Command command() {
        CommandSpec spec = CommandSpec.of("client", -2).group("connection").since("2.4.0")
                .summary("A container for client connection commands.")
                .subcommand(new Command(sub("id", 2).flags(NOSCRIPT, LOADING, STALE).since("5.0.0")
                        .summary("Returns the unique client ID of the connection.").build(),
                        ctx -> ctx.reply().integer(session(ctx).id)))
                .build();
        return new Command(spec, ctx -> {
            throw Errors.unknownSubcommand(ctx.argLower(1), "client");
        });
    }

    /** Client names cannot contain spaces, newlines or special characters. */
    static void validateName(String name) {
        for (char ch : name.toCharArray()) {
            if (ch < '!' || ch > '~') {
                throw new CommandException("ERR Client names cannot contain spaces, newlines or special characters.");
            }
        }
    }

    static ClientSession current(CommandContext ctx) {
        return session(ctx);
    }

    Server server() {
        return server;
    }
}
