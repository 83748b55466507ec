package io.modis.core;

import io.modis.core.TestServer.TestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** maxmemory-clients: the largest clients go first, CLIENT NO-EVICT ones never. */
class ClientEvictionTest {
    private final TestServer t = new TestServer();

    ClientEvictionTest() {
        t.addServerCommands();
    }

    @AfterEach
    void tearDown() {
        t.close();
    }

    @Test
    void theLargestEvictableClientsAreDisconnectedUntilUnderTheLimit() {
        TestClient admin = t.client();
        assertEquals(TestServer.OK, admin.call("CLIENT", "NO-EVICT", "on"));
        assertEquals(TestServer.OK, admin.call("CONFIG", "SET", "maxmemory-clients", "1mb"));
        TestClient big = t.client();
        TestClient medium = t.client();
        TestClient small = t.client();
        big.conn.outputBytes = 700_000;
        medium.conn.outputBytes = 500_000;
        small.conn.outputBytes = 100_000;
        admin.conn.outputBytes = 500_000;
        t.onEngine(() -> t.server.eviction.clientsCron());
        assertTrue(big.conn.closed, "the largest goes first");
        assertTrue(medium.conn.closed, "then the next while still over the limit");
        assertFalse(small.conn.closed);
        assertFalse(admin.conn.closed, "CLIENT NO-EVICT protects a client");
        assertEquals(2L, (long) t.onEngine(() -> t.server.stats.evictedClients));
        assertTrue(t.onEngine(() -> t.server.eviction.clientsMemory) < 1024 * 1024);
    }

    @Test
    void noLimitMeansNoClientEviction() {
        TestClient big = t.client();
        big.conn.outputBytes = 50_000_000;
        t.onEngine(() -> t.server.eviction.clientsCron());
        assertFalse(big.conn.closed);
        assertEquals(0L, (long) t.onEngine(() -> t.server.stats.evictedClients));
    }

    @Test
    void theLimitIsBytesOrAPercentageOfMaxmemory() {
        TestClient c = t.client();
        assertEquals(TestServer.OK, c.call("CONFIG", "SET", "maxmemory-clients", "10%", "maxmemory", "100mb"));
        assertEquals(java.util.Map.of("maxmemory-clients", "10%"), c.call("CONFIG", "GET", "maxmemory-clients"));
        assertEquals(10L * 1024 * 1024, (long) t.onEngine(() -> t.server.ops.clientEvictionLimit()));
        assertEquals(new TestServer.Err("ERR CONFIG SET failed (possibly related to argument 'maxmemory-clients')"
                + " - percentage argument must be less or equal to 100"),
                c.call("CONFIG", "SET", "maxmemory-clients", "101%"));
        assertEquals(new TestServer.Err("ERR CONFIG SET failed (possibly related to argument 'maxmemory-clients')"
                + " - argument must be a memory or percent value"), c.call("CONFIG", "SET", "maxmemory-clients", "lots"));
        assertEquals(java.util.Map.of("maxmemory-clients", "10%"), c.call("CONFIG", "GET", "maxmemory-clients"));
        assertEquals(TestServer.OK, c.call("CONFIG", "SET", "maxmemory-clients", "1k"));
        assertEquals(128L * 1024, (long) t.onEngine(() -> t.server.ops.clientEvictionLimit()), "never below 128KB");
    }

    @Test
    void aClientThatGoesLeavesUsedMemoryAtOnce() {
        TestClient c = t.client();
        c.conn.outputBytes = 500_000;
        t.onEngine(() -> t.server.eviction.clientsCron());
        long before = t.onEngine(() -> t.server.eviction.clientsMemory);
        t.onEngine(() -> t.server.disconnected(c.session));
        long after = t.onEngine(() -> t.server.eviction.clientsMemory);
        assertTrue(before - after >= 500_000, before + " -> " + after);
    }

    @Test
    void aFreshSumEvictsClientsBeforeAnyKeyEviction() {
        TestClient admin = t.client();
        admin.call("CLIENT", "NO-EVICT", "on");
        admin.call("CONFIG", "SET", "maxmemory-clients", "1mb");
        TestClient big = t.client();
        big.conn.outputBytes = 2_000_000;
        // INFO sums the clients between two crons: client eviction must come with the new sum
        t.onEngine(() -> t.server.eviction.sampleClients());
        assertTrue(big.conn.closed);
        assertTrue(t.onEngine(() -> t.server.eviction.clientsMemory) < 1024 * 1024);
    }
}
