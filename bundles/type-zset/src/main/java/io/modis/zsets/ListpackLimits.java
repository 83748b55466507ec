package io.modis.zsets;

import io.modis.api.Config;

/**
 * When a sorted set may use the compact encoding: at most {@code maxEntries} entries, none with
 * a member longer than {@code maxValue} bytes (zset-max-listpack-entries / -value).
 */
public record ListpackLimits(long maxEntries, long maxValue) {
    public static final String ENTRIES = "zset-max-listpack-entries";
    public static final String VALUE = "zset-max-listpack-value";
    public static final ListpackLimits DEFAULT = new ListpackLimits(128, 64);

    /** The limits as configured now; Redis's defaults for a parameter nobody provides. */
    public static ListpackLimits of(Config config) {
        Object entries = config.value(ENTRIES);
        Object value = config.value(VALUE);
        return new ListpackLimits(entries instanceof Long l ? l : DEFAULT.maxEntries,
                value instanceof Long l ? l : DEFAULT.maxValue);
    }

    /** A set of {@code entries} entries whose longest member has {@code longestMember} bytes fits. */
    public boolean fits(long entries, long longestMember) {
        return entries <= maxEntries && longestMember <= maxValue;
    }
}
