package io.modis.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * The reusable scripts of lua-scripts/ run by a real client (Jedis) with SCRIPT LOAD + EVALSHA
 * against the default distribution, the same scripts loaded as one FUNCTION library through
 * lua-scripts/make-library, and a busy script stopped by SCRIPT KILL from another connection.
 */
@Timeout(120)
class LuaScriptsTest {
    private static final Path SCRIPTS = Path.of("..", "lua-scripts");

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

    @BeforeEach
    void flush() {
        try (Jedis j = jedis()) {
            j.flushAll();
            j.scriptFlush();
            j.functionFlush();
        }
    }

    private static String load(Jedis j, String name) throws IOException {
        String sha = j.scriptLoad(Files.readString(SCRIPTS.resolve(name + ".lua")));
        assertEquals(40, sha.length());
        return sha;
    }

    @Test
    void lockReleaseDeletesOnlyTheOwnersLock() throws IOException {
        try (Jedis j = jedis()) {
            String release = load(j, "lock_release");
            j.set("lock", "me");
            assertEquals(0L, j.evalsha(release, List.of("lock"), List.of("someone-else")));
            assertEquals("me", j.get("lock"));
            assertEquals(1L, j.evalsha(release, List.of("lock"), List.of("me")));
            assertEquals(0L, j.exists("lock") ? 1L : 0L);
            assertEquals(0L, j.evalsha(release, List.of("lock"), List.of("me")));
        }
    }

    @Test
    void lockExtendRenewsOnlyTheOwnersLock() throws IOException {
        try (Jedis j = jedis()) {
            String extend = load(j, "lock_extend");
            j.psetex("lock", 1000, "me");
            assertEquals(0L, j.evalsha(extend, List.of("lock"), List.of("other", "60000")));
            assertTrue(j.pttl("lock") <= 1000);
            assertEquals(1L, j.evalsha(extend, List.of("lock"), List.of("me", "60000")));
            assertTrue(j.pttl("lock") > 1000);
            assertEquals(0L, j.evalsha(extend, List.of("missing"), List.of("me", "60000")));
        }
    }

    @Test
    void tokenBucketAllowsCapacityThenRefills() throws IOException {
        try (Jedis j = jedis()) {
            String bucket = load(j, "token_bucket");
            // capacity 2, one token per second
            assertEquals(List.of(1L, 1L), j.evalsha(bucket, List.of("tb"), List.of("2", "1", "10000", "1")));
            assertEquals(List.of(1L, 0L), j.evalsha(bucket, List.of("tb"), List.of("2", "1", "10000", "1")));
            assertEquals(List.of(0L, 0L), j.evalsha(bucket, List.of("tb"), List.of("2", "1", "10500", "1")));
            assertEquals(List.of(1L, 0L), j.evalsha(bucket, List.of("tb"), List.of("2", "1", "11500", "1")));
            assertTrue(j.pttl("tb") > 0);
        }
    }

    @Test
    void slidingWindowCountsRequestsInTheWindow() throws IOException {
        try (Jedis j = jedis()) {
            String window = load(j, "sliding_window");
            assertEquals(List.of(1L, 1L), j.evalsha(window, List.of("sw"), List.of("2", "1000", "5000", "a")));
            assertEquals(List.of(1L, 0L), j.evalsha(window, List.of("sw"), List.of("2", "1000", "5100", "b")));
            assertEquals(List.of(0L, 0L), j.evalsha(window, List.of("sw"), List.of("2", "1000", "5200", "c")));
            // the first request left the window
            assertEquals(List.of(1L, 0L), j.evalsha(window, List.of("sw"), List.of("2", "1000", "6050", "d")));
            assertEquals(List.of("b", "d"), j.zrange("sw", 0, -1));
        }
    }

    @Test
    void rankAroundMeReturnsTheNeighbours() throws IOException {
        try (Jedis j = jedis()) {
            String around = load(j, "rank_around_me");
            j.zadd("lb", 10, "a");
            j.zadd("lb", 20, "b");
            j.zadd("lb", 30, "c");
            j.zadd("lb", 40, "d");
            assertEquals(List.of(2L, List.of("c", "30", "b", "20", "a", "10")),
                    j.evalshaReadonly(around, List.of("lb"), List.of("b", "1")));
            assertEquals(List.of(0L, List.of("d", "40", "c", "30")),
                    j.evalshaReadonly(around, List.of("lb"), List.of("d", "1")));
            assertEquals(List.of(), j.evalshaReadonly(around, List.of("lb"), List.of("nobody", "1")));
        }
    }

    @Test
    void allScriptsLoadAsOneFunctionLibrary() throws Exception {
        Process p = new ProcessBuilder("sh", SCRIPTS.resolve("make-library").toString()).start();
        String library = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor());
        try (Jedis j = jedis()) {
            assertEquals("modis_patterns", j.functionLoadReplace(library));
            j.set("lock", "me");
            assertEquals(1L, j.fcall("lock_release", List.of("lock"), List.of("me")));
            assertEquals(List.of(1L, 1L), j.fcall("token_bucket", List.of("tb"), List.of("2", "1", "1000", "1")));
            j.zadd("lb", 1, "x");
            assertEquals(List.of(0L, List.of("x", "1")), j.fcallReadonly("rank_around_me", List.of("lb"), List.of("x", "3")));
            JedisDataException e = assertThrows(JedisDataException.class,
                    () -> j.fcallReadonly("lock_release", List.of("lock"), List.of("me")));
            assertEquals("ERR Can not execute a script with write flag using *_ro command.", e.getMessage());
        }
    }

    @Test
    void aBusyScriptAnswersBusyAndStopsOnScriptKill() throws Exception {
        try (Jedis runner = jedis(); Jedis other = jedis()) {
            other.configSet("busy-reply-threshold", "50");
            CompletableFuture<Object> looping = CompletableFuture.supplyAsync(
                    () -> assertThrows(JedisDataException.class, () -> runner.eval("while true do end")).getMessage());
            Await.until("the script to be busy", Duration.ofSeconds(20), () -> {
                try {
                    other.ping();
                    return false;
                } catch (JedisDataException e) {
                    return e.getMessage().startsWith("BUSY Redis is busy running a script.");
                }
            });
            assertEquals("OK", other.scriptKill());
            assertEquals("ERR Script killed by user with SCRIPT KILL...", looping.get(20, TimeUnit.SECONDS));
            assertEquals("PONG", other.ping());
            assertEquals("PONG", runner.ping());
            other.configSet("busy-reply-threshold", "5000");
        }
    }
}
