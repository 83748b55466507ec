package io.modis.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * RDB files between Modis and Debian's Redis 7.0 (redis-server, redis-check-rdb): a Modis dump
 * with every type passes redis-check-rdb and loads in Redis with the same contents; a Redis dump
 * loads in Modis with the same contents; a corrupt dump is refused with the file and offset.
 */
@Timeout(300)
class RdbInteropTest {
    private static final Duration READY = Duration.ofSeconds(90);

    private static String tool(String name) {
        for (String dir : List.of("/usr/bin", "/usr/local/bin")) {
            File f = new File(dir, name);
            if (f.canExecute()) {
                return f.getPath();
            }
        }
        return null;
    }

    /** Every type, in small (compact) and large encodings, with TTLs, in two databases. */
    static void populate(Jedis j) {
        j.set("str", "hello");
        j.set("int", "12345");
        j.set("big-int", "123456789012345");
        j.set("compressible", "abcdefgh".repeat(100));
        j.psetex("ttl", 1_000_000, "v");
        j.rpush("list-small", "a", "1", "-300", "100000", "x".repeat(100));
        for (int i = 0; i < 3000; i++) {
            j.rpush("list-big", "element-" + i);
        }
        j.sadd("set-int", "1", "2", "-7", "70000", "5000000000");
        j.sadd("set-str", "a", "b", "c");
        for (int i = 0; i < 1000; i++) {
            j.sadd("set-big", "m" + i);
        }
        j.zadd("zset-small", 1.5, "a");
        j.zadd("zset-small", -3, "b");
        j.zadd("zset-small", 1e300, "c");
        for (int i = 0; i < 300; i++) {
            j.zadd("zset-big", i + 0.25, "member-" + i);
        }
        j.hset("hash-small", Map.of("f1", "v1", "f2", "22"));
        for (int i = 0; i < 1000; i++) {
            j.hset("hash-big", "field-" + i, "value-" + i);
        }
        for (int i = 1; i <= 250; i++) {
            j.sendCommand(Protocol.Command.XADD, "stream", i + "-1", "f", "v" + i, i % 7 == 0 ? "extra" : "g", "x");
        }
        j.sendCommand(Protocol.Command.XDEL, "stream", "5-1", "100-1");
        j.sendCommand(Protocol.Command.XGROUP, "CREATE", "stream", "g1", "0");
        j.sendCommand(Protocol.Command.XGROUP, "CREATE", "stream", "g2", "$");
        j.sendCommand(Protocol.Command.XREADGROUP, "GROUP", "g1", "alice", "COUNT", "3", "STREAMS", "stream", ">");
        j.sendCommand(Protocol.Command.XREADGROUP, "GROUP", "g1", "bob", "COUNT", "2", "STREAMS", "stream", ">");
        j.sendCommand(Protocol.Command.XACK, "stream", "g1", "1-1");
        j.sendCommand(Protocol.Command.XADD, "empty-stream", "1-1", "a", "b");
        j.sendCommand(Protocol.Command.XDEL, "empty-stream", "1-1");
        j.select(5);
        j.set("in-db-5", "yes");
        j.select(0);
    }

    /** What a key holds, as text, for every key of every database (TTLs as present/absent). */
    static Map<String, String> contents(Jedis j) {
        Map<String, String> all = new TreeMap<>();
        for (int db = 0; db < 16; db++) {
            j.select(db);
            String cursor = ScanParams.SCAN_POINTER_START;
            do {
                ScanResult<String> page = j.scan(cursor);
                for (String k : page.getResult()) {
                    all.put(db + ":" + k, describe(j, k));
                }
                cursor = page.getCursor();
            } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        }
        j.select(0);
        return all;
    }

    private static String describe(Jedis j, String k) {
        String type = j.type(k);
        String ttl = j.pttl(k) > 0 ? " ttl" : "";
        String value = switch (type) {
            case "string" -> j.get(k);
            case "list" -> j.lrange(k, 0, -1).toString();
            case "set" -> new java.util.TreeSet<>(j.smembers(k)).toString();
            case "zset" -> j.zrangeWithScores(k, 0, -1).toString();
            case "hash" -> new TreeMap<>(j.hgetAll(k)).toString();
            case "stream" -> text(j.sendCommand(Protocol.Command.XRANGE, k, "-", "+"))
                    + streamInfo(j, k)
                    + text(j.sendCommand(Protocol.Command.XINFO, "GROUPS", k))
                    + (k.equals("stream") ? text(j.sendCommand(Protocol.Command.XPENDING, k, "g1", "-", "+", "100"))
                    : "");
            default -> "?";
        };
        return type + ttl + " " + value;
    }

    /** XINFO STREAM without the radix tree sizes, which depend on how entries are split into nodes. */
    private static String streamInfo(Jedis j, String k) {
        List<?> info = (List<?>) j.sendCommand(Protocol.Command.XINFO, "STREAM", k);
        List<String> kept = new ArrayList<>();
        for (int i = 0; i + 1 < info.size(); i += 2) {
            String name = text(info.get(i));
            if (!name.startsWith("radix-tree")) {
                kept.add(name + "=" + text(info.get(i + 1)));
            }
        }
        return kept.toString();
    }

