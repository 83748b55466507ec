package io.modis.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * The acl bundle with real clients: a user from the command line ("--user"), requirepass as
 * the default user's password, Jedis authenticating with AUTH user pass, Lettuce with HELLO 3
 * AUTH, and a key-pattern-limited user refused outside its pattern.
 */
@Timeout(120)
class AclClientsTest {
    @TempDir
    static Path dir;
    static ServerProcess server;

    @BeforeAll
    static void start() throws Exception {
        server = ServerProcess.start(dir, "--requirepass", "adminpw",
                "--user", "app", "on", ">apppw", "~app:*", "+@all", "-flushall");
        assertTrue(server.awaitLog("Ready to accept connections", Duration.ofSeconds(60)), server.output());
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (server != null) {
            server.close();
        }
    }

    static Jedis jedis(String user, String password) {
        DefaultJedisClientConfig.Builder b = DefaultJedisClientConfig.builder().timeoutMillis(10_000);
        if (user != null) {
            b.user(user);
        }
        return new Jedis(new HostAndPort("127.0.0.1", server.port()), b.password(password).build());
    }

    @Test
    void jedisUserIsLimitedToItsKeyPattern() {
        try (Jedis app = jedis("app", "apppw")) {
            assertEquals("app", app.aclWhoAmI());
            assertEquals("OK", app.set("app:1", "v"));
            assertEquals("v", app.get("app:1"));
            JedisDataException e = assertThrows(JedisDataException.class, () -> app.set("other", "v"));
            assertEquals("NOPERM this user has no permissions to access one of the keys used as arguments",
                    e.getMessage());
            e = assertThrows(JedisDataException.class, app::flushAll);
            assertEquals("NOPERM this user has no permissions to run the 'flushall' command", e.getMessage());
        }
    }

    @Test
    void requirepassIsTheDefaultUsersPassword() {
        try (Jedis anon = jedis(null, null)) {
            JedisDataException e = assertThrows(JedisDataException.class, () -> anon.get("x"));
            assertEquals("NOAUTH Authentication required.", e.getMessage());
        }
        try (Jedis admin = jedis(null, "adminpw")) {
            assertEquals("default", admin.aclWhoAmI());
            assertEquals("OK", admin.set("other", "1"));
        }
        try (Jedis wrong = new Jedis(new HostAndPort("127.0.0.1", server.port()))) {
            JedisDataException e = assertThrows(JedisDataException.class, () -> wrong.auth("app", "nope"));
            assertEquals("WRONGPASS invalid username-password pair or user is disabled.", e.getMessage());
        }
    }

    @Test
    void lettuceAuthenticatesWithHello() {
        RedisClient client = RedisClient.create(RedisURI.builder().withHost("127.0.0.1").withPort(server.port())
                .withAuthentication("app", "apppw".toCharArray()).build());
        try (StatefulRedisConnection<String, String> conn = client.connect()) {
            RedisCommands<String, String> cmd = conn.sync();
            assertEquals("app", cmd.aclWhoami());
            assertEquals("OK", cmd.set("app:lettuce", "x"));
            RedisCommandExecutionException e = assertThrows(RedisCommandExecutionException.class,
                    () -> cmd.get("elsewhere"));
            assertTrue(e.getMessage().startsWith("NOPERM"), e.getMessage());
        } finally {
            client.shutdown();
        }
    }
}
