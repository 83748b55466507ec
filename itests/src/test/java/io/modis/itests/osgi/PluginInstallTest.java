package io.modis.itests.osgi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;

import io.modis.api.Engine;
import io.modis.itests.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.commands.ProtocolCommand;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.resps.CommandInfo;
import redis.clients.jedis.util.SafeEncoder;

/**
 * A third-party plugin (plugins-examples/string-tools, built against the api only) installed
 * into a server that is already up and serving: its commands appear to connected clients, work
 * on the data the core holds, and go away when the bundle is uninstalled.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class PluginInstallTest {

    private static final ProtocolCommand UPPER = () -> SafeEncoder.encode("STRTOOLS.UPPER");
    private static final ProtocolCommand REVERSE = () -> SafeEncoder.encode("STRTOOLS.REVERSE");
    private static final Duration CHANGE = Duration.ofSeconds(20);

    @Inject
    @Filter(timeout = 60_000)
    private Engine engine;

    @Inject
    private BundleContext context;

    private Jedis jedis;
    private Bundle tools;

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
        if (tools != null && tools.getState() != Bundle.UNINSTALLED) {
            tools.uninstall();
        }
        if (jedis != null) {
            jedis.close();
        }
    }

    @Test
    public void installedPluginServesItsCommandsUntilUninstalled() throws Exception {
        assertEquals("OK", jedis.set("k", "hello"));
        long clientId = jedis.clientId();

        tools = context.installBundle(stringToolsJar().toUri().toString());
        assertEquals("io.modis.examples.stringtools", tools.getSymbolicName());
        tools.start();
        assertEquals(Bundle.ACTIVE, tools.getState());

        // Declarative Services hands the plugin's commands to the core shortly after the start.
        String upper = Await.value("STRTOOLS.UPPER to become known", CHANGE, () -> {
            try {
                return SafeEncoder.encode((byte[]) jedis.sendCommand(UPPER, "k"));
            } catch (JedisDataException e) {
                return null;
            }
        });
        assertEquals("HELLO", upper);
        assertEquals("hello", jedis.get("k"));
        assertEquals("olleh", SafeEncoder.encode((byte[]) jedis.sendCommand(REVERSE, "k")));
        assertEquals("olleh", jedis.get("k"));

        Map<String, CommandInfo> info = jedis.commandInfo("strtools.upper");
        CommandInfo upperInfo = info.get("strtools.upper");
        assertNotNull("COMMAND INFO strtools.upper: " + info.keySet(), upperInfo);
        assertEquals(2, upperInfo.getArity());

        tools.uninstall();

        String error = Await.value("STRTOOLS.UPPER to become an unknown command", CHANGE, () -> {
            try {
                jedis.sendCommand(UPPER, "k");
                return null;
            } catch (JedisDataException e) {
                return e.getMessage();
            }
        });
        assertEquals("ERR unknown command 'STRTOOLS.UPPER', with args beginning with: 'k' ", error);
        // The same connection is still served by the core, and the plugin's write stayed.
        assertEquals("olleh", jedis.get("k"));
        assertEquals(clientId, jedis.clientId());
    }

    /** The jar plugins-examples/string-tools built, as Maven resolved it for this module. */
    private static Path stringToolsJar() {
        String property = System.getProperty("modis.string-tools.jar");
        assertNotNull("system property modis.string-tools.jar (set by the itests pom)", property);
        Path jar = Path.of(property);
        assertTrue(jar + " is missing: build plugins-examples/string-tools first", Files.isRegularFile(jar));
        return jar;
    }
}
