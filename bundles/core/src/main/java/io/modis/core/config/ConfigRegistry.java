package io.modis.core.config;

import io.modis.api.Bytes;
import io.modis.api.CommandException;
import io.modis.api.Config;
import io.modis.api.ConfigParam;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * All configuration parameters: the core's own, those contributed by bundles, and the rest of
 * Redis 7.0's directives, which are accepted and kept as text until a bundle provides them (so a
 * redis.conf written for Redis loads in any distribution).
 */
public final class ConfigRegistry implements Config {
    /** One parameter's current state. */
    static final class Slot {
        final String name;
        ConfigParam param;
        Object value;
        String text;

        Slot(String name) {
            this.name = name;
        }
    }

    private final Map<String, Slot> slots = new ConcurrentHashMap<>();
    private final Map<String, String> aliasOf = new ConcurrentHashMap<>();
    private final Map<String, String> redisDefaults;

    /**
     * Values set for bundles' own parameters (module configs) whose bundle left: applied again
     * when a provider registers the parameter (a new version of the bundle, after a swap).
     */
    private final Map<String, String> detached = new ConcurrentHashMap<>();

    /** Apply steps other bundles added to parameters (see {@link #onApply}). */
    private final Map<String, List<java.util.function.Consumer<Object>>> appliers = new ConcurrentHashMap<>();

    /** Directives no parameter took (loadmodule, module parameters), as the loader found them. */
    private volatile List<List<String>> directives = List.of();

    /** Only parses (the launcher's check): parameters' listeners are never called. */
    private final boolean checkOnly;

    public ConfigRegistry(Map<String, String> redisDefaults) {
        this(redisDefaults, false);
    }

    /**
     * @param checkOnly true for a registry that only validates values (the launcher's check
     *     before the framework starts): no parameter's listener runs
     */
    public ConfigRegistry(Map<String, String> redisDefaults, boolean checkOnly) {
        this.redisDefaults = new LinkedHashMap<>(redisDefaults);
        REDIS_HIDDEN_DEFAULTS.forEach(this.redisDefaults::putIfAbsent);
        this.checkOnly = checkOnly;
        for (Map.Entry<String, String> e : this.redisDefaults.entrySet()) {
            String canonical = REDIS_ALIASES.get(e.getKey());
            if (canonical != null && this.redisDefaults.containsKey(canonical)) {
                // one slot under both names, before as after a bundle provides the parameter
                aliasOf.put(e.getKey(), canonical);
                continue;
            }
            Slot s = new Slot(e.getKey());
            s.text = e.getValue();
            slots.put(e.getKey(), s);
        }
    }

    /** Adds a parameter; a value set before (from the config file) is applied to it. */
    public synchronized void register(ConfigParam p) {
        Slot s = slots.computeIfAbsent(p.name(), Slot::new);
        String pending = s.param == null ? s.text : null;
        String kept = detached.remove(p.name());
        if (pending == null && kept != null) {
            pending = kept;
        }
        s.param = p;
        for (String a : p.aliases()) {
            aliasOf.put(a, p.name());
            slots.remove(a);
        }
        Object def = parse(p, p.defaultValue());
        s.value = def;
        boolean fromUser = pending != null && !pending.equals(redisDefaults.get(p.name()));
        if (fromUser) {
            try {
                s.value = parse(p, pending);
            } catch (IllegalArgumentException e) {
                s.value = def;
            }
        }
        if (p.listener() != null && !checkOnly) {
            p.listener().accept(s.value);
        }
    }

    /** Redis 7.0's parameters and their defaults (the core bundle's table), by name, in table order. */
    public static Map<String, String> redis70Defaults() {
        Map<String, String> m = new LinkedHashMap<>();
        String table = "/io/modis/core/redis70-config-defaults.tsv";
        try (java.io.InputStream in = ConfigRegistry.class.getResourceAsStream(table);
             java.io.BufferedReader r = new java.io.BufferedReader(
                     new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                int tab = line.indexOf('\t');
                if (tab > 0) {
                    m.put(line.substring(0, tab), line.substring(tab + 1));
                }
            }
        } catch (java.io.IOException | NullPointerException e) {
            throw new IllegalStateException("the Redis 7.0 parameter table is missing from the core bundle", e);
        }
        return m;
    }

