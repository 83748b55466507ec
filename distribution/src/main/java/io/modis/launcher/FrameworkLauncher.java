package io.modis.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.framework.startlevel.BundleStartLevel;

/** Creates the framework, installs every jar of a bundles directory at its start level, starts it. */
final class FrameworkLauncher {

    /** Framework property holding the command line, arguments separated by U+0000. */
    static final String ARGV_PROPERTY = "modis.argv";
    static final String HOME_PROPERTY = "modis.home";

    private FrameworkLauncher() {
    }

    /**
     * Returns the framework once it has reached {@link StartLevels#FRAMEWORK} and started the
     * bundles it could. A bundle that fails to start is reported on stderr, not thrown.
     */
    static Framework launch(Path home, Path bundlesDir, Path storage, List<String> args)
            throws IOException, BundleException {
        List<BundleJar> jars = BundleJar.listIn(bundlesDir);
        Framework framework = frameworkFactory().newFramework(properties(home, storage, args));
        framework.init();
        BundleContext context = framework.getBundleContext();
        for (BundleJar jar : jars) {
            Bundle bundle = context.installBundle(jar.path().toUri().toString());
            bundle.adapt(BundleStartLevel.class).setStartLevel(jar.startLevel());
            if (!jar.fragment()) {
                bundle.start(); // marks it for start; it starts when the framework reaches its level
            }
        }
        framework.start();
        return framework;
    }

    static String joinArgv(List<String> args) {
        return String.join("\u0000", args);
    }

    private static Map<String, String> properties(Path home, Path storage, List<String> args) {
        Map<String, String> props = new HashMap<>();
        props.put(Constants.FRAMEWORK_STORAGE, storage.toString());
        props.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        // Netty reaches for sun.misc.Unsafe (and sun.nio.ch when allowed): export them from the JDK.
        props.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, "sun.misc,sun.nio.ch");
        props.put(Constants.FRAMEWORK_BEGINNING_STARTLEVEL, Integer.toString(StartLevels.FRAMEWORK));
        props.put(ARGV_PROPERTY, joinArgv(args));
        props.put(HOME_PROPERTY, home.toString());
        // -Dfelix.* and -Dorg.osgi.framework.* (e.g. -Dfelix.log.level=4) reach the framework.
        for (String name : System.getProperties().stringPropertyNames()) {
            if (name.startsWith("felix.") || name.startsWith("org.osgi.framework.")) {
                props.put(name, System.getProperty(name));
            }
        }
        Map<String, Object> felixObjects = new HashMap<>(props);
        felixObjects.put("felix.log.logger", new StderrLogger());
        @SuppressWarnings({"unchecked", "rawtypes"})
        Map<String, String> config = (Map) felixObjects;
        return config;
    }

    private static FrameworkFactory frameworkFactory() {
        return ServiceLoader.load(FrameworkFactory.class, FrameworkLauncher.class.getClassLoader())
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no OSGi framework in lib/"));
    }

    /** One jar of the bundles directory, with what the launcher needs to know before installing it. */
    record BundleJar(Path path, String symbolicName, boolean fragment, int startLevel, List<String> configParameters) {

        /**
         * Manifest header naming the configuration parameters a bundle provides that Redis 7.0's
         * table lacks (comma separated), so that the launcher's check accepts them.
         */
        static final String CONFIG_PARAMETERS = "Modis-Config-Parameters";

        /** Jars in install order: by start level, then by file name. */
        static List<BundleJar> listIn(Path dir) throws IOException {
            List<BundleJar> jars = new ArrayList<>();
            try (Stream<Path> files = Files.list(dir)) {
                for (Path path : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".jar"))::iterator) {
                    jars.add(read(path));
                }
            }
            jars.sort(Comparator.comparingInt(BundleJar::startLevel)
                    .thenComparing(jar -> jar.path().getFileName().toString()));
            return jars;
        }

        static BundleJar read(Path path) throws IOException {
            try (java.util.jar.JarFile jar = new java.util.jar.JarFile(path.toFile())) {
                java.util.jar.Manifest manifest = jar.getManifest();
                java.util.jar.Attributes main = manifest == null ? new java.util.jar.Attributes() : manifest.getMainAttributes();
                String name = main.getValue(Constants.BUNDLE_SYMBOLICNAME);
                if (name == null) {
                    throw new IOException(path + " is not an OSGi bundle (no Bundle-SymbolicName)");
                }
                String symbolicName = name.split(";", 2)[0].trim();
                boolean fragment = main.getValue(Constants.FRAGMENT_HOST) != null;
                String params = main.getValue(CONFIG_PARAMETERS);
                List<String> configParameters = params == null ? List.of()
                        : Stream.of(params.split(",")).map(String::trim).filter(n -> !n.isEmpty()).toList();
                return new BundleJar(path, symbolicName, fragment, StartLevels.of(symbolicName), configParameters);
            }
        }
    }
}
