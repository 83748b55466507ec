package io.modis.itests;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.commands.ProtocolCommand;
import redis.clients.jedis.params.ShutdownParams;
import redis.clients.jedis.util.SafeEncoder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The example modules' data survives restarts: a copy of the distribution with both module jars
 * in its bundles/ folder writes Bloom filters and rate-limiter buckets to the AOF (commands, then
 * a rewrite as BF.LOADCHUNK) and to an RDB dump, and reads them back.
 */
class ExampleModulesPersistenceTest {
    private static final Duration START = Duration.ofSeconds(60);

    private static ProtocolCommand command(String name) {
        return () -> SafeEncoder.encode(name);
    }

    private static Object send(Jedis jedis, String name, String... args) {
        return jedis.sendCommand(command(name), args);
    }

    /** Waits for "Ready to accept connections" (logged after loading) and connects. */
    private static Jedis connect(ServerProcess server) throws InterruptedException {
        assertTrue(server.awaitLog("Ready to accept connections", START), server.output());
        return new Jedis(new HostAndPort("127.0.0.1", server.port()),
                DefaultJedisClientConfig.builder().timeoutMillis(30_000).build());
    }

    @Test
    void filtersAndBucketsSurviveAofAndRdbRestarts(@TempDir Path tmp) throws Exception {
        Path dist = copyDistribution(tmp.resolve("modis"));
        Path data = Files.createDirectories(tmp.resolve("data"));
        List<?> firstInfo;
        String tat;
        try (ServerProcess server = ServerProcess.start(dist, data, "--appendonly", "yes");
             Jedis jedis = connect(server)) {
            assertEquals("OK", SafeEncoder.encode((byte[]) send(jedis, "BF.RESERVE", "seen", "0.01", "20")));
            for (int i = 0; i < 100; i++) {
                send(jedis, "BF.ADD", "seen", "user:" + i);
            }
            assertEquals(List.of(0L, 3L, 2L, -1L, 3600L), send(jedis, "CL.THROTTLE", "bucket", "2", "1", "3600"));
            tat = jedis.get("bucket");
            // the rewrite writes the filter as BF.LOADCHUNK commands; later writes go to the new incr file
            jedis.bgrewriteaof();
            Await.until("the AOF rewrite", START, () -> jedis.info("persistence").contains("aof_rewrite_in_progress:0")
                    && !jedis.info("persistence").contains("aof_rewrite_scheduled:1"));
            send(jedis, "BF.MADD", "seen", "late:1", "late:2");
            firstInfo = (List<?>) send(jedis, "BF.INFO", "seen");
            jedis.shutdown(ShutdownParams.shutdownParams().nosave());
            server.awaitExit(START);
        }
        assertTrue(aofFiles(data).stream().anyMatch(f -> f.contains("base")), "a rewritten base: " + aofFiles(data));
        try (ServerProcess server = ServerProcess.start(dist, data, "--appendonly", "yes");
             Jedis jedis = connect(server)) {
            awaitLoaded(jedis);
            assertFilter(jedis, firstInfo);
            assertEquals(tat, jedis.get("bucket"));
            assertTrue(jedis.pttl("bucket") > 3_500_000);
            // the bucket's state came back: the next request sees one token used
            assertThrottle(List.of(0L, 3L, 1L, -1L), 7200, send(jedis, "CL.THROTTLE", "bucket", "2", "1", "3600"));
            firstInfo = (List<?>) send(jedis, "BF.INFO", "seen");
            assertEquals("OK", jedis.save());
            jedis.shutdown(ShutdownParams.shutdownParams().nosave());
            server.awaitExit(START);
        }
        try (ServerProcess server = ServerProcess.start(dist, data);
             Jedis jedis = connect(server)) {
            awaitLoaded(jedis);
            assertFilter(jedis, firstInfo);
            assertEquals("string", jedis.type("bucket"));
            assertThrottle(List.of(0L, 3L, 0L, -1L), 10800, send(jedis, "CL.THROTTLE", "bucket", "2", "1", "3600"));
        }
    }