    /** Keeps a parameter no bundle provides yet, with no value of its own (the launcher's check). */
    public void allow(String name) {
        slots.computeIfAbsent(name.toLowerCase(Locale.ROOT), Slot::new);
    }

    public void directives(List<List<String>> found) {
        directives = List.copyOf(found);
    }

    @Override
    public List<List<String>> directives() {
        return directives;
    }

    @Override
    public void set(String name, String value) {
        List<String[]> pair = new ArrayList<>();
        pair.add(new String[] {name, value});
        set(pair, true);
    }

    @Override
    public synchronized Runnable onApply(String name, java.util.function.Consumer<Object> apply) {
        String key = canonical(name);
        appliers.computeIfAbsent(key, k -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(apply);
        return () -> {
            List<java.util.function.Consumer<Object>> list = appliers.get(key);
            if (list != null) {
                list.remove(apply);
            }
        };
    }

    private static Object valueOf(Slot s) {
        return s.param != null ? s.value : s.text;
    }

    /**
     * The apply phase of CONFIG SET: runs the apply steps of the parameters just set; when one
     * refuses, every value goes back to {@code old} and the steps that ran get the old values.
     */
    private void applyPhase(List<Slot> targets, Map<Slot, Object[]> old) {
        List<Slot> ran = new ArrayList<>();
        for (Slot s : targets) {
            List<java.util.function.Consumer<Object>> steps = appliers.get(s.name);
            if (steps == null || steps.isEmpty() || Objects.equals(valueOf(s), old.get(s)[s.param != null ? 0 : 1])) {
                continue;
            }
            try {
                for (java.util.function.Consumer<Object> step : steps) {
                    step.accept(valueOf(s));
                }
                ran.add(s);
            } catch (IllegalArgumentException e) {
                for (Slot t : targets) {
                    Object[] o = old.get(t);
                    t.value = o[0];
                    t.text = (String) o[1];
                    if (t.param != null && t.param.listener() != null) {
                        try {
                            t.param.listener().accept(t.value);
                        } catch (IllegalArgumentException ignored) {
                            // the old value was accepted before
                        }
                    }
                }
                for (Slot r : ran) {
                    for (java.util.function.Consumer<Object> step : appliers.get(r.name)) {
                        try {
                            step.accept(valueOf(r));
                        } catch (IllegalArgumentException ignored) {
                            // going back to what worked before
                        }
                    }
                }
                throw new CommandException("ERR CONFIG SET failed (possibly related to argument '" + s.name + "') - "
                        + e.getMessage());
            }
        }
    }

    /** Removes a bundle's parameter; its current value is kept as text for a later provider. */
    public synchronized void unregister(ConfigParam p) {
        Slot s = slots.get(p.name());
        if (s != null && s.param == p) {
            s.text = format(s);
            s.param = null;
            s.value = null;
            if (!redisDefaults.containsKey(p.name())) {
                slots.remove(p.name());
                if (s.text != null && !s.text.equals(p.defaultValue())) {
                    detached.put(p.name(), s.text);
                }
            }
        }
    }

    /** The parameter's own name for {@code name} (an alias gives the name it stands for). */
    public String canonical(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return aliasOf.getOrDefault(n, n);
    }

    public boolean known(String name) {
        return slots.containsKey(canonical(name));
    }

    public ConfigParam param(String name) {
        Slot s = slots.get(canonical(name));
        return s == null ? null : s.param;
    }

    @Override
    public String get(String name) {
        Slot s = slots.get(canonical(name));
        return s == null ? null : format(s);
    }

    @Override
    public Object value(String name) {
        Slot s = slots.get(canonical(name));
        if (s == null) {
            return null;
        }
        return s.param != null ? s.value : s.text;
    }

    private static String format(Slot s) {
        if (s.param == null) {
            return s.text;
        }
        ConfigParam p = s.param;
        return switch (p.type()) {
            case BOOL -> ((Boolean) s.value) ? "yes" : "no";
            case INT, MEMORY -> ((Long) s.value).toString();
            case ENUM, STRING -> (String) s.value;
            case SPECIAL -> p.formatter().apply(s.value);
        };
    }

    /**
     * A parameter no bundle provides yet is kept as text; when Redis's default is a number, a
     * memory value such as "100mb" is kept as bytes, as Redis prints it.
     */
    private String asText(String name, String text) {
        if (name.equals("shutdown-on-sigint") || name.equals("shutdown-on-sigterm")) {
            return shutdownFlags(text);
        }
        String def = redisDefaults.get(name);
        if (def != null && !def.isEmpty() && def.chars().allMatch(Character::isDigit)) {
            try {
                return Long.toString(memory(text));
            } catch (IllegalArgumentException e) {
                return text;
            }
        }
        return text;
    }

    private static final List<String> SHUTDOWN_FLAGS = List.of("save", "nosave", "now", "force");

    /**
     * shutdown-on-sigint/sigterm: a set of flags, printed in Redis's table order (save nosave now
     * force), or "default" when none is set.
     */
    static String shutdownFlags(String text) {
        boolean[] on = new boolean[SHUTDOWN_FLAGS.size()];
        for (String w : text.trim().split("\\s+")) {
            String f = w.toLowerCase(Locale.ROOT);
            int i = SHUTDOWN_FLAGS.indexOf(f);
            if (i >= 0) {
                on[i] = true;
            } else if (!f.equals("default")) {
                throw new IllegalArgumentException(
                        "argument(s) must be one of the following: default, save, nosave, now, force");
            }
        }
        if (on[0] && on[1]) {
            throw new IllegalArgumentException("shutdown options SAVE and NOSAVE can't be used simultaneously");
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < on.length; i++) {
            if (on[i]) {
                out.append(out.length() == 0 ? "" : " ").append(SHUTDOWN_FLAGS.get(i));
            }
        }
        return out.length() == 0 ? "default" : out.toString();
    }

    /** Parses text for {@code p} or throws IllegalArgumentException with Redis's reason. */
    public static Object parse(ConfigParam p, String text) {
        switch (p.type()) {
            case BOOL -> {
                String t = text.toLowerCase(Locale.ROOT);
                if (t.equals("yes")) {
                    return Boolean.TRUE;
                }
                if (t.equals("no")) {
                    return Boolean.FALSE;
                }
                throw new IllegalArgumentException("argument must be 'yes' or 'no'");
            }
            case INT, MEMORY -> {
                long v;
                if (p.type() == ConfigParam.Type.MEMORY) {
                    v = memory(text);
                } else {
                    try {
                        v = Bytes.parseLong(Bytes.of(text));
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("argument couldn't be parsed into an integer");
                    }
                }
                if (v < p.min() || v > p.max()) {
                    throw new IllegalArgumentException("argument must be between " + p.min() + " and " + p.max()
                            + " inclusive");
                }
                return v;
            }
            case ENUM -> {
                String t = text.toLowerCase(Locale.ROOT);
                if (p.enumValues().contains(t)) {
                    return t;
                }
                throw new IllegalArgumentException("argument(s) must be one of the following: "
                        + String.join(", ", p.enumValues()));
            }
            case STRING -> {
                return text;
            }
            default -> {
                return p.parser().apply(text);
            }
        }
    }

    /** Redis's memtoull: digits with an optional b, k, kb, m, mb, g, gb unit (any case). */
    public static long memory(String text) {
        int i = 0;
        while (i < text.length() && Character.isDigit(text.charAt(i))) {
            i++;
        }
        String unit = text.substring(i).toLowerCase(Locale.ROOT);
        long mul = switch (unit) {
            case "", "b" -> 1;
            case "k" -> 1000;
            case "kb" -> 1024;
            case "m" -> 1000L * 1000;
            case "mb" -> 1024L * 1024;
            case "g" -> 1000L * 1000 * 1000;
            case "gb" -> 1024L * 1024 * 1024;
            default -> -1;
        };
        if (mul < 0 || i == 0) {
            throw new IllegalArgumentException("argument must be a memory value");
        }
        try {
            return Math.multiplyExact(Long.parseLong(text.substring(0, i)), mul);
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("argument must be a memory value");
        }
    }

    /** Applies one directive from the config file (args after the name). */
    public synchronized void setFromFile(String name, List<String> args, boolean multiArg) {
        Slot s = slots.get(canonical(name));
        if (s.param == null) {
            s.text = asText(s.name, String.join(" ", args));
            return;
        }
        String text = String.join(" ", args);
        Object v = parse(s.param, text);
        s.value = v;
        if (s.param.listener() != null && !checkOnly) {
            s.param.listener().accept(v);
        }
    }

    /** True if the parameter takes several arguments (bind, save, ...). */
    public boolean multiArg(String name) {
        ConfigParam p = param(name);
        if (p != null) {
            return p.has(ConfigParam.Flag.MULTI_ARG);
        }
        return MULTI_ARG_NAMES.contains(canonical(name));
    }

    private static final List<String> MULTI_ARG_NAMES = List.of("bind", "save", "client-output-buffer-limit",
            "oom-score-adj-values", "latency-tracking-info-percentiles", "shutdown-on-sigint",
            "shutdown-on-sigterm", "replicaof", "slaveof", "notify-keyspace-events");

    /**
     * CONFIG SET name value [name value ...], all or nothing.
     *
     * @param protectedAllowed whether PROTECTED parameters may be changed by this client
     */
    public synchronized void set(List<String[]> pairs, boolean protectedAllowed) {
        set(pairs, protectedAllowed, null);
    }

    /**
     * CONFIG SET while the dataset may be loading.
     *
     * @param loadingError the error for Redis's DENY_LOADING parameters while loading, or null
     *     when not loading; it wins over the other errors, as in Redis
     */
    public synchronized void set(List<String[]> pairs, boolean protectedAllowed, String loadingError) {
        List<Slot> targets = new ArrayList<>();
        boolean denyLoading = false;
        String invalidName = null;
        String errName = null;
        String err = null;
        for (String[] pair : pairs) {
            Slot s = slots.get(canonical(pair[0]));
            if (s == null) {
                if (invalidName == null) {
                    invalidName = pair[0];
                }
                continue;
            }
            if (invalidName != null || err != null) {
                continue;
            }
            if (immutable(s) || (isProtected(s) && !protectedAllowed)) {
                err = immutable(s) ? "can't set immutable config" : "can't set protected config";
                errName = pair[0];
                continue;
            }
            if (loadingError != null && REDIS_DENY_LOADING.contains(s.name)) {
                denyLoading = true;
                err = loadingError;
                continue;
            }
            if (targets.contains(s)) {
                err = "duplicate parameter";
                errName = pair[0];
                continue;
            }
            targets.add(s);
        }
        if (denyLoading) {
            throw new CommandException(loadingError);
        }
        if (invalidName != null) {
            throw new CommandException("ERR Unknown option or number of arguments for CONFIG SET - '" + invalidName + "'");
        }
        if (err != null) {
            throw new CommandException("ERR CONFIG SET failed (possibly related to argument '" + errName + "') - " + err);
        }
        Map<Slot, Object[]> old = new LinkedHashMap<>();
        for (int i = 0; i < targets.size(); i++) {
            Slot s = targets.get(i);
            old.put(s, new Object[] {s.value, s.text});
        }
        List<Slot> applied = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            Slot s = targets.get(i);
            String text = pairs.get(i)[1];
            try {
                if (s.param == null) {
                    s.text = asText(s.name, text);
                } else {
                    Object v = parse(s.param, text);
                    s.value = v;
                    applied.add(s);
                    if (s.param.listener() != null && !checkOnly) {
                        s.param.listener().accept(v);
                    }
                }
            } catch (IllegalArgumentException e) {
                for (Slot a : applied) {
                    Object[] o = old.get(a);
                    a.value = o[0];
                    if (a != s && a.param.listener() != null && !checkOnly) {
                        try {
                            a.param.listener().accept(a.value);
                        } catch (IllegalArgumentException ignored) {
                            // restoring the old value cannot fail in a way we could still report
                        }
                    }
                }
                if (s.param != null && applied.contains(s)) {
                    s.value = old.get(s)[0];
                }
                for (Slot t : targets) {
                    if (t.param == null) {
                        t.text = (String) old.get(t)[1];
                    }
                }
                String reason = e.getMessage();
                throw new CommandException("ERR CONFIG SET failed (possibly related to argument '" + s.name + "')"
                        + (reason == null ? "" : " - " + reason));
            }
        }
        applyPhase(targets, old);
    }

