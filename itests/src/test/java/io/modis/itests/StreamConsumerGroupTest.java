package io.modis.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.XAutoClaimParams;
import redis.clients.jedis.params.XReadGroupParams;
import redis.clients.jedis.resps.StreamEntry;

/**
 * A consumer-group workflow with Jedis over TCP: two consumers share a stream, one crashes
 * with messages in flight, the other recovers them with XAUTOCLAIM, and every message is
 * processed and acknowledged exactly once.
 */
@Timeout(120)
class StreamConsumerGroupTest {
    @TempDir
    static Path dir;
    static ServerProcess server;

    @BeforeAll
    static void start() throws Exception {
        server = ServerProcess.start(dir);
        assertTrue(server.awaitLog("Ready to accept connections", Duration.ofSeconds(60)), server.output());
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (server != null) {
            server.close();
        }
    }

    static Jedis jedis() {
        return new Jedis(new HostAndPort("127.0.0.1", server.port()),
                DefaultJedisClientConfig.builder().timeoutMillis(10_000).build());
    }

    private static List<StreamEntry> read(Jedis j, String consumer, int count) {
        List<Map.Entry<String, List<StreamEntry>>> r = j.xreadGroup("workers", consumer,
                XReadGroupParams.xReadGroupParams().count(count),
                Map.of("jobs", StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY));
        return r == null || r.isEmpty() ? List.of() : r.get(0).getValue();
    }

    @Test
    void aCrashedConsumersMessagesAreClaimedAndNothingIsLost() throws Exception {
        Set<String> added = new TreeSet<>();
        Set<String> processed = new TreeSet<>();
        try (Jedis producer = jedis()) {
            producer.del("jobs");
            producer.xgroupCreate("jobs", "workers", new StreamEntryID(0, 0), true);
            for (int i = 0; i < 10; i++) {
                added.add(producer.xadd("jobs", StreamEntryID.NEW_ENTRY, Map.of("n", Integer.toString(i))).toString());
            }
        }

        // consumer A takes 4 messages, acknowledges 1, then its connection dies
        List<StreamEntry> inFlight = new ArrayList<>();
        try (Jedis a = jedis()) {
            List<StreamEntry> got = read(a, "A", 4);
            assertEquals(4, got.size());
            assertEquals(1, a.xack("jobs", "workers", got.get(0).getID()));
            processed.add(got.get(0).getID().toString());
            inFlight.addAll(got.subList(1, 4));
        }

        try (Jedis b = jedis()) {
            // consumer B works through the rest of the stream
            List<StreamEntry> rest = read(b, "B", 100);
            assertEquals(6, rest.size());
            for (StreamEntry e : rest) {
                assertEquals(1, b.xack("jobs", "workers", e.getID()));
                processed.add(e.getID().toString());
            }
            assertEquals(3, b.xpending("jobs", "workers").getTotal());

            // recovery: B claims what A left pending
            Map.Entry<StreamEntryID, List<StreamEntry>> claimed = b.xautoclaim("jobs", "workers", "B", 0,
                    new StreamEntryID(0, 0), new XAutoClaimParams().count(10));
            assertEquals(new StreamEntryID(0, 0), claimed.getKey());
            List<String> claimedIds = new ArrayList<>();
            for (StreamEntry e : claimed.getValue()) {
                claimedIds.add(e.getID().toString());
                assertEquals(1, b.xack("jobs", "workers", e.getID()));
                processed.add(e.getID().toString());
            }
            List<String> expected = new ArrayList<>();
            inFlight.forEach(e -> expected.add(e.getID().toString()));
            assertEquals(expected, claimedIds);

            assertEquals(0, b.xpending("jobs", "workers").getTotal());
            assertEquals(added, processed);
            assertEquals(10, b.xlen("jobs"));
        }
    }
}
