package io.modis.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class StringValueTest {
    @Test
    void byteAtReadsEveryEncodingWithoutChangingIt() {
        StringValue i = StringValue.of(Bytes.of("-42"));
        assertEquals("int", i.encoding());
        assertEquals('-', i.byteAt(0));
        assertEquals('2', i.byteAt(2));
        assertEquals("int", i.encoding());

        StringValue raw = StringValue.of(Bytes.of("ab"));
        raw.setByte(5, (byte) 'z');
        assertEquals(6, raw.length());
        assertEquals(0, raw.byteAt(3));
        assertEquals('z', raw.byteAt(5));
        assertThrows(IndexOutOfBoundsException.class, () -> raw.byteAt(6));
        assertArrayEquals(new byte[] {'a', 'b', 0, 0, 0, 'z'}, raw.bytes());
    }
}
