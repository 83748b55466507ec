package io.modis.api.dict;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class DictTest {

    private static Dict<String> newDict() {
        return new Dict<>(0x1234_5678_9abc_def0L, 0x0fed_cba9_8765_4321L);
    }

    /** A binary key: contains NUL and 0xff bytes, and differs from every other i. */
    private static byte[] key(int i) {
        byte[] digits = Integer.toString(i).getBytes(StandardCharsets.US_ASCII);
        byte[] k = new byte[digits.length + 3];
        k[0] = 0;
        k[1] = (byte) 0xff;
        System.arraycopy(digits, 0, k, 2, digits.length);
        k[k.length - 1] = 0;
        return k;
    }

    private static ByteBuffer wrap(byte[] key) {
        return ByteBuffer.wrap(key);
    }

    /** Elements held by table 0 or 1, read from the DEBUG HTSTATS text. */
    private static long elementsIn(Dict<?> dict, int table) {
        String stats = dict.stats();
        Matcher m = Pattern.compile("Hash table " + table + " stats \\([a-z ]+\\):\n"
                + "(No stats available for empty dictionaries|"
                + " table size: \\d+\n number of elements: (\\d+))").matcher(stats);
        if (!m.find()) {
            return 0;
        }
        return m.group(2) == null ? 0 : Long.parseLong(m.group(2));
    }

    private static Set<ByteBuffer> contents(Dict<?> dict) {
        Set<ByteBuffer> keys = new HashSet<>();
        dict.forEach(e -> assertTrue(keys.add(wrap(e.key)), "forEach visits each entry once"));
        return keys;
    }

    // ---------------------------------------------------------------- basic operations

    @Test
    void storesBinaryKeysByContent() {
        Dict<String> dict = newDict();
        byte[] withNul = {'a', 0, 'b'};
        byte[] highBytes = {(byte) 0xff, (byte) 0x80, 0x7f};
        byte[] empty = {};

        assertNull(dict.put(withNul, "one"));
        assertNull(dict.put(highBytes, "two"));
        assertNull(dict.put(empty, "three"));

        assertEquals(3, dict.size());
        assertEquals("one", dict.get(new byte[] {'a', 0, 'b'}));
        assertEquals("two", dict.get(new byte[] {(byte) 0xff, (byte) 0x80, 0x7f}));
        assertEquals("three", dict.get(new byte[0]));
        assertNull(dict.get(new byte[] {'a', 0}));
        assertNull(dict.get(new byte[] {'a', 0, 'b', 0}));
    }

    @Test
    void replacingKeepsTheEntryAndItsExpiry() {
        Dict<String> dict = newDict();
        byte[] k = key(7);
        dict.put(k, "old");
        Dict.Entry<String> entry = dict.find(k);
        entry.expireAt = 1_700_000_000_000L;

        assertEquals("old", dict.put(key(7), "new"));

        assertEquals(1, dict.size());
        assertSame(entry, dict.find(key(7)));
        assertSame(k, entry.key, "the first key array stays the stored key");
        assertEquals("new", entry.value);
        assertEquals(1_700_000_000_000L, entry.expireAt);
    }

    @Test
    void addOrFindCreatesAnEmptyEntryOnlyWhenTheKeyIsNew() {
        Dict<String> dict = newDict();

        Dict.Entry<String> created = dict.addOrFind(key(1));
        assertNull(created.value);
        assertEquals(-1, created.expireAt);
        assertEquals(1, dict.size());
        created.value = "v";

        Dict.Entry<String> found = dict.addOrFind(key(1));
        assertSame(created, found);
        assertEquals("v", found.value);
        assertEquals(1, dict.size());
    }

    @Test
    void removeReturnsTheUnlinkedEntry() {
        Dict<String> dict = newDict();
        for (int i = 0; i < 100; i++) {
            dict.put(key(i), "v" + i);
        }

        Dict.Entry<String> removed = dict.remove(key(42));
        assertNotNull(removed);
        assertArrayEquals(key(42), removed.key);
        assertEquals("v42", removed.value);
        assertEquals(99, dict.size());
        assertNull(dict.get(key(42)));
        assertNull(dict.remove(key(42)));
        assertNull(dict.remove(key(1000)));
        assertEquals("v41", dict.get(key(41)));
        assertEquals("v43", dict.get(key(43)));
    }

    @Test
    void emptyDictionaryAnswersEverythingWithoutTables() {
        Dict<String> dict = newDict();
        assertEquals(0, dict.size());
        assertEquals(0, dict.buckets());
        assertNull(dict.get(key(1)));
        assertNull(dict.remove(key(1)));
        assertNull(dict.randomEntry());
        assertEquals(0, dict.sample(5, e -> fail("nothing to sample")));
        assertEquals(0, dict.scan(0, e -> fail("nothing to scan")));
        assertEquals("Hash table 0 stats (main hash table):\n"
                + "No stats available for empty dictionaries\n", dict.stats());
    }

    @Test
    void clearDropsEverything() {
        Dict<String> dict = newDict();
        for (int i = 0; i < 1000; i++) {
            dict.put(key(i), "v");
        }
        dict.clear();
        assertEquals(0, dict.size());
        assertEquals(0, dict.buckets());
        assertFalse(dict.isRehashing());
        assertNull(dict.get(key(1)));
        dict.put(key(1), "again");
        assertEquals("again", dict.get(key(1)));
        assertEquals(4, dict.buckets());
    }

    // ---------------------------------------------------------------- resizing

    @Test
    void staysConsistentWithHashMapThroughGrowthAndShrinking() {
        Dict<String> dict = newDict();
        Map<ByteBuffer, String> model = new HashMap<>();
        Random random = new Random(42);
        int grows = 0;
        int shrinks = 0;

        for (int round = 0; round < 6; round++) {
            boolean filling = round % 2 == 0;
            int operations = filling ? 40_000 : 60_000;
            for (int op = 0; op < operations; op++) {
                int action = random.nextInt(10);
                // Filling rounds mostly write over 20000 keys; draining rounds mostly delete them,
                // writing only a few hundred keys, so the table must shrink.
                boolean write = filling ? action < 6 : action == 0;
                boolean delete = filling ? action >= 6 && action < 8 : action < 9;
                byte[] key = key(random.nextInt(write && !filling ? 300 : 20_000));
                long bucketsBefore = dict.buckets();
                if (write) {
                    String value = "v" + op;
                    assertEquals(model.put(wrap(key), value), dict.put(key, value));
                } else if (delete) {
                    Dict.Entry<String> removed = dict.remove(key);
                    String expected = model.remove(wrap(key));
                    assertEquals(expected, removed == null ? null : removed.value);
                    if (dict.resizeIfNeeded()) {
                        shrinks++;
                    }
                } else {
                    assertEquals(model.get(wrap(key)), dict.get(key));
                }
                if (bucketsBefore > 0 && dict.buckets() == 3 * bucketsBefore) {
                    grows++;
                }
                assertEquals(model.size(), dict.size());
            }
            for (Map.Entry<ByteBuffer, String> e : model.entrySet()) {
                assertEquals(e.getValue(), dict.get(e.getKey().array()));
            }
            assertEquals(model.keySet(), contents(dict));
        }
        assertTrue(grows > 5, "table grew repeatedly");
        assertTrue(shrinks > 0, "table shrank");
    }

    @Test
    void growthIsIncrementalAcrossOperations() {
        Dict<String> dict = newDict();
        for (int i = 0; i < 4096; i++) {
            dict.put(key(i), "v");
        }
        dict.rehashFor(Long.MAX_VALUE);
        assertFalse(dict.isRehashing());
        assertEquals(4096, dict.buckets());

        dict.put(key(4096), "v");

        assertTrue(dict.isRehashing(), "second table allocated");
        assertEquals(4096 + 8192, dict.buckets());
        long inOld = elementsIn(dict, 0);
        assertTrue(inOld > 4000, "only a bucket or so moved by the triggering write: " + inOld);

        int operations = 0;
        while (dict.isRehashing()) {
            dict.get(key(operations % 4097));
            operations++;
            if (dict.isRehashing()) {
                long nowInOld = elementsIn(dict, 0);
                assertTrue(nowInOld <= inOld, "entries only move to the new table");
                assertTrue(inOld - nowInOld <= 10, "one bucket per operation, moved " + (inOld - nowInOld));
                inOld = nowInOld;
            }
            assertEquals(4097, dict.size());
        }
        assertTrue(operations > 1000, "took " + operations + " lookups to drain 4096 buckets");
        assertEquals(8192, dict.buckets());
        assertEquals(4097, elementsIn(dict, 0));
        assertTrue(dict.stats().contains(" table size: 8192\n"));
        for (int i = 0; i <= 4096; i++) {
            assertEquals("v", dict.get(key(i)));
        }
    }

    @Test
    void writesDuringRehashGoToTheNewTable() {
        Dict<String> dict = newDict();
        for (int i = 0; i < 1025; i++) {
            dict.put(key(i), "v");
        }
        assertTrue(dict.isRehashing());
        long inNew = elementsIn(dict, 1);
        dict.put(key(5000), "fresh");
        assertTrue(elementsIn(dict, 1) > inNew);
        assertEquals("fresh", dict.get(key(5000)));
        assertTrue(dict.stats().contains("Hash table 1 stats (rehashing target):\n table size: 2048\n"));
    }

    @Test
    void cronRehashingFinishesTheMove() {
        Dict<String> dict = newDict();
        for (int i = 0; i < 1025; i++) {
            dict.put(key(i), "v");
        }
        assertTrue(dict.isRehashing());
        assertTrue(dict.rehashSteps(1), "one step does not drain 1024 buckets");
        while (dict.rehashSteps(100)) {
            assertEquals(1025, dict.size());
        }
        assertFalse(dict.isRehashing());
        assertEquals(2048, dict.buckets());

        for (int i = 1025; i < 2049; i++) {
            dict.put(key(i), "v");
        }
        assertTrue(dict.isRehashing());
        assertFalse(dict.rehashFor(1_000_000_000L));
        assertEquals(4096, dict.buckets());
    }

    @Test
    void shrinksOnlyBelowTenPercentFill() {
        Dict<String> dict = newDict();
        for (int i = 0; i < 1024; i++) {
            dict.put(key(i), "v");
        }
        dict.rehashFor(Long.MAX_VALUE);
        assertEquals(1024, dict.buckets());
        for (int i = 0; i < 921; i++) {
            dict.remove(key(i));
        }
        assertEquals(103, dict.size());
        assertFalse(dict.resizeIfNeeded(), "103 of 1024 is still 10%");

        dict.remove(key(921));
        assertTrue(dict.resizeIfNeeded());
        assertTrue(dict.isRehashing());
        assertEquals(1024 + 128, dict.buckets());
        assertFalse(dict.resizeIfNeeded(), "never while rehashing");

        dict.rehashFor(Long.MAX_VALUE);
        assertEquals(128, dict.buckets());
        for (int i = 922; i < 1024; i++) {
            assertEquals("v", dict.get(key(i)));
        }
    }

    @Test
    void neverShrinksBelowFourBuckets() {
        Dict<String> dict = newDict();
        for (int i = 0; i < 100; i++) {
            dict.put(key(i), "v");
        }
        for (int i = 0; i < 100; i++) {
            dict.remove(key(i));
        }
        assertTrue(dict.resizeIfNeeded());
        dict.rehashFor(Long.MAX_VALUE);
        assertEquals(4, dict.buckets());
        assertFalse(dict.resizeIfNeeded());
    }

    @Test
    void expandPresizesWithoutRehashWhenEmpty() {
        Dict<String> dict = newDict();
        assertTrue(dict.expand(1000));
        assertEquals(1024, dict.buckets());
        assertFalse(dict.isRehashing());
        assertFalse(dict.expand(1000), "same size");
        for (int i = 0; i < 1024; i++) {
            dict.put(key(i), "v");
        }
        assertFalse(dict.isRehashing(), "no growth up to the presized capacity");
        assertFalse(dict.expand(10), "smaller than the current size");
    }

    // ---------------------------------------------------------------- scan

    @Test
    void scanReturnsEachEntryExactlyOnceWhenNothingChanges() {
        Dict<String> dict = newDict();
        for (int i = 0; i < 3000; i++) {
            dict.put(key(i), "v");
        }
        for (boolean midRehash : new boolean[] {true, false}) {
            assertEquals(midRehash, dict.isRehashing());
            Set<ByteBuffer> seen = new HashSet<>();
            long cursor = 0;
            do {
                cursor = dict.scan(cursor, e -> assertTrue(seen.add(wrap(e.key)), "duplicate"));
            } while (cursor != 0);
            assertEquals(3000, seen.size());
            dict.rehashFor(Long.MAX_VALUE);
        }
    }

    @Test
    void scanReturnsEveryStableKeyWhileTheTableGrowsAndShrinks() {
        for (long seed = 1; seed <= 8; seed++) {
            scanUnderChurn(seed);
        }
    }

    /**
     * Scans 500 stable keys while other keys are added and removed between calls, in phases that
     * grow the table several times and shrink it back, with lookups and cron steps moving buckets.
     */
    private static void scanUnderChurn(long seed) {
        Random random = new Random(seed);
        Dict<String> dict = new Dict<>(random.nextLong(), random.nextLong());
        List<byte[]> stable = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            byte[] k = key(i);
            stable.add(k);
            dict.put(k, "stable");
        }
        List<byte[]> volatileKeys = new ArrayList<>();
        int nextVolatile = 1_000_000;

        Set<ByteBuffer> seen = new HashSet<>();
        long largestTable = 0;
        boolean shrank = false;
        long cursor = 0;
        int calls = 0;
        do {
            cursor = dict.scan(cursor, e -> seen.add(wrap(e.key)));
            calls++;
            for (byte[] k : stable) {
                if (dict.scanCovered(cursor, k) && !seen.contains(wrap(k))) {
                    fail("seed " + seed + ": cursor " + cursor + " claims a key it never returned");
                }
            }

            boolean growing = (calls / 40) % 2 == 0;
            int changes = random.nextInt(400);
            for (int c = 0; c < changes; c++) {
                if (growing || volatileKeys.isEmpty()) {
                    byte[] k = key(nextVolatile++);
                    volatileKeys.add(k);
                    dict.put(k, "volatile");
                } else {
                    byte[] k = volatileKeys.remove(volatileKeys.size() - 1);
                    assertNotNull(dict.remove(k));
                    dict.resizeIfNeeded();
                }
            }
            if (!growing) {
                // Make shrinking possible: drop most volatile keys at once sometimes.
                if (random.nextInt(4) == 0) {
                    while (volatileKeys.size() > 10) {
                        dict.remove(volatileKeys.remove(volatileKeys.size() - 1));
                    }
                    dict.resizeIfNeeded();
                }
            }
            if (random.nextInt(3) == 0) {
                dict.rehashSteps(random.nextInt(50));
            }
            if (!dict.isRehashing()) {
                shrank |= dict.buckets() < largestTable;
                largestTable = Math.max(largestTable, dict.buckets());
            }
        } while (cursor != 0 && calls < 1_000_000);

        assertEquals(0, cursor, "scan terminates");
        for (byte[] k : stable) {
            assertTrue(seen.contains(wrap(k)), "seed " + seed + ": stable key missed");
            assertEquals("stable", dict.get(k));
        }
        assertTrue(largestTable >= 8192, "seed " + seed + ": grew during the scan to " + largestTable);
        assertTrue(shrank, "seed " + seed + ": shrank during the scan");
    }

    @Test
    void scanCallbacksMayLookUpKeysDuringRehash() {
        Dict<String> dict = newDict();
        for (int i = 0; i < 1025; i++) {
            dict.put(key(i), "v" + i);
        }
        assertTrue(dict.isRehashing());
        Set<ByteBuffer> seen = new HashSet<>();
        long cursor = 0;
        do {
            cursor = dict.scan(cursor, e -> {
                assertSame(e, dict.find(e.key));
                seen.add(wrap(e.key));
            });
        } while (cursor != 0);
        assertEquals(1025, seen.size());
        assertTrue(dict.isRehashing(), "lookups from callbacks did not move buckets");
    }

    @Test
    void scanCallbackMayRemoveTheEntryItWasHanded() {
        Dict<String> dict = newDict();
        for (int i = 0; i < 500; i++) {
            dict.put(key(i), i % 2 == 0 ? "even" : "odd");
        }
        long cursor = 0;
        do {
            cursor = dict.scan(cursor, e -> {
                if (e.value.equals("even")) {
                    assertSame(e, dict.remove(e.key));
                }
            });
        } while (cursor != 0);
        assertEquals(250, dict.size());
        dict.forEach(e -> assertEquals("odd", e.value));
    }

    // ---------------------------------------------------------------- random access

    @Test
    void randomEntryEventuallyReturnsEveryKey() {
        Dict<String> dict = newDict();
        for (int i = 0; i < 50; i++) {
            dict.put(key(i), "v");
        }
        Set<ByteBuffer> seen = new HashSet<>();
        for (int attempt = 0; attempt < 100_000 && seen.size() < 50; attempt++) {
            Dict.Entry<String> e = dict.randomEntry();
            assertNotNull(e);
            assertSame(e, dict.find(e.key), "a live entry");
            seen.add(wrap(e.key));
        }
        assertEquals(50, seen.size());
    }

    @Test
    void randomEntryIsFairOnSmallTables() {
        Dict<String> dict = newDict();
        for (int i = 0; i < 10; i++) {
            dict.put(key(i), "v");
        }
        java.util.Map<ByteBuffer, Integer> counts = new java.util.HashMap<>();
        int draws = 100_000;
        for (int i = 0; i < draws; i++) {
            counts.merge(wrap(dict.randomEntry().key), 1, Integer::sum);
        }
        double expected = draws / 10.0;
        double chiSquare = 0;
        for (int c : counts.values()) {
            chiSquare += (c - expected) * (c - expected) / expected;
        }
        // 9 degrees of freedom: above 45 happens by chance less than once in a million runs
        assertEquals(10, counts.size());
        assertTrue(chiSquare < 45, "chi-square " + chiSquare);
    }

    @Test
    void randomEntryWorksWhileRehashingAndWithOneKey() {
        Dict<String> dict = newDict();
        dict.put(key(1), "only");
        for (int i = 0; i < 100; i++) {
            assertArrayEquals(key(1), dict.randomEntry().key);
        }
        for (int i = 2; i < 1026; i++) {
            dict.put(key(i), "v");
        }
        assertTrue(dict.isRehashing());
        Dict.Entry<String> e = dict.randomEntry();
        assertSame(e, dict.find(e.key));
    }

    @Test
    void sampleHandsOutLiveEntriesUpToCount() {
        Dict<String> dict = newDict();
        for (int i = 0; i < 1000; i++) {
            dict.put(key(i), "v");
        }
        for (int round = 0; round < 200; round++) {
            List<Dict.Entry<String>> got = new ArrayList<>();
            int n = dict.sample(20, got::add);
            assertEquals(n, got.size());
            assertTrue(n > 0 && n <= 20, "returned " + n);
            for (Dict.Entry<String> e : got) {
                assertSame(e, dict.find(e.key));
            }
        }

        Dict<String> small = newDict();
        small.put(key(1), "a");
        small.put(key(2), "b");
        List<Dict.Entry<String>> got = new ArrayList<>();
        assertTrue(small.sample(20, got::add) <= 2);
        assertEquals(0, small.sample(0, got::add));
    }

    @Test
    void sampleConsumerMayDeleteWhatItGets() {
        Dict<String> dict = newDict();
        for (int i = 0; i < 2000; i++) {
            dict.put(key(i), i < 1000 ? "expired" : "live");
        }
        int deleted = 0;
        for (int round = 0; round < 10_000 && deleted < 1000; round++) {
            int[] removedNow = {0};
            dict.sample(20, e -> {
                if ("expired".equals(e.value) && dict.remove(e.key) != null) {
                    removedNow[0]++;
                }
            });
            deleted += removedNow[0];
            dict.resizeIfNeeded();
        }
        assertEquals(1000, deleted);
        assertEquals(1000, dict.size());
        dict.forEach(e -> assertEquals("live", e.value));
    }

    // ---------------------------------------------------------------- seeding and stats

    @Test
    void differentSeedsLayOutKeysDifferently() {
        Dict<String> a = new Dict<>(1, 2);
        Dict<String> b = new Dict<>(3, 4);
        Dict<String> sameAsA = new Dict<>(1, 2);
        for (int i = 0; i < 64; i++) {
            a.put(key(i), "v");
            b.put(key(i), "v");
            sameAsA.put(key(i), "v");
        }
        for (Dict<String> d : List.of(a, b, sameAsA)) {
            d.rehashFor(Long.MAX_VALUE);
        }
        assertEquals(scanOrder(a), scanOrder(sameAsA));
        assertNotEquals(scanOrder(a), scanOrder(b));

        Dict<String> defaultSeed = new Dict<>();
        defaultSeed.put(key(1), "v");
        assertEquals("v", defaultSeed.get(key(1)));
    }

    private static List<ByteBuffer> scanOrder(Dict<String> dict) {
        List<ByteBuffer> order = new ArrayList<>();
        long cursor = 0;
        do {
            cursor = dict.scan(cursor, e -> order.add(wrap(e.key)));
        } while (cursor != 0);
        return order;
    }

    @Test
    void statsFollowRedisHtstatsFormat() {
        Dict<String> dict = newDict();
        for (int i = 0; i < 3; i++) {
            dict.put(key(i), "v");
        }
        String stats = dict.stats();
        assertTrue(stats.startsWith("Hash table 0 stats (main hash table):\n"
                + " table size: 4\n"
                + " number of elements: 3\n"
                + " different slots: "), stats);
        assertTrue(stats.contains(" max chain length: "), stats);
        assertTrue(stats.contains(" avg chain length (counted): "), stats);
        assertTrue(stats.contains(" avg chain length (computed): "), stats);
        assertTrue(stats.contains(" Chain length distribution:\n   0: "), stats);
        assertFalse(stats.contains("Hash table 1"));
    }
}
