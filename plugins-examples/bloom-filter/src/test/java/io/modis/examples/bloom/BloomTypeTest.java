package io.modis.examples.bloom;

import io.modis.api.RdbOutput;
import org.apache.commons.codec.digest.MurmurHash2;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The data type: hashing, serialization round trips and refusal of corrupt payloads. */
class BloomTypeTest {
    @Test
    void murmurMatchesAnIndependentImplementation() {
        for (int len = 0; len < 40; len++) {
            byte[] data = new byte[len];
            for (int i = 0; i < len; i++) {
                data[i] = (byte) (i * 37 + 11);
            }
            for (int seed : new int[] {0, 1, 0x9747b28c & 0x7fffffff, Integer.MAX_VALUE}) {
                assertEquals(MurmurHash2.hash64(data, len, seed), Murmur64A.hash(data, seed & 0xFFFFFFFFL),
                        "length " + len + " seed " + seed);
            }
        }
    }

    @Test
    void roundTripKeepsEveryBitAndCounter() {
        ScalableBloomFilter f = ScalableBloomFilter.create(50, 0.01, 3, false);
        for (int i = 0; i < 400; i++) {
            f.add(("k" + i).getBytes(StandardCharsets.UTF_8));
        }
        assertTrue(f.layers.size() > 1);
        byte[] payload = BloomType.INSTANCE.serialize(f);
        ScalableBloomFilter back = (ScalableBloomFilter) BloomType.INSTANCE.restore(payload, 4);
        assertEquals(f.layers, back.layers);
        assertEquals(f.size, back.size);
        assertEquals(f.options, back.options);
        assertEquals(f.growth, back.growth);
        assertArrayEquals(payload, BloomType.INSTANCE.serialize(back));
        assertSame(BloomType.INSTANCE, back.type());
        // the revived filter keeps answering and growing as the original would
        assertEquals(f.add("new".getBytes()), back.add("new".getBytes()));
        assertEquals(f.layers, back.layers);
    }

    @Test
    void nonScalingRoundTrip() {
        ScalableBloomFilter f = ScalableBloomFilter.create(3, 0.05, 2, true);
        f.add("a".getBytes());
        ScalableBloomFilter back = (ScalableBloomFilter) BloomType.INSTANCE.restore(BloomType.INSTANCE.serialize(f), 4);
        assertTrue(back.nonScaling());
        assertEquals(f.layers, back.layers);
    }

    @Test
    void payloadIsRedisBloomsModuleBody() {
        ScalableBloomFilter f = ScalableBloomFilter.create(100, 0.01, 2, false);
        f.add("observation1".getBytes());
        byte[] p = BloomType.INSTANCE.serialize(f);
        // UINT size=1, UINT nfilters=1, UINT options=FORCE64|NOROUND=5, UINT growth=2
        assertArrayEquals(new byte[] {2, 1, 2, 1, 2, 5, 2, 2}, Arrays.copyOf(p, 8));
        // UINT entries=100, then a DOUBLE opcode for the error rate
        assertArrayEquals(new byte[] {2, 0x40, 100, 4}, Arrays.copyOfRange(p, 8, 12));
        assertEquals(0, p[p.length - 1], "EOF opcode");
        assertEquals("MBbloom--", BloomType.INSTANCE.moduleName());
        assertEquals(9, BloomType.INSTANCE.moduleName().length());
        assertEquals(4, BloomType.INSTANCE.encodingVersion());
    }

    @Test
    void corruptPayloadsAreRefused() {
        ScalableBloomFilter f = ScalableBloomFilter.create(100, 0.01, 2, false);
        byte[] good = BloomType.INSTANCE.serialize(f);
        assertThrows(IllegalArgumentException.class,
                () -> BloomType.INSTANCE.restore(Arrays.copyOf(good, good.length - 5), 4));
        assertThrows(IllegalArgumentException.class, () -> BloomType.INSTANCE.restore(good, 5));
        byte[] trailing = Arrays.copyOf(good, good.length + 1);
        assertThrows(IllegalArgumentException.class, () -> BloomType.INSTANCE.restore(trailing, 4));
        // a layer whose bit count does not match its bytes would index outside them
        BloomLayer l = f.layers.get(0);
        RdbOutput out = new RdbOutput();
        out.writeByte(2).writeLength(0).writeByte(2).writeLength(1).writeByte(2).writeLength(5).writeByte(2).writeLength(2);
        out.writeByte(2).writeLength(l.entries).writeByte(4).writeBinaryDouble(l.error).writeByte(2).writeLength(l.hashes)
                .writeByte(4).writeBinaryDouble(l.bpe).writeByte(2).writeLength(l.bits * 2).writeByte(2).writeLength(0)
                .writeByte(5).writeString(l.bitBytes()).writeByte(2).writeLength(0).writeByte(0);
        assertThrows(IllegalArgumentException.class, () -> BloomType.INSTANCE.restore(out.toByteArray(), 4));
    }

    @Test
    void copyIsDeep() {
        ScalableBloomFilter f = ScalableBloomFilter.create(100, 0.01, 2, false);
        f.add("a".getBytes());
        ScalableBloomFilter copy = (ScalableBloomFilter) f.copy();
        copy.add("b".getBytes());
        assertNotSame(f.layers.get(0).words, copy.layers.get(0).words);
        assertFalse(f.contains("b".getBytes()));
        assertEquals(1, f.size);
        assertEquals(2, copy.size);
    }
}
