package io.modis.api.dict;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * A hash table keyed by binary keys (compared by content) that never stops the world to resize.
 *
 * <p>Buckets are chains of {@link Entry}; table sizes are powers of two and a key's bucket is
 * its 64-bit seeded hash masked to the table. The table doubles once it holds as many entries
 * as buckets, and {@link #resizeIfNeeded()} shrinks it when it is less than 10% full. A resize
 * allocates a second table and moves the old one over a bucket at a time: every lookup or
 * update moves one bucket, and the server cron moves more with {@link #rehashFor(long)}. While
 * two tables exist, new keys go to the new one and lookups check both.
 *
 * <p>{@link #scan(long, Consumer)} has Redis's SCAN guarantee: an entry present from the first
 * call to the last is returned at least once, whatever resizes happen between the calls.
 *
 * <p>Keys are stored by reference: the caller hands over a key array it will not modify again.
 * Not thread-safe; meant for the engine thread.
 *
 * <p>Callbacks of {@link #scan}, {@link #forEach} may look keys up ({@link #get}, {@link #find})
 * and may remove the entry they were just handed, but must not add keys or remove any other
 * entry; collect the keys first and change the table afterwards. Incremental rehashing is paused
 * while such a callback runs, so lookups from it are safe. {@link #sample} hands its entries out
 * only after sampling finished, so its consumer may change the table freely.
 */
public final class Dict<V> {

    /** One key of the table; the value and expiry are the caller's to read and write. */
    public static final class Entry<V> {
        public final byte[] key;
        public V value;
        /** Absolute expiry time in Unix milliseconds, or -1 when the key does not expire. */
        public long expireAt = -1;
        /** Last access time in seconds (24 bits, LRU clock) for OBJECT IDLETIME; kept by the keyspace. */
        public int lru;
        /** The number of the last snapshot that saved this entry (fork-less snapshots). */
        public int snapshotMark;
        /** The keyspace's memory estimate for this key (key, value and overhead) as last accounted. */
        public int size;
        private Entry<V> next;

        Entry(byte[] key) {
            this.key = key;
        }
    }

    private static final int INITIAL_SIZE = 4;
    private static final int MAX_SIZE = 1 << 30;
    private static final int MIN_FILL_PERCENT = 10;
    private static final int EMPTY_VISITS_PER_STEP = 10;
    private static final int FAIR_RANDOM_SAMPLE = 15;
    private static final int STATS_CHAIN_LENGTHS = 50;
    private static final Entry<?>[] NO_TABLE = new Entry<?>[0];

    private final long k0;
    private final long k1;

    /** The only table, or the table being drained while rehashing. Length 0 when never used. */
    private Entry<V>[] t0 = noTable();
    /** The table being filled while rehashing, null otherwise. */
    private Entry<V>[] t1;
    private long used0;
    private long used1;
    /** Next bucket of t0 to move to t1; every bucket below it is empty. -1 when not rehashing. */
    private int rehashIdx = -1;
    /** Number of scan/forEach callbacks running; rehash steps are skipped while non-zero. */
    private int pauseRehash;

    /** A dictionary hashing with this JVM's random seed. */
    public Dict() {
        this(JvmSeed.K0, JvmSeed.K1);
    }

    /** A dictionary with a fixed 128-bit hash seed, for tests and reproducible layouts. */
    public Dict(long seed0, long seed1) {
        this.k0 = seed0;
        this.k1 = seed1;
    }

    // ---------------------------------------------------------------- lookups and updates

    public V get(byte[] key) {
        Entry<V> e = find(key);
        return e == null ? null : e.value;
    }

    public Entry<V> find(byte[] key) {
        if (size() == 0) {
            return null;
        }
        rehashStep();
        long h = hash(key);
        Entry<V> e = findIn(t0, h, key);
        if (e == null && t1 != null) {
            e = findIn(t1, h, key);
        }
        return e;
    }

    /** Sets the value of key, keeping the key's existing entry (and so its expiry). */
    public V put(byte[] key, V value) {
        Entry<V> e = addOrFind(key);
        V previous = e.value;
        e.value = value;
        return previous;
    }

    /** The entry of key, or a new entry with a null value and no expiry for the caller to fill. */
    public Entry<V> addOrFind(byte[] key) {
        rehashStep();
        long h = hash(key);
        if (size() != 0) {
            Entry<V> existing = findIn(t0, h, key);
            if (existing == null && t1 != null) {
                existing = findIn(t1, h, key);
            }
            if (existing != null) {
                return existing;
            }
        }
        expandIfNeeded();
        Entry<V> e = new Entry<>(key);
        if (t1 != null) {
            int idx = (int) h & (t1.length - 1);
            e.next = t1[idx];
            t1[idx] = e;
            used1++;
        } else {
            int idx = (int) h & (t0.length - 1);
            e.next = t0[idx];
            t0[idx] = e;
            used0++;
        }
        return e;
    }

    /** Unlinks key's entry and returns it, or returns null when key is absent. */
    public Entry<V> remove(byte[] key) {
        if (size() == 0) {
            return null;
        }
        rehashStep();
        long h = hash(key);
        Entry<V> e = unlink(t0, h, key);
        if (e != null) {
            used0--;
            return e;
        }
        if (t1 != null) {
            e = unlink(t1, h, key);
            if (e != null) {
                used1--;
            }
        }
        return e;
    }

    public long size() {
        return used0 + used1;
    }

    /** Drops every entry and both tables. */
    public void clear() {
        t0 = noTable();
        t1 = null;
        used0 = 0;
        used1 = 0;
        rehashIdx = -1;
    }

    /** Visits every entry once; see the class comment for what the action may do. */
    public void forEach(Consumer<Entry<V>> action) {
        pauseRehash++;
        try {
            visitAll(t0, action);
            if (t1 != null) {
                visitAll(t1, action);
            }
        } finally {
            pauseRehash--;
        }
    }

    // ---------------------------------------------------------------- resizing

    /** Number of buckets of both tables, like Redis's dictSlots. */
    public long buckets() {
        return t0.length + (t1 == null ? 0 : t1.length);
    }

    public boolean isRehashing() {
        return t1 != null;
    }

    /**
     * Makes room for at least {@code capacity} entries without further growth (to pre-size before
     * a bulk load). Returns false when a rehash is already in progress, when the size would not
     * change, or when the dictionary holds more than {@code capacity} entries.
     */
    public boolean expand(long capacity) {
        if (t1 != null || used0 > capacity) {
            return false;
        }
        int size = tableSizeFor(capacity);
        if (size == t0.length) {
            return false;
        }
        Entry<V>[] table = newTable(size);
        if (t0.length == 0) {
            t0 = table;
            return true;
        }
        t1 = table;
        rehashIdx = 0;
        return true;
    }

    /**
     * Starts shrinking when fewer than 10% of more than 4 buckets are used, to the smallest power
     * of two that holds every entry. Meant for the cron and for collections after deletions.
     * Returns whether a rehash was started.
     */
    public boolean resizeIfNeeded() {
        long slots = buckets();
        if (t1 != null || slots <= INITIAL_SIZE || size() * 100 / slots >= MIN_FILL_PERCENT) {
            return false;
        }
        return expand(Math.max(used0, INITIAL_SIZE));
    }

    /**
     * Moves up to {@code n} buckets to the new table, visiting at most {@code 10 * n} empty ones.
     * Returns whether a rehash is still in progress afterwards.
     */
    public boolean rehashSteps(int n) {
        if (pauseRehash > 0) {
            return t1 != null;
        }
        return rehash(n);
    }

    /**
     * Rehashes in batches of 100 buckets until the rehash completes or about {@code nanos} have
     * passed (the last batch may overrun a little). Returns whether a rehash is still in progress.
     */
    public boolean rehashFor(long nanos) {
        if (pauseRehash > 0) {
            return t1 != null;
        }
        long start = System.nanoTime();
        while (rehash(100)) {
            if (System.nanoTime() - start > nanos) {
                break;
            }
        }
        return t1 != null;
    }

    // ---------------------------------------------------------------- scan

    /**
     * Hands every entry of the bucket(s) at {@code cursor} to {@code out} and returns the next
     * cursor; start with 0, stop when 0 comes back. Every entry present for the whole scan is
     * returned at least once, some may be returned more than once. The scan itself never moves
     * entries between tables.
     */
    public long scan(long cursor, Consumer<Entry<V>> out) {
        if (size() == 0) {
            return 0;
        }
        long v = cursor;
        pauseRehash++;
        try {
            if (t1 == null) {
                long m0 = t0.length - 1;
                emitChain(t0[(int) (v & m0)], out);
                v = nextCursor(v, m0);
            } else {
                Entry<V>[] small = t0;
                Entry<V>[] large = t1;
                if (small.length > large.length) {
                    small = t1;
                    large = t0;
                }
                long m0 = small.length - 1;
                long m1 = large.length - 1;
                emitChain(small[(int) (v & m0)], out);
                // The large table's buckets whose low bits equal this small bucket, in cursor order.
                do {
                    emitChain(large[(int) (v & m1)], out);
                    v = nextCursor(v, m1);
                } while ((v & (m0 ^ m1)) != 0);
            }
        } finally {
            pauseRehash--;
        }
        return v;
    }

    /**
     * Whether a scan that returned {@code cursor} (and has not finished) has already handed out
     * the bucket of {@code key}, in whichever table sizes the scan met. Cursor 0 means "not
     * started". Holds because the cursor counts upwards in bit-reversed order: the buckets visited
     * so far are exactly the hashes whose reversed bits are below the reversed cursor.
     */
    public boolean scanCovered(long cursor, byte[] key) {
        return cursor != 0 && Long.compareUnsigned(Long.reverse(hash(key)), Long.reverse(cursor)) < 0;
    }

    // ---------------------------------------------------------------- random access

    /**
     * A random entry, or null when empty. Picks among a run of up to 15 sampled entries, which
     * evens out the bias of chains of different lengths (Redis's dictGetFairRandomKey).
     */
    public Entry<V> randomEntry() {
        if (size() == 0) {
            return null;
        }
        // never ask for more entries than exist: the sampler would wrap and count some twice
        int wanted = (int) Math.min(FAIR_RANDOM_SAMPLE, size());
        @SuppressWarnings("unchecked")
        Entry<V>[] picked = (Entry<V>[]) new Entry<?>[wanted];
        int n = sampleInto(picked, wanted);
        if (n == 0) {
            return randomBucketEntry();
        }
        return picked[ThreadLocalRandom.current().nextInt(n)];
    }

    /**
     * Hands up to {@code count} entries taken from a random stretch of the table to {@code out},
     * for expiry and eviction sampling (Redis's dictGetSomeKeys): fast, not uniform, may return
     * fewer than asked, rarely duplicates. Entries are handed out after sampling, so {@code out}
     * may modify the dictionary. Returns how many were handed out.
     */
    public int sample(int count, Consumer<Entry<V>> out) {
        if (count <= 0 || size() == 0) {
            return 0;
        }
        int wanted = (int) Math.min(count, size());
        @SuppressWarnings("unchecked")
        Entry<V>[] picked = (Entry<V>[]) new Entry<?>[wanted];
        int n = sampleInto(picked, wanted);
        for (int i = 0; i < n; i++) {
            out.accept(picked[i]);
        }
        return n;
    }

    // ---------------------------------------------------------------- statistics

    /** Table statistics in the text format of Redis's DEBUG HTSTATS. */
    public String stats() {
        StringBuilder sb = new StringBuilder();
        appendStats(sb, 0, t0, used0);
        if (t1 != null) {
            appendStats(sb, 1, t1, used1);
        }
        return sb.toString();
    }

    // ---------------------------------------------------------------- internals

    private long hash(byte[] key) {
        return SipHash.hash(k0, k1, key);
    }

    private static <V> Entry<V> findIn(Entry<V>[] table, long h, byte[] key) {
        if (table.length == 0) {
            return null;
        }
        Entry<V> e = table[(int) h & (table.length - 1)];
        while (e != null) {
            if (e.key == key || Arrays.equals(e.key, key)) {
                return e;
            }
            e = e.next;
        }
        return null;
    }

    private static <V> Entry<V> unlink(Entry<V>[] table, long h, byte[] key) {
        if (table.length == 0) {
            return null;
        }
        int idx = (int) h & (table.length - 1);
        Entry<V> prev = null;
        Entry<V> e = table[idx];
        while (e != null) {
            if (e.key == key || Arrays.equals(e.key, key)) {
                if (prev == null) {
                    table[idx] = e.next;
                } else {
                    prev.next = e.next;
                }
                e.next = null;
                return e;
            }
            prev = e;
            e = e.next;
        }
        return null;
    }

    private void expandIfNeeded() {
        if (t1 != null) {
            return;
        }
        if (t0.length == 0) {
            expand(INITIAL_SIZE);
        } else if (used0 >= t0.length && t0.length < MAX_SIZE) {
            expand(used0 + 1);
        }
    }

    private void rehashStep() {
        if (pauseRehash == 0 && t1 != null) {
            rehash(1);
        }
    }

    private boolean rehash(int n) {
        if (t1 == null) {
            return false;
        }
        long emptyVisits = (long) n * EMPTY_VISITS_PER_STEP;
        int mask1 = t1.length - 1;
        while (n-- > 0 && used0 != 0) {
            while (t0[rehashIdx] == null) {
                rehashIdx++;
                if (--emptyVisits == 0) {
                    return true;
                }
            }
            Entry<V> e = t0[rehashIdx];
            while (e != null) {
                Entry<V> next = e.next;
                int idx = (int) hash(e.key) & mask1;
                e.next = t1[idx];
                t1[idx] = e;
                used0--;
                used1++;
                e = next;
            }
            t0[rehashIdx] = null;
            rehashIdx++;
        }
        if (used0 == 0) {
            t0 = t1;
            used0 = used1;
            t1 = null;
            used1 = 0;
            rehashIdx = -1;
            return false;
        }
        return true;
    }

    /** Advances a bit-reversed cursor over the buckets selected by mask. */
    private static long nextCursor(long v, long mask) {
        v |= ~mask;
        v = Long.reverse(v);
        v++;
        return Long.reverse(v);
    }

    private static <V> void emitChain(Entry<V> e, Consumer<Entry<V>> out) {
        while (e != null) {
            Entry<V> next = e.next;
            out.accept(e);
            e = next;
        }
    }

    private static <V> void visitAll(Entry<V>[] table, Consumer<Entry<V>> action) {
        for (Entry<V> head : table) {
            emitChain(head, action);
        }
    }

    /** Fills picked with up to max entries scanned from a random bucket onwards. */
    private int sampleInto(Entry<V>[] picked, int max) {
        for (int j = 0; j < max && t1 != null; j++) {
            rehashStep();
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        boolean twoTables = t1 != null;
        int maxMask = t0.length - 1;
        if (twoTables && t1.length - 1 > maxMask) {
            maxMask = t1.length - 1;
        }
        int i = random.nextInt() & maxMask;
        long maxSteps = max * 10L;
        int stored = 0;
        int emptyRun = 0;
        while (stored < max && maxSteps-- > 0) {
            for (int j = 0; j < (twoTables ? 2 : 1); j++) {
                Entry<V>[] table = j == 0 ? t0 : t1;
                // Buckets of t0 below rehashIdx are empty; if t1 is too small to reach i either,
                // nothing lives between i and rehashIdx, so jump ahead.
                if (twoTables && j == 0 && i < rehashIdx) {
                    if (i >= t1.length) {
                        i = rehashIdx;
                    } else {
                        continue;
                    }
                }
                if (i >= table.length) {
                    continue;
                }
                Entry<V> e = table[i];
                if (e == null) {
                    emptyRun++;
                    if (emptyRun >= 5 && emptyRun > max) {
                        i = random.nextInt() & maxMask;
                        emptyRun = 0;
                    }
                } else {
                    emptyRun = 0;
                    // Reservoir sampling through the whole chain, so the tail of a long chain
                    // has a chance too.
                    while (e != null) {
                        if (stored < max) {
                            picked[stored] = e;
                        } else {
                            int r = random.nextInt(stored + 1);
                            if (r < max) {
                                picked[r] = e;
                            }
                        }
                        stored++;
                        e = e.next;
                    }
                    if (stored >= max) {
                        return max;
                    }
                }
            }
            i = (i + 1) & maxMask;
        }
        return Math.min(stored, max);
    }

    /** Redis's dictGetRandomKey: a random non-empty bucket, then a random entry of its chain. */
    private Entry<V> randomBucketEntry() {
        rehashStep();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        Entry<V> head;
        if (t1 != null) {
            long s0 = t0.length;
            long span = buckets() - rehashIdx;
            do {
                long h = rehashIdx + random.nextLong(span);
                head = h >= s0 ? t1[(int) (h - s0)] : t0[(int) h];
            } while (head == null);
        } else {
            int mask = t0.length - 1;
            do {
                head = t0[random.nextInt() & mask];
            } while (head == null);
        }
        int chainLength = 0;
        for (Entry<V> e = head; e != null; e = e.next) {
            chainLength++;
        }
        Entry<V> e = head;
        for (int skip = random.nextInt(chainLength); skip > 0; skip--) {
            e = e.next;
        }
        return e;
    }

    private static <V> void appendStats(StringBuilder sb, int tableId, Entry<V>[] table, long used) {
        String role = tableId == 0 ? "main hash table" : "rehashing target";
        sb.append("Hash table ").append(tableId).append(" stats (").append(role).append("):\n");
        if (used == 0) {
            sb.append("No stats available for empty dictionaries\n");
            return;
        }
        long[] chainLengths = new long[STATS_CHAIN_LENGTHS];
        long nonEmpty = 0;
        long maxChain = 0;
        long totalChain = 0;
        for (Entry<V> head : table) {
            if (head == null) {
                chainLengths[0]++;
                continue;
            }
            nonEmpty++;
            long chain = 0;
            for (Entry<V> e = head; e != null; e = e.next) {
                chain++;
            }
            chainLengths[(int) Math.min(chain, STATS_CHAIN_LENGTHS - 1)]++;
            maxChain = Math.max(maxChain, chain);
            totalChain += chain;
        }
        sb.append(" table size: ").append(table.length).append('\n')
                .append(" number of elements: ").append(used).append('\n')
                .append(" different slots: ").append(nonEmpty).append('\n')
                .append(" max chain length: ").append(maxChain).append('\n')
                .append(" avg chain length (counted): ")
                .append(twoDecimals((float) totalChain / nonEmpty)).append('\n')
                .append(" avg chain length (computed): ")
                .append(twoDecimals((float) used / nonEmpty)).append('\n')
                .append(" Chain length distribution:\n");
        for (int i = 0; i < STATS_CHAIN_LENGTHS - 1; i++) {
            if (chainLengths[i] == 0) {
                continue;
            }
            sb.append("   ").append(i).append(": ").append(chainLengths[i]).append(" (")
                    .append(twoDecimals((float) chainLengths[i] / table.length * 100)).append("%)\n");
        }
    }

    private static String twoDecimals(float f) {
        return String.format(Locale.ROOT, "%.2f", f);
    }

    private static int tableSizeFor(long capacity) {
        if (capacity <= INITIAL_SIZE) {
            return INITIAL_SIZE;
        }
        if (capacity >= MAX_SIZE) {
            return MAX_SIZE;
        }
        return Integer.highestOneBit((int) capacity - 1) << 1;
    }

    @SuppressWarnings("unchecked")
    private static <V> Entry<V>[] newTable(int size) {
        return (Entry<V>[]) new Entry<?>[size];
    }

    @SuppressWarnings("unchecked")
    private static <V> Entry<V>[] noTable() {
        return (Entry<V>[]) NO_TABLE;
    }

    /** One hash seed per JVM, drawn once from the system's secure random source. */
    private static final class JvmSeed {
        static final long K0;
        static final long K1;

        static {
            SecureRandom random = new SecureRandom();
            K0 = random.nextLong();
            K1 = random.nextLong();
        }
    }
}