    /**
     * Redis 7.0's IMMUTABLE parameters (config.c): a bundle's parameter of that name declares the
     * flag itself; while none provides it, the parameter kept as text is refused the same way.
     */
    static final Set<String> REDIS_IMMUTABLE = Set.of("rdbchecksum", "daemonize", "io-threads-do-reads",
            "always-show-logo", "set-proc-title", "syslog-enabled", "cluster-enabled", "disable-thp", "aclfile",
            "unixsocket", "pidfile", "cluster-config-file", "syslog-ident", "appendfilename", "appenddirname",
            "server_cpulist", "bio_cpulist", "aof_rewrite_cpulist", "bgsave_cpulist", "logfile", "supervised",
            "syslog-facility", "enable-protected-configs", "enable-debug-command", "enable-module-command",
            "databases", "io-threads", "tcp-backlog", "cluster-port", "unixsocketperm", "socket-mark-id",
            "replicaof", "slaveof");

    /** Redis 7.0's alias names (config.c), each the old name of another parameter. */
    public static final Map<String, String> REDIS_ALIASES = Map.ofEntries(
            Map.entry("cluster-slave-no-failover", "cluster-replica-no-failover"),
            Map.entry("slave-lazy-flush", "replica-lazy-flush"),
            Map.entry("slave-serve-stale-data", "replica-serve-stale-data"),
            Map.entry("slave-read-only", "replica-read-only"),
            Map.entry("slave-ignore-maxmemory", "replica-ignore-maxmemory"),
            Map.entry("slave-announce-ip", "replica-announce-ip"),
            Map.entry("cluster-slave-validity-factor", "cluster-replica-validity-factor"),
            Map.entry("list-max-ziplist-size", "list-max-listpack-size"),
            Map.entry("slave-priority", "replica-priority"),
            Map.entry("slave-announce-port", "replica-announce-port"),
            Map.entry("repl-ping-slave-period", "repl-ping-replica-period"),
            Map.entry("min-slaves-to-write", "min-replicas-to-write"),
            Map.entry("min-slaves-max-lag", "min-replicas-max-lag"),
            Map.entry("lua-time-limit", "busy-reply-threshold"),
            Map.entry("hash-max-ziplist-entries", "hash-max-listpack-entries"),
            Map.entry("zset-max-ziplist-entries", "zset-max-listpack-entries"),
            Map.entry("hash-max-ziplist-value", "hash-max-listpack-value"),
            Map.entry("zset-max-ziplist-value", "zset-max-listpack-value"),
            Map.entry("slaveof", "replicaof"));

