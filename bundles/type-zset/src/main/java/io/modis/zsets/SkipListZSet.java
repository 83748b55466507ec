package io.modis.zsets;

import io.modis.api.dict.Dict;
import java.util.function.Consumer;

/**
 * The encoding Redis calls "skiplist": a hash table from member to its skip-list node (score
 * lookups in O(1)) plus the skip list itself (order and ranks in O(log N)). The member array is
 * shared by both.
 */
final class SkipListZSet implements ZSetEncoding {
    /** This object, the skip list and its header node with its two level arrays. */
    private static final long OVERHEAD = 24 + 32 + 56 + 2 * (16 + 4 * (ZSkipList.MAX_LEVEL - 2)) + 64;
    /** A Dict.Entry: header, key, value, expiry, LRU and chain link. */
    private static final long DICT_ENTRY = 40;
    private static final long NODE = 56;

    private final Dict<ZSkipList.Node> dict = new Dict<>();
    private final ZSkipList list = new ZSkipList();
    /** Running estimate of the entries' bytes, without the table's buckets. */
    private long entryBytes;

    @Override
    public String name() {
        return "skiplist";
    }

    @Override
    public long length() {
        return list.length();
    }

    /** The hash table's statistics (DEBUG HTSTATS-KEY). */
    String tableStats() {
        return dict.stats();
    }

    /** One SCAN step over the members' table; see {@link Dict#scan}. */
    long scan(long cursor, Consumer<ZSkipList.Node> out) {
        return dict.scan(cursor, e -> out.accept(e.value));
    }

    private static long cost(ZSkipList.Node n) {
        // the node holds two levels; higher ones are two arrays
        long high = n.level() > 2 ? 2 * PackedZSet.align8(16 + 4L * (n.level() - 2)) : 0;
        return NODE + high + PackedZSet.align8(16 + n.member.length) + DICT_ENTRY;
    }

    @Override
    public double score(byte[] member) {
        ZSkipList.Node n = dict.get(member);
        return n == null ? Double.NaN : n.score;
    }

    @Override
    public void insert(byte[] member, double score) {
        ZSkipList.Node n = list.insert(score, member);
        dict.put(member, n);
        entryBytes += cost(n);
    }

    @Override
    public void changeScore(byte[] member, double oldScore, double newScore) {
        Dict.Entry<ZSkipList.Node> e = dict.find(member);
        ZSkipList.Node before = e.value;
        e.value = list.updateScore(before, newScore);
        entryBytes += cost(e.value) - cost(before);
    }

    @Override
    public boolean delete(byte[] member) {
        Dict.Entry<ZSkipList.Node> e = dict.remove(member);
        if (e == null) {
            return false;
        }
        list.delete(e.value.score, e.value.member);
        entryBytes -= cost(e.value);
        dict.resizeIfNeeded();
        return true;
    }

    @Override
    public long rank(byte[] member) {
        ZSkipList.Node n = dict.get(member);
        return n == null ? -1 : list.rank(n.score, n.member) - 1;
    }

    @Override
    public void visit(long start, long count, boolean reverse, EntryVisitor visitor) {
        ZSkipList.Node n = start == 0 && !reverse ? list.first()
                : start == list.length() - 1 && reverse ? list.last() : list.byRank(start + 1);
        for (long i = 0; i < count && n != null; i++) {
            visitor.visit(n.member, 0, n.member.length, n.score);
            n = reverse ? n.backward : n.next(0);
        }
    }

    @Override
    public long firstRank(ScoreRange range) {
        return list.firstRank(range);
    }

    @Override
    public long lastRank(ScoreRange range) {
        return list.lastRank(range);
    }

    @Override
    public long firstRank(LexRange range) {
        return list.firstRank(range);
    }

    @Override
    public long lastRank(LexRange range) {
        return list.lastRank(range);
    }

    @Override
    public void deleteRanks(long start, long end) {
        list.deleteRange(start + 1, end + 1, n -> {
            dict.remove(n.member);
            entryBytes -= cost(n);
        });
        dict.resizeIfNeeded();
    }

    @Override
    public RankAccess rankAccess() {
        return (rank, visitor) -> {
            ZSkipList.Node n = list.byRank(rank + 1);
            visitor.visit(n.member, 0, n.member.length, n.score);
        };
    }

    @Override
    public long memoryUsage() {
        return OVERHEAD + entryBytes + 4 * dict.buckets();
    }

    @Override
    public SkipListZSet copy() {
        SkipListZSet copy = new SkipListZSet();
        copy.dict.expand(dict.size());
        // from the highest entry down, so that every insertion lands at the head of the list
        for (ZSkipList.Node n = list.last(); n != null; n = n.backward) {
            copy.insert(n.member.clone(), n.score);
        }
        return copy;
    }
}
