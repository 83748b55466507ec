package io.modis.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;

/**
 * client-output-buffer-limit for pub/sub over real sockets: a subscriber that stops reading is
 * disconnected once its unsent messages pass the hard limit, while a subscriber that keeps up
 * gets every message and the server goes on answering.
 */
@Timeout(180)
class SlowSubscriberTest {
    private static final int MESSAGES = 2000;
    private static final int MESSAGE_BYTES = 10 * 1024;

    @Test
    void aSubscriberThatDoesNotReadIsDisconnectedAndOthersAreUnaffected(@TempDir Path dir) throws Exception {
        try (ServerProcess server = ServerProcess.start(dir, "--save", "")) {
            assertTrue(server.awaitLog("Ready to accept connections", Duration.ofSeconds(60)), server.output());
            Jedis admin = jedis(server.port());
            assertEquals("OK", admin.configSet("client-output-buffer-limit", "pubsub 1mb 0 0"));

            // the slow one: subscribes, then never reads again (a small receive buffer fills at once)
            Socket slow = new Socket();
            slow.setReceiveBufferSize(4096);
            slow.connect(new InetSocketAddress("127.0.0.1", server.port()), 5000);
            slow.getOutputStream().write(RawConnection.command("CLIENT", "SETNAME", "slowsub")
                    .concat(RawConnection.command("SUBSCRIBE", "ch")).getBytes(StandardCharsets.UTF_8));
            slow.getOutputStream().flush();

            // the fast one counts what it gets
            AtomicInteger received = new AtomicInteger();
            CountDownLatch subscribed = new CountDownLatch(1);
            CountDownLatch all = new CountDownLatch(1);
            JedisPubSub fast = new JedisPubSub() {
                @Override
                public void onSubscribe(String channel, int count) {
                    subscribed.countDown();
                }

                @Override
                public void onMessage(String channel, String message) {
                    if (message.length() == MESSAGE_BYTES && received.incrementAndGet() == MESSAGES) {
                        all.countDown();
                        unsubscribe();
                    }
                }
            };
            Jedis fastConn = jedis(server.port());
            Thread reader = new Thread(() -> fastConn.subscribe(fast, "ch"));
            reader.start();
            assertTrue(subscribed.await(30, TimeUnit.SECONDS));
            Await.until("two subscribers on ch", Duration.ofSeconds(30),
                    () -> admin.pubsubNumSub("ch").get("ch") == 2L);

            String payload = "x".repeat(MESSAGE_BYTES);
            long deliveries = 0;
            for (int i = 0; i < MESSAGES; i++) {
                deliveries += admin.publish("ch", payload);
            }
            assertTrue(all.await(60, TimeUnit.SECONDS), "the fast subscriber got " + received.get());
            assertEquals(MESSAGES, received.get());
            // the slow one was dropped part way: fewer deliveries than two per message
            assertTrue(deliveries < 2L * MESSAGES && deliveries >= MESSAGES, "deliveries " + deliveries);
            assertFalse(admin.clientList().contains("name=slowsub"), admin.clientList());
            Map<String, Long> numsub = admin.pubsubNumSub("ch");
            assertEquals(0L, numsub.get("ch")); // the fast one unsubscribed after the last message
            assertTrue(server.output().contains("scheduled to be closed ASAP for overcoming of output buffer limits"),
                    server.output());
            assertEquals("PONG", admin.ping());

            // what the slow socket still gets is a finite prefix, then end of stream
            slow.setSoTimeout(30_000);
            InputStream in = slow.getInputStream();
            byte[] buf = new byte[65536];
            long total = 0;
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                total += n;
            }
            assertTrue(total < (long) MESSAGES * MESSAGE_BYTES, "slow subscriber read " + total);
            slow.close();
            reader.join(10_000);
            fastConn.close();
            admin.close();
        }
    }

    private static Jedis jedis(int port) {
        return new Jedis(new HostAndPort("127.0.0.1", port),
                DefaultJedisClientConfig.builder().timeoutMillis(30_000).build());
    }
}
