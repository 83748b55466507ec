package io.modis.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.SortArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.protocol.ProtocolVersion;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
import redis.clients.jedis.params.SortingParams;
import redis.clients.jedis.resps.Tuple;

/**
 * The collection bundles (lists, hashes, sets, sorted sets, SORT) of the default distribution
 * driven by real clients over TCP: Jedis (RESP2) and Lettuce (RESP3), including blocking pops
 * woken by another connection.
 */
@Timeout(120)
class CollectionClientsTest {
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
        }
    }

    @Test
    void jedisListsAndABlockedPopWokenByAnotherClient() throws Exception {
        try (Jedis a = jedis(); Jedis b = jedis()) {
            assertEquals(3, a.rpush("l", "x", "y", "z"));
            assertEquals(List.of("x", "y", "z"), a.lrange("l", 0, -1));
            assertEquals(List.of("x", "y"), a.lpop("l", 2));
            assertEquals("quicklist", a.objectEncoding("l"));
            assertEquals(1, a.del("l"));

            CompletableFuture<List<String>> popped = CompletableFuture.supplyAsync(() -> a.blpop(5, "q"));
            Await.until("a client blocked in BLPOP", Duration.ofSeconds(10), () -> b.clientList().contains("cmd=blpop"));
            assertEquals(1, b.lpush("q", "job"));
            assertEquals(List.of("q", "job"), popped.get(10, TimeUnit.SECONDS));
            assertEquals(0, b.exists("q") ? 1 : 0);

            assertNull(a.blpop(0.05, "empty"));
            assertEquals("string", typeAfterSet(b, "s"));
            JedisDataException e = assertThrows(JedisDataException.class, () -> a.lpush("s", "v"));
            assertEquals("WRONGTYPE Operation against a key holding the wrong kind of value", e.getMessage());
        }
    }

    private static String typeAfterSet(Jedis j, String key) {
        j.set(key, "v");
        return j.type(key);
    }

    @Test
    void jedisHashesSetsAndSortedSets() {
        try (Jedis j = jedis()) {
            assertEquals(2, j.hset("h", Map.of("f1", "v1", "f2", "v2")));
            assertEquals(Map.of("f1", "v1", "f2", "v2"), j.hgetAll("h"));
            assertEquals(5, j.hincrBy("h", "n", 5));
            assertEquals("listpack", j.objectEncoding("h"));

            assertEquals(3, j.sadd("s1", "1", "2", "3"));
            assertEquals("intset", j.objectEncoding("s1"));
            j.sadd("s2", "2", "3", "a");
            assertEquals(Set.of("2", "3"), j.sinter("s1", "s2"));
            assertEquals("hashtable", j.objectEncoding("s2"));

            assertEquals(3, j.zadd("z", Map.of("a", 1.0, "b", 2.5, "c", -1.0)));
            assertEquals(List.of("c", "a", "b"), j.zrange("z", 0, -1));
            List<Tuple> withScores = j.zrangeWithScores("z", 0, 0);
            assertEquals(new Tuple("c", -1.0), withScores.get(0));
            assertEquals(2L, j.zrank("z", "b"));
            assertEquals("listpack", j.objectEncoding("z"));
        }
    }

    @Test
    void jedisSortByHashFieldsWithGetAndStore() {
        try (Jedis j = jedis()) {
            j.rpush("ids", "1", "2", "3");
            j.hset("user:1", Map.of("name", "ann", "age", "40"));
            j.hset("user:2", Map.of("name", "bob", "age", "25"));
            j.hset("user:3", Map.of("name", "cid", "age", "33"));
            SortingParams byAge = new SortingParams().by("user:*->age").get("user:*->name", "#");
            assertEquals(List.of("bob", "2", "cid", "3", "ann", "1"), j.sort("ids", byAge));
            assertEquals(3, j.sort("ids", new SortingParams().desc(), "sorted"));
            assertEquals(List.of("3", "2", "1"), j.lrange("sorted", 0, -1));
        }
    }

    @Test
    void lettuceResp3SortedSetsHashesAndBlockingPops() throws Exception {
        RedisClient client = RedisClient.create(RedisURI.builder().withHost("127.0.0.1").withPort(server.port())
                .withTimeout(Duration.ofSeconds(10)).build());
        client.setOptions(ClientOptions.builder().protocolVersion(ProtocolVersion.RESP3).build());
        try (StatefulRedisConnection<String, String> c1 = client.connect();
             StatefulRedisConnection<String, String> c2 = client.connect()) {
            RedisCommands<String, String> r = c1.sync();
            r.zadd("board", 10.0, "ann", 30.0, "bob", 20.0, "cid");
            assertEquals(List.of(ScoredValue.just(30, "bob"), ScoredValue.just(20, "cid")),
                    r.zrevrangeWithScores("board", 0, 1));
            assertEquals(25.0, r.zincrby("board", 15, "ann"));
            assertEquals(Double.valueOf(25.0), r.zscore("board", "ann"));
            r.hset("h", Map.of("a", "1", "b", "2"));
            assertEquals(Map.of("a", "1", "b", "2"), r.hgetall("h"));
            r.rpush("nums", "3", "10", "2");
            assertEquals(List.of("2", "3", "10"), r.sort("nums"));
            assertEquals(List.of("10", "2", "3"), r.sort("nums", SortArgs.Builder.alpha()));
            assertEquals(List.of("3", "10", "2"), r.sort("nums", SortArgs.Builder.by("nosort")));

            RedisFuture<KeyValue<String, ScoredValue<String>>> pop = c2.async().bzpopmin(5, "zq");
            Await.until("a client blocked in BZPOPMIN", Duration.ofSeconds(10), () -> r.clientList().contains("cmd=bzpopmin"));
            r.zadd("zq", 7, "seven");
            KeyValue<String, ScoredValue<String>> got = pop.get(10, TimeUnit.SECONDS);
            assertEquals("zq", got.getKey());
            assertEquals(ScoredValue.just(7, "seven"), got.getValue());
            assertEquals(0L, r.exists("zq"));
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(5));
        }
    }
}
