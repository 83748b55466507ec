package io.modis.zsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modis.api.Bytes;
import io.modis.api.ScoredMembers;
import io.modis.api.SortedSetFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The api view other bundles (geo) use: creation through the type, put/score/remove, walks. */
class ScoredMembersViewTest {
    private final SortedSetFactory factory = ZSetType.INSTANCE;

    @AfterEach
    void restoreDefaults() {
        ZSetType.INSTANCE.maxEntries(128);
        ZSetType.INSTANCE.maxValue(64);
    }

    private static List<String> walk(ScoredMembers z, double min, double max, int limit) {
        List<String> out = new ArrayList<>();
        z.forEachInScoreRange(min, max, (b, off, len, s) -> {
            out.add(new String(b, off, len) + "=" + (long) s);
            return out.size() < limit;
        });
        return out;
    }

    @Test
    void createdSetsAreZSetValuesOfTheType() {
        ScoredMembers z = factory.createSortedSet(3);
        assertSame(ZSetType.INSTANCE, z.type());
        assertEquals("listpack", z.encoding());
        assertEquals(0, z.length());
        assertEquals("skiplist", factory.createSortedSet(65).encoding());
        ZSetType.INSTANCE.maxEntries(0);
        assertEquals("skiplist", factory.createSortedSet(1).encoding());
    }

    @Test
    void putAddsOrMovesAndScoreReadsBack() {
        ScoredMembers z = factory.createSortedSet(1);
        assertTrue(z.put(Bytes.of("a"), 5));
        assertTrue(z.put(Bytes.of("b"), 1));
        assertFalse(z.put(Bytes.of("a"), 0));
        assertEquals(0.0, z.score(Bytes.of("a")));
        assertTrue(Double.isNaN(z.score(Bytes.of("zz"))));
        assertEquals(2, z.length());
        assertThrows(IllegalArgumentException.class, () -> z.put(Bytes.of("c"), Double.NaN));
        assertTrue(z.remove(Bytes.of("a")));
        assertFalse(z.remove(Bytes.of("a")));
        assertEquals(1, z.length());
    }

    @Test
    void putConvertsAtTheConfiguredThresholds() {
        ZSetType.INSTANCE.maxEntries(4);
        ScoredMembers z = factory.createSortedSet(1);
        for (int i = 0; i < 4; i++) {
            z.put(Bytes.of("m" + i), i);
        }
        assertEquals("listpack", z.encoding());
        z.put(Bytes.of("m4"), 4);
        assertEquals("skiplist", z.encoding());
        ScoredMembers longMember = factory.createSortedSet(1);
        longMember.put(Bytes.of("x"), 1);
        longMember.put(Bytes.of("y".repeat(65)), 2);
        assertEquals("skiplist", longMember.encoding());
    }

    @Test
    void rangeWalksIncludeMinExcludeMaxAndStopWhenAsked() {
        for (long entries : new long[] {128, 0}) {
            ZSetType.INSTANCE.maxEntries(entries);
            ScoredMembers z = factory.createSortedSet(1);
            for (int i = 0; i < 100; i++) {
                z.put(Bytes.of("m" + i), i);
            }
            assertEquals(entries == 0 ? "skiplist" : "listpack", z.encoding());
            assertEquals(List.of("m10=10", "m11=11", "m12=12"), walk(z, 10, 13, 100));
            assertEquals(40, walk(z, 10, 50, 100).size());
            assertEquals(List.of("m20=20", "m21=21"), walk(z, 20, 90, 2));
            assertEquals(List.of(), walk(z, 100, 200, 100));
            assertEquals(List.of(), walk(z, 5, 5, 100));
            List<Double> all = new ArrayList<>();
            z.forEachScored((b, off, len, s) -> all.add(s));
            assertEquals(100, all.size());
            assertEquals(99.0, all.get(99));
            int[] seen = {0};
            z.forEachScored((b, off, len, s) -> ++seen[0] < 33);
            assertEquals(33, seen[0]);
        }
    }
}
