package io.modis.sets;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.modis.api.Bytes;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StrictLongTest {
    @Test
    void agreesWithTheApisParser() {
        List<String> cases = List.of("0", "1", "-1", "12", "-0", "00", "01", "+1", " 1", "1 ", "", "-", "1a",
                "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
                "18446744073709551616", "99999999999999999999", "1000000000000000000", "-1000000000000000000",
                "9223372036854775799", "-9223372036854775799");
        for (String s : cases) {
            assertEquals(Bytes.isLong(Bytes.of(s)), StrictLong.matches(Bytes.of(s)), "'" + s + "'");
        }
        Random random = new Random(1);
        for (int i = 0; i < 10000; i++) {
            String s = Long.toString(random.nextLong());
            if (random.nextBoolean()) {
                s = s.substring(0, random.nextInt(s.length()) + 1);
            }
            if (random.nextInt(10) == 0) {
                s = s + random.nextInt(10);
            }
            assertEquals(Bytes.isLong(Bytes.of(s)), StrictLong.matches(Bytes.of(s)), s);
        }
    }
}
