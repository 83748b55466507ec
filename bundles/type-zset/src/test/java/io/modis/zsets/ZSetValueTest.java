package io.modis.zsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modis.api.Bytes;
import io.modis.api.RdbOutput;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The sorted-set structure on its own, in both encodings, checked against a plain model: a map
 * of member to score, sorted on demand.
 */
class ZSetValueTest {
    private static final ListpackLimits UNLIMITED_PACKED = new ListpackLimits(Long.MAX_VALUE, Long.MAX_VALUE);
    private static final ListpackLimits ALWAYS_SKIPLIST = new ListpackLimits(0, 0);

    /** One entry of the model. */
    private record E(String member, double score) {
    }

    private static List<E> sorted(Map<String, Double> model) {
        List<E> out = new ArrayList<>();
        model.forEach((m, s) -> out.add(new E(m, s)));
        out.sort((a, b) -> a.score < b.score ? -1 : a.score > b.score ? 1
                : Arrays.compareUnsigned(Bytes.of(a.member), Bytes.of(b.member)));
        return out;
    }

    private static List<E> contents(ZSetValue z) {
        List<E> out = new ArrayList<>();
        z.visitAll((b, off, len, s) -> out.add(new E(new String(b, off, len, StandardCharsets.UTF_8), s)));
        return out;
    }

    private static List<E> visit(ZSetValue z, long start, long count, boolean reverse) {
        List<E> out = new ArrayList<>();
        z.visit(start, count, reverse, (b, off, len, s) -> out.add(new E(new String(b, off, len), s)));
        return out;
    }

