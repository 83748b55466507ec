package io.modis.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/**
 * The append-only file with real processes: kill -9 in the middle of heavy writes, restart on
 * the same directory, and compare what was acknowledged with what came back; torn and corrupt
 * files; redis-check-aof on what Modis wrote.
 */
@Timeout(240)
class AofDurabilityTest {
    private static final Duration READY = Duration.ofSeconds(60);
    private static final int WRITERS = 8;

    @TempDir
    Path dir;

    @Test
    void appendfsyncAlwaysLosesNothingAcknowledged() throws Exception {
        Path work = Files.createDirectories(dir.resolve("always"));
        long[] acked = killDuringWrites(work, "always", Duration.ofSeconds(3)).acked;
        try (ServerProcess s = ready(work, "--appendonly", "yes")) {
            try (Jedis j = jedis(s)) {
                for (int w = 0; w < WRITERS; w++) {
                    String v = j.get("counter:" + w);
                    long recovered = v == null ? 0 : Long.parseLong(v);
                    assertTrue(recovered >= acked[w], "writer " + w + ": acknowledged " + acked[w]
                            + " but recovered " + recovered);
                    // at most the one write in flight when the process died may be there unacknowledged
                    assertTrue(recovered <= acked[w] + 1, "writer " + w + ": " + recovered + " > " + acked[w] + " + 1");
                    assertEquals(recovered, j.llen("list:" + w));
                }
            }
        }
        assertTrue(checkAof(work).contains("All AOF files and manifest are valid") || checkAof(work).contains("is valid"),
                checkAof(work));
    }

    @Test
    void appendfsyncEverysecLosesAtMostAboutOneSecond() throws Exception {
        Path work = Files.createDirectories(dir.resolve("everysec"));
        Killed k = killDuringWrites(work, "everysec", Duration.ofSeconds(4));
        try (ServerProcess s = ready(work, "--appendonly", "yes")) {
            try (Jedis j = jedis(s)) {
                for (int w = 0; w < WRITERS; w++) {
                    String v = j.get("counter:" + w);
                    long recovered = v == null ? 0 : Long.parseLong(v);
                    // every value acknowledged two seconds before the kill must be back
                    assertTrue(recovered >= k.ackedTwoSecondsBefore[w], "writer " + w + ": acknowledged "
                            + k.ackedTwoSecondsBefore[w] + " two seconds before the kill but recovered " + recovered);
                    assertEquals(recovered, j.llen("list:" + w));
                }
            }
        }
    }

    @Test
    void tornTailIsCutWhenAllowedAndRefusedOtherwise() throws Exception {
        Path work = Files.createDirectories(dir.resolve("torn"));
        try (ServerProcess s = ready(work, "--appendonly", "yes", "--appendfsync", "always")) {
            try (Jedis j = jedis(s)) {
                for (int i = 0; i < 100; i++) {
                    j.set("k" + i, "v" + i);
                }
            }
        }
        Path incr = lastIncr(work);
        long size = Files.size(incr);
        try (FileChannel ch = FileChannel.open(incr, StandardOpenOption.WRITE)) {
            ch.truncate(size - 3);
        }
        ServerProcess.Exited refused = ServerProcess.runToExit(work, Duration.ofSeconds(60), "--port", freePort(), "--save",
                "", "--appendonly", "yes", "--aof-load-truncated", "no");
        assertNotEquals(0, refused.code());
        assertTrue(refused.stdout().contains("Unexpected end of file reading the append only file "
                + incr.getFileName()), refused.stdout());
        assertTrue(refused.stdout().contains("at offset "), refused.stdout());
        try (ServerProcess s = ready(work, "--appendonly", "yes", "--aof-load-truncated", "yes", "--appendfsync",
                "always")) {
            assertTrue(s.awaitLog("loaded anyway because aof-load-truncated is enabled", READY), s.output());
            try (Jedis j = jedis(s)) {
                assertEquals(99, j.dbSize());
                assertEquals("v98", j.get("k98"));
                j.set("after", "1");
            }
        }
        try (ServerProcess s = ready(work, "--appendonly", "yes", "--aof-load-truncated", "no")) {
            try (Jedis j = jedis(s)) {
                assertEquals(100, j.dbSize());
                assertEquals("1", j.get("after"));
            }
        }
    }

    @Test
    void corruptFileIsRefusedNamingFileAndOffset() throws Exception {
        Path work = Files.createDirectories(dir.resolve("corrupt"));
        try (ServerProcess s = ready(work, "--appendonly", "yes")) {
            try (Jedis j = jedis(s)) {
                j.set("a", "1");
            }
        }
        Path incr = lastIncr(work);
        long good = Files.size(incr);
        Files.write(incr, "!!!\r\n*1\r\n$4\r\nPING\r\n".getBytes(), StandardOpenOption.APPEND);
        ServerProcess.Exited refused = ServerProcess.runToExit(work, Duration.ofSeconds(60), "--port", freePort(), "--save",
                "", "--appendonly", "yes");
        assertNotEquals(0, refused.code());
        assertTrue(refused.stdout().contains("Bad file format reading the append only file " + incr.getFileName()
                + " at offset " + good), refused.stdout());
    }

