package io.modis.itests.osgi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.options;

import io.modis.api.CommandProvider;
import io.modis.api.Engine;
import io.modis.itests.Await;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
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
import org.osgi.framework.ServiceReference;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.BundleWiring;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * The scripting bundle updated in place on a live node: the script cache and the function
 * libraries go over to the new revision (through the core's state hand-over), so clients running
 * EVALSHA and FCALL in a loop never see NOSCRIPT, a missing function or an unknown command; the
 * same across a stop and a later start; and an update requested while a script runs waits for it.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ScriptingSwapTest {
    private static final String SCRIPTING = "io.modis.scripting";
    private static final Duration CHANGE = Duration.ofSeconds(60);
    private static final String DEPLOY_PROPERTY = "modis.itest.scripting-deploy-dir";
    private static final int SCRIPTS = 20;
    private static final String LIBRARY = "#!lua name=swaplib\n"
            + "redis.register_function('bump', function(keys, args) return redis.call('incr', keys[1]) end)\n"
            + "redis.register_function{function_name='echo', callback=function(keys, args) return args[1] end,"
            + " flags={'no-writes'}, description='answers its argument'}\n";

    @Inject
    @Filter(timeout = 60_000)
    private Engine engine;

    @Inject
    private BundleContext context;

    private Jedis jedis;
    private Path deploy;
    private int port;
    private final List<String> shas = new ArrayList<>();

    @Configuration
    public Option[] configuration() throws IOException {
        Path dir = Files.createTempDirectory("modis-deploy");
        System.setProperty(DEPLOY_PROPERTY, dir.toString());
        return options(ModisFramework.server(ModisFramework.freePort(), "--deploy-dir", dir.toString()),
                ModisFramework.jedis());
    }

    @Before
    public void loadScripts() throws IOException {
        deploy = Path.of(System.getProperty(DEPLOY_PROPERTY));
        port = (int) engine.config().getLong("port");
        Await.listening(port, Duration.ofSeconds(30));
        jedis = JedisInFrameworkTest.connect(port);
        jedis.flushAll();
        jedis.scriptFlush();
        jedis.functionFlush();
        for (int i = 0; i < SCRIPTS; i++) {
            shas.add(jedis.scriptLoad("return {redis.call('incr', KEYS[1]), ARGV[1], " + i + "}"));
        }
        assertEquals("swaplib", jedis.functionLoad(LIBRARY));
    }

    @After
    public void cleanUp() throws Exception {
        try (Stream<Path> files = Files.list(deploy)) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
        if (scripting().getState() != Bundle.ACTIVE) {
            scripting().start();
        }
        String shipped = distributionVersion();
        Await.until("the distribution's scripting bundle", CHANGE,
                () -> scripting().getState() == Bundle.ACTIVE && shipped.equals(scripting().getVersion().toString()));
        jedis.close();
    }

    @Test
    public void updatingTheScriptingBundleUnderLoadKeepsEveryScriptAndFunction() throws Exception {
        jedis.configSet("busy-reply-threshold", "4321");
        List<Boolean> exists = jedis.scriptExists(shas.toArray(String[]::new));
        Object libraries = functionList();
        Bundle bundle = scripting();
        BundleRevision oldRevision = bundle.adapt(BundleRevision.class);
        ClassLoader oldLoader = bundle.adapt(BundleWiring.class).getClassLoader();
        assertSame(oldLoader, providerClassLoader(bundle));

        Load load = new Load(8);
        Await.until("load to start", CHANGE, () -> load.ops.get() > 500);
        long before = load.ops.get();
        ModulesTest.writeAtomically(deploy.resolve("scripting.jar"), ModulesTest.withVersion(scriptingJar(), "0.1.1"));
        Await.until("scripting 0.1.1", CHANGE, () -> "0.1.1".equals(bundle.getVersion().toString()));
        Await.until("load after the swap", CHANGE, () -> load.ops.get() > before + 1000);
        load.stop();

        assertEquals(List.of(), load.errors);
        assertEquals("same bundle, new revision", bundle.getBundleId(), scripting().getBundleId());
        assertNotEquals(oldRevision, bundle.adapt(BundleRevision.class));
        ClassLoader newLoader = bundle.adapt(BundleWiring.class).getClassLoader();
        assertNotEquals(oldLoader, newLoader);
        assertSame("the commands are served by the new revision's classes", newLoader, providerClassLoader(bundle));
        assertEquals(exists, jedis.scriptExists(shas.toArray(String[]::new)));
        assertEquals(libraries, functionList());
        assertEquals("4321", jedis.configGet("busy-reply-threshold").get("busy-reply-threshold"));
        assertTrue(jedis.info("memory").contains("number_of_cached_scripts:" + SCRIPTS + "\r\n"));
        load.assertCountersMatch();

        // back to the distribution's jar: a second swap, the state goes along again
        Files.delete(deploy.resolve("scripting.jar"));
        Await.until("scripting back to the distribution's jar", CHANGE,
                () -> !"0.1.1".equals(scripting().getVersion().toString()));
        assertEquals(exists, jedis.scriptExists(shas.toArray(String[]::new)));
        assertEquals(libraries, functionList());
        assertEquals(List.of(1L, "x", 3L), jedis.evalsha(shas.get(3), List.of("fresh"), List.of("x")));
    }

    @Test
    public void stoppingAndStartingTheScriptingBundleKeepsItsState() throws Exception {
        Object libraries = functionList();
        Bundle bundle = scripting();
        // from this thread, not an engine task: the commands are missing while the bundle is stopped
        bundle.stop();
        try {
            jedis.evalsha(shas.get(0), List.of("k"), List.of("a"));
            fail("EVALSHA while the scripting bundle is stopped");
        } catch (JedisDataException e) {
            assertTrue(e.getMessage(), e.getMessage().startsWith("ERR unknown command 'EVALSHA'"));
        } finally {
            bundle.start();
        }
        assertStateBack(0, libraries);
        assertEquals(1L, jedis.fcall("bump", List.of("f"), List.of()));
    }

    @Test
    public void uninstallingAndInstallingTheScriptingBundleAgainKeepsItsState() throws Exception {
        Object libraries = functionList();
        Bundle old = scripting();
        String location = old.getLocation();
        old.uninstall();
        Bundle again = context.installBundle(location);
        again.start();
        assertNotEquals("a new bundle", old.getBundleId(), again.getBundleId());
        assertStateBack(7, libraries);
    }

    @Test
    public void anUpdateRequestedWhileAScriptRunsWaitsForIt() throws Exception {
        jedis.configSet("busy-reply-threshold", "50");
        Bundle bundle = scripting();
        byte[] newJar = ModulesTest.withVersion(scriptingJar(), "0.1.2");
        List<Object> scriptReply = Collections.synchronizedList(new ArrayList<>());
        Thread runner = new Thread(() -> {
            try (Jedis c = JedisInFrameworkTest.connect(port)) {
                scriptReply.add(c.eval("local n = 0 for i = 1, tonumber(ARGV[1]) do n = n + 1 end "
                        + "redis.call('set', 'done', n) return n", List.of(), List.of("40000000")));
            } catch (RuntimeException e) {
                scriptReply.add(e.toString());
            }
        });
        runner.start();
        try (Jedis other = JedisInFrameworkTest.connect(port)) {
            Await.until("the script to be busy", CHANGE, () -> {
                try {
                    other.ping();
                    return false;
                } catch (JedisDataException e) {
                    return e.getMessage().startsWith("BUSY");
                }
            });
        }
        // as MODULE LOAD and the deploy folder do: the update is one engine task
        AtomicBoolean scriptDoneFirst = new AtomicBoolean();
        Future<?> update = engine.executor().submit(() -> {
            scriptDoneFirst.set(engine.keyspace().db(0).get("done".getBytes(StandardCharsets.UTF_8)) != null);
            bundle.update(new ByteArrayInputStream(newJar));
            return null;
        });
        update.get(2, TimeUnit.MINUTES);
        runner.join(60_000);
        assertEquals(List.of(40000000L), scriptReply);
        assertTrue("the update ran after the script", scriptDoneFirst.get());
        assertEquals("0.1.2", bundle.getVersion().toString());
        assertEquals(List.of(1L, "a", 5L), jedis.evalsha(shas.get(5), List.of("k"), List.of("a")));
        assertEquals(1L, jedis.fcall("bump", List.of("f"), List.of()));
        // back to the distribution's jar, also as one engine task
        engine.executor().submit(() -> {
            bundle.update(Files.newInputStream(scriptingJar()));
            return null;
        }).get(2, TimeUnit.MINUTES);
        assertEquals(2L, jedis.fcall("bump", List.of("f"), List.of()));
    }

    /** Clients looping EVALSHA, FCALL and FCALL_RO, each on its own keys, checking every reply. */
    private final class Load {
        final List<String> errors = Collections.synchronizedList(new ArrayList<>());
        final AtomicBoolean running = new AtomicBoolean(true);
        final AtomicLong ops = new AtomicLong();
        final long[] evals;
        final long[] bumps;
        final List<Thread> threads = new ArrayList<>();

        Load(int clients) {
            evals = new long[clients];
            bumps = new long[clients];
            for (int t = 0; t < clients; t++) {
                int id = t;
                Thread thread = new Thread(() -> run(id));
                thread.start();
                threads.add(thread);
            }
        }

        private void run(int id) {
            try (Jedis c = JedisInFrameworkTest.connect(port)) {
                for (long n = 0; running.get(); n++) {
                    int script = (int) (n % SCRIPTS);
                    Object r = c.evalsha(shas.get(script), List.of("e:" + id), List.of("a" + n));
                    expect(List.of(++evals[id], "a" + n, (long) script), r, "EVALSHA");
                    expect(++bumps[id], c.fcall("bump", List.of("f:" + id), List.of()), "FCALL");
                    expect("x" + n, c.fcallReadonly("echo", List.of(), List.of("x" + n)), "FCALL_RO");
                    ops.addAndGet(3);
                }
            } catch (RuntimeException e) {
                errors.add(e.toString());
            }
        }

        private void expect(Object expected, Object actual, String command) {
            if (!expected.equals(actual)) {
                errors.add(command + ": expected " + expected + ", got " + actual);
            }
        }

        void stop() throws InterruptedException {
            running.set(false);
            for (Thread t : threads) {
                t.join(30_000);
            }
        }

        void assertCountersMatch() {
            for (int id = 0; id < evals.length; id++) {
                assertEquals(Long.toString(evals[id]), jedis.get("e:" + id));
                assertEquals(Long.toString(bumps[id]), jedis.get("f:" + id));
            }
        }
    }

    // ---- helpers ----

    /** Once the commands are back: script {@code script} runs by its SHA, and nothing is missing. */
    private void assertStateBack(int script, Object libraries) {
        Await.until("EVALSHA back", CHANGE, () -> {
            try {
                return List.of(1L, "a", (long) script).equals(jedis.evalsha(shas.get(script), List.of("k"),
                        List.of("a")));
            } catch (JedisDataException e) {
                return false;
            }
        });
        assertEquals(Collections.nCopies(SCRIPTS, true), jedis.scriptExists(shas.toArray(String[]::new)));
        assertEquals(libraries, functionList());
    }

    private Object functionList() {
        return ModulesTest.decode(jedis.sendCommand(Protocol.Command.FUNCTION, "LIST", "WITHCODE"));
    }

    private ClassLoader providerClassLoader(Bundle bundle) throws Exception {
        for (ServiceReference<CommandProvider> ref : context.getServiceReferences(CommandProvider.class, null)) {
            if (ref.getBundle() == bundle) {
                CommandProvider p = context.getService(ref);
                try {
                    assertNotNull(p);
                    return p.getClass().getClassLoader();
                } finally {
                    context.ungetService(ref);
                }
            }
        }
        throw new AssertionError("no command provider of " + bundle);
    }

    private Bundle scripting() {
        for (Bundle b : context.getBundles()) {
            if (SCRIPTING.equals(b.getSymbolicName()) && b.getState() != Bundle.UNINSTALLED) {
                return b;
            }
        }
        throw new AssertionError("no scripting bundle");
    }

    private static Path scriptingJar() {
        for (Path p : ModisFramework.distributionBundles()) {
            if (p.getFileName().toString().startsWith("modis-scripting-lua")) {
                return p;
            }
        }
        throw new IllegalStateException("no scripting jar in the distribution");
    }

    private static String distributionVersion() {
        try (java.util.jar.JarFile jar = new java.util.jar.JarFile(scriptingJar().toFile())) {
            return org.osgi.framework.Version.parseVersion(
                    jar.getManifest().getMainAttributes().getValue("Bundle-Version")).toString();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
