package io.modis.launcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;

/**
 * {@code modis-server [config-file] [--option value ...]}: boots the OSGi framework with the
 * bundles of the distribution and lives as long as it does.
 *
 * <p>Standard output belongs to the server's Redis-format log, which test harnesses read, so
 * the launcher itself writes only to standard error.
 */
public final class Main {

    static final String VERSION_LINE =
            "Redis server v=7.0.15 sha=00000000:0 malloc=libc bits=64 build=modis";

    static final String USAGE = """
            Usage: modis-server [/path/to/modis.conf] [options]
                   modis-server -v or --version
                   modis-server -h or --help

            Examples:
                   modis-server (run the server with default conf)
                   modis-server conf/modis.conf
                   modis-server --port 7777
                   modis-server --port 7777 --replicaof 127.0.0.1 8888
                   modis-server /etc/modis.conf --loglevel verbose

            Options are the configuration directives of redis.conf (see conf/modis.conf).
            Environment: JAVA_HOME (a JDK 17 or newer), MODIS_JAVA_OPTS (extra JVM options).
            """;

    private Main() {
    }

    public static void main(String[] args) {
        // Like redis-server, only the first argument is looked at for these.
        if (args.length > 0) {
            switch (args[0]) {
                case "-v", "--version" -> {
                    System.out.println(VERSION_LINE);
                    System.exit(0);
                }
                case "-h", "--help" -> {
                    System.out.print(USAGE);
                    System.exit(0);
                }
                default -> { }
            }
        }
        logWarningsToStderr();
        System.exit(run(List.of(args)));
    }

    private static int run(List<String> args) {
        Path home = home();
        Path storage;
        Framework framework;
        try {
            String report = ConfigCheck.run(FrameworkLauncher.BundleJar.listIn(home.resolve("bundles")), args);
            if (report != null) {
                System.err.print(report);
                System.err.flush();
                return 1;
            }
        } catch (java.io.IOException e) {
            System.err.println("modis: cannot read the bundles directory: " + e);
            return 1;
        }
        try {
            storage = Files.createTempDirectory("modis-felix-");
            Runtime.getRuntime().addShutdownHook(
                    new Thread(() -> Storage.delete(storage), "modis-storage-cleanup"));
            framework = FrameworkLauncher.launch(home, home.resolve("bundles"), storage, args);
        } catch (Exception e) {
            System.err.println("modis: cannot start the OSGi framework: " + e);
            e.printStackTrace();
            return 1;
        }
        StopOnSignal.install(framework);
        try {
            FrameworkEvent stopped = framework.waitForStop(0);
            if (stopped.getType() == FrameworkEvent.ERROR) {
                System.err.println("modis: the framework stopped with an error: " + stopped.getThrowable());
                return 1;
            }
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    /** The distribution directory: -Dmodis.home (set by bin/modis-server), else the parent of lib/. */
    static Path home() {
        String configured = System.getProperty("modis.home");
        if (configured != null && !configured.isEmpty()) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        try {
            Path jar = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return jar.getParent().getParent();
        } catch (Exception e) {
            return Path.of("").toAbsolutePath();
        }
    }

    /**
     * Libraries log warnings and errors only, to stderr: slf4j-simple (it reads these
     * properties once) and java.util.logging, which SPI Fly uses. -D options given in
     * MODIS_JAVA_OPTS win.
     */
    private static void logWarningsToStderr() {
        setIfAbsent("org.slf4j.simpleLogger.logFile", "System.err");
        setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        if (System.getProperty("java.util.logging.config.file") == null
                && System.getProperty("java.util.logging.config.class") == null) {
            java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
        }
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
