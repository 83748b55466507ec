package io.modis.itests.osgi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.KeyValue;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.CommandOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.ProtocolVersion;
import io.modis.api.Engine;
import io.modis.itests.Await;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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

/**
 * The distribution's bundles in Felix, driven by Lettuce over RESP3 (HELLO 3 on connect),
 * Lettuce itself running in the same framework on the distribution's Netty bundles.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class LettuceInFrameworkTest {

    @Inject
    @Filter(timeout = 60_000)
    private Engine engine;

    private RedisClient client;
    private StatefulRedisConnection<String, String> connection;
    private RedisCommands<String, String> redis;

    @Configuration
    public Option[] configuration() {
        return options(ModisFramework.server(ModisFramework.freePort()), ModisFramework.lettuce());
    }

    @Before
    public void connect() {
        int port = (int) engine.config().getLong("port");
        Await.listening(port, Duration.ofSeconds(30));
        client = RedisClient.create(RedisURI.builder().withHost("127.0.0.1").withPort(port)
                .withTimeout(Duration.ofSeconds(10)).build());
        client.setOptions(ClientOptions.builder().protocolVersion(ProtocolVersion.RESP3).build());
        connection = client.connect();
        redis = connection.sync();
        redis.flushall();
    }

    @After
    public void close() {
        if (connection != null) {
            connection.close();
        }
        if (client != null) {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(5));
        }
    }

    @Test
    public void connectionNegotiatedResp3() {
        String info = redis.clientInfo();
        assertTrue(info, info.matches("(?s).*\\bresp=3\\b.*"));
        // HELLO answers with a RESP3 map
        List<String> hello = redis.dispatch(CommandType.HELLO, new ReplyShape(), new CommandArgs<>(StringCodec.UTF8).add(3));
        assertEquals("map", hello.get(0).split(":")[0]);
        assertEquals(List.of("server", "redis", "version", "7.0.15", "proto", "int:3"), hello.subList(1, 7));
    }

    @Test
    public void configGetRepliesWithAMap() {
        List<String> shape = redis.dispatch(CommandType.CONFIG, new ReplyShape(),
                new CommandArgs<>(StringCodec.UTF8).add("GET").add("port"));
        String port = Long.toString(engine.config().getLong("port"));
        assertEquals(List.of("map:1", "port", port), shape);
        // and Lettuce's own API reads it as a map
        assertEquals(Map.of("port", port), redis.configGet("port"));
        assertEquals(Map.of("maxclients", "10000", "hz", "10"), redis.configGet("maxclients", "hz"));
    }

    @Test
    public void stringCommands() {
        assertEquals("OK", redis.set("k", "v1"));
        assertEquals("v1", redis.get("k"));
        assertNull("RESP3 null for a missing key", redis.get("missing"));
        assertEquals(Long.valueOf(5), redis.incrby("n", 5));
        assertEquals(Long.valueOf(4), redis.decr("n"));
        assertEquals(Long.valueOf(5), redis.append("k", "+v2"));
        assertEquals("v1+v2", redis.get("k"));
        assertEquals("OK", redis.mset(Map.of("a", "1", "b", "2")));
        assertEquals(List.of(KeyValue.just("a", "1"), KeyValue.empty("zz"), KeyValue.just("b", "2")), redis.mget("a", "zz", "b"));
        assertEquals(Long.valueOf(2), redis.exists("a", "b", "zz"));
        assertEquals(Long.valueOf(5), redis.strlen("k"));
    }

    @Test
    public void expiry() {
        redis.set("temp", "x");
        assertTrue(redis.expire("temp", 50));
        long ttl = redis.ttl("temp");
        assertTrue("ttl " + ttl, ttl > 45 && ttl <= 50);
        assertFalse(redis.expire("missing", 50));
        redis.psetex("soon", 30, "gone");
        Await.until("'soon' to expire", Duration.ofSeconds(10), () -> redis.exists("soon") == 0);
        assertEquals(Long.valueOf(-2), redis.ttl("soon"));
        assertEquals("x", redis.get("temp"));
    }

    @Test
    public void infoIsAVerbatimStringThatLettuceUnwraps() {
        redis.set("one", "1");
        String server = redis.info("server");
        assertTrue(server, server.startsWith("# Server\r\n"));
        assertTrue(server, server.contains("redis_version:7.0.15\r\n"));
        List<String> shape = redis.dispatch(CommandType.INFO, new ReplyShape(), new CommandArgs<>(StringCodec.UTF8).add("keyspace"));
        assertEquals(1, shape.size());
        assertTrue(shape.get(0), shape.get(0).startsWith("# Keyspace\r\ndb0:keys=1,expires=0,avg_ttl="));
    }

    @Test
    public void pipelinedAsyncCommandsKeepTheirOrder() {
        RedisAsyncCommands<String, String> async = connection.async();
        connection.setAutoFlushCommands(false);
        List<RedisFuture<?>> futures = new ArrayList<>();
        try {
            for (int i = 0; i < 1000; i++) {
                futures.add(async.set("p:" + i, Integer.toString(i)));
                futures.add(async.incr("p:count"));
            }
            connection.flushCommands();
            assertTrue(LettuceFutures.awaitAll(30, TimeUnit.SECONDS, futures.toArray(new RedisFuture[0])));
        } finally {
            connection.setAutoFlushCommands(true);
        }
        assertEquals("1000", redis.get("p:count"));
        assertEquals("737", redis.get("p:737"));
        assertEquals(Long.valueOf(1001), redis.dbsize());
    }

    @Test
    public void transaction() {
        assertEquals("OK", redis.multi());
        assertNull(redis.set("t", "1")); // queued: the reply comes with EXEC
        assertNull(redis.incr("t"));
        List<Object> results = redis.exec().stream().toList();
        assertEquals(List.of("OK", 2L), results);
        assertEquals("2", redis.get("t"));
    }

    /** Records the frames of a reply: "map:n", "array:n", "int:n", or a string's text. */
    static final class ReplyShape extends CommandOutput<String, String, List<String>> {

        ReplyShape() {
            super(StringCodec.UTF8, new ArrayList<>());
        }

        @Override
        public void set(ByteBuffer bytes) {
            output.add(bytes == null ? "null" : StandardCharsets.UTF_8.decode(bytes).toString());
        }

        @Override
        public void setSingle(ByteBuffer bytes) {
            set(bytes);
        }

        @Override
        public void set(long integer) {
            output.add("int:" + integer);
        }

        @Override
        public void multiArray(int count) {
            output.add("array:" + count);
        }

        @Override
        public void multiMap(int count) {
            output.add("map:" + count);
        }

        @Override
        public void multiSet(int count) {
            output.add("set:" + count);
        }
    }
}
