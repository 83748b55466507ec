package io.modis.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modis.api.Bytes;
import io.modis.api.StringValue;
import io.modis.core.TestServer.Err;
import io.modis.core.TestServer.TestClient;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MemoryCommandTest {
    private TestServer ts;
    private TestClient c;

    @BeforeEach
    void start() {
        ts = new TestServer();
        ts.addCommands(java.util.List.of(new MemoryCommand(ts.server).command()));
        c = ts.client();
    }

    @AfterEach
    void stop() {
        ts.close();
    }

    @Test
    void usageAddsTheKeyAndItsEntryToTheValueEstimate() {
        assertNull(c.call("memory", "usage", "nokey"));
        StringValue v = StringValue.of(Bytes.of("x".repeat(100)));
        ts.onEngine(() -> ts.server.db(0).set(Bytes.of("key"), v));
        long expected = v.memoryUsage() + 3 + MemoryCommand.PER_KEY_OVERHEAD;
        assertEquals(expected, c.call("memory", "usage", "key"));
        assertEquals(expected, c.call("memory", "usage", "key", "samples", "0"));
        assertEquals(new Err("ERR syntax error"), c.call("memory", "usage", "key", "samples", "-1"));
        assertEquals(new Err("ERR syntax error"), c.call("memory", "usage", "key", "bogus"));
        assertEquals(new Err("ERR value is not an integer or out of range"),
                c.call("memory", "usage", "key", "samples", "x"));
    }

    @Test
    void statsAndTheRest() {
        ts.onEngine(() -> ts.server.db(3).set(Bytes.of("k"), StringValue.of(Bytes.of("v"))));
        Map<?, ?> stats = (Map<?, ?>) c.call("memory", "stats");
        assertEquals(1L, stats.get("keys.count"));
        assertTrue(stats.containsKey("db.3"), stats.toString());
        assertTrue((Long) stats.get("total.allocated") > 0);
        assertEquals(TestServer.OK, c.call("memory", "purge"));
        assertTrue(c.call("memory", "doctor").toString().startsWith("Heap in use: "));
        assertTrue(c.call("memory", "help").toString().contains("USAGE <key> [SAMPLES <count>]"));
    }
}
