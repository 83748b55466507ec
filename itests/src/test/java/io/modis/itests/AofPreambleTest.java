package io.modis.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/**
 * The AOF's RDB preamble (aof-use-rdb-preamble yes, Redis 7.0's default) with real processes:
 * a rewrite writes its base as an RDB file ({@code .base.rdb}) from the fork-less snapshot,
 * redis-check-aof accepts the directory, a restart loads everything, kill -9 in the middle of a
 * rewrite loses nothing, and an AOF directory written by redis-server loads in Modis. Function
 * libraries travel in the RDB base.
 */
@Timeout(300)
class AofPreambleTest {
    private static final Duration READY = Duration.ofSeconds(90);
    private static final String LIBRARY = "#!lua name=preamblelib\n"
            + "redis.register_function('preamble_hello', function() return 'hello' end)";

    @TempDir
    Path dir;

    @Test
    void rewriteWritesAnRdbBaseThatLoadsAndPassesRedisCheckAof() throws Exception {
        Map<String, String> expected;
        try (ServerProcess s = ready(dir, "--appendonly", "yes")) {
            try (Jedis j = jedis(s)) {
                RdbInteropTest.populate(j);
                j.functionLoad(LIBRARY);
                assertEquals("Background append only file rewriting started", j.bgrewriteaof());
                awaitRewrite(j, 1);
                j.set("after-rewrite", "in the incr file");
                expected = RdbInteropTest.contents(j);
            }
        }
        assertEquals("file appendonly.aof.2.base.rdb seq 2 type b\nfile appendonly.aof.2.incr.aof seq 2 type i\n",
                Files.readString(dir.resolve("appendonlydir/appendonly.aof.manifest")));
        byte[] base = Files.readAllBytes(dir.resolve("appendonlydir/appendonly.aof.2.base.rdb"));
        assertEquals("REDIS0010", new String(base, 0, 9, StandardCharsets.US_ASCII));
        String check = checkAof(dir);
        assertTrue(check.contains("All AOF files and manifest are valid"), check);
        try (ServerProcess s = ready(dir, "--appendonly", "yes")) {
            try (Jedis j = jedis(s)) {
                RdbInteropTest.assertSameContents(expected, RdbInteropTest.contents(j));
                assertEquals("hello", j.fcall("preamble_hello", List.of(), List.of()));
            }
        }
    }

    @Test
    void killDuringRewriteKeepsEverything() throws Exception {
        Map<String, String> expected;
        ServerProcess s = ready(dir, "--appendonly", "yes", "--appendfsync", "always");
        try (Jedis j = jedis(s)) {
            for (int i = 0; i < 200; i++) {
                j.set("before:" + i, "v" + i);
            }
            // 20 ms per key: the rewrite's image takes seconds, so the kill lands in the middle of it
            j.configSet("rdb-key-save-delay", "20000");
            assertEquals("Background append only file rewriting started", j.bgrewriteaof());
            for (int i = 0; i < 50; i++) {
                j.set("during:" + i, "v" + i);
                j.del("before:" + i);
            }
            assertTrue(j.info("persistence").contains("aof_rewrite_in_progress:1"), j.info("persistence"));
            expected = RdbInteropTest.contents(j);
        }
        s.process().destroyForcibly();
        OptionalInt code = s.awaitExit(Duration.ofSeconds(20));
        assertTrue(code.isPresent());
        s.close();
        try (ServerProcess again = ready(dir, "--appendonly", "yes")) {
            try (Jedis j = jedis(again)) {
                RdbInteropTest.assertSameContents(expected, RdbInteropTest.contents(j));
                assertEquals(200, j.dbSize());
            }
        }
        String check = checkAof(dir);
        assertTrue(check.contains("All AOF files and manifest are valid"), check);
    }

    @Test
    void anAofDirectoryWrittenByRedisWithAnRdbPreambleLoads() throws Exception {
        String redisServer = tool("redis-server");
        assumeTrue(redisServer != null, "redis-server is not installed");
        int port = freePort();
        Map<String, String> expected;
        Process redis = new ProcessBuilder(redisServer, "--port", Integer.toString(port), "--dir", dir.toString(),
                "--save", "", "--appendonly", "yes", "--aof-use-rdb-preamble", "yes",
                "--hash-max-listpack-entries", "128")
                .redirectOutput(dir.resolve("redis.log").toFile()).redirectErrorStream(true).start();
        try (Jedis j = connect(port)) {
            RdbInteropTest.populate(j);
            j.functionLoad(LIBRARY);
            j.bgrewriteaof();
            Path manifestFile = dir.resolve("appendonlydir/appendonly.aof.manifest");
            Await.until("redis rewrote", Duration.ofSeconds(60), () -> {
                try {
                    return Files.readString(manifestFile).contains("seq 2 type b")
                            && j.info("persistence").contains("aof_rewrite_in_progress:0");
                } catch (IOException e) {
                    return false;
                }
            });
            j.set("after-rewrite", "in the incr file");
            j.rpush("list-small", "pushed after the rewrite");
            expected = RdbInteropTest.contents(j);
            try {
                j.shutdown();
            } catch (redis.clients.jedis.exceptions.JedisException e) {
                // SHUTDOWN closes the connection
            }
        } finally {
            redis.waitFor(30, TimeUnit.SECONDS);
            redis.destroyForcibly();
        }
        String manifest = Files.readString(dir.resolve("appendonlydir/appendonly.aof.manifest"));
        assertTrue(manifest.contains(".base.rdb"), manifest);
        try (ServerProcess s = ready(dir, "--appendonly", "yes")) {
            try (Jedis j = jedis(s)) {
                RdbInteropTest.assertSameContents(expected, RdbInteropTest.contents(j));
                assertEquals("hello", j.fcall("preamble_hello", List.of(), List.of()));
            }
        }
    }

    private static void awaitRewrite(Jedis j, int rewrites) {
        Await.until("rewrite done", Duration.ofSeconds(60), () -> {
            String info = j.info("persistence");
            return info.contains("aof_rewrite_in_progress:0") && info.contains("aof_rewrite_scheduled:0")
                    && info.contains("aof_rewrites:" + rewrites);
        });
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String tool(String name) {
        File f = new File("/usr/bin", name);
        return f.canExecute() ? f.getPath() : null;
    }

    private static ServerProcess ready(Path work, String... args) throws IOException, InterruptedException {
        ServerProcess s = ServerProcess.start(work, args);
        if (!s.awaitLog("Ready to accept connections", READY)) {
            String out = s.output();
            s.close();
            throw new AssertionError("not ready\n" + out);
        }
        return s;
    }

    private static Jedis jedis(ServerProcess s) {
        return new Jedis(new HostAndPort("127.0.0.1", s.port()),
                DefaultJedisClientConfig.builder().timeoutMillis(30_000).autoNegotiateProtocol(false).build());
    }

    private static Jedis connect(int port) throws InterruptedException {
        long deadline = System.nanoTime() + READY.toNanos();
        while (true) {
            try {
                Jedis j = new Jedis("127.0.0.1", port, 10_000);
                j.ping();
                return j;
            } catch (RuntimeException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    private static String checkAof(Path work) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("redis-check-aof", work.resolve("appendonlydir/appendonly.aof.manifest").toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }
}
