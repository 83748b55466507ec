package io.modis.api.dict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

class SipHashTest {

    /** Key bytes 00..0f read as two little-endian words. */
    private static final long K0 = 0x0706050403020100L;
    private static final long K1 = 0x0f0e0d0c0b0a0908L;

    /**
     * SipHash-1-3 of the messages (empty), 00, 00 01, 00 01 02 ... (lengths 0 to 24) under key
     * 00..0f. Computed with the reference C code set to one compression and three finalization
     * rounds; the same code set to 2-4 rounds reproduces the published SipHash-2-4 vectors.
     */
    private static final long[] EXPECTED = {
        0xabac0158050fc4dcL, 0xc9f49bf37d57ca93L, 0x82cb9b024dc7d44dL, 0x8bf80ab8e7ddf7fbL,
        0xcf75576088d38328L, 0xdef9d52f49533b67L, 0xc50d2b50c59f22a7L, 0xd3927d989bb11140L,
        0x369095118d299a8eL, 0x25a48eb36c063de4L, 0x79de85ee92ff097fL, 0x70c118c1f94dc352L,
        0x78a384b157b4d9a2L, 0x306f760c1229ffa7L, 0x605aa111c0f95d34L, 0xd320d86d2a519956L,
        0xcc4fdd1a7d908b66L, 0x9cf2689063dbd80cL, 0x8ffc389cb473e63eL, 0xf21f9de58d297d1cL,
        0xc0dc2f46a6cce040L, 0xb992abfe2b45f844L, 0x7ffe7b9ba320872eL, 0x525a0e7fdae6c123L,
        0xf464aeb267349c8cL,
    };

    @Test
    void matchesReferenceSipHash13ForEveryTailLength() {
        for (int len = 0; len < EXPECTED.length; len++) {
            byte[] message = new byte[len];
            for (int i = 0; i < len; i++) {
                message[i] = (byte) i;
            }
            assertEquals(EXPECTED[len], SipHash.hash(K0, K1, message), "length " + len);
        }
    }

    @Test
    void dependsOnTheKey() {
        byte[] message = "user:1000".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertNotEquals(SipHash.hash(K0, K1, message), SipHash.hash(K0 + 1, K1, message));
        assertNotEquals(SipHash.hash(K0, K1, message), SipHash.hash(K0, K1 + 1, message));
    }
}
