package io.modis.sets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class IntSetTest {
    private static List<Long> contents(IntSet s) {
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < s.size(); i++) {
            out.add(s.get(i));
        }
        return out;
    }

    @Test
    void keepsMembersSortedAndUnique() {
        IntSet s = new IntSet();
        for (long v : new long[] {5, -3, 12, 0, 5, 7, -3}) {
            s.add(v);
        }
        assertEquals(List.of(-3L, 0L, 5L, 7L, 12L), contents(s));
        assertFalse(s.add(7));
        assertTrue(s.contains(0));
        assertFalse(s.contains(1));
    }

    @Test
    void widensOnlyWhenAMemberNeedsIt() {
        IntSet s = new IntSet();
        s.add(1);
        s.add(Short.MAX_VALUE);
        s.add(Short.MIN_VALUE);
        assertEquals(2, s.width());
        s.add(Short.MAX_VALUE + 1);
        assertEquals(4, s.width());
        s.add(Integer.MIN_VALUE - 1L);
        assertEquals(8, s.width());
        assertEquals(List.of(Integer.MIN_VALUE - 1L, (long) Short.MIN_VALUE, 1L, (long) Short.MAX_VALUE,
                Short.MAX_VALUE + 1L), contents(s));
        s.remove(Integer.MIN_VALUE - 1L);
        assertEquals(8, s.width(), "like Redis, an intset never narrows");
        s.add(Long.MAX_VALUE);
        s.add(Long.MIN_VALUE);
        assertEquals(Long.MIN_VALUE, s.get(0));
        assertEquals(Long.MAX_VALUE, s.get(s.size() - 1));
    }

    @Test
    void valuesWiderThanTheSetAreNeverMembers() {
        IntSet s = new IntSet();
        s.add(1);
        assertFalse(s.contains(1L << 40));
        assertFalse(s.remove(1L << 40));
        assertFalse(s.contains(-70000));
    }

    @Test
    void removeAndRemoveAt() {
        IntSet s = new IntSet();
        for (int i = 0; i < 100; i++) {
            s.add(i * 3);
        }
        assertTrue(s.remove(30));
        assertFalse(s.remove(30));
        assertFalse(s.remove(31));
        assertEquals(99, s.size());
        assertEquals(0, s.removeAt(0));
        assertEquals(297, s.removeAt(s.size() - 1));
        assertEquals(97, s.size());
        long before = s.memoryUsage();
        while (s.size() > 2) {
            s.removeAt(s.size() / 2);
        }
        assertTrue(s.memoryUsage() < before, "gives memory back");
        assertEquals(List.of(3L, 294L), contents(s));
    }

    @Test
    void compactStorage() {
        IntSet small = new IntSet();
        IntSet wide = new IntSet();
        for (int i = 0; i < 512; i++) {
            small.add(i);
            wide.add(i + (1L << 40));
        }
        assertTrue(small.memoryUsage() < 512 * 2 * 1.2 + 64, "2 bytes per member: " + small.memoryUsage());
        assertTrue(wide.memoryUsage() < 512 * 8 * 1.2 + 64, "8 bytes per member: " + wide.memoryUsage());
    }

    @Test
    void copyIsIndependent() {
        IntSet s = new IntSet();
        s.add(1);
        s.add(2);
        IntSet c = s.copy();
        c.add(3);
        s.remove(1);
        assertEquals(List.of(2L), contents(s));
        assertEquals(List.of(1L, 2L, 3L), contents(c));
    }

    @Test
    void agreesWithATreeSet() {
        Random random = new Random(7);
        IntSet s = new IntSet();
        TreeSet<Long> model = new TreeSet<>();
        for (int i = 0; i < 20000; i++) {
            long v = switch (random.nextInt(3)) {
                case 0 -> random.nextInt(65536) - 32768;
                case 1 -> random.nextInt();
                default -> random.nextLong();
            };
            if (random.nextInt(3) == 0 && !model.isEmpty()) {
                long victim = random.nextBoolean() ? model.first() : v;
                assertEquals(model.remove(victim), s.remove(victim));
            } else {
                assertEquals(model.add(v), s.add(v));
            }
        }
        assertEquals(new ArrayList<>(model), contents(s));
        for (long v : model) {
            assertTrue(s.contains(v));
        }
    }

    @Test
    void randomCoversEveryMember() {
        IntSet s = new IntSet();
        for (int i = 0; i < 10; i++) {
            s.add(i);
        }
        TreeSet<Long> seen = new TreeSet<>();
        for (int i = 0; i < 1000 && seen.size() < 10; i++) {
            seen.add(s.random());
        }
        assertEquals(10, seen.size());
    }
}
