package io.modis.bitmaps;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.modis.api.StringValue;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Field reads and writes against a bit-by-bit reference, at every alignment and width. */
class FieldBitsTest {
    @Test
    void readsMatchBitByBit() {
        Random random = new Random(1);
        byte[] b = new byte[20];
        for (int round = 0; round < 200; round++) {
            random.nextBytes(b);
            for (int bits = 1; bits <= 64; bits++) {
                long offset = random.nextInt(20 * 8 + 16);
                assertEquals(naiveRead(b, offset, bits), FieldBits.read(FieldBits.of(b), offset, bits),
                        bits + "@" + offset);
                assertEquals(naiveRead(b, offset, bits),
                        FieldBits.read(FieldBits.of(StringValue.ofRaw(b.clone())), offset, bits));
            }
        }
    }

    @Test
    void writesMatchBitByBit() {
        Random random = new Random(2);
        for (int round = 0; round < 200; round++) {
            for (int bits = 1; bits <= 64; bits++) {
                byte[] b = new byte[12];
                random.nextBytes(b);
                long offset = random.nextInt(12 * 8 - bits + 1);
                long value = random.nextLong();
                byte[] expected = b.clone();
                naiveWrite(expected, offset, bits, value);
                StringValue v = StringValue.ofRaw(b.clone());
                FieldBits.write(v, offset, bits, value);
                assertArrayEquals(expected, v.bytes(), bits + "@" + offset);
            }
        }
    }

    @Test
    void signedDecoding() {
        assertEquals(-1, new BitfieldType(true, 5).decode(0x1f));
        assertEquals(15, new BitfieldType(true, 5).decode(0x0f));
        assertEquals(31, new BitfieldType(false, 5).decode(0x1f));
        assertEquals(-1, new BitfieldType(true, 64).decode(-1));
    }

    private static long naiveRead(byte[] b, long offset, int bits) {
        long v = 0;
        for (long i = offset; i < offset + bits; i++) {
            int bit = i >>> 3 < b.length ? (b[(int) (i >>> 3)] >> (7 - (i & 7))) & 1 : 0;
            v = v << 1 | bit;
        }
        return v;
    }

    private static void naiveWrite(byte[] b, long offset, int bits, long value) {
        for (int j = 0; j < bits; j++) {
            long i = offset + j;
            int bit = (int) (value >>> (bits - 1 - j)) & 1;
            int mask = 0x80 >>> (i & 7);
            b[(int) (i >>> 3)] = (byte) (bit == 1 ? b[(int) (i >>> 3)] | mask : b[(int) (i >>> 3)] & ~mask);
        }
    }
}
