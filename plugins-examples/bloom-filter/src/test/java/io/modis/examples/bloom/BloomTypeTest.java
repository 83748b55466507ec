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

    /**
     * The value body of DUMP on Redis 7.0.15 with RedisBloom 2.6 (built from source, rdbcompression
     * off) after {@code BF.RESERVE fx 0.01 20 EXPANSION 2} and {@code BF.MADD fx item1 ... item50}:
     * the DUMP payload without its type byte, 64-bit module id, RDB version and checksum.
     */
    private static final String REDISBLOOM_BODY = ""
            + "02320202020502020214047b14ae47e17a743f020804e9862fb2350e26400241000200052085ca6dd48d75f49c978782"
            + "90d145b213659894db856d61c78557d425b3c4699f02140228047b14ae47e17a643f0209044af7d49edef02840024200"
            + "0200054040a4901266524102044f5e25a06c2a4daac990814f21cce0d17a012e4d8c1e4664f7af6144167644b2a02434"
            + "5d195743f43e4dce9f246d85d43a10442364045b4c021e00";

    @Test
    void restoresRedisBloomsOwnPayloadAndWritesTheSameBytes() {
        ScalableBloomFilter f = ScalableBloomFilter.create(20, 0.01, 2, false);
        for (int i = 1; i <= 50; i++) {
            assertEquals(1, f.add(("item" + i).getBytes(StandardCharsets.UTF_8)));
        }
        byte[] theirs = java.util.HexFormat.of().parseHex(REDISBLOOM_BODY);
        ScalableBloomFilter restored = (ScalableBloomFilter) BloomType.INSTANCE.restore(theirs, 4);
        assertEquals(f.layers, restored.layers);
        assertEquals(50, restored.size);
        assertEquals(256, restored.reportedSize(), "RedisBloom's BF.INFO Size for this filter");
        assertEquals(60, restored.capacity());
        assertArrayEquals(theirs, BloomType.INSTANCE.serialize(f));
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
