package io.modis.core;

import java.util.LinkedHashMap;
import java.util.Map;

/** Counters INFO stats reports; reset by CONFIG RESETSTAT. Engine thread only. */
public final class Stats {
    public long commandsProcessed;
    public long connectionsReceived;
    public long rejectedConnections;
    public long expiredKeys;
    public long evictedKeys;
    public long keyspaceHits;
    public long keyspaceMisses;
    public long errorReplies;
    public long unexpectedErrorReplies;
    public long totalReadsProcessed;
    public long totalWritesProcessed;
    public long netInputBytes;
    public long netOutputBytes;
    public long expiredStalePerc;
    public long expireCycleCpuMillis;
    public final Map<String, Long> errors = new LinkedHashMap<>();

    /** Counts an error reply by its code (the first word), as errorstats does. */
    public void error(String message) {
        errorReplies++;
        int sp = message.indexOf(' ');
        String code = sp < 0 ? message : message.substring(0, sp);
        if (errors.size() >= 128 && !errors.containsKey(code)) {
            errors.merge("ERRORSTATS_DISABLED", 0L, Long::sum);
            return;
        }
        errors.merge(code, 1L, Long::sum);
    }

    public void reset() {
        commandsProcessed = 0;
        connectionsReceived = 0;
        rejectedConnections = 0;
        expiredKeys = 0;
        evictedKeys = 0;
        keyspaceHits = 0;
        keyspaceMisses = 0;
        errorReplies = 0;
        unexpectedErrorReplies = 0;
        totalReadsProcessed = 0;
        totalWritesProcessed = 0;
        netInputBytes = 0;
        netOutputBytes = 0;
        errors.clear();
    }
}
