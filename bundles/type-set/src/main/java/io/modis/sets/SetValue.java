package io.modis.sets;

import io.modis.api.Bytes;
import io.modis.api.DataType;
import io.modis.api.Digest;
import io.modis.api.Members;
import io.modis.api.dict.Dict;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A set value in one of Redis 7.0's two encodings: an {@link IntSet} while every member is an
 * integer and there are at most set-max-intset-entries of them, otherwise a {@link Dict} whose
 * keys are the members. A set only ever converts from intset to hashtable; results of set
 * operations are built from scratch and so start as intsets again.
 *
 * <p>Member arrays are never modified once stored, so sets may share them (a stored result
 * holds the same arrays as its sources); only the structures that hold them are per value.
 */
public final class SetValue implements Members {
    static final String INTSET = "intset";
    static final String HASHTABLE = "hashtable";
    /** How many entries a fair random pick samples (Redis's GETFAIR_NUMKEYS). */
    private static final int FAIR_RANDOM_SAMPLE = 15;
    /** Redis caps intsets at 2^30 members whatever set-max-intset-entries says. */
    static final long INTSET_HARD_LIMIT = 1L << 30;

    /** This object's header and fields. */
    private static final long OBJECT_OVERHEAD = 32;
    /** The Dict object and its fields. */
    private static final long TABLE_OVERHEAD = 72;
    /** A Dict.Entry (header, key, value, expiry, LRU, next) plus the member array's header. */
    private static final long ENTRY_OVERHEAD = 40 + 16;

    /** The intset encoding, or null when the set is a hash table. */
    private IntSet ints;
    /** The hashtable encoding (values unused), or null when the set is an intset. */
    private Dict<Boolean> table;
    /** Running estimate of the table's entries and member arrays, for a cheap {@link #memoryUsage()}. */
    private long entryBytes;

    private SetValue(IntSet ints, Dict<Boolean> table, long entryBytes) {
        this.ints = ints;
        this.table = table;
        this.entryBytes = entryBytes;
    }

    /** An empty intset-encoded set (the start of every computed result, as in Redis). */
    static SetValue newIntset() {
        return new SetValue(new IntSet(), null, 0);
    }

    /** An empty hashtable-encoded set sized for {@code capacity} members. */
    static SetValue newTable(long capacity) {
        Dict<Boolean> d = new Dict<>();
        if (capacity > 0) {
            d.expand(capacity);
        }
        return new SetValue(null, d, 0);
    }

    /** An empty set in the encoding that suits its first member (Redis's setTypeCreate). */
    static SetValue forFirstMember(byte[] member) {
        return StrictLong.matches(member) ? newIntset() : newTable(0);
    }

    @Override
    public DataType type() {
        return SetType.INSTANCE;
    }

    @Override
    public String encoding() {
        return ints != null ? INTSET : HASHTABLE;
    }

    @Override
    public long length() {
        return ints != null ? ints.size() : table.size();
    }

    boolean isIntset() {
        return ints != null;
    }

    /** The intset encoding for fast integer paths, or null when the set is a hash table. */
    IntSet intset() {
        return ints;
    }

    /* ---------------------------------------------------------------- membership */

    /**
     * Adds {@code member}; false if it was already there. Converts to a hash table when the member
     * is not an integer or the intset would grow past {@code maxIntsetEntries}.
     */
    boolean add(byte[] member, long maxIntsetEntries) {
        if (ints != null) {
            if (StrictLong.matches(member)) {
                return addLong(Bytes.parseLong(member), maxIntsetEntries);
            }
            convertToTable(ints.size());
        }
        return addToTable(member);
    }

    /** Adds the integer member {@code v}; false if it was already there. */
    boolean addLong(long v, long maxIntsetEntries) {
        if (ints == null) {
            return addToTable(Bytes.fromLong(v));
        }
        if (!ints.add(v)) {
            return false;
        }
        if (ints.size() > Math.min(maxIntsetEntries, INTSET_HARD_LIMIT)) {
            convertToTable(ints.size());
        }
        return true;
    }

    /** Removes {@code member}; false if it was not there. A hash table shrinks when mostly empty. */
    boolean remove(byte[] member) {
        if (ints != null) {
            return StrictLong.matches(member) && ints.remove(Bytes.parseLong(member));
        }
        Dict.Entry<Boolean> e = table.remove(member);
        if (e == null) {
            return false;
        }
        entryBytes -= entryBytes(e.key);
        table.resizeIfNeeded();
        return true;
    }

    boolean contains(byte[] member) {
        if (ints != null) {
            return StrictLong.matches(member) && ints.contains(Bytes.parseLong(member));
        }
        return table.find(member) != null;
    }

    boolean containsLong(long v) {
        return ints != null ? ints.contains(v) : table.find(Bytes.fromLong(v)) != null;
    }

    /* ---------------------------------------------------------------- random members */

    /** A random member (fair across hash chains); the set must not be empty. */
    byte[] randomMember() {
        return ints != null ? Bytes.fromLong(ints.random()) : fairRandomEntry().key;
    }

    /** Removes a random member and returns it; the set must not be empty. */
    byte[] popRandom() {
        if (ints != null) {
            return Bytes.fromLong(ints.removeAt(ThreadLocalRandom.current().nextInt(ints.size())));
        }
        byte[] member = fairRandomEntry().key;
        remove(member);
        return member;
    }

