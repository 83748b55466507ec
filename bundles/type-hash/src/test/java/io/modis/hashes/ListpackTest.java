package io.modis.hashes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modis.api.Bytes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The packed pair buffer: length prefixes of every size, replacement and removal. */
class ListpackTest {
    /** The pairs in order, read back through the entry layout. */
    private static Map<String, String> read(Listpack lp) {
        Map<String, String> m = new LinkedHashMap<>();
        int pos = 0;
        for (int i = 0; i < lp.pairs(); i++) {
            int v = lp.next(pos);
            m.put(Bytes.str(lp.bytesAt(pos)), Bytes.str(lp.bytesAt(v)));
            pos = lp.next(v);
        }
        assertEquals(lp.used(), pos);
        return m;
    }

    @Test
    void lengthPrefixesOfOneTwoAndFiveBytes() {
        Listpack lp = new Listpack();
        String[] sizes = {"", "x".repeat(127), "y".repeat(128), "z".repeat(16383), "w".repeat(16384), "v".repeat(70000)};
        Map<String, String> expected = new LinkedHashMap<>();
        for (int i = 0; i < sizes.length; i++) {
            assertTrue(lp.put(Bytes.of("k" + i), Bytes.of(sizes[i])));
            expected.put("k" + i, sizes[i]);
        }
        assertEquals(expected, read(lp));
        assertEquals(2 * sizes.length + (1 + 0) + (1 + 127) + (2 + 128) + (2 + 16383) + (5 + 16384) + (5 + 70000)
                + sizes.length, lp.used());
        lp.put(Bytes.of("big-field-" + "q".repeat(200)), Bytes.of("1"));
        assertTrue(lp.find(Bytes.of("big-field-" + "q".repeat(200))) >= 0);
    }

    @Test
    void replacingGrowsAndShrinksInPlaceOfTheOldValue() {
        Listpack lp = new Listpack();
        lp.put(Bytes.of("a"), Bytes.of("1"));
        lp.put(Bytes.of("b"), Bytes.of("2"));
        lp.put(Bytes.of("c"), Bytes.of("3"));
        assertFalse(lp.put(Bytes.of("b"), Bytes.of("x".repeat(300))));
        assertEquals(List.of("a", "b", "c"), new ArrayList<>(read(lp).keySet()));
        assertEquals("x".repeat(300), read(lp).get("b"));
        assertEquals(lp.used(), lp.capacity());
        assertFalse(lp.put(Bytes.of("b"), Bytes.of("")));
        assertEquals(Map.of("a", "1", "b", "", "c", "3"), read(lp));
        assertEquals(lp.used(), lp.capacity());
        assertFalse(lp.put(Bytes.of("c"), Bytes.of("9")));
        assertEquals("9", read(lp).get("c"));
    }

    @Test
    void reservedRoomIsUsedThenTrimmed() {
        Listpack lp = new Listpack();
        lp.put(Bytes.of("a"), Bytes.of("1"));
        lp.reserve(1000);
        byte[] before = lp.buffer();
        lp.put(Bytes.of("b"), Bytes.of("2"));
        lp.put(Bytes.of("a"), Bytes.of("longer"));
        assertTrue(before == lp.buffer(), "no copy while the reserved room lasts");
        lp.trim();
        assertEquals(lp.used(), lp.capacity());
        assertEquals(Map.of("a", "longer", "b", "2"), read(lp));
    }

    @Test
    void removeKeepsTheRestInOrder() {
        Listpack lp = new Listpack();
        for (int i = 0; i < 5; i++) {
            lp.put(Bytes.of("f" + i), Bytes.of("v" + i));
        }
        assertTrue(lp.remove(Bytes.of("f0")));
        assertTrue(lp.remove(Bytes.of("f4")));
        assertTrue(lp.remove(Bytes.of("f2")));
        assertFalse(lp.remove(Bytes.of("f2")));
        assertEquals(List.of("f1", "f3"), new ArrayList<>(read(lp).keySet()));
        assertEquals(2, lp.pairs());
        assertEquals(lp.used(), lp.capacity());
        int[] positions = lp.fieldPositions();
        assertEquals(2, positions.length);
        assertArrayEquals(Bytes.of("f3"), lp.bytesAt(positions[1]));
    }

    @Test
    void matchesAMapUnderRandomChanges() {
        Random random = new Random(7);
        Listpack lp = new Listpack();
        Map<String, String> model = new LinkedHashMap<>();
        for (int i = 0; i < 5000; i++) {
            String field = "f" + random.nextInt(60);
            if (random.nextInt(3) == 0) {
                assertEquals(model.remove(field) != null, lp.remove(Bytes.of(field)));
            } else {
                String value = "v".repeat(random.nextInt(200));
                assertEquals(!model.containsKey(field), lp.put(Bytes.of(field), Bytes.of(value)));
                model.put(field, value);
            }
        }
        assertEquals(model, read(lp));
        Listpack copy = lp.copy();
        assertEquals(model, read(copy));
    }
}
