package io.modis.core;

import io.modis.api.ConfigParam;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The operator settings the engine reads on every command (slow log, latency monitor and
 * tracking, memory limits), kept in fields by their parameters' listeners so that the command
 * path never looks a parameter up by name.
 */
final class OpsConfig {
    volatile long slowlogSlowerThan = 10_000;
    volatile long slowlogMaxLen = 128;
    volatile long latencyThreshold;
    volatile boolean latencyTracking = true;
    volatile double[] percentiles = {50, 99, 99.9};
    volatile long maxmemory;
    volatile EvictionPolicy policy = EvictionPolicy.NOEVICTION;
    volatile int samples = 5;
    volatile int tenacity = 10;
    volatile int lfuLogFactor = 10;
    volatile int lfuDecayTime = 1;
    /** maxmemory-clients: bytes, or a percentage of maxmemory stored negated (Redis's way); 0 is off. */
    volatile long maxmemoryClients;
    /** Called when the eviction policy changes (the slow log trims on max-len changes itself). */
    volatile Runnable onMaxmemoryChange = () -> { };

    List<ConfigParam> params() {
        List<ConfigParam> p = new ArrayList<>();
        p.add(ConfigParam.integer("slowlog-log-slower-than", 10_000, -1, Long.MAX_VALUE)
                .onChange(v -> slowlogSlowerThan = (Long) v).build());
        p.add(ConfigParam.integer("slowlog-max-len", 128, 0, Long.MAX_VALUE)
                .onChange(v -> slowlogMaxLen = (Long) v).build());
        p.add(ConfigParam.integer("latency-monitor-threshold", 0, 0, Long.MAX_VALUE)
                .onChange(v -> latencyThreshold = (Long) v).build());
        p.add(ConfigParam.bool("latency-tracking", true).onChange(v -> latencyTracking = (Boolean) v).build());
        p.add(ConfigParam.special("latency-tracking-info-percentiles", "50 99 99.9", OpsConfig::parsePercentiles,
                        o -> formatPercentiles((double[]) o))
                .flags(ConfigParam.Flag.MULTI_ARG).onChange(v -> percentiles = (double[]) v).build());
        p.add(ConfigParam.memory("maxmemory", 0, 0, Long.MAX_VALUE).onChange(v -> {
            maxmemory = (Long) v;
            onMaxmemoryChange.run();
        }).build());
        p.add(ConfigParam.enumeration("maxmemory-policy", "noeviction", "volatile-lru", "volatile-lfu",
                "volatile-random", "volatile-ttl", "allkeys-lru", "allkeys-lfu", "allkeys-random", "noeviction")
                .onChange(v -> policy = EvictionPolicy.of((String) v)).build());
        p.add(ConfigParam.integer("maxmemory-samples", 5, 1, 64).onChange(v -> samples = (int) (long) (Long) v)
                .build());
        p.add(ConfigParam.integer("maxmemory-eviction-tenacity", 10, 0, 100)
                .onChange(v -> tenacity = (int) (long) (Long) v).build());
        p.add(ConfigParam.integer("lfu-log-factor", 10, 0, Integer.MAX_VALUE)
                .onChange(v -> lfuLogFactor = (int) (long) (Long) v).build());
        p.add(ConfigParam.integer("lfu-decay-time", 1, 0, Integer.MAX_VALUE)
                .onChange(v -> lfuDecayTime = (int) (long) (Long) v).build());
        p.add(ConfigParam.special("maxmemory-clients", "0", OpsConfig::parseMemoryOrPercent,
                o -> formatMemoryOrPercent((Long) o)).onChange(v -> maxmemoryClients = (Long) v).build());
        return p;
    }

    /** A memory value, or "N%" (0..100) kept as -N. */
    static Long parseMemoryOrPercent(String text) {
        String t = text.trim();
        try {
            return io.modis.core.config.ConfigRegistry.memory(t);
        } catch (IllegalArgumentException notMemory) {
            if (t.length() > 1 && t.endsWith("%")) {
                long pct;
                try {
                    pct = Long.parseLong(t.substring(0, t.length() - 1));
                } catch (NumberFormatException e) {
                    pct = -1;
                }
                if (pct > 100) {
                    throw new IllegalArgumentException("percentage argument must be less or equal to 100");
                }
                if (pct >= 0) {
                    return -pct;
                }
            }
            throw new IllegalArgumentException("argument must be a memory or percent value");
        }
    }

    static String formatMemoryOrPercent(long v) {
        return v < 0 ? -v + "%" : Long.toString(v);
    }

    /**
     * The client eviction threshold in bytes (0: no client eviction): maxmemory-clients, or its
     * percentage of maxmemory, and never below 128KB so that a bad setting cannot lock everyone out.
     */
    long clientEvictionLimit() {
        long setting = maxmemoryClients;
        long limit;
        if (setting < 0 && maxmemory > 0) {
            limit = (long) (maxmemory * (-setting / 100.0));
        } else if (setting > 0) {
            limit = setting;
        } else {
            return 0;
        }
        return Math.max(limit, 128 * 1024);
    }

    static double[] parsePercentiles(String text) {
        String t = text.trim();
        if (t.isEmpty()) {
            return new double[0];
        }
        String[] parts = t.split("\\s+");
        double[] out = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            double d;
            try {
                d = Double.parseDouble(parts[i]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Invalid latency-tracking-info-percentiles parameters");
            }
            if (!(d >= 0.0 && d <= 100.0)) {
                throw new IllegalArgumentException(
                        "latency-tracking-info-percentiles parameters should sit between [0.0,100.0]");
            }
            out[i] = d;
        }
        return out;
    }

    static String formatPercentiles(double[] values) {
        StringBuilder sb = new StringBuilder();
        for (double d : values) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(trimDouble(d));
        }
        return sb.toString();
    }

    /** A double as "%f" with its trailing zeros (and a trailing point) removed: 99.900000 is 99.9, 50.0 is 50. */
    static String trimDouble(double d) {
        String s = String.format(Locale.ROOT, "%f", d);
        if (s.indexOf('.') >= 0) {
            int end = s.length();
            while (s.charAt(end - 1) == '0') {
                end--;
            }
            if (s.charAt(end - 1) == '.') {
                end--;
            }
            s = s.substring(0, end);
        }
        return s;
    }
}