    /** Compares key by key, reporting only the keys that differ (values cut short). */
    static void assertSameContents(Map<String, String> expected, Map<String, String> actual) {
        StringBuilder diff = new StringBuilder();
        java.util.Set<String> keys = new java.util.TreeSet<>(expected.keySet());
        keys.addAll(actual.keySet());
        for (String k : keys) {
            String e = expected.get(k);
            String a = actual.get(k);
            if (!java.util.Objects.equals(e, a)) {
                diff.append(k).append("\n  expected: ").append(clip(e)).append("\n  actual:   ").append(clip(a))
                        .append('\n');
            }
        }
        assertTrue(diff.length() == 0, diff.toString());
    }

    private static String clip(String s) {
        if (s == null || s.length() < 400) {
            return s;
        }
        int at = s.indexOf("[length") >= 0 ? s.indexOf("[length") : 0;
        return s.substring(0, 150) + " ... " + s.substring(at, Math.min(s.length(), at + 600));
    }

    /** A reply as text; XPENDING's idle times and XINFO's delivery times vary between reads. */
    private static String text(Object reply) {
        if (reply instanceof byte[] b) {
            return new String(b, StandardCharsets.UTF_8);
        }
        if (reply instanceof List<?> l) {
            List<String> parts = new ArrayList<>();
            for (Object o : l) {
                parts.add(text(o));
            }
            if (l.size() == 4 && l.get(2) instanceof Long) {
                parts.set(2, "idle");
            }
            return parts.toString();
        }
        return String.valueOf(reply);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** A redis-server in {@code dir} loading dir/dump.rdb. */
    private static Process redis(Path dir, int port) throws IOException {
        return new ProcessBuilder(tool("redis-server"), "--port", Integer.toString(port), "--dir", dir.toString(),
                "--save", "", "--appendonly", "no", "--hash-max-listpack-entries", "128")
                .redirectOutput(dir.resolve("redis.log").toFile()).redirectErrorStream(true).start();
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

    /** Waits until a loading server answers without -LOADING. */
    private static void awaitLoaded(Jedis j) throws InterruptedException {
        long deadline = System.nanoTime() + READY.toNanos();
        while (true) {
            try {
                j.dbSize();
                return;
            } catch (RuntimeException e) {
                if (System.nanoTime() > deadline || !String.valueOf(e.getMessage()).contains("LOADING")) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }

    @Test
    void modisDumpPassesRedisCheckRdbAndLoadsInRedis(@TempDir Path dir) throws Exception {
        assumeTrue(tool("redis-server") != null && tool("redis-check-rdb") != null, "redis-server is not installed");
        Map<String, String> expected;
        try (ServerProcess modis = ServerProcess.start(dir)) {
            assertTrue(modis.awaitLog("Ready to accept connections", READY), modis.output());
            try (Jedis j = connect(modis.port())) {
                populate(j);
                expected = contents(j);
                assertEquals("OK", j.save());
            }
        }
        Process check = new ProcessBuilder(tool("redis-check-rdb"), dir.resolve("dump.rdb").toString())
                .redirectErrorStream(true).start();
        String report = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(check.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, check.exitValue(), report);
        assertTrue(report.contains("RDB looks OK"), report);
        int port = freePort();
        Process redis = redis(dir, port);
        try (Jedis j = connect(port)) {
            awaitLoaded(j);
            assertSameContents(expected, contents(j));
        } finally {
            redis.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void redisDumpLoadsInModisWithTheSameContents(@TempDir Path dir) throws Exception {
        assumeTrue(tool("redis-server") != null, "redis-server is not installed");
        int port = freePort();
        Map<String, String> expected;
        Process redis = redis(dir, port);
        try (Jedis j = connect(port)) {
            populate(j);
            expected = contents(j);
            assertEquals("OK", j.save());
        } finally {
            redis.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        try (ServerProcess modis = ServerProcess.start(dir)) {
            assertTrue(modis.awaitLog("Done loading RDB, keys loaded: " + expected.size(), READY), modis.output());
            try (Jedis j = connect(modis.port())) {
                awaitLoaded(j);
                assertSameContents(expected, contents(j));
            }
        }
    }

    @Test
    void functionLibrariesMoveBetweenRedisAndModisInTheDump(@TempDir Path dir) throws Exception {
        assumeTrue(tool("redis-server") != null, "redis-server is not installed");
        String fromRedis = "#!lua name=fromredis\nredis.register_function('from_redis', function() return 'r' end)";
        String fromModis = "#!lua name=frommodis\nredis.register_function('from_modis', function() return 'm' end)";
        int port = freePort();
        Process redis = redis(dir, port);
        try (Jedis j = connect(port)) {
            j.functionLoad(fromRedis);
            j.set("k", "v");
            assertEquals("OK", j.save());
        } finally {
            redis.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        try (ServerProcess modis = ServerProcess.start(dir)) {
            assertTrue(modis.awaitLog("Ready to accept connections", READY), modis.output());
            try (Jedis j = connect(modis.port())) {
                awaitLoaded(j);
                assertEquals("r", j.fcall("from_redis", List.of(), List.of()));
                assertEquals("v", j.get("k"));
                j.functionLoad(fromModis);
                assertEquals("OK", j.save());
            }
        }
        Process check = new ProcessBuilder(tool("redis-check-rdb"), dir.resolve("dump.rdb").toString())
                .redirectErrorStream(true).start();
        String report = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(check.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, check.exitValue(), report);
        redis = redis(dir, port);
        try (Jedis j = connect(port)) {
            awaitLoaded(j);
            assertEquals("r", j.fcall("from_redis", List.of(), List.of()));
            assertEquals("m", j.fcall("from_modis", List.of(), List.of()));
            assertEquals("v", j.get("k"));
        } finally {
            redis.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void corruptDumpIsRefusedWithFileAndOffset(@TempDir Path dir) throws Exception {
        try (ServerProcess modis = ServerProcess.start(dir)) {
            assertTrue(modis.awaitLog("Ready to accept connections", READY), modis.output());
            try (Jedis j = connect(modis.port())) {
                populate(j);
                assertEquals("OK", j.save());
            }
        }
        Path dump = dir.resolve("dump.rdb");
        long size = Files.size(dump);
        try (RandomAccessFile f = new RandomAccessFile(dump.toFile(), "rw")) {
            f.seek(size / 2);
            f.write(new byte[] {(byte) 0xEE, (byte) 0xEE, (byte) 0xEE, (byte) 0xEE});
        }
        try (ServerProcess modis = ServerProcess.start(dir)) {
            OptionalInt code = modis.awaitExit(READY);
            assertTrue(code.isPresent(), "a corrupt dump was loaded\n" + modis.output());
            assertEquals(1, code.getAsInt());
            String log = modis.output();
            assertTrue(log.contains("Internal error in RDB reading offset") && log.contains(dump.toString()), log);
            assertTrue(log.contains("Terminating server after rdb file reading failure."), log);
        }
    }

    /** Writes during a slow BGSAVE never reach the file: it holds the dataset as it was at BGSAVE. */
    @Test
    void bgsaveIsAPointInTimeSnapshot(@TempDir Path dir) throws Exception {
        Map<String, String> atBgsave;
        try (ServerProcess modis = ServerProcess.start(dir)) {
            assertTrue(modis.awaitLog("Ready to accept connections", READY), modis.output());
            try (Jedis j = connect(modis.port())) {
                populate(j);
                for (int i = 0; i < 2000; i++) {
                    j.set("k" + i, "v" + i);
                }
                atBgsave = contents(j);
                // the writer pauses 1 ms per key, so the walk is still far from done while we write
                j.configSet("rdb-key-save-delay", "1000");
                j.bgsave();
                for (int i = 0; i < 2000; i += 3) {
                    j.set("k" + i, "changed");
                    j.del("k" + (i + 1));
                    j.set("new" + i, "x");
                }
                j.rpush("list-small", "pushed");
                j.hset("hash-big", "field-1", "changed");
                j.sendCommand(Protocol.Command.XADD, "stream", "999-1", "f", "late");
                j.sendCommand(Protocol.Command.XACK, "stream", "g1", "2-1");
                j.configSet("rdb-key-save-delay", "0");
                long deadline = System.nanoTime() + READY.toNanos();
                while (j.info("persistence").contains("rdb_bgsave_in_progress:1") && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                assertTrue(j.info("persistence").contains("rdb_last_bgsave_status:ok"), j.info("persistence"));
            }
        }
        try (ServerProcess modis = ServerProcess.start(dir)) {
            assertTrue(modis.awaitLog("Done loading RDB", READY), modis.output());
            try (Jedis j = connect(modis.port())) {
                awaitLoaded(j);
                assertSameContents(atBgsave, contents(j));
            }
        }
    }

    @Test
    void killDuringBgsaveKeepsThePreviousDump(@TempDir Path dir) throws Exception {
        Map<String, String> saved;
        try (ServerProcess modis = ServerProcess.start(dir)) {
            assertTrue(modis.awaitLog("Ready to accept connections", READY), modis.output());
            try (Jedis j = connect(modis.port())) {
                populate(j);
                saved = contents(j);
                assertEquals("OK", j.save());
                j.set("after-save", "x");
                j.configSet("rdb-key-save-delay", "100000");
                j.bgsave();
                assertEquals("1", j.info("persistence").lines()
                        .filter(l -> l.startsWith("rdb_bgsave_in_progress:")).findFirst().orElseThrow().substring(23));
            }
            modis.process().destroyForcibly();
            modis.process().waitFor(10, TimeUnit.SECONDS);
        }
        try (ServerProcess modis = ServerProcess.start(dir)) {
            assertTrue(modis.awaitLog("Done loading RDB", READY), modis.output());
            try (Jedis j = connect(modis.port())) {
                awaitLoaded(j);
                assertSameContents(saved, contents(j));
            }
        }
    }
}
