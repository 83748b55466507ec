package io.modis.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TrackingArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.protocol.ProtocolVersion;
import io.lettuce.core.support.caching.CacheAccessor;
import io.lettuce.core.support.caching.CacheFrontend;
import io.lettuce.core.support.caching.ClientSideCaching;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;

/**
 * The pubsub bundle and the core's client-side caching with real clients: Jedis pattern
 * subscriptions (RESP2 subscriber mode), keyspace notifications, and Lettuce's RESP3
 * client-side cache receiving invalidations.
 */
@Timeout(120)
class PubSubClientsTest {
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

    @Test
    void jedisPatternSubscriberGetsMessagesAndKeyspaceEvents() throws Exception {
        BlockingQueue<List<String>> received = new LinkedBlockingQueue<>();
        JedisPubSub listener = new JedisPubSub() {
            @Override
            public void onPMessage(String pattern, String channel, String message) {
                received.add(List.of(pattern, channel, message));
            }

            @Override
            public void onMessage(String channel, String message) {
                received.add(List.of(channel, message));
            }
        };
        try (Jedis sub = jedis(); Jedis pub = jedis()) {
            pub.configSet("notify-keyspace-events", "KEl");
            Thread t = new Thread(() -> sub.psubscribe(listener, "news.*", "__keyevent@0__:*"));
            t.start();
            Await.until("two pattern subscriptions", Duration.ofSeconds(10), () -> pub.pubsubNumPat() == 2);
            assertEquals(1, pub.publish("news.sport", "goal"));
            assertEquals(0, pub.publish("weather", "rain"));
            pub.rpush("queue", "job");
            assertEquals(List.of("news.*", "news.sport", "goal"), received.poll(10, TimeUnit.SECONDS));
            assertEquals(List.of("__keyevent@0__:*", "__keyevent@0__:rpush", "queue"),
                    received.poll(10, TimeUnit.SECONDS));
            listener.punsubscribe();
            t.join(10_000);
            assertEquals(0, pub.pubsubNumPat());
            pub.configSet("notify-keyspace-events", "");
        }
    }

    @Test
    void lettuceClientSideCacheIsInvalidatedByAnotherClient() throws Exception {
        RedisClient client = RedisClient.create(RedisURI.builder().withHost("127.0.0.1").withPort(server.port())
                .withTimeout(Duration.ofSeconds(10)).build());
        client.setOptions(ClientOptions.builder().protocolVersion(ProtocolVersion.RESP3).build());
        try (StatefulRedisConnection<String, String> tracked = client.connect();
             StatefulRedisConnection<String, String> other = client.connect()) {
            Map<String, String> store = new ConcurrentHashMap<>();
            List<String> invalidated = new CopyOnWriteArrayList<>();
            CacheFrontend<String, String> cache = ClientSideCaching.enable(new CacheAccessor<>() {
                @Override
                public String get(String key) {
                    return store.get(key);
                }

                @Override
                public void put(String key, String value) {
                    store.put(key, value);
                }

                @Override
                public void evict(String key) {
                    invalidated.add(key);
                    store.remove(key);
                }
            }, tracked, TrackingArgs.Builder.enabled());
            RedisCommands<String, String> writer = other.sync();
            writer.set("user:1", "ann");
            assertEquals("ann", cache.get("user:1"));
            assertEquals("ann", store.get("user:1"));
            writer.set("user:1", "bob");
            Await.until("the invalidation of user:1", Duration.ofSeconds(10), () -> invalidated.contains("user:1"));
            assertEquals("bob", cache.get("user:1"));
            assertTrue(writer.info("stats").contains("tracking_total_keys:1"));
            cache.close();
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(5));
        }
    }
}
