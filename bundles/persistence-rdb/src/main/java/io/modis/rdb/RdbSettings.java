package io.modis.rdb;

import io.modis.api.ConfigParam;
import java.util.ArrayList;
import java.util.List;

/**
 * The RDB parameters with Redis 7.0's names and defaults, as last configured. Listeners run on
 * the thread that sets them; readers (engine thread, snapshot writer) see the latest values.
 */
final class RdbSettings {
    /** One save point: save after {@code seconds} if at least {@code changes} writes happened. */
    record SavePoint(long seconds, long changes) {
    }

    volatile List<SavePoint> savePoints = List.of(new SavePoint(3600, 1), new SavePoint(300, 100),
            new SavePoint(60, 10000));
    volatile String dbfilename = "dump.rdb";
    volatile boolean compression = true;
    volatile boolean checksum = true;
    volatile boolean stopWritesOnError = true;
    volatile boolean delSyncFiles;
    volatile String sanitizeDumpPayload = "no";
    /** DEBUG SET-SKIP-CHECKSUM-VALIDATION. */
    volatile boolean skipChecksumValidation;
    /** key-load-delay (tests): microseconds to pause after each key while loading (negative: per 1/n). */
    volatile long keyLoadDelay;
    /** rdb-key-save-delay (tests): microseconds the snapshot writer pauses after each key. */
    volatile long keySaveDelay;

    /**
     * Takes the values configured so far (config file, command line) before this bundle's
     * parameters are registered: the dump is loaded during activation, before then.
     */
    void readFrom(io.modis.api.Config config) {
        String v = config.get("dbfilename");
        if (v != null) {
            dbfilename = v;
        }
        v = config.get("rdbchecksum");
        if (v != null) {
            checksum = v.equalsIgnoreCase("yes");
        }
        v = config.get("rdbcompression");
        if (v != null) {
            compression = v.equalsIgnoreCase("yes");
        }
        v = config.get("key-load-delay");
        if (v != null) {
            try {
                keyLoadDelay = Long.parseLong(v.trim());
            } catch (NumberFormatException ignored) {
                // the parameter's own parser reports it when registered
            }
        }
        v = config.get("save");
        if (v != null) {
            try {
                savePoints = castPoints(parseSave(v));
            } catch (IllegalArgumentException ignored) {
                // as above
            }
        }
    }

    List<ConfigParam> params() {
        return List.of(
                ConfigParam.special("save", "3600 1 300 100 60 10000", RdbSettings::parseSave,
                        o -> formatSave((List<?>) o)).onChange(v -> savePoints = castPoints(v)).build(),
                ConfigParam.string("dbfilename", "dump.rdb").flags(ConfigParam.Flag.PROTECTED)
                        .onChange(v -> dbfilename = (String) v).build(),
                ConfigParam.bool("rdbcompression", true).onChange(v -> compression = (Boolean) v).build(),
                ConfigParam.bool("rdbchecksum", true).flags(ConfigParam.Flag.IMMUTABLE)
                        .onChange(v -> checksum = (Boolean) v).build(),
                ConfigParam.bool("stop-writes-on-bgsave-error", true)
                        .onChange(v -> stopWritesOnError = (Boolean) v).build(),
                ConfigParam.bool("rdb-del-sync-files", false).onChange(v -> delSyncFiles = (Boolean) v).build(),
                ConfigParam.enumeration("sanitize-dump-payload", "no", "no", "yes", "clients")
                        .onChange(v -> sanitizeDumpPayload = (String) v).build(),
                ConfigParam.integer("key-load-delay", 0, Integer.MIN_VALUE, Integer.MAX_VALUE)
                        .onChange(v -> keyLoadDelay = (Long) v).build(),
                ConfigParam.integer("rdb-key-save-delay", 0, Integer.MIN_VALUE, Integer.MAX_VALUE)
                        .onChange(v -> keySaveDelay = (Long) v).build(),
                ConfigParam.integer("loading-process-events-interval-bytes", 2 * 1024 * 1024, 1024,
                        Integer.MAX_VALUE).build());
    }

    @SuppressWarnings("unchecked")
    private static List<SavePoint> castPoints(Object v) {
        return (List<SavePoint>) v;
    }

    static Object parseSave(String text) {
        String t = text.trim();
        List<SavePoint> points = new ArrayList<>();
        if (t.isEmpty()) {
            return points;
        }
        String[] parts = t.split("\\s+");
        if (parts.length % 2 != 0) {
            throw new IllegalArgumentException("Invalid save parameters");
        }
        for (int i = 0; i < parts.length; i += 2) {
            try {
                long seconds = Long.parseLong(parts[i]);
                long changes = Long.parseLong(parts[i + 1]);
                if (seconds < 0 || changes < 0) {
                    throw new IllegalArgumentException("Invalid save parameters");
                }
                points.add(new SavePoint(seconds, changes));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Invalid save parameters");
            }
        }
        return List.copyOf(points);
    }

    static String formatSave(List<?> points) {
        StringBuilder sb = new StringBuilder();
        for (Object o : points) {
            SavePoint p = (SavePoint) o;
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(p.seconds()).append(' ').append(p.changes());
        }
        return sb.toString();
    }
}
