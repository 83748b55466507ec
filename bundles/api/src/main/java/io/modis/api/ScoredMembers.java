package io.modis.api;

/**
 * A sorted set as other bundles see it: members ordered by score, then by member bytes. It exists
 * so that commands built on sorted sets in another bundle (GEOADD, GEOSEARCH...) can read and
 * write them without reaching into the sorted-set bundle's classes; the sorted-set bundle's
 * values implement it. Changes made through it keep the set's encoding rules (the compact form
 * while within zset-max-listpack-entries/-value), but raise no events and count no changes: the
 * calling command does that, as for any value it changes.
 */
public interface ScoredMembers extends Members {
    /**
     * The member's score, or NaN when it is not in the set (a sorted set never holds NaN, and a
     * primitive spares a box per lookup).
     */
    double score(byte[] member);

    /**
     * Adds the member with {@code score}, or moves it to {@code score}; the array is kept when the
     * member is added. Returns true if the member was added, false if it existed.
     *
     * @throws IllegalArgumentException for a NaN score, which a sorted set never holds
     */
    boolean put(byte[] member, double score);

    /** Removes the member; false when it was absent. */
    boolean remove(byte[] member);

    /** Visits every entry, lowest score first, until the visitor returns false. */
    void forEachScored(ScoredEntryVisitor visitor);

    /**
     * Visits the entries with {@code min <= score < max} (min included, max excluded: the score
     * interval of one geohash box), lowest first, until the visitor returns false.
     */
    void forEachInScoreRange(double min, double maxExclusive, ScoredEntryVisitor visitor);
}
