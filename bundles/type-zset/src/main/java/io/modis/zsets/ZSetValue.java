package io.modis.zsets;

import io.modis.api.Bytes;
import io.modis.api.DataType;
import io.modis.api.Digest;
import io.modis.api.ScoredEntryVisitor;
import io.modis.api.ScoredMembers;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * A sorted set: members ordered by score, then by member bytes. It chooses its encoding as Redis
 * does: compact ("listpack") while the set stays within the {@link ListpackLimits} given to
 * each change, then "skiplist" for good (a set never goes back by itself; results built afresh
 * are compacted by {@link #compactIfFits}).
 *
 * <p>This is the structure only; parsing and replies live in the command classes, so other
 * bundles (geo) can work with it directly. Ranks are 0-based, lowest score first.
 */
public final class ZSetValue implements ScoredMembers {
    /** ZADD options, for {@link #add}. */
    public static final int NX = 1;
    public static final int XX = 2;
    public static final int GT = 4;
    public static final int LT = 8;
    public static final int INCR = 16;

    /** What {@link #add} did, in {@link Outcome#flags()}. */
    public static final int ADDED = 1;
    public static final int UPDATED = 2;
    /** Nothing was done because of NX, XX, GT or LT. */
    public static final int NOP = 4;

    /** A listpack may not grow past 1 GB (lpSafeToAdd). */
    private static final long PACKED_MAX_BYTES = 1L << 30;
    private static final long OVERHEAD = 16;

    private ZSetEncoding encoding;

    ZSetValue(ZSetEncoding encoding) {
        this.encoding = encoding;
    }

    /**
     * An empty set about to receive a first member of {@code firstMemberLength} bytes, encoded
     * as Redis encodes a set created by ZADD.
     */
    public static ZSetValue create(ListpackLimits limits, int firstMemberLength) {
        boolean packed = limits.maxEntries() != 0 && firstMemberLength <= limits.maxValue();
        return new ZSetValue(packed ? new PackedZSet() : new SkipListZSet());
    }

    /** What {@link #add} did to one member. */
    public static final class Outcome {
        private int flags;
        private double score;

        /** {@link #ADDED}, {@link #UPDATED}, {@link #NOP}, or 0 when the score stayed the same. */
        public int flags() {
            return flags;
        }

        /** The member's score after the call (meaningful unless {@link #NOP}). */
        public double score() {
            return score;
        }
    }

    /**
     * ZADD for one member (zsetAdd): adds it, or updates its score, or increments it with
     * {@link #INCR}, as the option flags allow. Returns false without a change when the score
     * (given or incremented) is NaN. The member array is kept if the member is added.
     */
    public boolean add(byte[] member, double score, int flags, ListpackLimits limits, Outcome out) {
        out.flags = 0;
        if (Double.isNaN(score)) {
            return false;
        }
        double current = encoding.score(member);
        if (!Double.isNaN(current)) {
            if ((flags & NX) != 0) {
                out.flags = NOP;
                return true;
            }
            if ((flags & INCR) != 0) {
                score += current;
                if (Double.isNaN(score)) {
                    return false;
                }
            }
            if (((flags & LT) != 0 && score >= current) || ((flags & GT) != 0 && score <= current)) {
                out.flags = NOP;
                return true;
            }
            out.score = score;
            if (score != current) {
                encoding.changeScore(member, current, score);
                out.flags = UPDATED;
            }
            return true;
        }
        if ((flags & XX) != 0) {
            out.flags = NOP;
            return true;
        }
        insert(member, score, limits);
        out.score = score;
        out.flags = ADDED;
        return true;
    }

    /** Adds a member known to be absent, converting to a skip list first if it would not fit. */
    public void insert(byte[] member, double score, ListpackLimits limits) {
        if (encoding instanceof PackedZSet packed && (packed.length() + 1 > limits.maxEntries()
                || member.length > limits.maxValue()
                || packed.byteSize() + PackedZSet.entrySize(member.length, score) > PACKED_MAX_BYTES)) {
            toSkipList();
        }
        encoding.insert(member, score);
    }

    /** Removes a member; false if it was absent. */
    @Override
    public boolean remove(byte[] member) {
        return encoding.delete(member);
    }

    @Override
    public long length() {
        return encoding.length();
    }

    /** The member's score, or NaN when it is not in the set. */
    @Override
    public double score(byte[] member) {
        return encoding.score(member);
    }

    /* ---------------------------------------------------------------- ScoredMembers (the api view) */

    /** Entries visited per step of an api walk, which may stop between steps. */
    private static final int WALK_STEP = 16;

    /** Uses the limits currently configured, which the type keeps (the api caller has no config). */
    @Override
    public boolean put(byte[] member, double score) {
        if (Double.isNaN(score)) {
            throw new IllegalArgumentException("a sorted set score cannot be NaN");
        }
        double current = encoding.score(member);
        if (Double.isNaN(current)) {
            insert(member, score, ZSetType.INSTANCE.limits());
            return true;
        }
        if (current != score) {
            encoding.changeScore(member, current, score);
        }
        return false;
    }

    @Override
    public void forEachScored(ScoredEntryVisitor visitor) {
        walk(0, length() - 1, visitor);
    }

    @Override
    public void forEachInScoreRange(double min, double maxExclusive, ScoredEntryVisitor visitor) {
        ScoreRange range = new ScoreRange(min, false, maxExclusive, true);
        long first = firstRank(range);
        if (first >= 0) {
            walk(first, lastRank(range), visitor);
        }
    }

    /** Visits ranks {@code first..last} in steps, so that a visitor's stop ends the walk early. */
    private void walk(long first, long last, ScoredEntryVisitor visitor) {
        boolean[] stopped = {false};
        EntryVisitor each = (b, off, len, s) -> {
            if (!stopped[0] && !visitor.visit(b, off, len, s)) {
                stopped[0] = true;
            }
        };
        for (long rank = first; rank <= last && !stopped[0]; rank += WALK_STEP) {
            visit(rank, Math.min(WALK_STEP, last - rank + 1), false, each);
        }
    }

    /** The member's rank (from the highest score when {@code reverse}), or -1. */
    public long rank(byte[] member, boolean reverse) {
        long rank = encoding.rank(member);
        return rank < 0 || !reverse ? rank : length() - 1 - rank;
    }

    /**
     * Visits {@code count} entries starting at rank {@code start} and going up, or down when
     * {@code reverse}; the ranks must exist.
     */
    public void visit(long start, long count, boolean reverse, EntryVisitor visitor) {
        if (count > 0) {
            encoding.visit(start, count, reverse, visitor);
        }
    }

    /** Visits every entry, lowest first. */
    public void visitAll(EntryVisitor visitor) {
        visit(0, length(), false, visitor);
    }

    /** Rank of the first entry with a score in range, or -1. */
    public long firstRank(ScoreRange range) {
        return encoding.firstRank(range);
    }

    /** Rank of the last entry with a score in range, or -1. */
    public long lastRank(ScoreRange range) {
        return encoding.lastRank(range);
    }

    public long firstRank(LexRange range) {
        return encoding.firstRank(range);
    }

    public long lastRank(LexRange range) {
        return encoding.lastRank(range);
    }

    /** Removes ranks {@code start..end} (inclusive, existing); returns how many. */
    public long removeRanks(long start, long end) {
        encoding.deleteRanks(start, end);
        return end - start + 1;
    }

    /** Reads entries at any rank until the next change (ZRANDMEMBER). */
    public RankAccess rankAccess() {
        return encoding.rankAccess();
    }

    /** Switches to the compact encoding if the set is within the limits (zsetConvertToListpackIfNeeded). */
    public void compactIfFits(ListpackLimits limits) {
        if (encoding instanceof SkipListZSet skipList) {
            long[] longest = {0};
            skipList.visit(0, skipList.length(), false, (b, off, len, s) -> longest[0] = Math.max(longest[0], len));
            if (limits.fits(skipList.length(), longest[0])) {
                encoding = pack(skipList);
            }
        }
    }

    private void toSkipList() {
        SkipListZSet skipList = new SkipListZSet();
        encoding.visit(0, encoding.length(), false,
                (b, off, len, s) -> skipList.insert(Arrays.copyOfRange(b, off, off + len), s));
        encoding = skipList;
    }

    private static PackedZSet pack(ZSetEncoding from) {
        PackedZSet.Builder builder = new PackedZSet.Builder((int) Math.min(from.length() * 16, 1 << 20));
        from.visit(0, from.length(), false, builder::add);
        return builder.build();
    }

    /** The skip-list encoding, or null when compact (for SCAN and statistics). */
    SkipListZSet skipList() {
        return encoding instanceof SkipListZSet s ? s : null;
    }

    /* ---------------------------------------------------------------- Value and Members */

    @Override
    public DataType type() {
        return ZSetType.INSTANCE;
    }

    @Override
    public String encoding() {
        return encoding.name();
    }

    @Override
    public long memoryUsage() {
        return OVERHEAD + encoding.memoryUsage();
    }

    @Override
    public ZSetValue copy() {
        return new ZSetValue(encoding.copy());
    }

    @Override
    public void digest(Digest d) {
        visitAll((b, off, len, score) ->
                d.addUnordered(Arrays.copyOfRange(b, off, off + len), Bytes.of(Bytes.formatDouble(score))));
    }

    @Override
    public String hashTableStats() {
        SkipListZSet s = skipList();
        return s == null ? null : s.tableStats();
    }

    @Override
    public void forEachMember(Consumer<byte[]> out) {
        visitAll((b, off, len, score) -> out.accept(off == 0 && len == b.length ? b : Arrays.copyOfRange(b, off, off + len)));
    }
}
