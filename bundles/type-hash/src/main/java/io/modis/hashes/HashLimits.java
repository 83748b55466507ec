package io.modis.hashes;

/**
 * When a hash leaves the listpack encoding: more than {@code maxEntries} fields, or a field or
 * value longer than {@code maxValue} bytes (hash-max-listpack-entries / -value).
 */
record HashLimits(long maxEntries, long maxValue) {
    static final long DEFAULT_MAX_ENTRIES = 512;
    static final long DEFAULT_MAX_VALUE = 64;
    static final HashLimits DEFAULTS = new HashLimits(DEFAULT_MAX_ENTRIES, DEFAULT_MAX_VALUE);

    /**
     * Redis keeps a listpack under 1 GB (lpSafeToAdd); a hash that would grow past it converts.
     */
    static final long MAX_LISTPACK_BYTES = 1L << 30;

    HashLimits withMaxEntries(long n) {
        return new HashLimits(n, maxValue);
    }

    HashLimits withMaxValue(long n) {
        return new HashLimits(maxEntries, n);
    }

    boolean fits(long length) {
        return length <= maxValue;
    }
}
