package io.modis.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Locates the keys of one call from its command's metadata (key specs, or the command's
 * {@link KeyFinder}), the way Redis 7.0's getKeysFromCommandWithSpecs does: what ACL and
 * cluster checks read, so that every bundle's commands are covered without code of their own.
 */
public final class CommandKeys {
    /** One key: its argument index and the flags of the key spec that found it. */
    public record Key(int position, List<String> flags) {
    }

    private CommandKeys() {
    }

    /** The key specs, or one derived from the legacy positions when a spec declares none. */
    public static List<KeySpec> specs(CommandSpec spec) {
        if (!spec.keySpecs().isEmpty() || spec.firstKey() <= 0) {
            return spec.keySpecs();
        }
        int last = spec.lastKey() < 0 ? spec.lastKey() : spec.lastKey() - spec.firstKey();
        String[] flags = spec.has(CommandFlag.WRITE) ? new String[] {"RW", "UPDATE"}
                : spec.has(CommandFlag.READONLY) ? new String[] {"RO", "ACCESS"} : new String[] {"RO"};
        return List.of(KeySpec.range(spec.firstKey(), last, Math.max(1, spec.keyStep()), flags));
    }

    /** True when the command declares keys (a spec not flagged NOT_KEY). */
    public static boolean hasKeys(CommandSpec spec) {
        for (KeySpec k : specs(spec)) {
            if (!k.flags().contains("NOT_KEY") && !k.flags().contains("not_key")) {
                return true;
            }
        }
        return false;
    }

    /**
     * The keys of {@code argv} (argv[0] is the command name). Returns null when a spec cannot be
     * applied to these arguments (Redis's "invalid arguments").
     */
    public static List<Key> find(CommandSpec spec, byte[][] argv) {
        List<KeySpec> specs = specs(spec);
        if (spec.keyFinder() != null) {
            List<KeyFinder.Key> found = spec.keyFinder().find(argv);
            if (found == null) {
                return null;
            }
            List<Key> keys = new ArrayList<>(found.size());
            for (KeyFinder.Key k : found) {
                keys.add(new Key(k.position(), k.flags() != null ? k.flags() : specs.get(k.spec()).flags()));
            }
            return keys;
        }
        List<Key> keys = new ArrayList<>(2);
        int argc = argv.length;
        for (KeySpec k : specs) {
            int first = beginIndex(k, argv);
            if (first < 0) {
                continue;
            }
            int last;
            int step = k.keyStep();
            if (k.keynum()) {
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
                if (last < first || last >= argc) {
                    return null; // as Redis: a count beyond the arguments (or 0) names no keys at all
                }
            } else if (k.lastKey() >= 0) {
                last = first + k.lastKey();
            } else if (k.limit() == 0) {
                last = argc + k.lastKey();
            } else {
                last = first + ((argc - first) / k.limit() + k.lastKey());
            }
            if (step <= 0) {
                step = 1;
            }
            for (int i = first; i <= last; i += step) {
                if (i >= argc) {
                    if (spec.arity() < 0) {
                        break;
                    }
                    return null;
                }
                keys.add(new Key(i, k.flags()));
            }
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
}
