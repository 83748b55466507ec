package io.modis.core;

import io.modis.api.CommandFlag;
import io.modis.api.CommandKeys;
import io.modis.api.CommandSpec;
import io.modis.api.KeySpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads a command's key positions from its key specs the way Redis 7.0 does: the legacy
 * (first, last, step) triple COMMAND INFO shows, whether the keys are "movable", and the flag
 * names it prints. The keys of one concrete call come from the api's {@link CommandKeys}.
 */
final class KeyPositions {
    /** Redis's key-spec flag names in the order COMMAND INFO lists them. */
    private static final List<String> FLAG_ORDER = List.of("RO", "RW", "OW", "RM", "ACCESS", "UPDATE", "INSERT",
            "DELETE", "NOT_KEY", "INCOMPLETE", "VARIABLE_FLAGS");

    /** The legacy positions; lastKey is absolute, or negative counting from the end. */
    record Range(int first, int last, int step) {
    }

    private KeyPositions() {
    }

    /** The key specs, or one derived from the legacy positions (see {@link CommandKeys#specs}). */
    static List<KeySpec> specs(CommandSpec spec) {
        return CommandKeys.specs(spec);
    }

    private static boolean isPlainRange(KeySpec k) {
        return k.keyword() == null && !k.keynum() && !k.isUnknown();
    }

    private static boolean hasFlag(KeySpec k, String flag) {
        for (String f : k.flags()) {
            if (f.equalsIgnoreCase(flag)) {
                return true;
            }
        }
        return false;
    }

    /** The (first, last, step) COMMAND INFO reports. */
    static Range legacy(CommandSpec spec) {
        if (spec.firstKey() != 0) {
            return new Range(spec.firstKey(), spec.lastKey(), spec.keyStep());
        }
        List<KeySpec> specs = specs(spec);
        if (specs.size() == 1 && isPlainRange(specs.get(0))) {
            KeySpec k = specs.get(0);
            int last = k.lastKey() >= 0 ? k.lastKey() + k.beginIndex() : k.lastKey();
            return new Range(k.beginIndex(), last, k.keyStep());
        }
        int first = Integer.MAX_VALUE;
        long last = 0;
        for (KeySpec k : consecutiveRanges(specs)) {
            first = Math.min(first, k.beginIndex());
            long abs = k.lastKey() >= 0 ? k.lastKey() + k.beginIndex() : k.lastKey();
            // Redis compares unsigned, so a negative (open) last key wins
            if (Long.compareUnsigned(abs, last) > 0) {
                last = abs;
            }
        }
        return first == Integer.MAX_VALUE ? new Range(0, 0, 0) : new Range(first, (int) last, 1);
    }

    private static List<KeySpec> consecutiveRanges(List<KeySpec> specs) {
        List<KeySpec> out = new ArrayList<>();
        long prevLast = 0;
        for (KeySpec k : specs) {
            if (!isPlainRange(k) || k.keyStep() != 1 || (prevLast != 0 && prevLast != k.beginIndex() - 1)) {
                continue;
            }
            out.add(k);
            long abs = k.lastKey() >= 0 ? k.lastKey() + k.beginIndex() : k.lastKey();
            prevLast = Long.compareUnsigned(abs, prevLast) > 0 ? abs : prevLast;
        }
        return out;
    }

    /** True when the keys cannot be read from the legacy triple alone. */
    static boolean movable(CommandSpec spec) {
        if (spec.has(CommandFlag.MOVABLE_KEYS)) {
            return true;
        }
        List<KeySpec> specs = specs(spec);
        if (specs.isEmpty()) {
            return false;
        }
        if (specs.size() == 1) {
            KeySpec k = specs.get(0);
            return !isPlainRange(k) || hasFlag(k, "INCOMPLETE");
        }
        List<KeySpec> usable = consecutiveRanges(specs);
        if (usable.size() != specs.size()) {
            return true;
        }
        for (KeySpec k : usable) {
            if (hasFlag(k, "INCOMPLETE")) {
                return true;
            }
        }
        return false;
    }

    /** Key-spec flags as Redis prints them ("RO", "access", ...), in Redis's order. */
    static List<String> displayFlags(List<String> flags) {
        List<String> out = new ArrayList<>();
        for (String f : FLAG_ORDER) {
            for (String given : flags) {
                if (given.equalsIgnoreCase(f)) {
                    out.add(f.length() == 2 ? f : f.toLowerCase(Locale.ROOT));
                    break;
                }
            }
        }
        return out;
    }
}
