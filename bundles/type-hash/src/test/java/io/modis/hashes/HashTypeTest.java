package io.modis.hashes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modis.api.Bytes;
import io.modis.api.Digest;
import io.modis.api.RdbOutput;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The hash value and its type on their own: RDB payloads, encodings, copies, digests. */
class HashTypeTest {
    private static final HashLimits LIMITS = HashLimits.DEFAULTS;

    @AfterEach
    void resetLimits() {
        HashType.INSTANCE.maxEntries(HashLimits.DEFAULT_MAX_ENTRIES);
        HashType.INSTANCE.maxValue(HashLimits.DEFAULT_MAX_VALUE);
    }

    private static HashValue hashOf(int n, String valuePrefix) {
        HashValue h = new HashValue();
        for (int i = 0; i < n; i++) {
            h.set(Bytes.of("f" + i), Bytes.of(valuePrefix + i), LIMITS);
        }
        return h;
    }

    private static Map<String, String> contents(HashValue h) {
        Map<String, String> m = new HashMap<>();
        h.forEach((f, fo, fl, v, vo, vl) -> m.put(new String(f, fo, fl), new String(v, vo, vl)));
        return m;
    }

    @Test
    void isTheRedisHashType() {
        assertEquals("hash", HashType.INSTANCE.name());
        assertEquals(4, HashType.INSTANCE.rdbType());
        assertSame(HashType.INSTANCE, new HashValue().type());
    }

    @Test
    void serializesAsRdbTypeHash() {
        HashValue h = new HashValue();
        h.set(Bytes.of("a"), Bytes.of("1"), LIMITS);
        h.set(Bytes.of("bc"), Bytes.of(""), LIMITS);
        byte[] expected = {2, 1, 'a', 1, '1', 2, 'b', 'c', 0};
        assertArrayEquals(expected, HashType.INSTANCE.serialize(h));
    }

    @Test
    void restoresInTheEncodingTheLimitsCallFor() {
        for (int n : new int[] {1, 512, 513}) {
            HashValue h = hashOf(n, "v");
            HashValue back = (HashValue) HashType.INSTANCE.restore(HashType.INSTANCE.serialize(h), 0);
            assertEquals(contents(h), contents(back));
            assertEquals(n <= 512 ? "listpack" : "hashtable", back.encoding());
        }
        HashType.INSTANCE.maxEntries(2);
        byte[] three = HashType.INSTANCE.serialize(hashOf(3, "v"));
        assertEquals("hashtable", HashType.INSTANCE.restore(three, 0).encoding());
        HashType.INSTANCE.maxEntries(512);
        HashType.INSTANCE.maxValue(1);
        assertEquals("hashtable", HashType.INSTANCE.restore(three, 0).encoding());
    }

    @Test
    void restoreAcceptsIntegerEncodedStrings() {
        // RDB may hold 127 as an 8-bit integer string: 0xC0 0x7F
        byte[] payload = {1, 1, 'n', (byte) 0xC0, 0x7F};
        HashValue h = (HashValue) HashType.INSTANCE.restore(payload, 0);
        assertEquals("127", Bytes.str(h.get(Bytes.of("n"))));
    }

    @Test
    void restoreRejectsMalformedPayloads() {
        byte[] good = HashType.INSTANCE.serialize(hashOf(2, "v"));
        List<byte[]> bad = new ArrayList<>();
        bad.add(new byte[0]);
        bad.add(new byte[] {0}); // empty hash
        bad.add(Arrays.copyOf(good, good.length - 1)); // truncated
        bad.add(Arrays.copyOf(good, good.length + 1)); // trailing byte
        bad.add(new RdbOutput().writeLength(2).writeString(Bytes.of("a")).writeString(Bytes.of("1"))
                .writeString(Bytes.of("a")).writeString(Bytes.of("2")).toByteArray()); // duplicate field
        bad.add(new byte[] {(byte) 0x80, 0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF}); // huge count
        for (byte[] payload : bad) {
            assertThrows(IllegalArgumentException.class, () -> HashType.INSTANCE.restore(payload, 0),
                    Arrays.toString(payload));
        }
        HashType.INSTANCE.maxEntries(1);
        byte[] duplicateInTable = bad.get(4);
        assertThrows(IllegalArgumentException.class, () -> HashType.INSTANCE.restore(duplicateInTable, 0));
    }

