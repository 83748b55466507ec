package io.modis.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modis.api.Bytes;
import io.modis.streams.StreamBlock.Entry;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The packed block layout: what goes in comes back, whatever the IDs, fields and block limits. */
class StreamLayoutTest {
    private static final long NO_LIMIT = 0;

    private static byte[][] fields(String... fv) {
        byte[][] out = new byte[fv.length][];
        for (int i = 0; i < fv.length; i++) {
            out[i] = Bytes.of(fv[i]);
        }
        return out;
    }

    private static void add(StreamValue s, StreamId id, long maxEntries, long maxBytes, String... fv) {
        s.append(id, fields(fv), 0, fv.length / 2, maxEntries, maxBytes);
    }

    private static void add(StreamValue s, long ms, long seq, String... fv) {
        add(s, new StreamId(ms, seq), 100, 4096, fv);
    }

    /** Each entry as "id f v f v ..." for comparisons that read well. */
    private static List<String> render(List<Entry> entries) {
        List<String> out = new ArrayList<>();
        for (Entry e : entries) {
            StringBuilder b = new StringBuilder(e.id().toString());
            for (byte[] f : e.block().fields(e)) {
                b.append(' ').append(Bytes.str(f));
            }
            out.add(b.toString());
        }
        return out;
    }

    private static List<String> all(StreamValue s) {
        return render(s.range(StreamId.MIN, StreamId.MAX, false, 0));
    }

    private static List<String> allReversed(StreamValue s) {
        return render(s.range(StreamId.MIN, StreamId.MAX, true, 0));
    }

    private static List<String> reversed(List<String> l) {
        List<String> out = new ArrayList<>(l);
        java.util.Collections.reverse(out);
        return out;
    }

    private static StreamValue roundTrip(StreamValue s) {
        return (StreamValue) StreamType.INSTANCE.restore(StreamType.INSTANCE.serialize(s), 0);
    }

    @Test
    void idsFarApartShareOneBlock() {
        StreamValue s = new StreamValue();
        add(s, 0, 1, "a", "1");
        add(s, 0, 5_000_000_000L, "a", "2");
        add(s, 5_000_000_000L, 0, "a", "3");
        add(s, 5_000_000_000L, -1L, "a", "4");
        add(s, 1L << 60, 7, "a", "5");
        add(s, -2L, 0, "a", "6");
        add(s, -1L, -1L, "a", "7");
        assertEquals(1, s.blockCount());
        List<String> expected = List.of("0-1 a 1", "0-5000000000 a 2", "5000000000-0 a 3",
                "5000000000-18446744073709551615 a 4", "1152921504606846976-7 a 5",
                "18446744073709551614-0 a 6", "18446744073709551615-18446744073709551615 a 7");
        assertEquals(expected, all(s));
        assertEquals(reversed(expected), allReversed(s));
        assertEquals(List.of("5000000000-18446744073709551615 a 4", "1152921504606846976-7 a 5"),
                render(s.range(new StreamId(5_000_000_000L, 1), new StreamId(1L << 60, 7), false, 0)));
        assertEquals(expected, all(roundTrip(s)));
        assertEquals(expected, all((StreamValue) s.copy()));
    }

    @Test
    void differentFieldSetsInOneBlockComeBackAsAdded() {
        StreamValue s = new StreamValue();
        add(s, 1, 0, "a", "x", "b", "y");
        add(s, 2, 0, "a", "x2", "b", "y2");
        add(s, 3, 0, "a", "only");
        add(s, 4, 0, "b", "swapped", "a", "order");
        add(s, 5, 0, "a", "1", "b", "2", "c", "3");
        add(s, 6, 0, "a", "", "b", "");
        add(s, 7, 0, "1", "numeric field", "b", "y");
        add(s, 8, 0, "a", "x3", "b", "y3");
        assertEquals(1, s.blockCount());
        List<String> expected = List.of("1-0 a x b y", "2-0 a x2 b y2", "3-0 a only", "4-0 b swapped a order",
                "5-0 a 1 b 2 c 3", "6-0 a  b ", "7-0 1 numeric field b y", "8-0 a x3 b y3");
        assertEquals(expected, all(s));
        assertEquals(reversed(expected), allReversed(s));
        assertEquals(expected, all(roundTrip(s)));
    }

