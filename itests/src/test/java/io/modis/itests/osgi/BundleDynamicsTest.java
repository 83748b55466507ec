package io.modis.itests.osgi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.options;

import io.modis.api.Engine;
import io.modis.itests.Await;
import io.netty.channel.epoll.Epoll;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
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
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * The distribution's bundle set resolves and starts as the launcher starts it, and a type bundle
 * can leave and come back while clients stay connected: its commands go and return, the data
 * it created stays with the core.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class BundleDynamicsTest {

    private static final String STRINGS = "io.modis.type-string";
    private static final Duration CHANGE = Duration.ofSeconds(20);

    @Inject
    @Filter(timeout = 60_000)
    private Engine engine;

    @Inject
    private BundleContext context;

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
        jedis = JedisInFrameworkTest.connect(port);
        jedis.flushAll();
    }

    @After
    public void restoreAndClose() throws BundleException {
        Bundle strings = bundle(STRINGS);
        if (strings.getState() != Bundle.ACTIVE) {
            strings.start();
        }
        if (jedis != null) {
            jedis.close();
        }
    }

    @Test
    public void everyBundleOfTheDistributionIsActiveAndFragmentsResolved() {
        List<Path> jars = ModisFramework.distributionBundles();
        assertTrue("bundles in the distribution: " + jars, jars.size() >= 20);
        for (Path jar : jars) {
            Bundle bundle = context.getBundle(jar.toUri().toString());
            assertNotNull("not installed: " + jar, bundle);
            boolean fragment = bundle.getHeaders().get("Fragment-Host") != null;
            assertEquals(bundle.getSymbolicName(), fragment ? Bundle.RESOLVED : Bundle.ACTIVE, bundle.getState());
        }
        for (String name : List.of("io.modis.api", "io.modis.core", "io.modis.transport-resp", STRINGS,
                "io.netty.transport-native-epoll.linux-x86_64", "org.apache.felix.scr", "org.apache.aries.spifly.dynamic.bundle")) {
            assertNotNull(name + " is part of the distribution", bundle(name));
        }
        // The native epoll fragment attached to its host and its library loads inside Felix.
        assertTrue(String.valueOf(Epoll.unavailabilityCause()), Epoll.isAvailable());
    }

    @Test
    public void stoppingTheStringBundleRemovesItsCommandsAndStartingItBringsThemBackWithTheData() throws Exception {
        jedis.set("kept", "value");
        jedis.set("counter", "41");
        jedis.pexpire("counter", 600_000);
        long clientId = jedis.clientId();

        bundle(STRINGS).stop();

        String error = Await.value("GET to become an unknown command", CHANGE, () -> {
            try {
                jedis.get("kept");
                return null;
            } catch (JedisDataException e) {
                return e.getMessage();
            }
        });
        // Redis quotes the command name as the client sent it; Jedis sends upper case.
        assertEquals("ERR unknown command 'GET', with args beginning with: 'kept' ", error);
        assertUnknown("ERR unknown command 'SET', with args beginning with: 'x' 'y'", () -> jedis.set("x", "y"));
        assertUnknown("ERR unknown command 'INCR', with args beginning with: 'counter'", () -> jedis.incr("counter"));
        // The connection stayed open, the core still answers, and the keys are still there.
        assertEquals(clientId, jedis.clientId());
        assertEquals("PONG", jedis.ping());
        assertEquals(2, jedis.dbSize());
        assertEquals(2, jedis.exists("kept", "counter"));
        assertTrue(jedis.pttl("counter") > 500_000);
        // A client that connects meanwhile is served by the core and gets the same error.
        try (Jedis late = JedisInFrameworkTest.connect(port)) {
            assertEquals("PONG", late.ping());
            assertUnknown("ERR unknown command 'GET', with args beginning with: 'kept'", () -> late.get("kept"));
        }

        bundle(STRINGS).start();

        assertEquals("value", Await.value("GET to come back", CHANGE, () -> {
            try {
                return jedis.get("kept");
            } catch (JedisDataException e) {
                return null;
            }
        }));
        assertEquals(42, jedis.incr("counter"));
        assertTrue(jedis.pttl("counter") > 500_000);
        assertEquals(Arrays.asList("value", "42"), jedis.mget("kept", "counter"));
        assertEquals(clientId, jedis.clientId());
    }

    private static void assertUnknown(String expectedStart, Runnable command) {
        try {
            command.run();
            fail("expected " + expectedStart);
        } catch (JedisDataException e) {
            assertTrue(e.getMessage(), e.getMessage().startsWith(expectedStart));
        }
    }

    private Bundle bundle(String symbolicName) {
        return Arrays.stream(context.getBundles())
                .filter(b -> symbolicName.equals(b.getSymbolicName()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no bundle " + symbolicName));
    }
}