    private static ZSetValue empty(ListpackLimits limits) {
        return ZSetValue.create(limits, 1);
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void randomOperationsAgreeWithTheModel(boolean packed) {
        ListpackLimits limits = packed ? UNLIMITED_PACKED : ALWAYS_SKIPLIST;
        Random random = new Random(packed ? 1 : 2);
        for (int round = 0; round < 20; round++) {
            ZSetValue z = empty(limits);
            assertEquals(packed ? "listpack" : "skiplist", z.encoding());
            Map<String, Double> model = new HashMap<>();
            for (int op = 0; op < 400; op++) {
                String member = "m" + random.nextInt(60);
                double score = randomScore(random);
                switch (random.nextInt(6)) {
                    case 0, 1, 2 -> {
                        ZSetValue.Outcome out = new ZSetValue.Outcome();
                        assertTrue(z.add(Bytes.of(member), score, 0, limits, out));
                        Double before = model.put(member, score);
                        int expected = before == null ? ZSetValue.ADDED : before == score ? 0 : ZSetValue.UPDATED;
                        assertEquals(expected, out.flags());
                    }
                    case 3 -> assertEquals(model.remove(member) != null, z.remove(Bytes.of(member)));
                    case 4 -> {
                        List<E> expected = sorted(model);
                        if (!expected.isEmpty()) {
                            long start = random.nextInt(expected.size());
                            long end = start + random.nextInt(expected.size() - (int) start);
                            z.removeRanks(start, end);
                            for (long r = start; r <= end; r++) {
                                model.remove(expected.get((int) r).member);
                            }
                        }
                    }
                    default -> checkQueries(z, model, random);
                }
                assertEquals(model.size(), z.length());
            }
            assertEquals(sorted(model), contents(z));
            assertEquals(sorted(model), contents(z.copy()));
        }
    }

    private static double randomScore(Random random) {
        return switch (random.nextInt(5)) {
            case 0 -> random.nextInt(10);
            case 1 -> random.nextDouble();
            case 2 -> -random.nextInt(1000);
            case 3 -> random.nextBoolean() ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
            default -> random.nextLong() * 1e3;
        };
    }

    private static void checkQueries(ZSetValue z, Map<String, Double> model, Random random) {
        List<E> expected = sorted(model);
        assertEquals(expected, contents(z));
        for (int i = 0; i < expected.size(); i++) {
            E e = expected.get(i);
            assertEquals(i, z.rank(Bytes.of(e.member), false));
            assertEquals(expected.size() - 1 - i, z.rank(Bytes.of(e.member), true));
            assertEquals(e.score, z.score(Bytes.of(e.member)));
        }
        assertEquals(-1, z.rank(Bytes.of("absent"), false));
        assertTrue(Double.isNaN(z.score(Bytes.of("absent"))));
        if (expected.isEmpty()) {
            return;
        }
        int start = random.nextInt(expected.size());
        int count = 1 + random.nextInt(expected.size() - start);
        assertEquals(expected.subList(start, start + count), visit(z, start, count, false));
        List<E> down = new ArrayList<>(expected.subList(start - Math.min(start, count - 1), start + 1));
        Collections.reverse(down);
        assertEquals(down, visit(z, start, down.size(), true));
        RankAccess access = z.rankAccess();
        for (int i = 0; i < expected.size(); i++) {
            List<E> one = new ArrayList<>();
            access.visit(i, (b, off, len, s) -> one.add(new E(new String(b, off, len), s)));
            assertEquals(List.of(expected.get(i)), one);
        }
        double a = randomScore(random);
        double b = randomScore(random);
        ScoreRange range = new ScoreRange(Math.min(a, b), random.nextBoolean(), Math.max(a, b), random.nextBoolean());
        long first = -1;
        long last = -1;
        for (int i = 0; i < expected.size(); i++) {
            if (range.contains(expected.get(i).score)) {
                first = first < 0 ? i : first;
                last = i;
            }
        }
        assertEquals(first, z.firstRank(range));
        assertEquals(last, z.lastRank(range));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void lexRangesFollowByteOrder(boolean packed) {
        ZSetValue z = empty(packed ? UNLIMITED_PACKED : ALWAYS_SKIPLIST);
        String[] members = {"alpha", "bar", "cool", "down", "elephant", "foo", "great", "hill", "omega"};
        for (String m : members) {
            z.insert(Bytes.of(m), 0, packed ? UNLIMITED_PACKED : ALWAYS_SKIPLIST);
        }
        assertEquals(List.of(0L, 8L), ranks(z, "-", "+"));
        assertEquals(List.of(1L, 3L), ranks(z, "[bar", "[down"));
        assertEquals(List.of(2L, 2L), ranks(z, "(bar", "(down"));
        assertEquals(List.of(-1L, -1L), ranks(z, "+", "-"));
        assertEquals(List.of(-1L, -1L), ranks(z, "(az", "(b"));
        assertEquals(List.of(6L, 8L), ranks(z, "[g", "+"));
        assertEquals(List.of(-1L, -1L), ranks(z, "[c", "-"));
        assertNull(LexRange.parse(Bytes.of("foo"), Bytes.of("[bar")));
        assertNull(LexRange.parse(Bytes.of("+x"), Bytes.of("[bar")));
        assertNull(LexRange.parse(Bytes.of(""), Bytes.of("[bar")));
    }

    private static List<Long> ranks(ZSetValue z, String min, String max) {
        LexRange r = LexRange.parse(Bytes.of(min), Bytes.of(max));
        long first = z.firstRank(r);
        return List.of(first, first < 0 ? -1 : z.lastRank(r));
    }

    @Test
    void convertsToSkipListPastTheLimitsAndCompactsBackOnRequest() {
        ListpackLimits limits = new ListpackLimits(3, 5);
        ZSetValue z = ZSetValue.create(limits, 1);
        for (int i = 0; i < 3; i++) {
            z.insert(Bytes.of("m" + i), i, limits);
        }
        assertEquals("listpack", z.encoding());
        assertNull(z.hashTableStats());
        z.insert(Bytes.of("m3"), 3, limits);
        assertEquals("skiplist", z.encoding());
        assertTrue(z.hashTableStats().startsWith("Hash table 0 stats"));
        z.remove(Bytes.of("m3"));
        assertEquals("skiplist", z.encoding(), "a set never shrinks back by itself");
        z.compactIfFits(limits);
        assertEquals("listpack", z.encoding());
        z.insert(Bytes.of("longer"), 9, limits);
        assertEquals("skiplist", z.encoding(), "a member over the value limit converts");
        assertEquals(List.of(new E("m0", 0), new E("m1", 1), new E("m2", 2), new E("longer", 9)), contents(z));

        assertEquals("skiplist", ZSetValue.create(limits, 6).encoding());
        assertEquals("listpack", ZSetValue.create(limits, 5).encoding());
        assertEquals("skiplist", ZSetValue.create(new ListpackLimits(0, 64), 1).encoding());
    }

    @Test
    void addFollowsTheZaddOptions() {
        ListpackLimits limits = ListpackLimits.DEFAULT;
        ZSetValue z = empty(limits);
        ZSetValue.Outcome out = new ZSetValue.Outcome();
        byte[] x = Bytes.of("x");
        assertTrue(z.add(x, 10, ZSetValue.XX, limits, out));
        assertEquals(ZSetValue.NOP, out.flags());
        assertTrue(z.add(x, 10, 0, limits, out));
        assertEquals(ZSetValue.ADDED, out.flags());
        assertTrue(z.add(x, 5, ZSetValue.NX, limits, out));
        assertEquals(ZSetValue.NOP, out.flags());
        assertTrue(z.add(x, 5, ZSetValue.GT, limits, out));
        assertEquals(ZSetValue.NOP, out.flags());
        assertTrue(z.add(x, 11, ZSetValue.GT, limits, out));
        assertEquals(ZSetValue.UPDATED, out.flags());
        assertTrue(z.add(x, 2, ZSetValue.INCR | ZSetValue.LT, limits, out));
        assertEquals(ZSetValue.NOP, out.flags());
        assertTrue(z.add(x, -2, ZSetValue.INCR | ZSetValue.LT, limits, out));
        assertEquals(ZSetValue.UPDATED, out.flags());
        assertEquals(9, out.score());
        assertTrue(z.add(x, 0, ZSetValue.INCR, limits, out));
        assertEquals(0, out.flags(), "an unchanged score is processed but neither added nor updated");
        assertFalse(z.add(x, Double.NaN, 0, limits, out));
        z.add(x, Double.POSITIVE_INFINITY, 0, limits, out);
        assertFalse(z.add(x, Double.NEGATIVE_INFINITY, ZSetValue.INCR, limits, out));
        assertEquals(Double.POSITIVE_INFINITY, z.score(x));
    }

    @Test
    void zeroAndNegativeZeroAreOneScoreOrderedByMember() {
        for (ListpackLimits limits : List.of(UNLIMITED_PACKED, ALWAYS_SKIPLIST)) {
            ZSetValue z = empty(limits);
            z.insert(Bytes.of("b"), -0.0, limits);
            z.insert(Bytes.of("a"), 0.0, limits);
            z.insert(Bytes.of("c"), -0.0, limits);
            assertEquals(List.of("a", "b", "c"), contents(z).stream().map(E::member).toList());
            assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(z.score(Bytes.of("b"))),
                    "the sign of zero is kept");
            assertEquals(0, z.firstRank(new ScoreRange(0, false, 0, false)));
            assertEquals(2, z.lastRank(new ScoreRange(-0.0, false, 0, false)));
        }
    }

    @Test
    void packedScoresRoundTripExactly() {
        double[] scores = {0, 1, -1, 31, -32, 12345, 1.5, 0.1, 1e300, -1e-300, 0x1p53, -0x1p53, 0x1p53 + 2,
                Double.MAX_VALUE, Double.MIN_VALUE, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        ZSetValue z = empty(UNLIMITED_PACKED);
        for (int i = 0; i < scores.length; i++) {
            z.insert(Bytes.of("m" + i), scores[i], UNLIMITED_PACKED);
        }
        for (int i = 0; i < scores.length; i++) {
            assertEquals(scores[i], z.score(Bytes.of("m" + i)));
        }
        ZSetValue small = empty(UNLIMITED_PACKED);
        small.insert(Bytes.of("a"), 7, UNLIMITED_PACKED);
        // 16 header + 1 length + 1 member + 1 score byte, aligned, plus the objects
        assertTrue(small.memoryUsage() < 100, "small integer scores take one byte: " + small.memoryUsage());
    }

    @Test
    void serializesAsZset2FromTheHighestScoreAndRestoresWithTheRightEncoding() {
        ZSetValue z = empty(ListpackLimits.DEFAULT);
        z.insert(Bytes.of("a"), 1, ListpackLimits.DEFAULT);
        z.insert(Bytes.of("b"), 2.5, ListpackLimits.DEFAULT);
        byte[] payload = ZSetType.INSTANCE.serialize(z);
        RdbOutput expected = new RdbOutput();
        expected.writeLength(2).writeString(Bytes.of("b")).writeBinaryDouble(2.5)
                .writeString(Bytes.of("a")).writeBinaryDouble(1);
        assertArrayEquals(expected.toByteArray(), payload);
        ZSetValue back = (ZSetValue) ZSetType.INSTANCE.restore(payload, 0);
        assertEquals(contents(z), contents(back));
        assertEquals("listpack", back.encoding());
        assertEquals(5, ZSetType.INSTANCE.rdbType());
        assertEquals("zset", ZSetType.INSTANCE.name());

        ZSetValue big = empty(ALWAYS_SKIPLIST);
        for (int i = 0; i < 200; i++) {
            big.insert(Bytes.of("member-" + i), i % 7, ALWAYS_SKIPLIST);
        }
        ZSetValue bigBack = (ZSetValue) ZSetType.INSTANCE.restore(ZSetType.INSTANCE.serialize(big), 0);
        assertEquals("skiplist", bigBack.encoding());
        assertEquals(contents(big), contents(bigBack));
    }

    @Test
    void restoreRejectsMalformedPayloads() {
        RdbOutput nan = new RdbOutput().writeLength(1).writeString(Bytes.of("a")).writeBinaryDouble(Double.NaN);
        RdbOutput duplicate = new RdbOutput().writeLength(2).writeString(Bytes.of("a")).writeBinaryDouble(1)
                .writeString(Bytes.of("a")).writeBinaryDouble(2);
        RdbOutput trailing = new RdbOutput().writeLength(1).writeString(Bytes.of("a")).writeBinaryDouble(1).writeByte(0);
        RdbOutput truncated = new RdbOutput().writeLength(2).writeString(Bytes.of("a")).writeBinaryDouble(1);
        for (RdbOutput bad : List.of(nan, duplicate, trailing, truncated, new RdbOutput().writeLength(0))) {
            assertThrows(IllegalArgumentException.class, () -> ZSetType.INSTANCE.restore(bad.toByteArray(), 0));
        }
    }

    @Test
    void copiesShareNothing() {
        for (ListpackLimits limits : List.of(UNLIMITED_PACKED, ALWAYS_SKIPLIST)) {
            ZSetValue z = empty(limits);
            byte[] member = Bytes.of("a");
            z.insert(member, 1, limits);
            ZSetValue copy = z.copy();
            assertNotSame(z, copy);
            copy.insert(Bytes.of("b"), 2, limits);
            assertEquals(1, z.length());
            List<byte[]> members = new ArrayList<>();
            copy.forEachMember(members::add);
            assertNotSame(member, members.get(0));
            assertEquals(z.encoding(), copy.encoding());
        }
    }

    @Test
    void memoryEstimateFollowsChanges() {
        ZSetValue z = empty(ALWAYS_SKIPLIST);
        long empty = z.memoryUsage();
        for (int i = 0; i < 1000; i++) {
            z.insert(Bytes.of("member:" + i), i, ALWAYS_SKIPLIST);
        }
        long full = z.memoryUsage();
        assertTrue(full > empty + 1000 * 100, "about 150 bytes an entry: " + full);
        z.removeRanks(0, 999);
        // only the hash table's buckets remain until it has shrunk
        assertTrue(z.memoryUsage() < empty + 4 * 2048, "back near empty: " + z.memoryUsage());
    }
}
