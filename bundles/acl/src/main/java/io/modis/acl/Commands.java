package io.modis.acl;

import io.modis.api.AccessControl;
import io.modis.api.ChannelSpec;
import io.modis.api.Command;
import io.modis.api.CommandFlag;
import io.modis.api.CommandKeys;
import io.modis.api.CommandSpec;
import io.modis.api.KeySpec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The acl bundle's view of the command table: an id per command name (the bit selectors keep
 * for it; stable while a bundle is swapped) and what checks read of each command's metadata,
 * computed once per spec. Engine thread only.
 */
final class Commands {
    static final int READ = 1;
    static final int WRITE = 2;
    /** A key spec whose arguments are not keys (SPUBLISH's channel): skipped by checks. */
    static final int NOT_KEY = 4;

    /** One command (or subcommand) as the checks see it. */
    static final class Cmd {
        final CommandSpec spec;
        final int id;
        final long categories;
        final boolean hasKeys;
        final boolean noAuth;
        final boolean module;
        final ChannelSpec channels;
        /**
         * Plain range key specs (no keyword, count or key finder), read without allocating:
         * begin index, last (relative to begin if >= 0, else from the end), step, permissions.
         * Null when the command needs CommandKeys.find.
         */
        final int[][] ranges;
        /** Permission bits (READ / WRITE / NOT_KEY) by key-spec flags list identity. */
        private final IdentityHashMap<List<String>, Integer> keyFlags = new IdentityHashMap<>();

        Cmd(CommandSpec spec, int id) {
            this.spec = spec;
            this.id = id;
            this.categories = Categories.of(spec);
            this.hasKeys = CommandKeys.hasKeys(spec);
            this.noAuth = spec.has(CommandFlag.NO_AUTH);
            this.module = spec.has(CommandFlag.MODULE);
            this.channels = spec.channels();
            List<KeySpec> specs = CommandKeys.specs(spec);
            int[][] r = new int[specs.size()][];
            for (int i = 0; i < specs.size(); i++) {
                KeySpec k = specs.get(i);
                keyFlags.put(k.flags(), permissions(k.flags()));
                boolean plain = k.keyword() == null && !k.keynum() && !k.isUnknown() && k.limit() == 0;
                r[i] = plain ? new int[] {k.beginIndex(), k.lastKey(), Math.max(1, k.keyStep()),
                        permissions(k.flags())} : null;
                if (r[i] == null) {
                    r = null;
                    break;
                }
            }
            this.ranges = spec.keyFinder() == null && spec.arity() != 0 ? r : null;
        }

        /** The permissions a key found with spec flags {@code flags} needs. */
        int needs(List<String> flags) {
            Integer p = keyFlags.get(flags);
            return p != null ? p : permissions(flags);
        }

        String name() {
            return spec.name();
        }
    }

    private static int permissions(List<String> flags) {
        int p = 0;
        for (String f : flags) {
            switch (f.toUpperCase(Locale.ROOT)) {
                case "ACCESS" -> p |= READ;
                case "INSERT", "DELETE", "UPDATE" -> p |= WRITE;
                case "NOT_KEY" -> p |= NOT_KEY;
                default -> {
                }
            }
        }
        return p;
    }

    private final AccessControl.Host host;
    private final Map<String, Integer> ids = new HashMap<>();
    private final IdentityHashMap<CommandSpec, Cmd> bySpec = new IdentityHashMap<>();

    Commands(AccessControl.Host host) {
        this.host = host;
    }

    /** The checks' view of {@code spec}. */
    Cmd of(CommandSpec spec) {
        Cmd c = bySpec.get(spec);
        if (c == null) {
            Integer id = ids.get(spec.name());
            if (id == null) {
                id = ids.size();
                ids.put(spec.name(), id);
            }
            c = new Cmd(spec, id);
            bySpec.put(spec, c);
        }
        return c;
    }

    /** A command or "container|sub" by name (any case), or null. */
    Cmd lookup(String name) {
        CommandSpec s = host.command(name.toLowerCase(Locale.ROOT));
        return s == null ? null : of(s);
    }

    /** The subcommands of {@code c} (empty for a plain command). */
    List<Cmd> subcommands(Cmd c) {
        List<Command> subs = c.spec.subcommands();
        if (subs.isEmpty()) {
            return List.of();
        }
        List<Cmd> out = new ArrayList<>(subs.size());
        for (Command s : subs) {
            out.add(of(s.spec()));
        }
        return out;
    }

    /** Every top-level command of the table, in table order. */
    List<Cmd> all() {
        List<Cmd> out = new ArrayList<>();
        for (CommandSpec s : host.commands()) {
            out.add(of(s));
        }
        return out;
    }
}
