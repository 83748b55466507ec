package io.modis.core;

import io.modis.api.Bytes;
import io.modis.api.Command;
import io.modis.api.CommandContext;
import io.modis.api.CommandException;
import io.modis.api.CommandSpec;
import io.modis.api.Errors;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.modis.api.CommandFlag.ADMIN;
import static io.modis.api.CommandFlag.LOADING;
import static io.modis.api.CommandFlag.NOSCRIPT;
import static io.modis.api.CommandFlag.STALE;

/** CONFIG GET / SET / RESETSTAT / REWRITE / HELP. */
final class ConfigCommand {
    private final Server server;

    ConfigCommand(Server server) {
        this.server = server;
    }

    private static CommandSpec.Builder sub(String name, int arity) {
        return CommandSpec.of("config|" + name, arity).group("server");
    }

    Command command() {
        CommandSpec spec = CommandSpec.of("config", -2).group("server").since("2.0.0")
                .summary("A container for server configuration commands.")
                .subcommand(new Command(sub("get", -3).flags(ADMIN, NOSCRIPT, LOADING, STALE)
                        .acl("admin", "slow", "dangerous").since("2.0.0")
                        .summary("Returns the effective values of configuration parameters.").build(), this::get))
                .subcommand(new Command(sub("set", -4).flags(ADMIN, NOSCRIPT, LOADING, STALE)
                        .acl("admin", "slow", "dangerous").since("2.0.0")
                        .summary("Sets configuration parameters in-flight.").build(), this::set))
                .subcommand(new Command(sub("resetstat", 2).flags(ADMIN, NOSCRIPT, LOADING, STALE)
                        .acl("admin", "slow", "dangerous").since("2.0.0")
                        .summary("Resets the server's statistics.").build(), this::resetstat))
                .subcommand(new Command(sub("rewrite", 2).flags(ADMIN, NOSCRIPT, LOADING, STALE)
                        .acl("admin", "slow", "dangerous").since("2.8.0")
                        .summary("Persists the effective configuration to file.").build(), this::rewrite))
                .subcommand(new Command(sub("help", 2).flags(LOADING, STALE).acl("slow").since("5.0.0")
                        .summary("Returns helpful text about the different subcommands.").build(), this::help))
                .build();
        return new Command(spec, ctx -> {
            throw Errors.unknownSubcommand(ctx.argLower(1), "config");
        });
    }

    private void get(CommandContext ctx) {
        List<String> patterns = new ArrayList<>();
        for (int i = 2; i < ctx.argc(); i++) {
            patterns.add(Bytes.str(ctx.arg(i)));
        }
        ServerCommands.replyMap(ctx.reply(), server.config.get(patterns));
    }

    private void set(CommandContext ctx) {
        if ((ctx.argc() - 2) % 2 != 0) {
            throw Errors.wrongArity("config|set");
        }
        List<String[]> pairs = new ArrayList<>();
        for (int i = 2; i < ctx.argc(); i += 2) {
            pairs.add(new String[] {Bytes.str(ctx.arg(i)), Bytes.str(ctx.arg(i + 1))});
        }
        ClientSession c = (ClientSession) ctx.client();
        String prot = server.config.get("enable-protected-configs");
        boolean allowed = "yes".equals(prot) || ("local".equals(prot) && c != null && isLocal(c));
        server.config.set(pairs, allowed, server.persistence.loading ? PersistenceState.LOADING_ERROR : null);
        ctx.reply().ok();
    }

    private static boolean isLocal(ClientSession c) {
        String a = c.connection().remoteAddress();
        return c.connection().unixSocket() || a.startsWith("127.") || a.startsWith("::1") || a.startsWith("[::1]");
    }

    private void resetstat(CommandContext ctx) {
        server.stats.reset();
        for (CommandTable.Entry e : server.commands.all()) {
            reset(e);
            for (CommandTable.Entry s : e.subcommands()) {
                reset(s);
            }
        }
        ctx.reply().ok();
    }

    private static void reset(CommandTable.Entry e) {
        e.calls = 0;
        e.micros = 0;
        e.rejectedCalls = 0;
        e.failedCalls = 0;
        e.latency = null;
    }

    /**
     * Rewrites the config file: lines of parameters that still exist are updated in place,
     * parameters changed from their default are appended, parameters back at their default
     * whose lines were present are kept as they are now.
     */
    private void rewrite(CommandContext ctx) {
        if (server.configFile == null) {
            throw new CommandException("ERR The server is running without a config file");
        }
        try {
            rewriteFile(false);
        } catch (IOException e) {
            throw new CommandException("ERR Rewriting config file: " + e.getMessage());
        }
        server.log.notice("CONFIG REWRITE executed with success.");
        ctx.reply().ok();
    }