    /**
     * A module given by loadmodule (not in bundles/) provides the type of values in the dump and
     * in the AOF: it is loaded before the data, as Redis loads its modules first.
     */
    @Test
    void loadmoduleComesBeforeTheDataset(@TempDir Path tmp) throws Exception {
        String jar = System.getProperty("modis.bloom-filter.jar");
        Path data = Files.createDirectories(tmp.resolve("data"));
        try (ServerProcess server = ServerProcess.start(data, "--loadmodule", jar);
             Jedis jedis = connect(server)) {
            send(jedis, "BF.MADD", "seen", "a", "b");
            assertEquals("OK", jedis.save());
            jedis.configSet("appendonly", "yes");
            Await.until("the AOF rewrite", START, () -> jedis.info("persistence").contains("aof_rewrite_in_progress:0")
                    && jedis.info("persistence").contains("aof_enabled:1"));
            send(jedis, "BF.ADD", "seen", "c");
            jedis.shutdown(ShutdownParams.shutdownParams().nosave());
            server.awaitExit(START);
        }
        for (String appendonly : List.of("no", "yes")) {
            try (ServerProcess server = ServerProcess.start(data, "--loadmodule", jar, "--appendonly", appendonly);
                 Jedis jedis = connect(server)) {
                String log = server.output();
                assertTrue(log.indexOf("Module 'bf' loaded") >= 0
                        && log.indexOf("Module 'bf' loaded") < log.indexOf("Ready to accept connections"), log);
                assertEquals("MBbloom--", jedis.type("seen"));
                // the dump was saved before "c" was added; the AOF has it
                assertEquals(appendonly.equals("yes") ? List.of(1L, 1L, 1L) : List.of(1L, 1L, 0L),
                        send(jedis, "BF.MEXISTS", "seen", "a", "b", "c"));
                jedis.shutdown(ShutdownParams.shutdownParams().nosave());
                server.awaitExit(START);
            }
        }
    }

    /** Waits until the dataset is loaded: commands are served and both keys are back. */
    private static void awaitLoaded(Jedis jedis) {
        Await.until("the dataset to load", START, () -> {
            try {
                return jedis.dbSize() == 2;
            } catch (redis.clients.jedis.exceptions.JedisDataException e) {
                return false;
            }
        });
    }

    /**
     * A CL.THROTTLE reply: its first four integers exactly, and reset_after at most
     * {@code resetAfter} s and less than two minutes under it (the seconds a restart takes).
     */
    private static void assertThrottle(List<Long> first4, long resetAfter, Object reply) {
        List<?> r = (List<?>) reply;
        assertEquals(first4, r.subList(0, 4));
        long reset = (Long) r.get(4);
        assertTrue(reset <= resetAfter && reset > resetAfter - 120, "reset_after " + reset);
    }

    private static void assertFilter(Jedis jedis, List<?> expectedInfo) {
        assertEquals("MBbloom--", jedis.type("seen"));
        assertEquals(stringify(expectedInfo), stringify((List<?>) send(jedis, "BF.INFO", "seen")));
        for (int i = 0; i < 100; i += 9) {
            assertEquals(1L, send(jedis, "BF.EXISTS", "seen", "user:" + i));
        }
        assertEquals(List.of(1L, 1L), send(jedis, "BF.MEXISTS", "seen", "late:1", "late:2"));
    }

    private static List<String> stringify(List<?> reply) {
        return reply.stream().map(o -> o instanceof byte[] b ? SafeEncoder.encode(b) : String.valueOf(o)).toList();
    }

    private static List<String> aofFiles(Path data) throws IOException {
        try (Stream<Path> files = Files.list(data.resolve("appendonlydir"))) {
            return files.map(p -> p.getFileName().toString()).toList();
        }
    }

    /** The built distribution copied to {@code to}, with the two example modules in bundles/. */
    private static Path copyDistribution(Path to) throws IOException {
        Path from = ServerProcess.distribution();
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : all.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        for (String property : List.of("modis.bloom-filter.jar", "modis.rate-limiter.jar")) {
            Path jar = Path.of(System.getProperty(property));
            Files.copy(jar, to.resolve("bundles").resolve(jar.getFileName()));
        }
        return to;
    }
}
