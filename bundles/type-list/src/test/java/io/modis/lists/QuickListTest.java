package io.modis.lists;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modis.api.Bytes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The quicklist layout checked against a plain java.util.List doing the same operations. */
class QuickListTest {
    @AfterEach
    void restoreThreshold() {
        ListTuning.plainThreshold(0);
    }

    private static byte[] b(String s) {
        return Bytes.of(s);
    }

    private static List<String> contents(QuickList list) {
        List<String> out = new ArrayList<>();
        list.walk(0, true, (buf, off, len) -> {
            out.add(new String(buf, off, len, StandardCharsets.UTF_8));
            return true;
        });
        return out;
    }

    private static List<String> backwards(QuickList list) {
        List<String> out = new ArrayList<>();
        if (list.length() > 0) {
            list.walk(list.length() - 1, false, (buf, off, len) -> {
                out.add(0, new String(buf, off, len, StandardCharsets.UTF_8));
                return true;
            });
        }
        return out;
    }

    @Test
    void pushesAndPopsAtBothEnds() {
        QuickList list = new QuickList(-2);
        list.pushLast(b("b"));
        list.pushFirst(b("a"));
        list.pushLast(b("c"));
        assertEquals(List.of("a", "b", "c"), contents(list));
        assertEquals("a", Bytes.str(list.popFirst()));
        assertEquals("c", Bytes.str(list.popLast()));
        assertEquals("b", Bytes.str(list.popLast()));
        assertEquals(0, list.length());
        assertEquals(0, list.nodeCount());
    }

    @Test
    void packsSmallElementsIntoFewNodes() {
        QuickList list = new QuickList(-2);
        for (int i = 0; i < 10_000; i++) {
            list.pushLast(Bytes.fromLong(i));
        }
        // about 7 bytes per entry in 8 KiB nodes
        assertTrue(list.nodeCount() < 15, "nodes: " + list.nodeCount());
        assertTrue(list.footprint() < 120_000, "bytes: " + list.footprint());
        for (int i = 0; i < 10_000; i += 997) {
            assertEquals(Long.toString(i), Bytes.str(list.get(i)));
        }
    }

    @Test
    void countFillCapsElementsPerNode() {
        QuickList list = new QuickList(5);
        for (int i = 0; i < 23; i++) {
            list.pushFirst(Bytes.fromLong(i));
        }
        assertEquals(5, list.nodeCount());
    }

    @Test
    void largeElementsGetPlainNodes() {
        ListTuning.plainThreshold(5);
        QuickList list = new QuickList(-2);
        list.pushLast(b("aa"));
        list.pushLast(b("long element"));
        list.pushLast(b("bb"));
        assertEquals(3, list.nodeCount());
        list.insert(1, b("another long one"));
        list.insert(1, b("x"));
        assertEquals(List.of("aa", "x", "another long one", "long element", "bb"), contents(list));
        list.set(0, b("now long"));
        list.set(2, b("y"));
        assertEquals(List.of("now long", "x", "y", "long element", "bb"), contents(list));
        assertEquals(1, list.removeEqual(b("long element"), 0, false));
        assertEquals(List.of("now long", "x", "y", "bb"), backwards(list));
    }

    @Test
    void copyIsDeep() {
        ListValue list = ListValue.of(new ArrayList<>(List.of(b("a"), b("b"))));
        ListValue copy = list.copy();
        copy.pushLast(b("c"));
        copy.set(0, b("z"));
        assertEquals(List.of("a", "b"), contents(list));
        assertEquals(List.of("z", "b", "c"), contents(copy));
    }

    @Test
    void footprintFollowsChanges() {
        QuickList list = new QuickList(-2);
        long empty = list.footprint();
        for (int i = 0; i < 1000; i++) {
            list.pushLast(new byte[100]);
        }
        long full = list.footprint();
        assertTrue(full > empty + 100_000, "footprint " + full);
        list.removeRange(0, 990);
        assertTrue(list.footprint() < full / 10, "footprint after trimming " + list.footprint());
    }

