package io.modis.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;

/**
 * bin/modis-server fed what a broken or hostile client sends: every bad input gets Redis's
 * exact error (checked against redis-server 7.0.15), the connection is closed exactly when Redis
 * closes it, other clients are not slowed down, and the data set before is untouched.
 */
@Timeout(120)
class BadInputTest {

    private static final Duration READY = Duration.ofSeconds(60);
    private static final Duration CLOSE = Duration.ofSeconds(5);
    private static final String MAX = Long.toString(Long.MAX_VALUE);

    @TempDir
    static Path dir;
    static ServerProcess server;

    @BeforeAll
    static void start() throws Exception {
        server = ServerProcess.start(dir);
        assertTrue(server.awaitLog("Ready to accept connections", READY), "not ready\n" + server.output());
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void seedData() {
        try (Jedis jedis = jedis()) {
            jedis.set("canary:string", "alive");
            jedis.set("canary:counter", "100");
            jedis.expire("canary:counter", 10_000);
            jedis.set("canary:max", MAX);
        }
    }

    @Test
    void malformedMultibulkLengthIsAProtocolErrorThatClosesTheConnection() throws IOException {
        for (String bad : List.of("*abc\r\n", "*99999999999\r\n", "*1x\r\n")) {
            try (RawConnection c = connect()) {
                assertEquals("-ERR Protocol error: invalid multibulk length\r\n", c.send(bad).reply(), bad);
                assertTrue(c.closedByServer(CLOSE), "connection left open after " + bad);
            }
        }
        assertDataIntact();
    }

    @Test
    void multibulkElementWithoutDollarIsAProtocolError() throws IOException {
        try (RawConnection c = connect()) {
            assertEquals("-ERR Protocol error: expected '$', got 'x'\r\n", c.send("*1\r\nxx\r\n").reply());
            assertTrue(c.closedByServer(CLOSE));
        }
        assertDataIntact();
    }

    @Test
    void absurdOrNegativeBulkLengthIsAProtocolError() throws IOException {
        for (String bad : List.of("*1\r\n$9999999999999\r\n", "*1\r\n$-5\r\n", "*2\r\n$3\r\nGET\r\n$abc\r\n")) {
            try (RawConnection c = connect()) {
                assertEquals("-ERR Protocol error: invalid bulk length\r\n", c.send(bad).reply(), bad);
                assertTrue(c.closedByServer(CLOSE), "connection left open after " + bad);
            }
        }
        // Outside a multibulk the same bytes are an inline command, as in Redis.
        try (RawConnection c = connect()) {
            assertEquals("-ERR unknown command '$9999999999999', with args beginning with: \r\n",
                    c.send("$9999999999999\r\n").reply());
            assertEquals("+PONG\r\n", c.call("PING"));
        }
        assertDataIntact();
    }

    @Test
    void unbalancedQuotesInAnInlineCommandCloseTheConnection() throws IOException {
        try (RawConnection c = connect()) {
            assertEquals("-ERR Protocol error: unbalanced quotes in request\r\n", c.send("SET canary:string \"b\r\n").reply());
            assertTrue(c.closedByServer(CLOSE));
        }
        assertDataIntact();
    }

    @Test
    void commandsBeforeAProtocolErrorInTheSamePipelineAreAnswered() throws IOException {
        try (RawConnection c = connect()) {
            c.send(RawConnection.command("GET", "canary:string") + RawConnection.command("PING") + "*x\r\n");
            assertEquals("$5\r\nalive\r\n", c.reply());
            assertEquals("+PONG\r\n", c.reply());
            assertEquals("-ERR Protocol error: invalid multibulk length\r\n", c.reply());
            assertTrue(c.closedByServer(CLOSE));
        }
        assertDataIntact();
    }

    @Test
    void wrongArityIsRejectedAndTheConnectionStaysUsable() throws IOException {
        try (RawConnection c = connect()) {
            assertEquals("-ERR wrong number of arguments for 'get' command\r\n", c.call("GET"));
            assertEquals("-ERR wrong number of arguments for 'get' command\r\n", c.send("get\r\n").reply());
            assertEquals("-ERR wrong number of arguments for 'set' command\r\n", c.call("SET", "canary:string"));
            assertEquals("-ERR wrong number of arguments for 'incrby' command\r\n", c.call("INCRBY", "canary:counter"));
            assertEquals("-ERR wrong number of arguments for 'mset' command\r\n", c.call("MSET", "canary:string", "x", "y"));
            assertEquals("$5\r\nalive\r\n", c.call("GET", "canary:string"));
        }
        assertDataIntact();
    }

    @Test
    void unknownCommandsQuoteTheirArguments() throws IOException {
        try (RawConnection c = connect()) {
            assertEquals("-ERR unknown command 'FOO', with args beginning with: 'bar' 'baz' \r\n", c.send("FOO bar baz\r\n").reply());
            assertEquals("-ERR unknown command 'nosuchcommand', with args beginning with: \r\n", c.call("nosuchcommand"));
            assertEquals("-ERR unknown command 'FLUSHEVERYTHING', with args beginning with: 'canary:string' \r\n",
                    c.call("FLUSHEVERYTHING", "canary:string"));
            assertEquals("+PONG\r\n", c.call("PING"));
        }
        assertDataIntact();
    }

    @Test
    void nonIntegerAndOverflowingIncrementsLeaveValuesUnchanged() throws IOException {
        try (RawConnection c = connect()) {
            assertEquals("-ERR value is not an integer or out of range\r\n", c.call("INCRBY", "canary:counter", "abc"));
            assertEquals("-ERR value is not an integer or out of range\r\n", c.call("INCRBY", "canary:counter", "1.5"));
            assertEquals("-ERR value is not an integer or out of range\r\n", c.call("INCRBY", "canary:counter", "99999999999999999999"));
            assertEquals("-ERR value is not an integer or out of range\r\n", c.call("INCR", "canary:string"));
            assertEquals("-ERR increment or decrement would overflow\r\n", c.call("INCRBY", "canary:max", "1"));
            assertEquals("-ERR increment or decrement would overflow\r\n", c.call("INCR", "canary:max"));
            assertEquals("-ERR increment or decrement would overflow\r\n", c.call("INCRBY", "canary:counter", MAX));
            c.call("SET", "min", Long.toString(Long.MIN_VALUE));
            assertEquals("-ERR increment or decrement would overflow\r\n", c.call("DECR", "min"));
            assertEquals("-ERR decrement would overflow\r\n", c.call("DECRBY", "canary:counter", Long.toString(Long.MIN_VALUE)));
            assertEquals("$" + Long.toString(Long.MIN_VALUE).length() + "\r\n" + Long.MIN_VALUE + "\r\n", c.call("GET", "min"));
            assertEquals(":101\r\n", c.call("INCRBY", "canary:counter", "1"));
            assertEquals(":100\r\n", c.call("DECR", "canary:counter"));
        }
        assertDataIntact();
    }

    @Test
    void aHugeBulkThatNeverArrivesDoesNotDelayOtherClients() throws Exception {
        try (RawConnection slow = connect(); Jedis other = jedis()) {
            // A 100 MB argument announced, 1 MB of it sent, the rest never comes.
            slow.send("*3\r\n$3\r\nSET\r\n$4\r\nhuge\r\n$104857600\r\n");
            slow.send(new byte[1024 * 1024]);
            long worst = 0;
            for (int i = 0; i < 200; i++) {
                long start = System.nanoTime();
                assertEquals("PONG", other.ping());
                worst = Math.max(worst, System.nanoTime() - start);
            }
            assertTrue(worst < TimeUnit.SECONDS.toNanos(5), "a PING stalled for " + worst / 1_000_000 + " ms");
            assertEquals("alive", other.get("canary:string"));
            assertFalse(slow.closedByServer(Duration.ofMillis(200)), "Redis waits for the rest of the bulk");
            String slowAddress = "addr=127.0.0.1:" + slow.localPort() + " ";
            assertTrue(other.clientList().contains(slowAddress));
            slow.abort(); // gone mid-bulk
            Await.until("the aborted client to be dropped", Duration.ofSeconds(10), () -> !other.clientList().contains(slowAddress));
            assertFalse(other.exists("huge"));
        }
        assertDataIntact();
    }

    @Test
    void garbageAndAbortedClientsDoNotDisturbAWorkingClient() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            Future<Integer> worker = pool.submit(() -> {
                int checked = 0;
                try (Jedis jedis = jedis()) {
                    for (int i = 0; i < 500; i++) {
                        assertEquals("OK", jedis.set("work:" + i, "v" + i));
                        assertEquals("v" + i, jedis.get("work:" + i));
                        assertEquals(i + 1, jedis.incr("work:count"));
                        checked++;
                    }
                }
                return checked;
            });
            List<Future<?>> vandals = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                long seed = t;
                vandals.add(pool.submit(() -> {
                    Random random = new Random(seed);
                    for (int i = 0; i < 30; i++) {
                        try (RawConnection c = connect()) {
                            c.send(garbage(random));
                            if (i % 2 == 0) {
                                c.abort();
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> vandal : vandals) {
                vandal.get(60, TimeUnit.SECONDS);
            }
            assertEquals(500, worker.get(60, TimeUnit.SECONDS));
        } finally {
            pool.shutdownNow();
        }
        try (Jedis jedis = jedis()) {
            assertEquals("500", jedis.get("work:count"));
            assertEquals("v499", jedis.get("work:499"));
        }
        assertDataIntact();
    }

    @Test
    void twoHundredConcurrentConnectionsPipeliningSetAndGet() throws Exception {
        int clients = 200;
        int keys = 100;
        CyclicBarrier allConnected = new CyclicBarrier(clients + 1);
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<CompletableFuture<Void>> done = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int client = c;
                done.add(CompletableFuture.runAsync(() -> {
                    try (Jedis jedis = jedis()) {
                        assertEquals("PONG", jedis.ping());
                        allConnected.await(60, TimeUnit.SECONDS);
                        assertTrue(go.await(60, TimeUnit.SECONDS));
                        Pipeline pipeline = jedis.pipelined();
                        List<Response<String>> gets = new ArrayList<>();
                        for (int k = 0; k < keys; k++) {
                            pipeline.set("c" + client + ":k" + k, "value-" + client + "-" + k);
                        }
                        for (int k = 0; k < keys; k++) {
                            gets.add(pipeline.get("c" + client + ":k" + k));
                        }
                        Response<Long> counter = pipeline.incr("shared-counter");
                        pipeline.sync();
                        for (int k = 0; k < keys; k++) {
                            assertEquals("value-" + client + "-" + k, gets.get(k).get());
                        }
                        assertTrue(counter.get() >= 1 && counter.get() <= clients);
                    } catch (Exception e) {
                        throw new IllegalStateException("client " + client, e);
                    }
                }, pool));
            }
            allConnected.await(60, TimeUnit.SECONDS);
            int connected = connectedClients();
            assertTrue(connected >= clients, connected + " connected, expected all " + clients + " at once");
            go.countDown();
            CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(90, TimeUnit.SECONDS);
        } finally {
            go.countDown();
            pool.shutdownNow();
        }
        try (Jedis jedis = jedis()) {
            assertEquals(Integer.toString(clients), jedis.get("shared-counter"));
            assertEquals("value-123-45", jedis.get("c123:k45"));
            assertEquals("value-0-99", jedis.get("c0:k99"));
        }
        assertDataIntact();
    }

    /** Bytes that look like the protocol but are not: markers, digits, line ends, no letters. */
    private static byte[] garbage(Random random) {
        byte[] alphabet = "*$:+-\r\n0123456789 \"'\\\0\u00ff".getBytes(StandardCharsets.ISO_8859_1);
        byte[] bytes = new byte[1 + random.nextInt(300)];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = alphabet[random.nextInt(alphabet.length)];
        }
        if (random.nextBoolean()) {
            // an announced bulk that is cut short
            byte[] header = "*2\r\n$4\r\nPING\r\n$5000000\r\nabc".getBytes(StandardCharsets.US_ASCII);
            byte[] both = new byte[header.length + bytes.length];
            System.arraycopy(header, 0, both, 0, header.length);
            System.arraycopy(bytes, 0, both, header.length, bytes.length);
            return both;
        }
        return bytes;
    }

    /** The data seeded before the test is unchanged and the server still answers new clients. */
    private static void assertDataIntact() {
        assertTrue(server.process().isAlive(), "server died\n" + server.output());
        try (Jedis jedis = jedis()) {
            assertEquals("PONG", jedis.ping());
            assertEquals("alive", jedis.get("canary:string"));
            assertEquals("100", jedis.get("canary:counter"));
            long ttl = jedis.ttl("canary:counter");
            assertTrue(ttl > 9_000 && ttl <= 10_000, "ttl " + ttl);
            assertEquals(MAX, jedis.get("canary:max"));
        }
    }

    private static int connectedClients() {
        try (Jedis jedis = jedis()) {
            String clients = jedis.info("clients");
            for (String line : clients.split("\r\n")) {
                if (line.startsWith("connected_clients:")) {
                    return Integer.parseInt(line.substring("connected_clients:".length())) - 1; // not this one
                }
            }
            throw new AssertionError("no connected_clients in " + clients);
        }
    }

    private static RawConnection connect() throws IOException {
        return new RawConnection(server.port());
    }

    private static Jedis jedis() {
        return new Jedis(new HostAndPort("127.0.0.1", server.port()),
                DefaultJedisClientConfig.builder().timeoutMillis(30_000).autoNegotiateProtocol(false).build());
    }
}
