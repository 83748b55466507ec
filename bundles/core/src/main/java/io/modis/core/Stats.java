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
    public long evictedClients;
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

    /** Instantaneous metrics (INFO's instantaneous_*): commands, bytes in, bytes out. */
    public static final int METRIC_COMMANDS = 0;
    public static final int METRIC_NET_INPUT = 1;
    public static final int METRIC_NET_OUTPUT = 2;
    private static final int SAMPLES = 16;
    private static final long SAMPLE_PERIOD_MILLIS = 100;
    private final long[][] samples = new long[3][SAMPLES];
    private final long[] lastReading = new long[3];
    private long lastSampleMillis;
    private int sampleIndex;
    private long peakMemory;

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

    /**
     * Takes one sample of the per-second rates, at most every 100 ms as Redis does; the
     * instantaneous value is the mean of the last 16 samples.
     */
    public void sampleInstantaneous(long nowMillis) {
        long elapsed = nowMillis - lastSampleMillis;
        if (elapsed < SAMPLE_PERIOD_MILLIS) {
            return;
        }
        long[] readings = {commandsProcessed, netInputBytes, netOutputBytes};
        for (int m = 0; m < readings.length; m++) {
            long delta = Math.max(0, readings[m] - lastReading[m]);
            samples[m][sampleIndex] = lastSampleMillis == 0 ? 0 : delta * 1000 / elapsed;
            lastReading[m] = readings[m];
        }
        sampleIndex = (sampleIndex + 1) % SAMPLES;
        lastSampleMillis = nowMillis;
    }

    /** The mean per-second rate of {@code metric} over the recent samples. */
    public long instantaneous(int metric) {
        long sum = 0;
        for (long v : samples[metric]) {
            sum += v;
        }
        return sum / SAMPLES;
    }

    /** Records {@code used} bytes of memory and returns the peak seen so far. */
    public long peakMemory(long used) {
        peakMemory = Math.max(peakMemory, used);
        return peakMemory;
    }

    public void reset() {
        commandsProcessed = 0;
        connectionsReceived = 0;
        rejectedConnections = 0;
        expiredKeys = 0;
        evictedKeys = 0;
        evictedClients = 0;
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