    /**
     * DEBUG CONFIG-REWRITE-FORCE-ALL: every parameter is written, defaults included, so that the
     * file alone gives back every CONFIG GET value when it is loaded again.
     */
    void rewriteForceAll(CommandContext ctx) {
        try {
            if (server.configFile == null) {
                throw new java.nio.file.NoSuchFileException("no config file");
            }
            rewriteFile(true);
        } catch (IOException e) {
            throw new CommandException("ERR CONFIG-REWRITE-FORCE-ALL failed: "
                    + (e instanceof java.nio.file.NoSuchFileException ? "No such file or directory" : e.getMessage()));
        }
        ctx.reply().ok();
    }

    private void rewriteFile(boolean forceAll) throws IOException {
        String file = server.configFile;
        List<String> lines = Files.exists(Path.of(file))
                ? new ArrayList<>(Files.readAllLines(Path.of(file), StandardCharsets.UTF_8)) : new ArrayList<>();
        Map<String, String> values = server.config.all();
        if (forceAll) {
            // as Redis: replicaof only when there is a master
            values.keySet().removeIf(name -> name.equals("replicaof") && values.get(name).isEmpty());
        }
        Set<String> written = new LinkedHashSet<>();
        List<String> out = new ArrayList<>();
        io.modis.api.AccessControl ac = server.accessControl;
        List<String> users = ac == null ? null : ac.configUserLines();
        boolean usersWritten = false;
        for (String line : lines) {
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#")) {
                out.add(line);
                continue;
            }
            String name = t.split("\\s+", 2)[0].toLowerCase(java.util.Locale.ROOT);
            if (users != null && name.equals("user")) {
                // the acl bundle's live users replace the file's user lines, in one place
                if (!usersWritten) {
                    out.addAll(users);
                    usersWritten = true;
                }
                continue;
            }
            String canonical = server.config.canonical(name);
            if (!values.containsKey(canonical)) {
                if (!(forceAll && canonical.equals("replicaof"))) {
                    out.add(line);
                }
                continue;
            }
            if (written.add(canonical)) {
                out.addAll(render(canonical, values.get(canonical)));
            }
        }
        Map<String, String> changed = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : values.entrySet()) {
            if (written.contains(e.getKey())) {
                continue;
            }
            String def = server.config.defaultText(e.getKey());
            if (forceAll || (def != null && !def.equals(e.getValue()))) {
                changed.put(e.getKey(), e.getValue());
            }
        }
        boolean moreUsers = users != null && !usersWritten && !users.isEmpty();
        if (!changed.isEmpty() || moreUsers) {
            out.add("# Generated by CONFIG REWRITE");
            for (Map.Entry<String, String> e : changed.entrySet()) {
                out.addAll(render(e.getKey(), e.getValue()));
            }
            if (moreUsers) {
                out.addAll(users);
            }
        }
        Path tmp = Path.of(file + ".tmp-" + ProcessHandle.current().pid());
        Files.write(tmp, out, StandardCharsets.UTF_8);
        Files.move(tmp, Path.of(file), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static List<String> render(String name, String value) {
        if (name.equals("save") && !value.isEmpty()) {
            List<String> out = new ArrayList<>();
            String[] parts = value.split(" ");
            for (int i = 0; i + 1 < parts.length; i += 2) {
                out.add("save " + parts[i] + " " + parts[i + 1]);
            }
            return out;
        }
        boolean multi = name.equals("bind") || name.equals("client-output-buffer-limit")
                || name.equals("oom-score-adj-values") || name.equals("latency-tracking-info-percentiles");
        if (multi && !value.isEmpty()) {
            return List.of(name + " " + value);
        }
        return List.of(name + " " + quote(value));
    }

    private static String quote(String v) {
        if (!v.isEmpty() && v.chars().noneMatch(ch -> ch <= ' ' || ch == '"' || ch == '\'' || ch > 126)) {
            return v;
        }
        StringBuilder sb = new StringBuilder("\"");
        for (char ch : v.toCharArray()) {
            switch (ch) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> sb.append(ch);
            }
        }
        return sb.append('"').toString();
    }

    private void help(CommandContext ctx) {
        Introspection.help(ctx.reply(), "CONFIG", List.of(
                "GET <pattern>",
                "    Return parameters matching the glob-like <pattern> and their values.",
                "SET <directive> <value>",
                "    Set the configuration <directive> to <value>.",
                "RESETSTAT",
                "    Reset statistics reported by the INFO command.",
                "REWRITE",
                "    Rewrite the configuration file."));
    }
}
