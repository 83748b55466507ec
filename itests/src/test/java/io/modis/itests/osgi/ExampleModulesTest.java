package io.modis.itests.osgi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;

import io.modis.api.Engine;
import io.modis.itests.Await;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
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
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.wiring.FrameworkWiring;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.commands.ProtocolCommand;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.util.SafeEncoder;

/**
 * The two example modules (plugins-examples/bloom-filter and rate-limiter, built against the api
 * only) installed into a running server the way a module is loaded: their commands and the
 * Bloom filter type serve a real client over a socket, next to the built-in types.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ExampleModulesTest {

    private static final Duration CHANGE = Duration.ofSeconds(20);

    @Inject
    @Filter(timeout = 60_000)
    private Engine engine;

    @Inject
    private BundleContext context;

    private Jedis jedis;
    private Bundle bloom;
    private Bundle limiter;

    @Configuration
    public Option[] configuration() {
        return options(ModisFramework.server(ModisFramework.freePort()), ModisFramework.jedis());
    }

    @Before
    public void connect() {
        int port = (int) engine.config().getLong("port");
        Await.listening(port, Duration.ofSeconds(30));
        jedis = JedisInFrameworkTest.connect(port);
        jedis.flushAll();
    }

    @After
    public void uninstallAndClose() throws BundleException {
        for (Bundle b : new Bundle[] {bloom, limiter}) {
            if (b != null && b.getState() != Bundle.UNINSTALLED) {
                b.uninstall();
            }
        }
        if (jedis != null) {
            jedis.close();
        }
    }

    private static ProtocolCommand command(String name) {
        return () -> SafeEncoder.encode(name);
    }

    private Object send(String name, String... args) {
        return jedis.sendCommand(command(name), args);
    }

    /** Waits until {@code name} is known to the server (DS registers a bundle's commands shortly after it starts). */
    private void awaitCommand(String name, String... args) {
        Await.value(name + " to become known", CHANGE, () -> {
            try {
                return send(name, args);
            } catch (JedisDataException e) {
                return e.getMessage().startsWith("ERR unknown command") ? null : e.getMessage();
            }
        });
    }

    @Test
    public void bloomFilterModuleServesItsTypeAndCommands() throws Exception {
        bloom = context.installBundle(jar("modis.bloom-filter.jar").toUri().toString());
        assertEquals("io.modis.examples.bloom", bloom.getSymbolicName());
        bloom.start();
        assertEquals(Bundle.ACTIVE, bloom.getState());
        awaitCommand("BF.CARD", "none");

        assertEquals("OK", SafeEncoder.encode((byte[]) send("BF.RESERVE", "visitors", "0.01", "1000")));
        assertEquals(List.of(1L, 1L, 0L), send("BF.MADD", "visitors", "alice", "bob", "alice"));
        assertEquals(1L, send("BF.EXISTS", "visitors", "bob"));
        assertEquals(0L, send("BF.EXISTS", "visitors", "mallory"));
        assertEquals(2L, send("BF.CARD", "visitors"));
        List<?> info = (List<?>) send("BF.INFO", "visitors");
        assertEquals("Capacity", SafeEncoder.encode((byte[]) info.get(0)));
        assertEquals(1000L, info.get(1));
        assertEquals(1480L, info.get(3));
        assertEquals("MBbloom--", jedis.type("visitors"));
        assertTrue(jedis.memoryUsage("visitors") > 1000);
        // the generic key commands work on the module's values
        assertEquals(1L, jedis.expire("visitors", 100));
        assertEquals("OK", jedis.rename("visitors", "guests"));
        assertEquals(1L, send("BF.EXISTS", "guests", "alice"));
        assertEquals(1L, jedis.copy("guests", "guests2", false) ? 1L : 0L);
        assertEquals(List.of(1L), send("BF.MADD", "guests2", "carol"));
        assertEquals(0L, send("BF.EXISTS", "guests", "carol"));
        // its configuration parameters joined the server's
        assertEquals(java.util.Map.of("bf-initial-size", "100"), jedis.configGet("bf-initial-size"));
        assertEquals("OK", jedis.configSet("bf-initial-size", "500"));
        send("BF.ADD", "auto", "x");
        assertEquals(List.of(500L), send("BF.INFO", "auto", "CAPACITY"));
        jedis.set("plain", "v");
        try {
            send("BF.ADD", "plain", "x");
            throw new AssertionError("BF.ADD on a string must fail");
        } catch (JedisDataException e) {
            assertEquals("WRONGTYPE Operation against a key holding the wrong kind of value", e.getMessage());
        }
    }

    @Test
    public void rateLimiterModuleThrottles() throws Exception {
        limiter = context.installBundle(jar("modis.rate-limiter.jar").toUri().toString());
        assertEquals("io.modis.examples.ratelimit", limiter.getSymbolicName());
        limiter.start();
        awaitCommand("CL.THROTTLE");

        assertEquals(List.of(0L, 3L, 2L, -1L, 3600L), send("CL.THROTTLE", "api:42", "2", "1", "3600"));
        assertEquals(List.of(0L, 3L, 1L, -1L, 7200L), send("CL.THROTTLE", "api:42", "2", "1", "3600"));
        assertEquals(List.of(0L, 3L, 0L, -1L, 10800L), send("CL.THROTTLE", "api:42", "2", "1", "3600"));
        assertEquals(List.of(1L, 3L, 0L, 3600L, 10800L), send("CL.THROTTLE", "api:42", "2", "1", "3600"));
        assertEquals("string", jedis.type("api:42"));
        long ttl = jedis.ttl("api:42");
        assertTrue("ttl " + ttl, ttl > 10_700 && ttl <= 10_800);

        limiter.uninstall();
        String error = Await.value("CL.THROTTLE to become unknown", CHANGE, () -> {
            try {
                send("CL.THROTTLE", "api:42", "2", "1", "3600");
                return null;
            } catch (JedisDataException e) {
                return e.getMessage();
            }
        });
        assertTrue(error, error.startsWith("ERR unknown command 'CL.THROTTLE'"));
        // the bucket is a plain string: it outlives the module
        assertEquals("string", jedis.type("api:42"));
    }

    @Test
    public void bloomFiltersSurviveAnUpdateAndAnAbsenceOfTheirBundle() throws Exception {
        bloom = context.installBundle(jar("modis.bloom-filter.jar").toUri().toString());
        bloom.start();
        awaitCommand("BF.CARD", "none");
        send("BF.RESERVE", "f", "0.01", "50");
        for (int i = 0; i < 200; i++) {
            send("BF.ADD", "f", "v" + i);
        }
        jedis.pexpire("f", 600_000);
        List<?> before = (List<?>) send("BF.INFO", "f");

        // updated in place (a new class loader, a new DataType instance): the values are
        // serialized by the old bundle and revived by the new one
        try (InputStream in = Files.newInputStream(jar("modis.bloom-filter.jar"))) {
            bloom.update(in);
        }
        // the refresh stops and restarts the bundle on a framework thread: wait until it is done,
        // or a BF.INFO answered by the updated bundle could be followed by its restart
        CountDownLatch refreshed = new CountDownLatch(1);
        context.getBundle(0).adapt(FrameworkWiring.class).refreshBundles(List.of(bloom),
                event -> refreshed.countDown());
        assertTrue("the refresh after the update", refreshed.await(CHANGE.toMillis(), TimeUnit.MILLISECONDS));
        Await.until("BF.INFO after the update", CHANGE, () -> {
            try {
                return before.toString().equals(String.valueOf(send("BF.INFO", "f")))
                        || infoEquals(before, send("BF.INFO", "f"));
            } catch (JedisDataException e) {
                return false;
            }
        });
        for (int i = 0; i < 200; i += 13) {
            assertEquals(1L, send("BF.EXISTS", "f", "v" + i));
        }
        assertEquals("MBbloom--", jedis.type("f"));
        assertTrue(jedis.pttl("f") > 500_000);

        // without the bundle the filter is kept as it is (a blob the core holds), and comes back with it
        bloom.stop();
        assertEquals("MBbloom--", jedis.type("f"));
        assertTrue(jedis.exists("f"));
        bloom.start();
        awaitCommand("BF.CARD", "f");
        assertTrue(infoEquals(before, send("BF.INFO", "f")));
        assertEquals(List.of(1L, 0L), send("BF.MEXISTS", "f", "v7", "never-added-item"));
    }

    private static boolean infoEquals(List<?> expected, Object actual) {
        List<?> a = (List<?>) actual;
        if (a.size() != expected.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            Object x = expected.get(i);
            Object y = a.get(i);
            boolean same = x instanceof byte[] bx && y instanceof byte[] by ? java.util.Arrays.equals(bx, by) : java.util.Objects.equals(x, y);
            if (!same) {
                return false;
            }
        }
        return true;
    }

    /** A module jar, as Maven resolved it for this module (see the itests pom). */
    private static Path jar(String property) {
        String path = System.getProperty(property);
        assertNotNull("system property " + property + " (set by the itests pom)", path);
        Path jar = Path.of(path);
        assertTrue(jar + " is missing: build plugins-examples first", Files.isRegularFile(jar));
        return jar;
    }
}
