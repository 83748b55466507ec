package io.modis.itests.osgi;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.maven;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;
import static org.ops4j.pax.exam.CoreOptions.systemPackages;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.CoreOptions.systemTimeout;
import static org.ops4j.pax.exam.CoreOptions.wrappedBundle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.options.UrlProvisionOption;

/**
 * Pax Exam options for a Felix that runs exactly what the distribution runs: every jar of the
 * assembled {@code distribution/target/modis/bundles/}, at the launcher's start levels, with the
 * launcher's framework properties and {@code modis.argv}; plus the client libraries the tests
 * drive the server with, at a level of their own.
 */
final class ModisFramework {

    /** Same rule as the launcher's {@code StartLevels}: logging, then Declarative Services, then the rest. */
    static final int LOGGING = 1;
    static final int SERVICES = 2;
    static final int SERVER = 3;
    /** Client libraries; Pax Exam's probe (the test classes) comes at 5. */
    static final int CLIENTS = 4;

    private ModisFramework() {
    }

    /** The distribution's bundles, as {@code modis-server --port <port> --save '' <more>}. */
    static Option server(int port, String... more) {
        List<String> argv = new ArrayList<>(List.of("--port", Integer.toString(port), "--save", ""));
        argv.addAll(List.of(more));
        List<Option> options = new ArrayList<>();
        // As the launcher: the core reads its command line from modis.argv (NUL-separated) and
        // configures itself on the framework's STARTED event, which comes once level 3 is reached.
        options.add(frameworkProperty("modis.argv").value(String.join("\u0000", argv)));
        options.add(frameworkProperty("modis.home").value(distribution().toString()));
        options.add(frameworkProperty("org.osgi.framework.startlevel.beginning").value(Integer.toString(SERVER)));
        // As the launcher (Netty reaches for Unsafe); an option, not the framework property, which
        // would replace the Pax Exam packages the container adds to the same list.
        options.add(systemPackages("sun.misc", "sun.nio.ch"));
        for (Path jar : distributionBundles()) {
            options.add(provision(jar));
        }
        options.add(junitBundles());
        // Fail in a minute, not Pax Exam's default three, when the framework does not start or stop.
        options.add(systemTimeout(60_000));
        return composite(options.toArray(Option[]::new));
    }

    /** Jedis and what it imports (it is a bundle itself). */
    static Option jedis() {
        return composite(
                mavenBundle("org.apache.commons", "commons-pool2").versionAsInProject().startLevel(CLIENTS),
                mavenBundle("com.google.code.gson", "gson").versionAsInProject().startLevel(CLIENTS),
                mavenBundle("org.json", "json").versionAsInProject().startLevel(CLIENTS),
                mavenBundle("redis.clients.authentication", "redis-authx-core").versionAsInProject().startLevel(CLIENTS),
                mavenBundle("redis.clients", "jedis").versionAsInProject().startLevel(CLIENTS));
    }

    /**
     * Lettuce, a plain jar, wrapped into a bundle. Its imports are optional because it probes
     * for what it may use (Kotlin, Micrometer, ...) and falls back when absent; Netty comes from
     * the distribution's bundles, plus the DNS resolver Lettuce cannot do without.
     */
    static Option lettuce() {
        return composite(
                // Lettuce's JFR events fail to construct in the wrapped bundle ("argument type mismatch")
                systemProperty("io.lettuce.core.jfr").value("false"),
                mavenBundle("io.netty", "netty-codec-dns").versionAsInProject().startLevel(CLIENTS),
                mavenBundle("io.netty", "netty-resolver-dns").versionAsInProject().startLevel(CLIENTS),
                mavenBundle("org.reactivestreams", "reactive-streams").versionAsInProject().startLevel(CLIENTS),
                mavenBundle("io.projectreactor", "reactor-core").versionAsInProject().startLevel(CLIENTS),
                wrappedBundle(maven("io.lettuce", "lettuce-core").versionAsInProject())
                        .bundleSymbolicName("io.lettuce.core")
                        .bundleVersion("7.7.0")
                        .exports("io.lettuce.core.*;version=7.7.0")
                        .imports("*;resolution:=optional")
                        .startLevel(CLIENTS));
    }

    /** A port nothing listens on now. */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path distribution() {
        return Path.of(System.getProperty("modis.dist.dir", "../distribution/target/modis")).toAbsolutePath().normalize();
    }

    /** The jars of the assembled profile, by start level then file name, as the launcher installs them. */
    static List<Path> distributionBundles() {
        Path dir = distribution().resolve("bundles");
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException(dir + " is missing: build the distribution first (mvn install)");
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static UrlProvisionOption provision(Path jar) {
        Attributes manifest = manifest(jar);
        String symbolicName = manifest.getValue("Bundle-SymbolicName").split(";", 2)[0].trim();
        boolean fragment = manifest.getValue("Fragment-Host") != null;
        UrlProvisionOption option = bundle(jar.toUri().toString()).startLevel(startLevel(symbolicName));
        // A fragment (Netty's native epoll library) is resolved with its host, never started.
        return fragment ? option.noStart() : option;
    }

    static int startLevel(String symbolicName) {
        if (Stream.of("org.apache.aries.spifly.", "org.objectweb.asm", "slf4j.", "ch.qos.logback.").anyMatch(symbolicName::startsWith)) {
            return LOGGING;
        }
        if (Stream.of("org.osgi.", "org.apache.felix.scr").anyMatch(symbolicName::startsWith)) {
            return SERVICES;
        }
        return SERVER;
    }

    private static Attributes manifest(Path jar) {
        try (JarFile file = new JarFile(jar.toFile())) {
            if (file.getManifest() == null || file.getManifest().getMainAttributes().getValue("Bundle-SymbolicName") == null) {
                throw new IllegalStateException(jar + " is not an OSGi bundle");
            }
            return file.getManifest().getMainAttributes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