    @Test
    void copyIsDeep() {
        for (int n : new int[] {3, 600}) {
            HashValue h = hashOf(n, "v");
            HashValue copy = h.copy();
            assertEquals(h.encoding(), copy.encoding());
            assertEquals(contents(h), contents(copy));
            copy.set(Bytes.of("f0"), Bytes.of("changed"), LIMITS);
            copy.delete(Bytes.of("f1"));
            assertEquals("v0", Bytes.str(h.get(Bytes.of("f0"))));
            assertEquals("v1", Bytes.str(h.get(Bytes.of("f1"))));
            assertEquals(h.memoryUsage() > 0, copy.memoryUsage() > 0);
        }
    }

    /** Records what a value feeds to a digest. */
    private static final class RecordingDigest implements Digest {
        final List<String> ordered = new ArrayList<>();
        final List<String> unordered = new ArrayList<>();

        @Override
        public void add(byte[] b) {
            ordered.add(Bytes.str(b));
        }

        @Override
        public void addUnordered(byte[]... element) {
            StringBuilder sb = new StringBuilder();
            for (byte[] part : element) {
                sb.append(Bytes.str(part)).append('|');
            }
            unordered.add(sb.toString());
        }
    }

    @Test
    void digestMixesEachPairUnordered() {
        for (int n : new int[] {2, 600}) {
            RecordingDigest d = new RecordingDigest();
            hashOf(n, "v").digest(d);
            assertTrue(d.ordered.isEmpty());
            assertEquals(n, d.unordered.size());
            assertTrue(d.unordered.contains("f1|v1|"));
        }
    }

    @Test
    void aListpackIsOneExactlySizedArray() {
        HashValue h = hashOf(10, "value:");
        // ten fields "fN" (3 bytes with prefix) and values "value:N" (8 bytes with prefix)
        assertEquals(10 * (3 + 8), h.listpack().capacity());
        assertEquals(h.listpack().used(), h.listpack().capacity());
        h.reserve(new byte[][] {Bytes.of("x"), Bytes.of("y")}, 0, 1);
        assertTrue(h.listpack().capacity() > h.listpack().used());
        h.set(Bytes.of("x"), Bytes.of("y"), LIMITS);
        h.trim();
        assertEquals(h.listpack().used(), h.listpack().capacity());
        assertTrue(h.memoryUsage() < 200, "small hash estimate " + h.memoryUsage());
    }

    @Test
    void tableMemoryEstimateFollowsChanges() {
        HashValue h = hashOf(600, "v");
        long full = h.memoryUsage();
        h.set(Bytes.of("f0"), Bytes.of("x".repeat(1000)), LIMITS);
        assertTrue(h.memoryUsage() >= full + 990);
        h.set(Bytes.of("f0"), Bytes.of("v0"), LIMITS);
        assertEquals(full, h.memoryUsage());
        for (int i = 0; i < 600; i++) {
            assertTrue(h.delete(Bytes.of("f" + i)));
        }
        assertFalse(h.delete(Bytes.of("f0")));
        assertEquals(0, h.size());
        assertTrue(h.memoryUsage() < full / 10, "empty table estimate " + h.memoryUsage());
    }

    @Test
    void valueLengthAndContains() {
        HashValue h = hashOf(3, "value");
        assertEquals(6, h.valueLength(Bytes.of("f0")));
        assertEquals(0, h.valueLength(Bytes.of("nope")));
        assertTrue(h.contains(Bytes.of("f2")));
        assertFalse(h.contains(Bytes.of("f3")));
        assertNull(h.get(Bytes.of("f3")));
    }
}
