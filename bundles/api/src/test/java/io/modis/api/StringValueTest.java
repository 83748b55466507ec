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

    @Test
    void inPlaceWritesNeverChangeTheArrayTheValueWasMadeFrom() {
        byte[] argument = Bytes.of("x".repeat(100));
        StringValue v = StringValue.of(argument);
        v.setRange(0, Bytes.of("yy"));
        v.setByte(5, (byte) 'z');
        assertEquals("x".repeat(100), Bytes.str(argument));
        assertEquals("yyxxxz" + "x".repeat(94), Bytes.str(v.bytes()));

        byte[] raw = Bytes.of("12345");
        StringValue r = StringValue.ofRaw(raw);
        r.setByte(0, (byte) '9');
        assertEquals("12345", Bytes.str(raw));
        assertEquals("92345", Bytes.str(r.bytes()));
    }
}
