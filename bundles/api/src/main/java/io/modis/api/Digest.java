package io.modis.api;

/** Accumulates a value's contents for DEBUG DIGEST; order matters unless mixed as a set. */
public interface Digest {
    /** Adds bytes in order. */
    void add(byte[] b);

    default void add(long v) {
        add(Bytes.fromLong(v));
    }

    /**
     * Adds one element of an unordered collection: the digest of {@code element} is XORed in,
     * so the order of elements does not change the result.
     */
    void addUnordered(byte[]... element);
}
