package io.modis.core;

import io.modis.api.ConfigParam;
import io.modis.api.ConfigParam.Flag;

import java.util.ArrayList;
import java.util.List;

/** The configuration parameters the core (and the transport it serves) owns. */
final class CoreParams {
    private CoreParams() {
    }

    /**
     * @param core the running core, or null for definitions that only parse (the launcher's
     *     check): their listeners are then never called
     */
    static List<ConfigParam> create(CoreComponent core) {
        List<ConfigParam> p = new ArrayList<>();
        p.add(ConfigParam.integer("port", 6379, 0, 65535).build());
        p.add(ConfigParam.special("bind", "* -::*", s -> s, o -> (String) o).flags(Flag.MULTI_ARG).build());
        p.add(ConfigParam.bool("protected-mode", true).build());
        p.add(ConfigParam.string("unixsocket", "").flags(Flag.IMMUTABLE).build());
        p.add(ConfigParam.special("unixsocketperm", "0", CoreParams::octal, o -> Long.toOctalString((Long) o))
                .flags(Flag.IMMUTABLE).build());
        p.add(ConfigParam.integer("databases", 16, 1, Integer.MAX_VALUE).flags(Flag.IMMUTABLE).build());
        p.add(ConfigParam.integer("timeout", 0, 0, Integer.MAX_VALUE).build());
        p.add(ConfigParam.integer("tcp-keepalive", 300, 0, Integer.MAX_VALUE).build());
        p.add(ConfigParam.integer("tcp-backlog", 511, 0, Integer.MAX_VALUE).flags(Flag.IMMUTABLE).build());
        p.add(ConfigParam.integer("maxclients", 10000, 1, Integer.MAX_VALUE).build());
        p.add(ConfigParam.enumeration("loglevel", "notice", "debug", "verbose", "notice", "warning")
                .onChange(v -> core.log().level(ServerLogImpl.parseLevel((String) v))).build());
        p.add(ConfigParam.string("logfile", "").flags(Flag.IMMUTABLE).build());
        p.add(ConfigParam.special("dir", "./", CoreParams::directory, o -> (String) o).flags(Flag.PROTECTED).build());
        p.add(ConfigParam.bool("daemonize", false).flags(Flag.IMMUTABLE).build());
        p.add(ConfigParam.string("pidfile", "").flags(Flag.IMMUTABLE).build());
        p.add(ConfigParam.integer("io-threads", 1, 1, 128).flags(Flag.IMMUTABLE).build());
        p.add(ConfigParam.bool("io-threads-do-reads", false).flags(Flag.IMMUTABLE).build());
        p.add(ConfigParam.memory("proto-max-bulk-len", 512L * 1024 * 1024, 1024 * 1024, Long.MAX_VALUE).build());
        p.add(ConfigParam.memory("client-query-buffer-limit", 1024L * 1024 * 1024, 1024 * 1024, Long.MAX_VALUE).build());
        p.add(ConfigParam.enumeration("enable-debug-command", "no", "no", "yes", "local")
                .flags(Flag.IMMUTABLE).build());
        p.add(ConfigParam.enumeration("enable-protected-configs", "no", "no", "yes", "local")
                .flags(Flag.IMMUTABLE).build());
        p.add(ConfigParam.integer("hz", 10, 0, Integer.MAX_VALUE)
                .onChange(v -> core.hz((int) Math.max(1, Math.min(500, (Long) v)))).build());
        p.add(ConfigParam.bool("dynamic-hz", true).build());
        p.add(ConfigParam.bool("activerehashing", true).build());
        p.add(ConfigParam.integer("active-expire-effort", 1, 1, 10).build());
        p.add(ConfigParam.string("requirepass", "").flags(Flag.SENSITIVE)
                .onChange(v -> core.requirepassChanged(v)).build());
        p.add(ConfigParam.special("notify-keyspace-events", "", CoreParams::keyspaceEvents, o -> (String) o)
                .onChange(v -> {
                    Server s = core.server();
                    if (s != null) {
                        s.notifyFlags((String) v);
                    }
                }).build());
        p.add(ConfigParam.special("client-output-buffer-limit", OutputBufferLimits.DEFAULTS.format(),
                        text -> OutputBufferLimits.parse(text,
                                core == null ? OutputBufferLimits.DEFAULTS : core.outputBufferLimits()),
                        o -> ((OutputBufferLimits) o).format())
                .flags(Flag.MULTI_ARG)
                .onChange(v -> core.outputBufferLimits((OutputBufferLimits) v)).build());
        p.add(ConfigParam.integer("tracking-table-max-keys", 1_000_000, 0, Long.MAX_VALUE).build());
        p.add(ConfigParam.bool("always-show-logo", false).flags(Flag.IMMUTABLE).build());
        // Redis's crash report settings, accepted: a JVM writes no C stack trace or memory test
        p.add(ConfigParam.bool("crash-log-enabled", true).build());
        p.add(ConfigParam.bool("crash-memcheck-enabled", true).build());
        p.add(ConfigParam.bool("use-exit-on-panic", false).flags(Flag.HIDDEN).build());
        p.add(ConfigParam.bool("lazyfree-lazy-user-del", false).build());
        p.add(ConfigParam.bool("lazyfree-lazy-user-flush", false).build());
        p.add(ConfigParam.bool("lazyfree-lazy-expire", false).build());
        p.add(ConfigParam.bool("lazyfree-lazy-server-del", false).build());
        p.add(ConfigParam.bool("lazyfree-lazy-eviction", false).build());
        p.add(ConfigParam.bool("set-proc-title", true).flags(Flag.IMMUTABLE).build());
        p.add(ConfigParam.enumeration("supervised", "no", "upstart", "systemd", "auto", "no")
                .flags(Flag.IMMUTABLE).build());
        p.add(ConfigParam.integer("shutdown-timeout", 10, 0, Integer.MAX_VALUE).build());
        // slowlog-*, latency-*, maxmemory* and lfu-* belong to OpsConfig (fields the command path reads)
        return p;
    }

