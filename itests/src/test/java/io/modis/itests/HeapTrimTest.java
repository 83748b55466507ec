package io.modis.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;

/**
 * The launcher's JVM gives memory back after a burst: once the server is idle, the core's heap
 * trimmer runs a concurrent collection and G1 uncommits the heap the burst's garbage took.
 */
class HeapTrimTest {

    @Test
    void committedHeapShrinksWhenIdleAfterABurst(@TempDir Path dir) throws Exception {
        try (ServerProcess server = ServerProcess.start(dir, "--save", "")) {
            assertTrue(server.awaitLog("Ready to accept connections", Duration.ofSeconds(60)), server.output());
            try (Jedis jedis = new Jedis(new HostAndPort("127.0.0.1", server.port()),
                    DefaultJedisClientConfig.builder().timeoutMillis(30_000).build())) {
                Map<String, String> fields = new HashMap<>();
                for (int f = 0; f < 10; f++) {
                    fields.put("field:" + f, "value-of-some-length:" + f);
                }
                long trimsBefore = info(jedis, "heap_trims");
                long peak = 0;
                for (int batch = 0; batch < 30; batch++) {
                    Pipeline p = jedis.pipelined();
                    for (int i = 0; i < 10_000; i++) {
                        p.hset("hash:" + batch + ":" + i, fields);
                    }
                    p.sync();
                    peak = Math.max(peak, info(jedis, "heap_committed"));
                }
                assertEquals(300_000L, jedis.dbSize());
                long burstPeak = peak;
                Await.until("a heap trim after the burst", Duration.ofSeconds(60),
                        () -> info(jedis, "heap_trims") > trimsBefore);
                Await.until("committed heap below the burst's peak " + burstPeak, Duration.ofSeconds(60),
                        () -> info(jedis, "heap_committed") < burstPeak);
                // the data is all still there
                assertEquals(300_000L, jedis.dbSize());
                assertEquals("value-of-some-length:7", jedis.hget("hash:29:9999", "field:7"));
            }
        }
    }

    private static long info(Jedis jedis, String field) {
        for (String line : jedis.info("memory").split("\r\n")) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.substring(field.length() + 1));
            }
        }
        throw new AssertionError("INFO memory has no " + field);
    }
}
