package io.modis.core;

import io.modis.api.Command;
import io.modis.api.CommandHandler;
import io.modis.api.CommandSpec;

import java.util.ArrayList;
import java.util.List;

/** The commands the core itself provides, gathered from its command families. */
final class CoreCommands {
    private final Server server;
    CoreCommands(Server server) {
        this.server = server;
    }

    List<Command> commands() {
        List<Command> all = new ArrayList<>();
        all.addAll(new ConnectionCommands(server).commands());
        all.addAll(new TransactionCommands(server).commands());
        all.addAll(new ServerCommands(server).commands());
        all.addAll(new KeyCommands(server).commands());
        return all;
    }

    /** Shorthand used by the families: a command from its spec and handler. */
    static Command command(CommandSpec.Builder spec, CommandHandler handler) {
        return new Command(spec.build(), handler);
    }
}