    @Test
    void integersArePackedAndComeBackByteForByte() {
        String[] values = {"0", "7", "-1", "127", "-128", "1764000000123", "999999999999999999",
            "-999999999999999999", "1000000000000000000", "9223372036854775807", "-9223372036854775808", "-0",
            "007", "+5", "1e3", " 1", "1 ", "-", "", "12a"};
        StreamValue s = new StreamValue();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            add(s, i + 1, 0, "n", values[i]);
            add(s, i + 1, 1, values[i], "as field");
            expected.add((i + 1) + "-0 n " + values[i]);
            expected.add((i + 1) + "-1 " + values[i] + " as field");
        }
        assertEquals(expected, all(s));
        assertEquals(expected, all(roundTrip(s)));
        assertEquals(999_999_999_999_999_999L, StreamBlock.packedInteger(Bytes.of("999999999999999999")));
        assertEquals(-42L, StreamBlock.packedInteger(Bytes.of("-42")));
        for (String notPacked : List.of("-0", "007", "+5", "1000000000000000000", "", "-", "1.5")) {
            assertEquals(StreamBlock.NOT_PACKED, StreamBlock.packedInteger(Bytes.of(notPacked)), notPacked);
        }
    }

    @Test
    void sameFieldsEntriesTakeLessRoomThanTheirFieldNames() {
        StreamValue same = new StreamValue();
        StreamValue different = new StreamValue();
        for (int i = 1; i <= 50; i++) {
            add(same, i, 0, "temperature", "v" + i, "humidity", "w" + i);
            add(different, i, 0, i % 2 == 0 ? "temperature" : "pressure", "v" + i, "humidity", "w" + i);
        }
        int sameBytes = same.find(new StreamId(1, 0)).block().bytes();
        int differentBytes = different.find(new StreamId(1, 0)).block().bytes();
        // The second block's master fields are "pressure humidity" (3 bytes shorter); its 25
        // "temperature" entries spell out a field count and both names (1 + 1 + 11 + 1 + 8 bytes).
        assertEquals(sameBytes - 3 + 25 * (1 + 12 + 9), differentBytes);
    }

    @Test
    void deletionsThenRangeReads() {
        StreamValue s = new StreamValue();
        for (int i = 1; i <= 9; i++) {
            add(s, new StreamId(i, 0), 3, NO_LIMIT, "f", "v" + i);
        }
        assertEquals(3, s.blockCount());
        assertTrue(s.delete(new StreamId(1, 0)));
        assertTrue(s.delete(new StreamId(5, 0)));
        assertTrue(s.delete(new StreamId(9, 0)));
        assertFalse(s.delete(new StreamId(9, 0)));
        assertFalse(s.delete(new StreamId(10, 0)));
        assertEquals(List.of("2-0 f v2", "3-0 f v3", "4-0 f v4", "6-0 f v6", "7-0 f v7", "8-0 f v8"), all(s));
        assertEquals(List.of("8-0 f v8", "7-0 f v7"), render(s.range(StreamId.MIN, StreamId.MAX, true, 2)));
        assertEquals(List.of("4-0 f v4", "6-0 f v6"),
                render(s.range(new StreamId(4, 0), new StreamId(6, 0), false, 0)));
        assertEquals(List.of("6-0 f v6", "4-0 f v4"),
                render(s.range(new StreamId(3, 1), new StreamId(6, 5), true, 0)));
        assertEquals(List.of(), render(s.range(new StreamId(5, 0), new StreamId(5, 0), false, 0)));
        assertNull(s.find(new StreamId(5, 0)));
        assertEquals(new StreamId(2, 0), s.firstId());
        assertEquals(new StreamId(8, 0), s.lastValidId());
        assertEquals(new StreamId(1, 0), s.firstIdIncludingDeleted());
        long before = s.memoryUsage();
        assertTrue(s.delete(new StreamId(4, 0)));
        assertTrue(s.delete(new StreamId(6, 0)));
        assertEquals(2, s.blockCount(), "the emptied middle block goes away");
        assertTrue(s.memoryUsage() < before);
        assertEquals(List.of("2-0 f v2", "3-0 f v3", "7-0 f v7", "8-0 f v8"), all(s));
        assertEquals(List.of("8-0 f v8", "7-0 f v7", "3-0 f v3", "2-0 f v2"), allReversed(s));
        assertEquals(4, s.length());
        assertEquals(new StreamId(9, 0), s.maxDeletedId);
        assertEquals(all(s), all(roundTrip(s)));
    }

    @Test
    void blocksSplitAtTheEntryLimitCountingDeletedEntries() {
        StreamValue s = new StreamValue();
        for (int i = 1; i <= 7; i++) {
            add(s, new StreamId(i, 0), 3, NO_LIMIT, "f", "v");
            if (i == 2) {
                s.delete(new StreamId(2, 0));
            }
        }
        assertEquals(3, s.blockCount());
        assertEquals(6, s.length());
        assertEquals(new StreamId(4, 0), s.range(new StreamId(4, 0), StreamId.MAX, false, 1).get(0).id());
        assertEquals(s.range(new StreamId(4, 0), StreamId.MAX, false, 1).get(0).block().master(), new StreamId(4, 0));
    }

    @Test
    void blocksSplitAtTheByteLimit() {
        StreamValue s = new StreamValue();
        String value = "x".repeat(40);
        for (int i = 1; i <= 100; i++) {
            add(s, new StreamId(i, 0), NO_LIMIT, 200, "field", value);
        }
        add(s, new StreamId(101, 0), NO_LIMIT, 200, "field", "y".repeat(500));
        add(s, new StreamId(102, 0), NO_LIMIT, 200, "field", value);
        List<Entry> entries = s.range(StreamId.MIN, StreamId.MAX, false, 0);
        assertEquals(102, entries.size());
        int blocks = 0;
        StreamBlock previous = null;
        for (Entry e : entries) {
            if (e.block() != previous) {
                blocks++;
                previous = e.block();
                assertTrue(e.block().bytes() < 200 || e.block().total() == 1,
                        "block of " + e.block().total() + " entries holds " + e.block().bytes() + " bytes");
            }
        }
        assertEquals(blocks, s.blockCount());
        assertTrue(blocks > 25 && blocks < 51, blocks + " blocks");
        assertEquals(1, s.range(new StreamId(101, 0), new StreamId(101, 0), false, 0).get(0).block().total(),
                "an entry over the limit gets a block of its own");
    }

    @Test
    void trimByMinIdAtBlockBoundaries() {
        StreamValue s = new StreamValue();
        for (int i = 1; i <= 9; i++) {
            add(s, new StreamId(i, 0), 3, NO_LIMIT, "f", "v" + i);
        }
        assertEquals(0, s.trim(-1, new StreamId(1, 0), false, 0));
        assertEquals(3, s.trim(-1, new StreamId(4, 0), false, 0));
        assertEquals(2, s.blockCount());
        assertEquals(new StreamId(4, 0), s.firstIdIncludingDeleted());
        assertEquals(0, s.trim(-1, new StreamId(6, 0), true, 100), "~ keeps a block holding the minimum");
        assertEquals(3, s.trim(-1, new StreamId(7, 0), true, 100));
        assertEquals(1, s.blockCount());
        assertEquals(1, s.trim(-1, new StreamId(8, 0), false, 0));
        assertEquals(List.of("8-0 f v8", "9-0 f v9"), all(s));
        assertEquals(new StreamId(7, 0), s.firstIdIncludingDeleted());
        assertEquals(2, s.trim(-1, new StreamId(10, 0), false, 0));
        assertEquals(0, s.length());
        assertEquals(0, s.blockCount());
    }

    @Test
    void trimByLengthRemovesWholeBlocksThenEntries() {
        StreamValue s = new StreamValue();
        for (int i = 1; i <= 10; i++) {
            add(s, new StreamId(i, 0), 3, NO_LIMIT, "f", "v" + i);
        }
        assertEquals(6, s.trim(4, null, true, 0));
        assertEquals(2, s.blockCount());
        assertEquals(1, s.trim(3, null, false, 0));
        assertEquals(List.of("8-0 f v8", "9-0 f v9", "10-0 f v10"), all(s));
        assertEquals(0, s.trim(0, null, true, 1), "LIMIT smaller than a block removes nothing");
        assertEquals(3, s.trim(0, null, false, 0));
        assertEquals(0, s.blockCount());
    }

    @Test
    void appendingBelowDeletedEntriesAfterAnIdWasLoweredKeepsOrder() {
        StreamValue s = new StreamValue();
        for (int i = 1; i <= 3; i++) {
            add(s, i, 0, "f", "v" + i);
        }
        s.delete(new StreamId(3, 0));
        s.lastId = new StreamId(2, 0);
        add(s, 2, 5, "f", "new");
        assertEquals(List.of("1-0 f v1", "2-0 f v2", "2-5 f new"), all(s));
        assertEquals(List.of("2-5 f new"), render(s.range(new StreamId(2, 1), new StreamId(2, 5), false, 0)));
        assertEquals(List.of("2-5 f new", "2-0 f v2", "1-0 f v1"), allReversed(s));
        assertEquals(List.of("2-5 f new"), render(List.of(s.find(new StreamId(2, 5)))));
    }

    @Test
    void memoryUsageFollowsTheBlocks() {
        StreamValue s = new StreamValue();
        long empty = s.memoryUsage();
        for (int i = 1; i <= 1000; i++) {
            add(s, new StreamId(i, 0), 100, 4096, "field", "value:" + (100_000_000 + i));
        }
        long perEntry = (s.memoryUsage() - empty) / 1000;
        assertTrue(perEntry >= 18 && perEntry <= 24, perEntry + " bytes per entry");
        s.trim(0, null, false, 0);
        assertEquals(0, s.blockCount());
        assertTrue(s.memoryUsage() - empty < 100, "an emptied stream keeps only a small index");
    }
}
