package io.modis.sets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.modis.api.Bytes;
import io.modis.api.Digest;
import io.modis.api.RdbOutput;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The set DataType's RDB payloads and the value's copy and digest. */
class SetTypeTest {
    private final SetType type = SetType.INSTANCE;

    @AfterEach
    void resetThreshold() {
        type.maxIntsetEntries(SetType.DEFAULT_MAX_INTSET_ENTRIES);
    }

    private static SetValue setOf(String... members) {
        SetValue s = SetValue.forFirstMember(Bytes.of(members[0]));
        for (String m : members) {
            s.add(Bytes.of(m), SetType.DEFAULT_MAX_INTSET_ENTRIES);
        }
        return s;
    }

    private static Set<String> contents(SetValue s) {
        Set<String> out = new TreeSet<>();
        s.forEachMember(m -> out.add(Bytes.str(m)));
        return out;
    }

    @Test
    void identity() {
        assertEquals("set", type.name());
        assertEquals(2, type.rdbType());
        assertNull(type.moduleName());
        assertSame(type, setOf("a").type());
    }

    @Test
    void serializesThePlainRdbSetForm() {
        byte[] payload = type.serialize(setOf("3", "1", "2"));
        assertEquals("[3, 1, 49, 1, 50, 1, 51]", Arrays.toString(payload), "count, then length-prefixed members");
    }

    @Test
    void roundTripsBothEncodings() {
        SetValue ints = setOf("1", "-5", "100000");
        SetValue restored = (SetValue) type.restore(type.serialize(ints), 0);
        assertEquals("intset", restored.encoding());
        assertEquals(contents(ints), contents(restored));

        SetValue table = setOf("a", "b", "1", "");
        restored = (SetValue) type.restore(type.serialize(table), 0);
        assertEquals("hashtable", restored.encoding());
        assertEquals(contents(table), contents(restored));
    }

    @Test
    void restorePicksTheEncodingForTheCurrentThreshold() {
        SetValue s = SetValue.newIntset();
        for (int i = 0; i < 100; i++) {
            s.addLong(i, 1000);
        }
        byte[] payload = type.serialize(s);
        assertEquals("intset", type.restore(payload, 0).encoding());
        type.maxIntsetEntries(99);
        assertEquals("hashtable", type.restore(payload, 0).encoding());
    }

    @Test
    void restoreReadsIntegerEncodedStrings() {
        byte[] payload = {2, (byte) 0xC0, 7, (byte) 0xC1, (byte) 0xE8, 0x03};
        assertEquals(Set.of("7", "1000"), contents((SetValue) type.restore(payload, 0)));
    }

    @Test
    void restoreRejectsMalformedPayloads() {
        assertThrows(IllegalArgumentException.class, () -> type.restore(new byte[] {0}, 0), "empty set");
        assertThrows(IllegalArgumentException.class, () -> type.restore(new byte[] {2, 1, 'a'}, 0), "truncated");
        assertThrows(IllegalArgumentException.class, () -> type.restore(new byte[] {1, 1, 'a', 1, 'b'}, 0),
                "trailing bytes");
        byte[] duplicateInts = new RdbOutput().writeLength(2).writeString(Bytes.of("1")).writeString(Bytes.of("1"))
                .toByteArray();
        assertThrows(IllegalArgumentException.class, () -> type.restore(duplicateInts, 0));
        byte[] duplicateStrings = new RdbOutput().writeLength(2).writeString(Bytes.of("a")).writeString(Bytes.of("a"))
                .toByteArray();
        assertThrows(IllegalArgumentException.class, () -> type.restore(duplicateStrings, 0));
        assertThrows(IllegalArgumentException.class, () -> type.restore(new byte[] {(byte) 0x80, 0x7f, 0, 0, 0}, 0),
                "count larger than the payload");
    }

    @Test
    void copiesAreDeepAndKeepTheEncoding() {
        for (SetValue original : List.of(setOf("1", "2"), setOf("a", "b"))) {
            SetValue copy = original.copy();
            assertNotSame(original, copy);
            assertEquals(original.encoding(), copy.encoding());
            copy.add(Bytes.of("3"), 512);
            original.remove(Bytes.of(original.isIntset() ? "1" : "a"));
            assertEquals(2, copy.length() - original.length());
        }
    }

    @Test
    void digestIgnoresOrderAndEncoding() {
        SetValue a = setOf("1", "2", "3");
        SetValue b = setOf("3", "x", "2", "1");
        b.remove(Bytes.of("x"));
        assertEquals("intset", a.encoding());
        assertEquals("hashtable", b.encoding());
        assertEquals(digest(a), digest(b));
        b.remove(Bytes.of("3"));
        assertNotEquals(digest(a), digest(b));
    }

    /** An unordered digest like the core's: XOR of each member's SHA-1. */
    private static String digest(SetValue s) {
        byte[] acc = new byte[20];
        s.digest(new Digest() {
            @Override
            public void add(byte[] b) {
                throw new AssertionError("a set digests members unordered");
            }

            @Override
            public void addUnordered(byte[]... element) {
                try {
                    MessageDigest sha = MessageDigest.getInstance("SHA-1");
                    for (byte[] part : element) {
                        sha.update(part);
                    }
                    byte[] d = sha.digest();
                    for (int i = 0; i < 20; i++) {
                        acc[i] ^= d[i];
                    }
                } catch (NoSuchAlgorithmException e) {
                    throw new IllegalStateException(e);
                }
            }
        });
        return Arrays.toString(acc);
    }

    @Test
    void membersInIterationOrder() {
        List<String> out = new ArrayList<>();
        setOf("3", "1", "2").members().forEach(m -> out.add(Bytes.str(m)));
        assertEquals(List.of("1", "2", "3"), out);
    }
}
