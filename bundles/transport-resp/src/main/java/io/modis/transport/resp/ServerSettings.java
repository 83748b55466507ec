package io.modis.transport.resp;

import io.modis.api.Config;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The listening configuration, read once when the server starts, from the values as CONFIG GET
 * prints them.
 */
record ServerSettings(int port, List<String> bind, String unixSocket, int unixSocketPerm, int tcpBacklog,
                      int ioThreads) {

    static ServerSettings read(Config config) {
        String unix = text(config, "unixsocket", "");
        return new ServerSettings(
                (int) number(config, "port", 6379),
                words(text(config, "bind", "* -::*")),
                unix.isEmpty() ? null : unix,
                Integer.parseInt(text(config, "unixsocketperm", "0"), 8),
                (int) number(config, "tcp-backlog", 511),
                (int) Math.max(1, number(config, "io-threads", 1)));
    }

    /** A parameter that may change at run time (CONFIG SET), read when it is needed. */
    static LongSupplier live(Config config, String name, long fallback) {
        return () -> number(config, name, fallback);
    }

    static long number(Config config, String name, long fallback) {
        String v = config.get(name);
        if (v == null || v.isEmpty()) {
            return fallback;
        }
        return Long.parseLong(v.trim());
    }

    private static String text(Config config, String name, String fallback) {
        String v = config.get(name);
        return v == null ? fallback : v.trim();
    }

    private static List<String> words(String s) {
        List<String> out = new ArrayList<>();
        for (String w : s.split("\\s+")) {
            if (!w.isEmpty()) {
                out.add(w);
            }
        }
        return List.copyOf(out);
    }
}
