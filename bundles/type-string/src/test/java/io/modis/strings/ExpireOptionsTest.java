package io.modis.strings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modis.api.Bytes;
import io.modis.api.CommandException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ExpireOptionsTest {
    private static byte[][] argv(String line) {
        return Arrays.stream(line.split(" ")).map(Bytes::of).toArray(byte[][]::new);
    }

    private static ExpireOptions set(String line) {
        return ExpireOptions.forSet(argv(line));
    }

    private static ExpireOptions getex(String line) {
        return ExpireOptions.forGetex(argv(line));
    }

    @Test
    void setWithoutOptions() {
        ExpireOptions o = set("set k v");
        assertEquals(0, o.flags);
        assertFalse(o.hasExpire());
    }

    @Test
    void optionsAreCaseInsensitiveAndRemembered() {
        ExpireOptions o = set("set k v nX gEt Px 100");
        assertTrue(o.has(ExpireOptions.NX));
        assertTrue(o.has(ExpireOptions.GET));
        assertTrue(o.has(ExpireOptions.PX));
        assertEquals(6, o.expireIndex);
        assertFalse(o.inSeconds());
        assertTrue(o.relative());
    }

    @Test
    void unixTimeOptionsAreAbsolute() {
        ExpireOptions exat = set("set k v exat 10");
        assertTrue(exat.inSeconds());
        assertFalse(exat.relative());
        ExpireOptions pxat = getex("getex k pxat 10");
        assertFalse(pxat.inSeconds());
        assertFalse(pxat.relative());
    }

    @Test
    void repeatingTheSameTimeOptionKeepsTheLastValue() {
        assertEquals(6, set("set k v ex 1 ex 2").expireIndex);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "set k v nx xx", "set k v xx nx", "set k v ex 1 px 1", "set k v px 1 exat 1", "set k v exat 1 pxat 1",
        "set k v keepttl ex 1", "set k v ex 1 keepttl", "set k v ex", "set k v pxat", "set k v persist",
        "set k v foo", "set k v nxx", "set k v nx get ex 10 keepttl"})
    void setSyntaxErrors(String line) {
        CommandException e = assertThrows(CommandException.class, () -> set(line));
        assertEquals("ERR syntax error", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "getex k nx", "getex k xx", "getex k get", "getex k keepttl", "getex k persist ex 1",
        "getex k ex 1 persist", "getex k ex 1 px 1", "getex k ex", "getex k bar"})
    void getexSyntaxErrors(String line) {
        assertThrows(CommandException.class, () -> getex(line));
    }

    @Test
    void nxAndGetGoTogetherSinceRedis7() {
        ExpireOptions o = set("set k v nx get");
        assertTrue(o.has(ExpireOptions.NX) && o.has(ExpireOptions.GET));
    }

    @Test
    void absoluteMillisFromRelativeSeconds() {
        assertEquals(1_000 + 5_000, ExpireOptions.absoluteMillis(5, true, true, 1_000, "set"));
        assertEquals(1_000 + 5, ExpireOptions.absoluteMillis(5, false, true, 1_000, "set"));
        assertEquals(5_000, ExpireOptions.absoluteMillis(5, true, false, 1_000, "set"));
        assertEquals(5, ExpireOptions.absoluteMillis(5, false, false, 1_000, "set"));
    }

    @Test
    void expireArithmeticOverflowIsAnInvalidExpireTime() {
        long now = 1_700_000_000_000L;
        assertInvalid(0, true, true, now);
        assertInvalid(-1, false, false, now);
        assertInvalid(Long.MAX_VALUE / 1000 + 1, true, false, now);
        assertInvalid(Long.MAX_VALUE / 1000, true, true, now);
        assertInvalid(Long.MAX_VALUE, false, true, now);
        assertInvalid(Long.MAX_VALUE - now + 1, false, true, now);
        assertEquals(Long.MAX_VALUE, ExpireOptions.absoluteMillis(Long.MAX_VALUE - now, false, true, now, "set"));
        assertEquals(Long.MAX_VALUE, ExpireOptions.absoluteMillis(Long.MAX_VALUE, false, false, now, "set"));
        assertEquals(Long.MAX_VALUE / 1000 * 1000,
                ExpireOptions.absoluteMillis(Long.MAX_VALUE / 1000, true, false, now, "set"));
    }

    @Test
    void invalidExpireNamesTheCommand() {
        CommandException e = assertThrows(CommandException.class,
                () -> ExpireOptions.absoluteMillis(0, true, true, 0, "getex"));
        assertEquals("ERR invalid expire time in 'getex' command", e.getMessage());
    }

    private static void assertInvalid(long value, boolean seconds, boolean relative, long now) {
        CommandException e = assertThrows(CommandException.class,
                () -> ExpireOptions.absoluteMillis(value, seconds, relative, now, "set"));
        assertEquals("ERR invalid expire time in 'set' command", e.getMessage());
    }
}
