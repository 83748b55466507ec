package io.modis.core;

import io.modis.api.Bytes;
import io.modis.api.CommandFlag;
import io.modis.api.CommandSpec;
import io.modis.api.KeySpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads a command's key positions from its key specs the way Redis 7.0 does: the legacy
 * (first, last, step) triple COMMAND INFO shows, whether the keys are "movable", and the keys
 * of one concrete call (COMMAND GETKEYS).
 */
final class KeyPositions {
    /** Redis's key-spec flag names in the order COMMAND INFO lists them. */
    private static final List<String> FLAG_ORDER = List.of("RO", "RW", "OW", "RM", "ACCESS", "UPDATE", "INSERT",
            "DELETE", "NOT_KEY", "INCOMPLETE", "VARIABLE_FLAGS");

    /** One key of a call: its argument index and the flags of the spec that found it. */
    record KeyRef(int pos, List<String> flags) {
    }

    /** The legacy positions; lastKey is absolute, or negative counting from the end. */
    record Range(int first, int last, int step) {
    }

    private KeyPositions() {
    }

    /** The key specs, or one derived from the legacy positions when a spec declares none. */
    static List<KeySpec> specs(CommandSpec spec) {
        if (!spec.keySpecs().isEmpty() || spec.firstKey() <= 0) {
            return spec.keySpecs();
        }
        int last = spec.lastKey() < 0 ? spec.lastKey() : spec.lastKey() - spec.firstKey();
        String[] flags = spec.has(CommandFlag.WRITE) ? new String[] {"RW", "UPDATE"}
                : spec.has(CommandFlag.READONLY) ? new String[] {"RO", "ACCESS"} : new String[] {"RO"};
        return List.of(KeySpec.range(spec.firstKey(), last, Math.max(1, spec.keyStep()), flags));
    }

    static boolean hasKeys(CommandSpec spec) {
        for (KeySpec k : specs(spec)) {
            if (!hasFlag(k, "NOT_KEY")) {
                return true;
            }
        }
        return false;
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

    /**
     * The keys of {@code argv} (argv[0] is the command name). Returns null when a spec cannot be
     * applied to these arguments (Redis's "invalid arguments").
     */
    static List<KeyRef> find(CommandSpec spec, byte[][] argv) {
        if (spec.keyFinder() != null) {
            return findWith(spec, argv);
        }
        List<KeyRef> keys = new ArrayList<>();
        int argc = argv.length;
        for (KeySpec k : specs(spec)) {
            int first = beginIndex(k, argv);
            if (first < 0) {
                continue;
            }
            int last;
            int step;
            if (k.keynum()) {
                step = k.keyStep();
                int at = first + k.keynumIndex();
                if (k.keynumIndex() >= argc - first) {
                    return null;
                }
                long numkeys;
                try {
                    numkeys = Bytes.parseLong(argv[at]);
                } catch (NumberFormatException e) {
                    return null;
                }
                if (numkeys < 0) {
                    return null;
                }
                first += k.firstKey();
                last = (int) Math.min(first + numkeys - 1, Integer.MAX_VALUE - 1L);
            } else {
                step = k.keyStep();
                if (k.lastKey() >= 0) {
                    last = first + k.lastKey();
                } else if (k.limit() == 0) {
                    last = argc + k.lastKey();
                } else {
                    last = first + ((argc - first) / k.limit() + k.lastKey());
                }
            }
            if (step <= 0) {
                step = 1;
            }
            for (int i = first; i <= last; i += step) {
                if (i >= argc) {
                    // variadic commands check their own arity later: no more keys here
                    if (spec.arity() < 0) {
                        break;
                    }
                    return null;
                }
                keys.add(new KeyRef(i, k.flags()));
            }
        }
        return keys;
    }

    private static List<KeyRef> findWith(CommandSpec spec, byte[][] argv) {
        List<io.modis.api.KeyFinder.Key> found = spec.keyFinder().find(argv);
        if (found == null) {
            return null;
        }
        List<KeySpec> specs = specs(spec);
        List<KeyRef> keys = new ArrayList<>(found.size());
        for (io.modis.api.KeyFinder.Key k : found) {
            keys.add(new KeyRef(k.position(), k.flags() != null ? k.flags() : specs.get(k.spec()).flags()));
        }
        return keys;
    }

    /** Where a spec's keys begin in {@code argv}, or -1 if its keyword is absent or unknown. */
    private static int beginIndex(KeySpec k, byte[][] argv) {
        if (k.isUnknown()) {
            return -1;
        }
        if (k.keyword() == null) {
            return k.beginIndex();
        }
        String word = k.keyword().toLowerCase(Locale.ROOT);
        int argc = argv.length;
        int start = k.keywordStartFrom();
        if (start > 0) {
            for (int i = start; i < argc - 1; i++) {
                if (Bytes.is(argv[i], word)) {
                    return i + 1;
                }
            }
        } else {
            for (int i = Math.min(argc - 1, argc + start); i > 0; i--) {
                if (Bytes.is(argv[i], word)) {
                    return i + 1;
                }
            }
        }
        return -1;
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