    /** Redis 7.0's DENY_LOADING parameters (config.c): CONFIG SET refuses them while loading. */
    static final Set<String> REDIS_DENY_LOADING = Set.of("appendonly", "repl-diskless-load", "dir");

    /** Redis 7.0's PROTECTED parameters (config.c), changed only as enable-protected-configs allows. */
    static final Set<String> REDIS_PROTECTED = Set.of("dir", "dbfilename");

    private static boolean immutable(Slot s) {
        return s.param != null ? s.param.has(ConfigParam.Flag.IMMUTABLE) : REDIS_IMMUTABLE.contains(s.name);
    }

    private static boolean isProtected(Slot s) {
        return s.param != null ? s.param.has(ConfigParam.Flag.PROTECTED) : REDIS_PROTECTED.contains(s.name);
    }

    /** CONFIG GET with glob patterns: name/value pairs, each parameter once (aliases too if matched). */
    public Map<String, String> get(List<String> patterns) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pattern : patterns) {
            String p = pattern.toLowerCase(Locale.ROOT);
            boolean glob = p.indexOf('*') >= 0 || p.indexOf('?') >= 0 || p.indexOf('[') >= 0;
            if (!glob) {
                Slot s = slots.get(canonical(p));
                if (s != null) {
                    out.put(p, format(s));
                }
                continue;
            }
            byte[] pb = Bytes.of(p);
            for (Slot s : slots.values()) {
                if (hidden(s)) {
                    continue;
                }
                if (Bytes.globMatch(pb, Bytes.of(s.name), false)) {
                    out.put(s.name, format(s));
                }
                if (s.param != null) {
                    for (String a : s.param.aliases()) {
                        if (Bytes.globMatch(pb, Bytes.of(a), false)) {
                            out.put(a, format(s));
                        }
                    }
                }
            }
            for (Map.Entry<String, String> a : aliasOf.entrySet()) {
                if (Bytes.globMatch(pb, Bytes.of(a.getKey()), false)) {
                    Slot s = slots.get(a.getValue());
                    if (s != null) {
                        out.put(a.getKey(), format(s));
                    }
                }
            }
        }
        return out;
    }

    /**
     * Redis's hidden parameters (test hooks) stay out of CONFIG GET with a pattern, whichever
     * bundle provides them; asked for by name they are answered.
     */
    private static final Set<String> REDIS_HIDDEN = Set.of("use-exit-on-panic", "rdb-key-save-delay",
            "key-load-delay", "watchdog-period", "loading-process-events-interval-bytes");

    /**
     * Their defaults (config.c): known from the start like the rest of Redis's table, so that a
     * config file may set them before the bundle that provides them has started.
     */
    private static final Map<String, String> REDIS_HIDDEN_DEFAULTS = Map.of("use-exit-on-panic", "no",
            "rdb-key-save-delay", "0", "key-load-delay", "0", "watchdog-period", "0",
            "loading-process-events-interval-bytes", "2097152");

    private static boolean hidden(Slot s) {
        return (s.param != null && s.param.has(ConfigParam.Flag.HIDDEN)) || REDIS_HIDDEN.contains(s.name);
    }

    /** Every parameter's current value by canonical name (CONFIG REWRITE). */
    public Map<String, String> all() {
        Map<String, String> out = new java.util.TreeMap<>();
        for (Slot s : slots.values()) {
            out.put(s.name, format(s));
        }
        return out;
    }

    /** The default text of a parameter, for CONFIG REWRITE to skip unchanged values. */
    public String defaultText(String name) {
        Slot s = slots.get(canonical(name));
        if (s == null) {
            return null;
        }
        if (s.param == null) {
            return redisDefaults.get(s.name);
        }
        Slot d = new Slot(s.name);
        d.param = s.param;
        d.value = parse(s.param, s.param.defaultValue());
        return format(d);
    }
}
