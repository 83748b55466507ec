package io.modis.launcher;

import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks the configuration (config file and options) before the framework starts, with the
 * core bundle's own loader run from a plain class loader over the api and core jars: a bad
 * directive ends the process in well under a second instead of after every bundle has started.
 * Whatever this check cannot know (values of other bundles' parameters, module parameters) is
 * checked again when the core starts, as before.
 */
final class ConfigCheck {
    private static final String API = "io.modis.api";
    private static final String CORE = "io.modis.core";
    private static final String ENTRY = "io.modis.core.LaunchCheck";

    private ConfigCheck() {
    }

    /**
     * @return Redis's fatal config error report, or null when the configuration loads (or when the
     *     distribution has no core bundle to check it with: the framework then starts as before)
     */
    static String run(List<FrameworkLauncher.BundleJar> jars, List<String> args) {
        URL api = null;
        URL core = null;
        List<String> bundleParams = new ArrayList<>();
        try {
            for (FrameworkLauncher.BundleJar jar : jars) {
                if (jar.symbolicName().equals(API)) {
                    api = url(jar.path());
                } else if (jar.symbolicName().equals(CORE)) {
                    core = url(jar.path());
                }
                bundleParams.addAll(jar.configParameters());
            }
            if (api == null || core == null) {
                return null;
            }
            try (URLClassLoader loader = new URLClassLoader(new URL[] {api, core}, ConfigCheck.class.getClassLoader())) {
                Method check = loader.loadClass(ENTRY).getMethod("check", String[].class, java.util.Collection.class);
                return (String) check.invoke(null, args.toArray(new String[0]), bundleParams);
            }
        } catch (ReflectiveOperationException | java.io.IOException | LinkageError e) {
            // the core checks the configuration again when it starts
            System.err.println("modis: the configuration could not be checked before start-up: " + e);
            return null;
        }
    }

    private static URL url(Path path) throws java.net.MalformedURLException {
        return path.toUri().toURL();
    }
}