    /** Random operations on lists of small, medium and plain elements against a reference. */
    @ParameterizedTest
    @CsvSource({"-2, 1073741824", "-1, 20", "1, 1073741824", "4, 8", "16, 1", "-5, 3000"})
    void behavesLikeAList(int fill, long threshold) {
        ListTuning.plainThreshold(threshold);
        Random random = new Random(fill * 31L + threshold);
        QuickList list = new QuickList(fill);
        List<byte[]> model = new ArrayList<>();
        for (int step = 0; step < 20_000; step++) {
            byte[] e = randomElement(random);
            int size = model.size();
            switch (random.nextInt(10)) {
                case 0, 1 -> {
                    list.pushFirst(e);
                    model.add(0, e);
                }
                case 2, 3 -> {
                    list.pushLast(e);
                    model.add(e);
                }
                case 4 -> {
                    if (size > 0) {
                        assertArrayEquals(model.remove(0), list.popFirst());
                    }
                }
                case 5 -> {
                    if (size > 0) {
                        assertArrayEquals(model.remove(size - 1), list.popLast());
                    }
                }
                case 6 -> {
                    int at = random.nextInt(size + 1);
                    list.insert(at, e);
                    model.add(at, e);
                }
                case 7 -> {
                    if (size > 0) {
                        int at = random.nextInt(size);
                        list.set(at, e);
                        model.set(at, e);
                    }
                }
                case 8 -> {
                    if (size > 0) {
                        int at = random.nextInt(size);
                        int n = random.nextInt(Math.min(5, size - at) + 1);
                        list.removeRange(at, n);
                        model.subList(at, at + n).clear();
                    }
                }
                default -> {
                    if (size > 0) {
                        byte[] target = model.get(random.nextInt(size));
                        int max = random.nextInt(3);
                        boolean fromTail = random.nextBoolean();
                        long removed = list.removeEqual(target, max, fromTail);
                        assertEquals(removeFromModel(model, target, max, fromTail), removed);
                    }
                }
            }
            assertEquals(model.size(), list.length());
            if (step % 500 == 0 || step > 19_900) {
                assertSame(model, list);
            }
        }
    }

    private static byte[] randomElement(Random random) {
        int len = switch (random.nextInt(4)) {
            case 0 -> random.nextInt(3);
            case 1 -> random.nextInt(20);
            case 2 -> random.nextInt(300);
            default -> random.nextInt(10) == 0 ? 9000 + random.nextInt(5000) : random.nextInt(1000);
        };
        byte[] e = new byte[len];
        for (int i = 0; i < len; i++) {
            e[i] = (byte) ('a' + random.nextInt(3));
        }
        return e;
    }

    private static long removeFromModel(List<byte[]> model, byte[] target, int max, boolean fromTail) {
        long removed = 0;
        if (fromTail) {
            for (int i = model.size() - 1; i >= 0 && (max == 0 || removed < max); i--) {
                if (Arrays.equals(model.get(i), target)) {
                    model.remove(i);
                    removed++;
                }
            }
        } else {
            for (int i = 0; i < model.size() && (max == 0 || removed < max);) {
                if (Arrays.equals(model.get(i), target)) {
                    model.remove(i);
                    removed++;
                } else {
                    i++;
                }
            }
        }
        return removed;
    }

    private static void assertSame(List<byte[]> model, QuickList list) {
        List<String> expected = new ArrayList<>();
        for (byte[] e : model) {
            expected.add(Bytes.str(e));
        }
        assertEquals(expected, contents(list));
        assertEquals(expected, backwards(list));
        for (int i = 0; i < model.size(); i += 1 + model.size() / 20) {
            assertArrayEquals(model.get(i), list.get(i));
        }
        if (!model.isEmpty()) {
            assertEquals(0, list.indexOf(model.get(0)));
        }
    }
}
