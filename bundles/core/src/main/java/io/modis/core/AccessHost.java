package io.modis.core;

import io.modis.api.AccessControl;
import io.modis.api.Client;
import io.modis.api.CommandSpec;
import io.modis.api.Config;
import io.modis.api.ServerLog;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** What the core shows the access-control service: config, "user" lines, commands, clients. */
final class AccessHost implements AccessControl.Host {
    private final Server server;
    private final List<List<String>> directives;

    /** {@code directives}: the config file's non-parameter lines, each as directive + args. */
    AccessHost(Server server, List<List<String>> directives) {
        this.server = server;
        this.directives = directives;
    }

    /** Attaches {@code ac} to the server (engine thread). */
    static void attach(Server server, AccessControl ac, List<List<String>> directives) {
        ac.attach(new AccessHost(server, directives));
        server.accessControl = ac;
    }

    @Override
    public Config config() {
        return server.config;
    }

    @Override
    public ServerLog log() {
        return server.log;
    }

    @Override
    public List<List<String>> directives(String name) {
        List<List<String>> out = new ArrayList<>();
        for (List<String> d : directives) {
            if (d.get(0).equalsIgnoreCase(name)) {
                out.add(d.subList(1, d.size()));
            }
        }
        return out;
    }

    @Override
    public Collection<CommandSpec> commands() {
        List<CommandSpec> out = new ArrayList<>();
        for (CommandTable.Entry e : server.commands.all()) {
            out.add(e.command.spec());
        }
        return out;
    }

    @Override
    public CommandSpec command(String fullName) {
        CommandTable.Entry e = server.commands.lookupFullName(fullName);
        return e == null ? null : e.command.spec();
    }

    @Override
    public Collection<? extends Client> clients() {
        return new ArrayList<>(server.clients().values());
    }
}
