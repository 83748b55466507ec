package io.modis.zsets;

/**
 * One representation of a sorted set: entries ordered by score, then by member bytes. Ranks
 * are 0-based in that order. Callers guarantee the preconditions stated on each method; the
 * encoding never checks thresholds (that is {@link ZSetValue}'s job).
 */
interface ZSetEncoding {
    /** OBJECT ENCODING's name. */
    String name();

    long length();

    /** The member's score, or NaN when absent (NaN is never stored). */
    double score(byte[] member);

    /** Adds a member known to be absent. The array is kept: the caller hands it over. */
    void insert(byte[] member, double score);

    /** Moves a present member from {@code oldScore} to a different {@code newScore}. */
    void changeScore(byte[] member, double oldScore, double newScore);

    /** Removes the member; false when it was absent. */
    boolean delete(byte[] member);

    /** The member's rank, or -1 when absent. */
    long rank(byte[] member);

    /**
     * Visits {@code count} entries from rank {@code start} towards higher ranks, or towards lower
     * ranks when {@code reverse}. The ranks visited must exist.
     */
    void visit(long start, long count, boolean reverse, EntryVisitor visitor);

    /** Rank of the first entry with a score in range, or -1. */
    long firstRank(ScoreRange range);

    /** Rank of the last entry with a score in range, or -1. */
    long lastRank(ScoreRange range);

    /** Rank of the first entry with a member in range, or -1. */
    long firstRank(LexRange range);

    /** Rank of the last entry with a member in range, or -1. */
    long lastRank(LexRange range);

    /** Removes ranks {@code start..end} inclusive, which must exist. */
    void deleteRanks(long start, long end);

    /** Reads entries at arbitrary ranks quickly (ZRANDMEMBER), until the set changes. */
    RankAccess rankAccess();

    /** Estimated heap bytes. */
    long memoryUsage();

    ZSetEncoding copy();
}
