package io.modis.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ShutdownParams;

/** bin/modis-server as a process: it starts, answers, and ends the way redis-server does. */
class ServerProcessTest {

    private static final Duration READY = Duration.ofSeconds(60);
    private static final Duration EXIT = Duration.ofSeconds(30);

    @Test
    void answersPingAndExitsZeroOnShutdownNosave(@TempDir Path dir) throws Exception {
        try (ServerProcess server = ServerProcess.start(dir)) {
            assertReady(server);
            assertTrue(server.process().info().command().orElse("").endsWith("/java"),
                    "bin/modis-server must exec java, keeping its PID: " + server.process().info());
            try (Jedis jedis = connect(server)) {
                assertEquals("PONG", jedis.ping());
                jedis.shutdown(ShutdownParams.shutdownParams().nosave());
            }
            assertExitsZero(server);
        }
    }

    @Test
    void exitsZeroOnSigterm(@TempDir Path dir) throws Exception {
        try (ServerProcess server = ServerProcess.start(dir)) {
            assertReady(server);
            try (Jedis jedis = connect(server)) {
                assertEquals("PONG", jedis.ping());
            }
            server.process().destroy(); // SIGTERM
            assertExitsZero(server);
        }
    }

    private static Jedis connect(ServerProcess server) {
        return new Jedis(new HostAndPort("127.0.0.1", server.port()),
                DefaultJedisClientConfig.builder().timeoutMillis(10_000).autoNegotiateProtocol(false).build());
    }

    private static void assertReady(ServerProcess server) throws InterruptedException {
        assertTrue(server.awaitLog("Ready to accept connections", READY),
                "no \"Ready to accept connections\" within " + READY.toSeconds() + " s\n" + server.output());
    }

    private static void assertExitsZero(ServerProcess server) throws InterruptedException {
        OptionalInt exit = server.awaitExit(EXIT);
        assertTrue(exit.isPresent(), "still running " + EXIT.toSeconds() + " s later\n" + server.output());
        assertEquals(0, exit.getAsInt(), "exit code\n" + server.output());
    }
}
