package io.modis.api;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BytesTest {
    @Test
    void formatsDoublesLikeCPrintfG17() {
        // expected values printed by C's printf("%.17g")
        assertEquals("1.1000000000000001", Bytes.formatDouble(1.1));
        assertEquals("1.5", Bytes.formatDouble(1.5));
        assertEquals("3", Bytes.formatDouble(3.0));
        assertEquals("-2.5", Bytes.formatDouble(-2.5));
        assertEquals("1e+17", Bytes.formatDouble(1e17));
        assertEquals("12345678901234568", Bytes.formatDouble(12345678901234567.0));
        assertEquals("0.0001", Bytes.formatDouble(0.0001));
        assertEquals("1.0000000000000001e-05", Bytes.formatDouble(0.00001));
        assertEquals("inf", Bytes.formatDouble(Double.POSITIVE_INFINITY));
        assertEquals("-inf", Bytes.formatDouble(Double.NEGATIVE_INFINITY));
        assertEquals("0", Bytes.formatDouble(0.0));
    }

    @Test
    void writesLongsInDecimal() {
        long[] edges = {0, 9, 10, 9999, 10000, 10001, -1, -9, -10, -10000, 99999999999L, Long.MAX_VALUE,
            Long.MIN_VALUE, Long.MIN_VALUE + 1, 1795719171L};
        for (long v : edges) {
            assertEquals(Long.toString(v), Bytes.str(Bytes.fromLong(v)));
        }
        java.util.Random r = new java.util.Random(7);
        for (int i = 0; i < 100000; i++) {
            long v = r.nextLong() >> r.nextInt(64);
            assertEquals(Long.toString(v), Bytes.str(Bytes.fromLong(v)));
        }
    }

    @Test
    void parsesLongsStrictlyLikeString2ll() {
        assertEquals(0, Bytes.parseLong(Bytes.of("0")));
        assertEquals(-42, Bytes.parseLong(Bytes.of("-42")));
        assertEquals(Long.MAX_VALUE, Bytes.parseLong(Bytes.of("9223372036854775807")));
        assertEquals(Long.MIN_VALUE, Bytes.parseLong(Bytes.of("-9223372036854775808")));
        for (String bad : new String[] {"", "-", "+1", " 1", "1 ", "01", "-0", "9223372036854775808",
                "-9223372036854775809", "1a", "1.0"}) {
            assertThrows(NumberFormatException.class, () -> Bytes.parseLong(Bytes.of(bad)), bad);
        }
    }

    @Test
    void parsesDoublesAsRedisDoes() {
        assertEquals(1.5, Bytes.parseDouble(Bytes.of("1.5")));
        assertEquals(Double.POSITIVE_INFINITY, Bytes.parseDouble(Bytes.of("+inf")));
        assertEquals(Double.NEGATIVE_INFINITY, Bytes.parseDouble(Bytes.of("-Infinity")));
        assertEquals(5000.0, Bytes.parseDouble(Bytes.of("5e3")));
        for (String bad : new String[] {"", "nan", " 1", "1 ", "1d", "abc", "1.0f"}) {
            assertThrows(NumberFormatException.class, () -> Bytes.parseDouble(Bytes.of(bad)), bad);
        }
    }

    @Test
    void globMatchesLikeRedis() {
        assertTrue(Bytes.globMatch(Bytes.of("h?llo"), Bytes.of("hello"), false));
        assertTrue(Bytes.globMatch(Bytes.of("h*o"), Bytes.of("heeeello"), false));
        assertTrue(Bytes.globMatch(Bytes.of("h[ae]llo"), Bytes.of("hallo"), false));
        assertFalse(Bytes.globMatch(Bytes.of("h[^e]llo"), Bytes.of("hello"), false));
        assertTrue(Bytes.globMatch(Bytes.of("h[a-b]llo"), Bytes.of("hbllo"), false));
        assertTrue(Bytes.globMatch(Bytes.of("h\\*llo"), Bytes.of("h*llo"), false));
        assertFalse(Bytes.globMatch(Bytes.of("h\\*llo"), Bytes.of("hallo"), false));
        assertTrue(Bytes.globMatch(Bytes.of("HELLO"), Bytes.of("hello"), true));
        // as in Redis, a pattern never matches the empty string (KEYS special-cases "*")
        assertFalse(Bytes.globMatch(Bytes.of("*"), Bytes.of(""), false));
        byte[] hostile = Bytes.of("a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b");
        assertFalse(Bytes.globMatch(hostile, Bytes.of("a".repeat(5000)), false));
        assertFalse(Bytes.globMatch(Bytes.of("?"), Bytes.of(""), false));
    }
}
