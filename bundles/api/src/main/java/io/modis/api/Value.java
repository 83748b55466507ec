package io.modis.api;

/** A value held under a key. Every data type's values implement it. */
public interface Value {
    /**
     * The registered {@link DataType} object of this value's type (the same instance for every
     * value of the type: the core compares types by identity).
     */
    DataType type();

    /** What OBJECT ENCODING answers: "int", "embstr", "raw", "listpack", ... */
    String encoding();

    /** Estimated bytes this value occupies on the heap (value only, not its key). */
    long memoryUsage();

    /** A deep copy (COPY, and anything that must not share mutable state). */
    Value copy();

    /** Feeds the contents to a digest (DEBUG DIGEST, DEBUG DIGEST-VALUE). */
    void digest(Digest d);

    /**
     * DEBUG HTSTATS-KEY: statistics of the hash table this value is stored in, or null when it is
     * not a hash table (a compact encoding).
     */
    default String hashTableStats() {
        return null;
    }
}
