package io.modis.api;

import java.util.List;

/**
 * Where a command's keys are, as a Redis 7.0 key specification: a begin-search step (a fixed
 * index, or a keyword searched from an index) and a find-keys step (a range, or a count given
 * by an argument). Flags are Redis's key-spec flags (RW, RO, OW, RM, ACCESS, UPDATE, INSERT,
 * DELETE, NOT_KEY, INCOMPLETE, VARIABLE_FLAGS).
 */
public record KeySpec(List<String> flags, int beginIndex, String keyword, int keywordStartFrom,
                      boolean keynum, int lastKey, int keyStep, int limit,
                      int keynumIndex, int firstKey) {

    /** Keys from {@code begin}; {@code lastKey} relative to begin (-1 = up to the last arg). */
    public static KeySpec range(int begin, int lastKey, int step, String... flags) {
        return new KeySpec(List.of(flags), begin, null, 0, false, lastKey, step, 0, 0, 0);
    }

    /** A count of keys at {@code begin + keynumIndex}, keys from {@code begin + firstKey}. */
    public static KeySpec keynum(int begin, int keynumIndex, int firstKey, int step, String... flags) {
        return new KeySpec(List.of(flags), begin, null, 0, true, 0, step, 0, keynumIndex, firstKey);
    }

    /**
     * Keys whose place the specs cannot describe (SORT's BY/GET and STORE keys); the command
     * finds them with its {@link KeyFinder}.
     */
    public static KeySpec unknown(String... flags) {
        return new KeySpec(List.of(flags), -1, null, 0, false, 0, 0, 0, 0, 0);
    }

    /** True for a spec made by {@link #unknown}. */
    public boolean isUnknown() {
        return beginIndex < 0 && keyword == null;
    }

    /** Keys after a keyword (e.g. STREAMS), searched from {@code startFrom}. */
    public static KeySpec keyword(String keyword, int startFrom, int lastKey, int step, String... flags) {
        return new KeySpec(List.of(flags), 0, keyword, startFrom, false, lastKey, step, 0, 0, 0);
    }
}