    /**
     * {@code count} distinct members drawn at random, by drawing until that many distinct ones
     * came up: meant for a count well below the size (Redis's SRANDMEMBER "case 4").
     */
    List<byte[]> distinctRandomMembers(int count) {
        List<byte[]> out = new ArrayList<>(count);
        ThreadLocalRandom random = ThreadLocalRandom.current();
        if (ints != null) {
            Set<Integer> picked = new HashSet<>(count * 2);
            while (out.size() < count) {
                int i = random.nextInt(ints.size());
                if (picked.add(i)) {
                    out.add(Bytes.fromLong(ints.get(i)));
                }
            }
            return out;
        }
        Set<Dict.Entry<Boolean>> picked = Collections.newSetFromMap(new IdentityHashMap<>(count * 2));
        while (out.size() < count) {
            Dict.Entry<Boolean> e = fairRandomEntry();
            if (picked.add(e)) {
                out.add(e.key);
            }
        }
        return out;
    }

    /**
     * Redis's dictGetFairRandomKey: one of up to 15 entries sampled from a random stretch of the
     * table, which evens out the bias of chains of different lengths. Dict.randomEntry() does this
     * too, but samples 15 entries even from a smaller table, wrapping around and so counting the
     * entries after its starting point twice (a chi-square of ~500 over 100000 draws from 10
     * members); Dict.sample() caps the sample at the table's size, as dictGetSomeKeys does.
     */
    private Dict.Entry<Boolean> fairRandomEntry() {
        @SuppressWarnings("unchecked")
        Dict.Entry<Boolean>[] sampled = (Dict.Entry<Boolean>[]) new Dict.Entry<?>[FAIR_RANDOM_SAMPLE];
        int[] n = new int[1];
        table.sample(FAIR_RANDOM_SAMPLE, e -> sampled[n[0]++] = e);
        if (n[0] == 0) {
            return table.randomEntry();
        }
        return sampled[ThreadLocalRandom.current().nextInt(n[0])];
    }

    /* ---------------------------------------------------------------- iteration */

    @Override
    public void forEachMember(Consumer<byte[]> out) {
        if (ints != null) {
            for (int i = 0, n = ints.size(); i < n; i++) {
                out.accept(Bytes.fromLong(ints.get(i)));
            }
        } else {
            table.forEach(e -> out.accept(e.key));
        }
    }

    /** All members in iteration order, as a list. */
    List<byte[]> members() {
        List<byte[]> out = new ArrayList<>((int) length());
        forEachMember(out::add);
        return out;
    }

    /**
     * Hands members to {@code out} until it returns false. {@code out} must not change this set
     * nor look members up in it (that would move hash buckets under the walk).
     */
    void forEachMemberWhile(Predicate<byte[]> out) {
        if (ints != null) {
            for (int i = 0, n = ints.size(); i < n; i++) {
                if (!out.test(Bytes.fromLong(ints.get(i)))) {
                    return;
                }
            }
            return;
        }
        // A scan visits every bucket once while the table does not change, and can stop between buckets.
        boolean[] stopped = new boolean[1];
        Consumer<Dict.Entry<Boolean>> visit = e -> {
            if (!stopped[0] && !out.test(e.key)) {
                stopped[0] = true;
            }
        };
        long cursor = 0;
        do {
            cursor = table.scan(cursor, visit);
        } while (cursor != 0 && !stopped[0]);
    }

    /**
     * One SSCAN step over the hash table: hands the members of the bucket(s) at {@code cursor}
     * to {@code out} and returns the next cursor. Only for the hashtable encoding.
     */
    long scanStep(long cursor, Consumer<byte[]> out) {
        return table.scan(cursor, e -> out.accept(e.key));
    }

    /** Takes over {@code other}'s contents and encoding (SPOP keeping the key, its TTL and identity). */
    void replaceContents(SetValue other) {
        this.ints = other.ints;
        this.table = other.table;
        this.entryBytes = other.entryBytes;
    }

    /* ---------------------------------------------------------------- Value */

    @Override
    public long memoryUsage() {
        if (ints != null) {
            return OBJECT_OVERHEAD + ints.memoryUsage();
        }
        return OBJECT_OVERHEAD + TABLE_OVERHEAD + entryBytes + 16 + table.buckets() * Integer.BYTES;
    }

    @Override
    public SetValue copy() {
        if (ints != null) {
            return new SetValue(ints.copy(), null, 0);
        }
        SetValue c = newTable(table.size());
        table.forEach(e -> c.addToTable(e.key));
        return c;
    }

    @Override
    public void digest(Digest d) {
        forEachMember(d::addUnordered);
    }

    @Override
    public String hashTableStats() {
        return table == null ? null : table.stats();
    }

    /* ---------------------------------------------------------------- internals */

    private boolean addToTable(byte[] member) {
        Dict.Entry<Boolean> e = table.addOrFind(member);
        if (e.value != null) {
            return false;
        }
        e.value = Boolean.TRUE;
        entryBytes += entryBytes(member);
        return true;
    }

    /** Moves the members of the intset into a hash table presized for {@code capacity} members. */
    private void convertToTable(long capacity) {
        IntSet from = ints;
        Dict<Boolean> d = new Dict<>();
        d.expand(capacity);
        table = d;
        ints = null;
        entryBytes = 0;
        for (int i = 0, n = from.size(); i < n; i++) {
            addToTable(Bytes.fromLong(from.get(i)));
        }
    }

    private static long entryBytes(byte[] member) {
        return ENTRY_OVERHEAD + ((member.length + 7) & ~7L);
    }
}
