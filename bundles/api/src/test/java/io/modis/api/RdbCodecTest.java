package io.modis.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RdbCodecTest {
    @Test
    void lengthsUseRedisFourEncodings() {
        assertArrayEquals(new byte[] {0x3F}, new RdbOutput().writeLength(63).toByteArray());
        assertArrayEquals(new byte[] {0x40, 0x40}, new RdbOutput().writeLength(64).toByteArray());
        assertArrayEquals(new byte[] {0x7F, (byte) 0xFF}, new RdbOutput().writeLength(16383).toByteArray());
        assertArrayEquals(new byte[] {(byte) 0x80, 0, 0, 0x40, 0}, new RdbOutput().writeLength(16384).toByteArray());
        assertArrayEquals(new byte[] {(byte) 0x81, 0, 0, 0, 1, 0, 0, 0, 0},
                new RdbOutput().writeLength(1L << 32).toByteArray());
        for (long n : new long[] {0, 1, 63, 64, 16383, 16384, 1L << 32, Long.MAX_VALUE}) {
            assertEquals(n, new RdbInput(new RdbOutput().writeLength(n).toByteArray()).readLength());
        }
    }

    @Test
    void stringsAndDoublesRoundTrip() {
        byte[] payload = new RdbOutput().writeString(Bytes.of("hello")).writeBinaryDouble(-2.5)
                .writeString(new byte[300]).toByteArray();
        RdbInput in = new RdbInput(payload);
        assertArrayEquals(Bytes.of("hello"), in.readString());
        assertEquals(-2.5, in.readBinaryDouble());
        assertEquals(300, in.readString().length);
        assertTrue(in.atEnd());
    }

    @Test
    void readsIntegerEncodedStrings() {
        // int8 -3, int16 1000, int32 -100000, as Redis writes integer-looking strings
        byte[] payload = {(byte) 0xC0, (byte) 0xFD, (byte) 0xC1, (byte) 0xE8, 0x03,
            (byte) 0xC2, 0x60, 0x79, (byte) 0xFE, (byte) 0xFF};
        RdbInput in = new RdbInput(payload);
        assertArrayEquals(Bytes.of("-3"), in.readString());
        assertArrayEquals(Bytes.of("1000"), in.readString());
        assertArrayEquals(Bytes.of("-100000"), in.readString());
    }

    @Test
    void truncatedInputIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new RdbInput(new byte[] {5, 'a'}).readString());
        assertThrows(IllegalArgumentException.class, () -> new RdbInput(new byte[] {(byte) 0x80, 0}).readLength());
        assertThrows(IllegalArgumentException.class, () -> new RdbInput(new byte[] {10}).readCount());
    }
}
