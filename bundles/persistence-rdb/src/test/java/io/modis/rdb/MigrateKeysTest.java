package io.modis.rdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.modis.api.Bytes;
import io.modis.api.KeyFinder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The keys of a MIGRATE call, as ACL checks and COMMAND GETKEYS see them. */
class MigrateKeysTest {
    private static List<Integer> positions(String... words) {
        byte[][] argv = new byte[words.length][];
        for (int i = 0; i < words.length; i++) {
            argv[i] = Bytes.of(words[i]);
        }
        List<KeyFinder.Key> keys = MigrateCommand.KEYS.find(argv);
        return keys == null ? null : keys.stream().map(KeyFinder.Key::position).toList();
    }

    @Test
    void theKeyArgumentOrTheKeysAfterKeys() {
        assertEquals(List.of(3), positions("MIGRATE", "h", "1", "k", "0", "500"));
        assertEquals(List.of(7, 8), positions("MIGRATE", "h", "1", "", "0", "500", "KEYS", "a", "b"));
        assertEquals(List.of(), positions("MIGRATE", "h", "1", "", "0", "500", "COPY"));
        assertNull(positions("MIGRATE", "h", "1", "k", "0"));
    }

    @Test
    void passwordsAreSkippedEvenWhenTheyReadKeys() {
        assertEquals(List.of(9), positions("MIGRATE", "h", "1", "", "0", "5000", "AUTH", "KEYS", "KEYS", "rw"));
        assertEquals(List.of(10), positions("MIGRATE", "h", "1", "", "0", "5000", "AUTH2", "KEYS", "123", "KEYS", "rw"));
        assertEquals(List.of(10), positions("MIGRATE", "h", "1", "", "0", "5000", "AUTH2", "USER", "KEYS", "KEYS", "rw"));
    }
}