    private static Object octal(String s) {
        try {
            return Long.parseLong(s, 8);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("argument couldn't be parsed as an octal number");
        }
    }

    private static Object directory(String s) {
        java.io.File f = new java.io.File(s);
        if (!f.isDirectory()) {
            throw new IllegalArgumentException("No such file or directory");
        }
        return s;
    }

    /** Validates and normalizes notify-keyspace-events flags (K E g $ l s h z x e t m d n A). */
    static Object keyspaceEvents(String s) {
        StringBuilder classes = new StringBuilder();
        boolean k = false;
        boolean e = false;
        for (char c : s.toCharArray()) {
            switch (c) {
                case 'K' -> k = true;
                case 'E' -> e = true;
                case 'A' -> classes.append("g$lshzxetd");
                case 'g', '$', 'l', 's', 'h', 'z', 'x', 'e', 't', 'm', 'd', 'n' -> classes.append(c);
                default -> throw new IllegalArgumentException("Invalid event class character. Use 'Ag$lshzxeKEtmdn'.");
            }
        }
        // canonical form as Redis prints it
        StringBuilder out = new StringBuilder();
        String cls = classes.toString();
        boolean all = "g$lshzxetd".chars().allMatch(ch -> cls.indexOf(ch) >= 0);
        if (all) {
            out.append('A');
        } else {
            for (char c : "g$lshzxetdn".toCharArray()) {
                if (cls.indexOf(c) >= 0) {
                    out.append(c);
                }
            }
        }
        if (k) {
            out.append('K');
        }
        if (e) {
            out.append('E');
        }
        if (cls.indexOf('m') >= 0) {
            out.append('m');
        }
        return out.toString();
    }
}
