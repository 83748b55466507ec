package io.modis.lists;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.modis.api.Bytes;
import io.modis.api.RdbOutput;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The list type's RDB_TYPE_LIST payloads. */
class ListTypeTest {
    @AfterEach
    void restoreTuning() {
        ListTuning.fill(ListTuning.DEFAULT_FILL);
    }

    private static List<String> elements(ListValue v) {
        List<String> out = new ArrayList<>();
        v.forEachMember(e -> out.add(Bytes.str(e)));
        return out;
    }

    @Test
    void namesItselfAsRedisDoes() {
        assertEquals("list", ListType.INSTANCE.name());
        assertEquals(1, ListType.INSTANCE.rdbType());
        ListValue v = ListValue.of(List.of(Bytes.of("a")));
        assertSame(ListType.INSTANCE, v.type());
        assertEquals("quicklist", v.encoding());
    }

    @Test
    void factoryKeepsCopiesOfTheElements() {
        ListTuning.plainThreshold(4);
        try {
            byte[] large = Bytes.of("large element");
            byte[] small = Bytes.of("ab");
            ListValue v = ListValue.of(List.of(large, small));
            large[0] = 'L';
            small[0] = 'A';
            assertEquals(List.of("large element", "ab"), elements(v));
        } finally {
            ListTuning.plainThreshold(0);
        }
    }

    @Test
    void writesTheCountThenEachElement() {
        ListValue v = ListValue.of(List.of(Bytes.of("a"), Bytes.of(""), Bytes.of("hello")));
        byte[] expected = new RdbOutput().writeLength(3).writeString(Bytes.of("a")).writeString(Bytes.EMPTY)
                .writeString(Bytes.of("hello")).toByteArray();
        assertArrayEquals(expected, ListType.INSTANCE.serialize(v));
    }

    @Test
    void restoresWhatItWritesWithTheCurrentFill() {
        List<byte[]> source = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            source.add(Bytes.of("element " + i + "x".repeat(i % 50)));
        }
        source.add(new byte[100_000]);
        ListValue v = ListValue.of(source);
        ListTuning.fill(3);
        ListValue back = (ListValue) ListType.INSTANCE.restore(ListType.INSTANCE.serialize(v), 0);
        assertEquals(elements(v), elements(back));
        assertEquals(3, back.fill());
    }

    @Test
    void readsIntegerEncodedStrings() {
        byte[] payload = {2, (byte) 0xC0, 7, (byte) 0xC1, (byte) 0xE8, 0x03};
        assertEquals(List.of("7", "1000"), elements((ListValue) ListType.INSTANCE.restore(payload, 0)));
    }

    @Test
    void refusesMalformedPayloads() {
        for (byte[] bad : new byte[][] {{}, {0}, {2, 1, 'a'}, {1, 1, 'a', 'b'}, {(byte) 0xC0}, {5, 1}}) {
            assertThrows(IllegalArgumentException.class, () -> ListType.INSTANCE.restore(bad, 0));
        }
    }

    @Test
    void rewritesAsRpushBatchesOf64() {
        List<byte[]> elements = new ArrayList<>();
        for (int i = 0; i < 130; i++) {
            elements.add(Bytes.of("e" + i));
        }
        List<byte[][]> commands = new ArrayList<>();
        ListType.INSTANCE.rewrite(Bytes.of("k"), ListValue.of(elements), commands::add);
        assertEquals(3, commands.size());
        assertEquals(66, commands.get(0).length);
        assertEquals(66, commands.get(1).length);
        assertEquals(4, commands.get(2).length);
        assertEquals("RPUSH", Bytes.str(commands.get(0)[0]));
        assertEquals("k", Bytes.str(commands.get(0)[1]));
        assertEquals("e0", Bytes.str(commands.get(0)[2]));
        assertEquals("e64", Bytes.str(commands.get(1)[2]));
        assertEquals("e129", Bytes.str(commands.get(2)[3]));
    }
}
