package io.modis.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Expected values were produced by glibc's strtold, x87 long double addition and printf("%.17Lf"). */
class LongDoubleTest {
    private static String sum(String a, String b) {
        LongDouble s = LongDouble.parse(Bytes.of(a)).add(LongDouble.parse(Bytes.of(b)));
        return s.isFinite() ? s.toHumanString() : "NOT_FINITE";
    }

    @ParameterizedTest(name = "{0} + {1} = {2}")
    @CsvSource(delimiter = '|', value = {
        "1.5|1.1|2.6",
        "0|1|1",
        "1|0.25|1.25",
        "1.5|1.5|3",
        "17179869184|1.5|17179869185.5",
        "17179869184|17179869184|34359738368",
        "1|-1.1|-0.1",
        "0|0.024390243902439025|0.02439024390243902",
        "0.02439024390243902|-0.024390243902439025|0",
        "0.02439024390243903|-0.024390243902439025|0.00000000000000001",
        "0|5.0e3|5000",
        "0|0x10|16",
        "0|0x1.8p1|3",
        "0|0e99999999999|0",
        "0|.5|0.5",
        "0|5.|5",
        "0|-.5e-3|-0.0005",
        "10.5|0.1|10.6",
        "3.0e3|0|3000",
        "0.1|0.2|0.3",
        "123456789012345678|0.5|123456789012345678.5",
        "-5|3.333|-1.667",
        "0|1e-20|0",
        "0|-1e-20|0",
        "0|0.000000000000000005|0",
        "0|0.000000000000000015|0.00000000000000002",
        "0|9223372036854775807|9223372036854775807",
        "9223372036854775807|1|9223372036854775808",
        "0|3.6e-4951|0",
        "0|+1|1",
        "0|+inf|NOT_FINITE",
        "0|-infinity|NOT_FINITE",
        "0|INF|NOT_FINITE",
        "0|Infinity|NOT_FINITE",
        "0|1.7976931348623157e308|179769313486231569995921046774104434048386446944329178485314420765176628523124"
            + "396354701868608387085564428793419425520689308708363451136055357897278026477617073498977686288394835"
            + "618163294045594434929537447290627480669417384648879122776218333598953852832103282504751611691208117"
            + "720159985926376802466863339536384",
    })
    void matchesGlibcLongDouble(String a, String b, String expected) {
        assertEquals(expected, sum(a, b));
    }

    @Test
    void sumsNearTheTopOfTheRangeStayFinite() {
        String s = sum("0", "1e4932");
        assertEquals(4933, s.length());
        assertEquals("1000000000000000000006018949387963891323837774254533114773785041352533019486608722",
                s.substring(0, 82));
        assertEquals("NOT_FINITE", sum("1.1e4932", "1.1e4932"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " 11", "11 ", " 11 ", "nan", "NaN", "-nan", "1e", "1e+", "1e5000", "1e-5000",
        "+-1", "0x", "0x1p", "infinit", "abc", "1.2.3", "1,5", "--1", ".", "e5", "1 2"})
    void rejectsWhatStrtoldRejects(String s) {
        assertThrows(NumberFormatException.class, () -> LongDouble.parse(Bytes.of(s)));
    }

    @Test
    void rejectsEmbeddedNul() {
        assertThrows(NumberFormatException.class, () -> LongDouble.parse(new byte[] {'1', 0, '2'}));
    }

    @Test
    void rejectsOverlongInput() {
        byte[] digits = new byte[LongDouble.MAX_CHARS];
        java.util.Arrays.fill(digits, (byte) '1');
        assertThrows(NumberFormatException.class, () -> LongDouble.parse(digits));
    }

    @Test
    void infinitiesOfOppositeSignsMakeNaN() {
        LongDouble nan = LongDouble.POSITIVE_INFINITY.add(LongDouble.NEGATIVE_INFINITY);
        assertFalse(nan.isFinite());
        assertEquals("nan", nan.toHumanString());
    }

    @Test
    void longsConvertExactly() {
        assertEquals("-9223372036854775808", LongDouble.of(Long.MIN_VALUE).toHumanString());
        assertEquals("9223372036854775806.5",
                LongDouble.of(Long.MAX_VALUE).add(LongDouble.parse(Bytes.of("-0.5"))).toHumanString());
    }
}
