package io.modis.zsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.modis.api.Bytes;
import org.junit.jupiter.api.Test;

/** Numbers read as Redis's strtod-based helpers read them. */
class FloatsTest {
    private static double strict(String s) {
        return Floats.parseStrict(Bytes.of(s));
    }

    private static double bound(String s) {
        return Floats.parseRangeBound(Bytes.of(s), 0);
    }

    private static long timeout(String s) {
        return Floats.timeoutMillis(Bytes.of(s));
    }

    /** Plain decimals take a path without strtod: the same doubles as Java's correctly rounded parser. */
    @Test
    void plainDecimalsAreCorrectlyRounded() {
        java.util.Random random = new java.util.Random(42);
        for (int n = 0; n < 200_000; n++) {
            StringBuilder text = new StringBuilder(random.nextBoolean() ? "-" : "");
            int digits = 1 + random.nextInt(17);
            int point = random.nextInt(digits + 2) - 1;
            for (int i = 0; i < digits; i++) {
                if (i == point) {
                    text.append('.');
                }
                text.append((char) ('0' + random.nextInt(10)));
            }
            String t = text.toString();
            assertEquals(Double.doubleToRawLongBits(Double.parseDouble(t)), Double.doubleToRawLongBits(strict(t)), t);
        }
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(strict("-0")));
        assertEquals(0.1, strict("0.1"));
        assertEquals(123456789012345.0, strict("123456789012345"));
        assertEquals(0.5, strict(".5"));
        assertThrows(NumberFormatException.class, () -> strict("."));
        assertThrows(NumberFormatException.class, () -> strict("-"));
        assertThrows(NumberFormatException.class, () -> strict("1.2.3"));
    }

    @Test
    void strictScores() {
        assertEquals(1.5, strict("1.5"));
        assertEquals(-0.25, strict("-.25"));
        assertEquals(5.0, strict("5."));
        assertEquals(1000.0, strict("1e3"));
        assertEquals(1000.0, strict("+1E+3"));
        assertEquals(Double.POSITIVE_INFINITY, strict("inf"));
        assertEquals(Double.POSITIVE_INFINITY, strict("+Infinity"));
        assertEquals(Double.NEGATIVE_INFINITY, strict("-INF"));
        assertEquals(16.0, strict("0x10"));
        assertEquals(3.0, strict("0x1.8p1"));
        assertEquals(Double.MAX_VALUE, strict("179769313486231570814527423731704356798070567525844996598917476803157260780028"
                + "538760589558632766878171540458953514382464234321326889464182768467546703537516986049910576551282076245"
                + "490090389328944075868508455133942304583236903222948165808559332123348274797826204144723168738177180919"
                + "299881250404026184124858368.00000000000000000"));
        assertEquals(Double.MIN_VALUE, strict("4.9e-324"), "a denormal is no underflow to zero");
        assertEquals(0.0, strict("0e-999"), "zero itself is fine");
        for (String bad : new String[] {"", " 1", "1 ", "abc", "nan", "-nan", "1e400", "1e-400", "1e", "0x", "infinit",
                "1.2.3", "--1", "1e+", "\t1"}) {
            assertThrows(NumberFormatException.class, () -> strict(bad), bad);
        }
    }

    @Test
    void rangeBoundsReadLikeStrtod() {
        assertEquals(0.0, bound(""));
        assertEquals(2.0, bound("  2"));
        assertEquals(Double.POSITIVE_INFINITY, bound("1e400"), "overflow is infinity, not an error");
        assertEquals(Double.NEGATIVE_INFINITY, bound("-inf"));
        assertEquals(2.5, Floats.parseRangeBound(Bytes.of("(2.5"), 1));
        for (String bad : new String[] {"str", "NaN", "1 ", " ", "1x"}) {
            assertThrows(NumberFormatException.class, () -> bound(bad), bad);
        }
        assertEquals(new ScoreRange(1, true, 2, false), ScoreRange.parse(Bytes.of("(1"), Bytes.of("2")));
        assertEquals(null, ScoreRange.parse(Bytes.of("(x"), Bytes.of("2")));
    }

    @Test
    void timeoutsRoundUpToMilliseconds() {
        assertEquals(0, timeout("0"));
        assertEquals(10, timeout("0.01"));
        assertEquals(1, timeout("0.001"));
        assertEquals(1, timeout("0.0000001"));
        assertEquals(1500, timeout("1.5"));
        assertEquals(-1000, timeout("-1"));
        assertEquals(Long.MIN_VALUE, timeout("inf"), "Redis casts an infinite timeout to a negative one");
        assertEquals(Long.MIN_VALUE, timeout("1e300"));
        for (String bad : new String[] {"", "abc", " 1", "nan", "1s"}) {
            assertThrows(NumberFormatException.class, () -> timeout(bad), bad);
        }
    }
}
