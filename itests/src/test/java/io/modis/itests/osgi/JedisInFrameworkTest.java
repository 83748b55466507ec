package io.modis.itests.osgi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;

import io.modis.api.Engine;
import io.modis.itests.Await;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.inject.Inject;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.ops4j.pax.exam.util.Filter;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Response;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.Transaction;

/**
 * The distribution's bundles in Felix, driven over TCP by Jedis (RESP2) running in the same
 * framework: the everyday string, expiry, transaction, CONFIG and INFO paths.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class JedisInFrameworkTest {

    @Inject
    @Filter(timeout = 60_000)
    private Engine engine;

    private int port;
    private Jedis jedis;

    @Configuration
    public Option[] configuration() {
        return options(ModisFramework.server(ModisFramework.freePort()), ModisFramework.jedis());
    }

    @Before
    public void connect() {
        port = (int) engine.config().getLong("port");
        Await.listening(port, Duration.ofSeconds(30));
        jedis = connect(port);
        jedis.flushAll();
    }

    @After
    public void close() {
        if (jedis != null) {
            jedis.close();
        }
    }

    static Jedis connect(int port) {
        return new Jedis(new HostAndPort("127.0.0.1", port), DefaultJedisClientConfig.builder()
                .protocol(RedisProtocol.RESP2).timeoutMillis(10_000).build());
    }

    @Test
    public void engineServiceCarriesTheCommandLine() {
        assertEquals("", engine.config().get("save"));
        assertEquals(Long.toString(engine.config().getLong("port")), engine.config().get("port"));
        assertTrue(jedis.clientInfo(), jedis.clientInfo().matches("(?s).*\\bresp=2\\b.*"));
    }

    @Test
    public void setGetIncr() {
        assertEquals("OK", jedis.set("greeting", "hello"));
        assertEquals("hello", jedis.get("greeting"));
        assertNull(jedis.get("missing"));
        assertEquals(1, jedis.incr("counter"));
        assertEquals(42, jedis.incrBy("counter", 41));
        assertEquals(41, jedis.decr("counter"));
        assertEquals("41", jedis.get("counter"));
        assertEquals(12, jedis.append("greeting", " world!"));
        assertEquals("hello world!", jedis.get("greeting"));
    }

    @Test
    public void msetMget() {
        assertEquals("OK", jedis.mset("a", "1", "b", "2", "c", "3"));
        assertEquals(Arrays.asList("1", "2", null, "3"), jedis.mget("a", "b", "nope", "c"));
        assertEquals(3, jedis.dbSize());
    }

    @Test
    public void expireAndTtl() {
        jedis.set("session", "data");
        assertEquals(-1, jedis.ttl("session"));
        assertEquals(1, jedis.expire("session", 100));
        long ttl = jedis.ttl("session");
        assertTrue("ttl " + ttl, ttl > 95 && ttl <= 100);
        assertEquals(-2, jedis.ttl("missing"));
        assertEquals(1, jedis.persist("session"));
        assertEquals(-1, jedis.ttl("session"));

        jedis.set("short", "lived");
        assertEquals(1, jedis.pexpire("short", 50));
        Await.until("key 'short' to expire", Duration.ofSeconds(10), () -> jedis.get("short") == null);
        assertEquals(-2, jedis.pttl("short"));
        assertEquals("data", jedis.get("session"));
    }

    @Test
    public void multiExecRunsQueuedCommandsInOrder() {
        jedis.set("n", "10");
        Transaction tx = jedis.multi();
        Response<Long> incr = tx.incr("n");
        Response<String> set = tx.set("m", "x");
        Response<String> get = tx.get("n");
        List<Object> replies = tx.exec();
        assertEquals(3, replies.size());
        assertEquals(Long.valueOf(11), incr.get());
        assertEquals("OK", set.get());
        assertEquals("11", get.get());
        assertEquals("x", jedis.get("m"));
    }

    @Test
    public void watchAbortsExecWhenAnotherClientWritesTheKey() {
        jedis.set("balance", "100");
        try (Jedis other = connect(port)) {
            assertEquals("OK", jedis.watch("balance"));
            assertEquals("OK", other.set("balance", "50"));
            Transaction tx = jedis.multi();
            tx.set("balance", "200");
            assertNull("EXEC must fail after a watched key changed", tx.exec());
        }
        assertEquals("50", jedis.get("balance"));

        assertEquals("OK", jedis.watch("balance"));
        Transaction tx = jedis.multi();
        tx.set("balance", "200");
        assertEquals(List.of("OK"), tx.exec());
        assertEquals("200", jedis.get("balance"));
    }

    @Test
    public void configGetAndSet() {
        assertEquals(Map.of("port", Long.toString(engine.config().getLong("port"))), jedis.configGet("port"));
        String before = jedis.configGet("maxclients").get("maxclients");
        try {
            assertEquals("OK", jedis.configSet("maxclients", "1234"));
            assertEquals(Map.of("maxclients", "1234"), jedis.configGet("maxclients"));
            assertEquals("1234", engine.config().get("maxclients"));
            assertTrue(jedis.info("clients").contains("maxclients:1234\r\n"));
        } finally {
            jedis.configSet("maxclients", before);
        }
        Map<String, String> lazy = jedis.configGet("lazyfree-lazy-*");
        assertEquals(5, lazy.size());
        assertEquals("no", lazy.get("lazyfree-lazy-user-del"));
    }

    @Test
    public void infoReportsServerAndKeyspace() {
        jedis.set("k1", "v");
        jedis.set("k2", "v");
        jedis.expire("k2", 1000);
        String server = jedis.info("server");
        assertTrue(server, server.startsWith("# Server\r\n"));
        assertTrue(server, server.contains("redis_version:7.0.15\r\n"));
        assertTrue(server, server.contains("tcp_port:" + engine.config().getLong("port") + "\r\n"));
        // Felix runs in this JVM: the server's process is the test's.
        assertTrue(server, server.contains("process_id:" + ProcessHandle.current().pid() + "\r\n"));
        assertTrue(jedis.info("keyspace").contains("db0:keys=2,expires=1,avg_ttl="));
        String clients = jedis.info("clients");
        assertTrue(clients, clients.matches("(?s).*connected_clients:[1-9][0-9]*\r\n.*"));
    }
}
