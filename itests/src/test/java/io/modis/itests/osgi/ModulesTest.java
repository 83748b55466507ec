package io.modis.itests.osgi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.options;

import io.modis.api.Engine;
import io.modis.itests.Await;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
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
import redis.clients.jedis.Jedis;
import redis.clients.jedis.commands.ProtocolCommand;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.util.SafeEncoder;

/**
 * The modules bundle in the distribution's framework: MODULE LOAD/LOADEX/UNLOAD/LIST with
 * Redis's replies and errors, the deploy folder (install, update in place, uninstall, bad
 * jars), and type bundles leaving and coming back while clients keep working.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ModulesTest {

    private static final ProtocolCommand MODULE = () -> SafeEncoder.encode("MODULE");
    private static final ProtocolCommand REVERSE = () -> SafeEncoder.encode("STRTOOLS.REVERSE");
    private static final ProtocolCommand BF_ADD = () -> SafeEncoder.encode("BF.ADD");
    private static final ProtocolCommand BF_EXISTS = () -> SafeEncoder.encode("BF.EXISTS");
    private static final String TOOLS = "io.modis.examples.stringtools";
    private static final String ZSETS = "io.modis.type-zset";
    private static final String LOAD_ERROR = "ERR Error loading the extension. Please check the server logs.";
    private static final Duration CHANGE = Duration.ofSeconds(30);
    /** Where the probe finds the deploy folder the configuration created (same JVM, other class loader). */
    private static final String DEPLOY_PROPERTY = "modis.itest.deploy-dir";

    @Inject
    @Filter(timeout = 60_000)
    private Engine engine;

    @Inject
    private BundleContext context;

    private Jedis jedis;
    private Path deploy;

    @Configuration
    public Option[] configuration() throws IOException {
        Path dir = Files.createTempDirectory("modis-deploy");
        System.setProperty(DEPLOY_PROPERTY, dir.toString());
        return options(ModisFramework.server(ModisFramework.freePort(), "--enable-module-command", "yes",
                "--deploy-dir", dir.toString()), ModisFramework.jedis());
    }

    @Before
    public void connect() throws IOException {
        deploy = Path.of(System.getProperty(DEPLOY_PROPERTY));
        int port = (int) engine.config().getLong("port");
        Await.listening(port, Duration.ofSeconds(30));
        jedis = JedisInFrameworkTest.connect(port);
        jedis.flushAll();
    }

    @After
    public void cleanUp() throws Exception {
        try (Stream<Path> files = Files.list(deploy)) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
        for (Map<String, Object> m : list()) {
            if (!String.valueOf(m.get("path")).startsWith(deploy.toString())) {
                jedis.sendCommand(MODULE, "UNLOAD", (String) m.get("name"));
            }
        }
        Await.until("the deploy folder's modules to go", CHANGE, () -> list().isEmpty());
        Bundle zsets = bundle(ZSETS);
        if (zsets.getState() != Bundle.ACTIVE) {
            zsets.start();
        }
        jedis.close();
    }

    @Test
    public void moduleLoadStartsTheBundleAndUnloadUninstallsIt() {
        jedis.set("k", "hello");
        String path = toolsJar().toString();
        assertEquals("OK", str(jedis.sendCommand(MODULE, "LOAD", path, "first", "second")));
        // the commands are there for the very next command of the same client
        assertEquals("olleh", str(jedis.sendCommand(REVERSE, "k")));
        List<Map<String, Object>> list = list();
        assertEquals(1, list.size());
        assertEquals(TOOLS, list.get(0).get("name"));
        assertEquals(100L, list.get(0).get("ver"));
        assertEquals(path, list.get(0).get("path"));
        assertEquals(List.of("first", "second"), list.get(0).get("args"));
        assertTrue(info().contains("module:name=" + TOOLS + ",ver=100,api=1,filters=0,usedby=[],using=[],options=[]"));

        assertError(LOAD_ERROR, () -> jedis.sendCommand(MODULE, "LOAD", path));

        assertEquals("OK", str(jedis.sendCommand(MODULE, "UNLOAD", TOOLS)));
        assertNull(bundle(TOOLS));
        assertError("ERR unknown command 'STRTOOLS.REVERSE', with args beginning with: 'k' ",
                () -> jedis.sendCommand(REVERSE, "k"));
        assertError("ERR Error unloading module: no such module with that name",
                () -> jedis.sendCommand(MODULE, "UNLOAD", TOOLS));
        assertEquals("the data the module changed stays", "olleh", jedis.get("k"));
    }

    @Test
    public void loadexAppliesConfigsAndArgsAndRefusesWhatItCannotApply() {
        String path = toolsJar().toString();
        assertError(LOAD_ERROR, () -> jedis.sendCommand(MODULE, "LOADEX", path, "CONFIG", "strtools.nosuch", "1"));
        assertNull("a module whose configs cannot be applied is unloaded", bundle(TOOLS));
        assertError(LOAD_ERROR, () -> jedis.sendCommand(MODULE, "LOADEX", path, "BOGUS"));
        assertError(LOAD_ERROR, () -> jedis.sendCommand(MODULE, "LOADEX", path, "CONFIG", "x"));
        assertEquals("OK", str(jedis.sendCommand(MODULE, "LOADEX", path, "ARGS", "a", "b")));
        assertEquals(List.of("a", "b"), list().get(0).get("args"));
    }

    @Test
    public void badJarsAreRefusedWithRedisErrorAndTheServerKeepsServing() throws IOException {
        Path notAJar = deploy.getParent().resolve("modis-not-a-jar-" + ProcessHandle.current().pid() + ".jar");
        Files.writeString(notAJar, "not a jar");
        Path unresolved = writeJar(deploy.getParent(), "unresolved", Map.of(
                "Bundle-SymbolicName", "test.unresolved", "Import-Package", "com.example.nowhere"));
        Path badActivator = writeJar(deploy.getParent(), "bad-activator", Map.of(
                "Bundle-SymbolicName", "test.badactivator", "Bundle-Activator", "com.example.Missing"));
        try {
            for (Path p : List.of(notAJar, unresolved, badActivator, Path.of("/nonexistent/module.jar"))) {
                assertError(LOAD_ERROR, () -> jedis.sendCommand(MODULE, "LOAD", p.toString()));
            }
            assertNull(bundle("test.unresolved"));
            assertNull(bundle("test.badactivator"));
            assertTrue(list().isEmpty());
            assertEquals("PONG", jedis.ping());
        } finally {
            Files.deleteIfExists(notAJar);
            Files.deleteIfExists(unresolved);
            Files.deleteIfExists(badActivator);
        }
    }

    @Test
    public void aComponentThatThrowsInActivationFailsTheLoadAndNothingStays() throws Exception {
        Path jar = failingComponentJar(deploy.getParent());
        try {
            assertError(LOAD_ERROR, () -> jedis.sendCommand(MODULE, "LOAD", jar.toString()));
            assertNull(bundle("test.failing"));
            // dropped in the deploy folder, the same jar is reported with the reason
            Files.copy(jar, deploy.resolve("failing.jar"));
            Map<String, Object> failed = Await.value("the failing jar's report", CHANGE, () -> list().stream()
                    .filter(m -> m.containsKey("error")).findFirst().orElse(null));
            assertTrue(String.valueOf(failed.get("error")),
                    String.valueOf(failed.get("error")).contains("component test.Failing failed to activate"));
            assertNull(bundle("test.failing"));
            assertEquals("PONG", jedis.ping());
        } finally {
            Files.deleteIfExists(jar);
        }
    }

    /** A bundle with one Declarative Services component whose activate method throws, compiled here. */
    private static Path failingComponentJar(Path dir) throws IOException {
        Path src = Files.createTempDirectory("modis-failing");
        Path java = src.resolve("test/Failing.java");
        Files.createDirectories(java.getParent());
        Files.writeString(java, "package test; public class Failing { public Failing() { } "
                + "protected void activate() { throw new IllegalStateException(\"refusing to start\"); } }");
        javax.tools.JavaCompiler javac = javax.tools.ToolProvider.getSystemJavaCompiler();
        assertEquals(0, javac.run(null, null, null, "--release", "17", "-d", src.toString(), java.toString()));
        Manifest mf = new Manifest();
        mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        mf.getMainAttributes().putValue("Bundle-ManifestVersion", "2");
        mf.getMainAttributes().putValue("Bundle-SymbolicName", "test.failing");
        mf.getMainAttributes().putValue("Service-Component", "OSGI-INF/test.Failing.xml");
        Path jar = dir.resolve("modis-test-failing-" + ProcessHandle.current().pid() + ".jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), mf)) {
            out.putNextEntry(new JarEntry("test/Failing.class"));
            out.write(Files.readAllBytes(src.resolve("test/Failing.class")));
            out.closeEntry();
            out.putNextEntry(new JarEntry("OSGI-INF/test.Failing.xml"));
            out.write(("<scr:component xmlns:scr=\"http://www.osgi.org/xmlns/scr/v1.3.0\" name=\"test.Failing\" "
                    + "immediate=\"true\"><implementation class=\"test.Failing\"/></scr:component>")
                    .getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        return jar;
    }

    @Test
    public void theDeployFolderInstallsUpdatesInPlaceAndUninstalls() throws Exception {
        jedis.set("k", "hello");
        long clientId = jedis.clientId();
        Path jar = deploy.resolve("tools.jar");
        Files.copy(toolsJar(), jar);
        assertEquals("olleh", Await.value("the deployed command", CHANGE, () -> {
            try {
                return str(jedis.sendCommand(REVERSE, "k"));
            } catch (JedisDataException e) {
                return null;
            }
        }));
        Bundle first = bundle(TOOLS);
        assertEquals(jar.toString(), list().get(0).get("path"));

        writeAtomically(jar, withVersion(toolsJar(), "0.2.0"));
        Await.until("the update to version 0.2.0", CHANGE, () -> Long.valueOf(200).equals(list().get(0).get("ver")));
        assertEquals("updated in place: the same bundle", first.getBundleId(), bundle(TOOLS).getBundleId());
        // STRTOOLS.REVERSE reverses the value in place: back to the original
        assertEquals("hello", str(jedis.sendCommand(REVERSE, "k")));

        Files.writeString(deploy.resolve("broken.jar"), "garbage");
        Map<String, Object> broken = Await.value("the broken jar's report", CHANGE, () -> list().stream()
                .filter(m -> m.containsKey("error")).findFirst().orElse(null));
        assertEquals("broken.jar", broken.get("name"));
        assertTrue(String.valueOf(broken.get("error")), String.valueOf(broken.get("error")).contains("not"));
        assertTrue(info().contains("module_error:path=" + deploy.resolve("broken.jar")));

        Files.delete(jar);
        Await.until("the module to go", CHANGE, () -> bundle(TOOLS) == null);
        assertError("ERR unknown command 'STRTOOLS.REVERSE', with args beginning with: 'k' ",
                () -> jedis.sendCommand(REVERSE, "k"));
        assertEquals(clientId, jedis.clientId());
    }

    @Test
    public void aStoppedTypeBundleLeavesItsValuesAsBlobsThatReviveWhenItReturns() throws Exception {
        jedis.zadd("z", Map.of("a", 1.0, "b", 2.0, "c", 3.0));
        jedis.geoadd("g", 13.361389, 38.115556, "Palermo");
        jedis.pexpire("z", 600_000);
        bundle(ZSETS).stop();

        assertEquals("zset", jedis.type("z"));
        assertEquals("zset", jedis.type("g"));
        assertEquals(2, jedis.exists("z", "g"));
        assertTrue(jedis.pttl("z") > 500_000);
        assertError("ERR unknown command 'ZRANGE', with args beginning with: 'z' '0' '-1' ",
                () -> jedis.zrange("z", 0, -1));
        // persisted as they are: DUMP writes the blob's payload, which the returning type reads
        byte[] dumped = jedis.dump("z");
        assertNotNull(dumped);

        bundle(ZSETS).start();
        assertEquals(List.of("a", "b", "c"), Await.value("ZRANGE to come back", CHANGE, () -> {
            try {
                return jedis.zrange("z", 0, -1);
            } catch (JedisDataException e) {
                return null;
            }
        }));
        assertEquals(1, Await.value("GEOPOS to come back", CHANGE, () -> {
            try {
                return jedis.geopos("g", "Palermo").size();
            } catch (JedisDataException e) {
                return null;
            }
        }).intValue());
        assertEquals(3.0, jedis.zscore("z", "c"), 0);
        assertEquals("OK", jedis.restore("z2", 0, dumped));
        assertEquals(List.of("a", "b", "c"), jedis.zrange("z2", 0, -1));
    }

    @Test
    public void aModuleDataTypeSurvivesUnloadAndReload() {
        String path = System.getProperty("modis.bloom-filter.jar");
        assertEquals("OK", str(jedis.sendCommand(MODULE, "LOAD", path)));
        assertEquals(1L, jedis.sendCommand(BF_ADD, "bf", "apple"));
        assertEquals("OK", str(jedis.sendCommand(MODULE, "UNLOAD", "bf")));

        assertEquals("MBbloom--", jedis.type("bf"));
        assertError("ERR unknown command 'BF.EXISTS', with args beginning with: 'bf' 'apple' ",
                () -> jedis.sendCommand(BF_EXISTS, "bf", "apple"));

        assertEquals("OK", str(jedis.sendCommand(MODULE, "LOAD", path)));
        assertEquals(1L, jedis.sendCommand(BF_EXISTS, "bf", "apple"));
        assertEquals(0L, jedis.sendCommand(BF_EXISTS, "bf", "pear"));
    }

    @Test
    public void updatingTheSortedSetBundleUnderLoadLosesNothingAndNoClientSeesAnError() throws Exception {
        int sets = 2000;
        for (int i = 0; i < sets; i++) {
            jedis.zadd("s:" + i, 0, "m0");
        }
        int port = (int) engine.config().getLong("port");
        int clients = 20;
        List<String> errors = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
        java.util.concurrent.atomic.AtomicLong ops = new java.util.concurrent.atomic.AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < clients; t++) {
            int id = t;
            Thread thread = new Thread(() -> {
                try (Jedis c = JedisInFrameworkTest.connect(port)) {
                    long n = 0;
                    while (running.get()) {
                        String key = "s:" + ((id * 7919 + n * 31) % sets);
                        String member = "c" + id + "-" + n;
                        c.zadd(key, n, member);
                        if (c.zrank(key, member) == null) {
                            errors.add("ZRANK lost " + member + " in " + key);
                        }
                        c.zrange(key, 0, 2);
                        n++;
                        ops.incrementAndGet();
                    }
                } catch (RuntimeException e) {
                    errors.add(e.toString());
                }
            });
            thread.start();
            threads.add(thread);
        }
        Await.until("load to start", CHANGE, () -> ops.get() > 1000);
        Bundle zsets = bundle(ZSETS);
        long before = ops.get();
        writeAtomically(deploy.resolve("zset.jar"), withVersion(jarOf(zsets), "0.1.1"));
        Await.until("type-zset 0.1.1", CHANGE, () -> "0.1.1".equals(zsets.getVersion().toString()));
        Await.until("load after the swap", CHANGE, () -> ops.get() > before + 2000);
        running.set(false);
        for (Thread t : threads) {
            t.join(30_000);
        }
        assertEquals(List.of(), errors);
        assertEquals(sets, jedis.dbSize());
        for (int i = 0; i < sets; i++) {
            assertNotNull(jedis.zscore("s:" + i, "m0"));
        }
        assertEquals("same bundle, new revision", zsets.getBundleId(), bundle(ZSETS).getBundleId());

        Files.delete(deploy.resolve("zset.jar"));
        Await.until("type-zset back to the distribution's jar", CHANGE,
                () -> !"0.1.1".equals(bundle(ZSETS).getVersion().toString()));
        assertEquals(Double.valueOf(0), jedis.zscore("s:0", "m0"));
    }

    // ---- helpers ----

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> list() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object entry : (List<Object>) jedis.sendCommand(MODULE, "LIST")) {
            List<Object> kv = (List<Object>) entry;
            Map<String, Object> m = new java.util.LinkedHashMap<>();
            for (int i = 0; i < kv.size(); i += 2) {
                m.put(str(kv.get(i)), decode(kv.get(i + 1)));
            }
            out.add(m);
        }
        return out;
    }

    static Object decode(Object o) {
        if (o instanceof byte[] b) {
            return new String(b, StandardCharsets.UTF_8);
        }
        if (o instanceof List<?> l) {
            return l.stream().map(ModulesTest::decode).toList();
        }
        return o;
    }

    private String info() {
        return jedis.info("modules");
    }

    private static String str(Object reply) {
        return reply instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(reply);
    }

    private Bundle bundle(String symbolicName) {
        for (Bundle b : context.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName()) && b.getState() != Bundle.UNINSTALLED) {
                return b;
            }
        }
        return null;
    }

    private static void assertError(String expected, Runnable command) {
        try {
            command.run();
            fail("expected " + expected);
        } catch (JedisDataException e) {
            assertEquals(expected, e.getMessage());
        }
    }

    private static Path toolsJar() {
        return Path.of(System.getProperty("modis.string-tools.jar"));
    }

    private static Path jarOf(Bundle b) {
        for (Path p : ModisFramework.distributionBundles()) {
            if (p.toUri().toString().equals(b.getLocation())) {
                return p;
            }
        }
        throw new IllegalStateException("no jar for " + b.getLocation());
    }

    /** The jar with another Bundle-Version: a new version of the same bundle. */
    static byte[] withVersion(Path jar, String version) {
        try (JarInputStream in = new JarInputStream(Files.newInputStream(jar))) {
            Manifest mf = new Manifest(in.getManifest());
            mf.getMainAttributes().putValue("Bundle-Version", version);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (JarOutputStream out = new JarOutputStream(bytes, mf)) {
                JarEntry e;
                while ((e = in.getNextJarEntry()) != null) {
                    out.putNextEntry(new JarEntry(e.getName()));
                    in.transferTo(out);
                    out.closeEntry();
                }
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A jar with only a manifest. */
    private static Path writeJar(Path dir, String name, Map<String, String> headers) throws IOException {
        Manifest mf = new Manifest();
        mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        mf.getMainAttributes().putValue("Bundle-ManifestVersion", "2");
        headers.forEach(mf.getMainAttributes()::putValue);
        Path p = dir.resolve("modis-test-" + name + "-" + ProcessHandle.current().pid() + ".jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(p), mf)) {
            out.flush();
        }
        return p;
    }

    /** Writes next to the target and renames, as a deploy tool should (no half-written jar is seen). */
    static void writeAtomically(Path target, byte[] bytes) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".part");
        Files.write(tmp, bytes);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
