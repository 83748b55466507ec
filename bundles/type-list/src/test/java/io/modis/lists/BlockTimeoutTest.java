package io.modis.lists;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.modis.api.CommandException;
import io.modis.api.Errors;
import org.junit.jupiter.api.Test;

/** Timeouts read as Redis's strtold-based parsing reads them. */
class BlockTimeoutTest {
    @Test
    void readsSecondsAndRoundsMillisecondsUp() {
        assertEquals(0, BlockTimeout.millis("0"));
        assertEquals(5000, BlockTimeout.millis("5"));
        assertEquals(100, BlockTimeout.millis("0.1"));
        assertEquals(1, BlockTimeout.millis("0.0001"));
        assertEquals(1, BlockTimeout.millis(".001"));
        assertEquals(2000, BlockTimeout.millis("2."));
        assertEquals(1500, BlockTimeout.millis("+1.5"));
        assertEquals(1000, BlockTimeout.millis("1e0"));
        assertEquals(16000, BlockTimeout.millis("0x10"));
        assertEquals(1500, BlockTimeout.millis("0x1.8p0"));
        assertEquals(0, BlockTimeout.millis("-0"));
        assertEquals(9_000_000_000_000_000_000L, BlockTimeout.millis("9e15"));
        assertEquals(0, BlockTimeout.millis("-0.0001"));
    }

    @Test
    void refusesWhatStrtoldRefuses() {
        for (String bad : new String[] {"", " 1", "1 ", "abc", "nan", "-nan", "1e", "1x", "1e9999", "1e-9999",
            "0x", "1.5d", "1e2147483648"}) {
            CommandException e = assertThrows(CommandException.class, () -> BlockTimeout.millis(bad), bad);
            assertEquals(Errors.TIMEOUT_NOT_FLOAT, e.getMessage(), bad);
        }
    }

    @Test
    void negativeOrUnrepresentableIsNegative() {
        for (String bad : new String[] {"-1", "-0.001", "inf", "-inf", "+Infinity", "1e400", "9.3e15"}) {
            CommandException e = assertThrows(CommandException.class, () -> BlockTimeout.millis(bad), bad);
            assertEquals(Errors.TIMEOUT_NEGATIVE, e.getMessage(), bad);
        }
    }
}