    @Test
    void rewriteWithoutPreambleKeepsEverythingAndRedisCheckAofAcceptsTheDirectory() throws Exception {
        Path work = Files.createDirectories(dir.resolve("rewrite"));
        String digest;
        try (ServerProcess s = ready(work, "--appendonly", "yes", "--aof-use-rdb-preamble", "no",
                "--enable-debug-command", "yes")) {
            try (Jedis j = jedis(s)) {
                j.set("s", "v");
                j.rpush("l", "a", "b", "c");
                j.sadd("set", "x", "y");
                j.zadd("z", 1.5, "m");
                j.hset("h", "f", "v");
                j.xadd("x", redis.clients.jedis.StreamEntryID.NEW_ENTRY, java.util.Map.of("f", "v"));
                j.pexpire("s", 1_000_000);
                assertEquals("Background append only file rewriting started", j.bgrewriteaof());
                Await.until("rewrite done", Duration.ofSeconds(30),
                        () -> j.info("persistence").contains("aof_rewrite_in_progress:0")
                                && j.info("persistence").contains("aof_rewrites:1"));
                j.select(2);
                j.set("in-db-2", "x");
                digest = new String((byte[]) j.sendCommand(() -> "DEBUG".getBytes(), "DIGEST"));
            }
        }
        String check = checkAof(work);
        assertTrue(check.contains("All AOF files and manifest are valid"), check);
        String manifest = Files.readString(work.resolve("appendonlydir/appendonly.aof.manifest"));
        assertEquals("file appendonly.aof.2.base.aof seq 2 type b\nfile appendonly.aof.2.incr.aof seq 2 type i\n",
                manifest);
        try (ServerProcess s = ready(work, "--appendonly", "yes", "--enable-debug-command", "yes")) {
            try (Jedis j = jedis(s)) {
                assertEquals(digest, new String((byte[]) j.sendCommand(() -> "DEBUG".getBytes(), "DIGEST")));
                assertTrue(j.pttl("s") > 0);
            }
        }
    }

    private record Killed(long[] acked, long[] ackedTwoSecondsBefore) {
    }

    /** Runs WRITERS clients doing INCR + RPUSH in MULTI as fast as they can, then kill -9s the server. */
    private Killed killDuringWrites(Path work, String fsync, Duration writeFor) throws Exception {
        ServerProcess s = ready(work, "--appendonly", "yes", "--appendfsync", fsync);
        AtomicLongArray acked = new AtomicLongArray(WRITERS);
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            int id = w;
            Thread t = new Thread(() -> {
                try (Jedis j = jedis(s)) {
                    long n = 0;
                    while (!stop.get()) {
                        redis.clients.jedis.Transaction tx = j.multi();
                        tx.incr("counter:" + id);
                        tx.rpush("list:" + id, Long.toString(n + 1));
                        List<Object> r = tx.exec();
                        n = (Long) r.get(0);
                        acked.set(id, n);
                    }
                } catch (RuntimeException e) {
                    // the server died under us: what was acknowledged is recorded
                }
            });
            t.start();
            threads.add(t);
        }
        Thread.sleep(writeFor.toMillis() - 2000);
        long[] early = new long[WRITERS];
        for (int w = 0; w < WRITERS; w++) {
            early[w] = acked.get(w);
        }
        Thread.sleep(2000);
        s.process().destroyForcibly();
        OptionalInt code = s.awaitExit(Duration.ofSeconds(10));
        assertTrue(code.isPresent());
        stop.set(true);
        for (Thread t : threads) {
            t.join(10_000);
        }
        long[] last = new long[WRITERS];
        for (int w = 0; w < WRITERS; w++) {
            last[w] = acked.get(w);
            assertTrue(last[w] > 0, "writer " + w + " wrote nothing");
        }
        return new Killed(last, early);
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

    private static String freePort() throws IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return Integer.toString(socket.getLocalPort());
        }
    }

    private static Jedis jedis(ServerProcess s) {
        return new Jedis(new HostAndPort("127.0.0.1", s.port()),
                DefaultJedisClientConfig.builder().timeoutMillis(30_000).autoNegotiateProtocol(false).build());
    }

    private static Path lastIncr(Path work) throws IOException {
        String manifest = Files.readString(work.resolve("appendonlydir/appendonly.aof.manifest"));
        String name = null;
        for (String line : manifest.split("\n")) {
            if (line.endsWith("type i")) {
                name = line.split(" ")[1];
            }
        }
        return work.resolve("appendonlydir").resolve(name);
    }

    private static String checkAof(Path work) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("redis-check-aof", work.resolve("appendonlydir/appendonly.aof.manifest").toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        return out;
    }
}
