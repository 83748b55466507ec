package io.modis.modules;

import io.modis.api.CommandException;
import io.modis.api.Config;
import io.modis.api.ServerLog;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/**
 * The loaded modules and the bundle operations behind MODULE LOAD/UNLOAD, loadmodule and the
 * deploy folder. Every method runs on the engine thread: installing, starting, updating and
 * uninstalling a bundle there means that the core sees its services come and go between two
 * commands, so every command runs entirely on the old or entirely on the new code, and no
 * client gets an "unknown command" in between.
 */
final class Modules {
    private final BundleContext context;
    private final Config config;
    private final ServerLog log;
    private final Supplier<ServiceComponentRuntime> scr;
    /** By name, in load order. */
    private final Map<String, Module> loaded = new LinkedHashMap<>();
    /** Deploy-folder jars that failed, by path. */
    private final Map<String, Failure> failures = new LinkedHashMap<>();

    Modules(BundleContext context, Config config, ServerLog log, Supplier<ServiceComponentRuntime> scr) {
        this.context = context;
        this.config = config;
        this.log = log;
        this.scr = scr;
    }

    List<Module> loaded() {
        return List.copyOf(loaded.values());
    }

    List<Failure> failures() {
        return List.copyOf(failures.values());
    }

    /**
     * MODULE LOAD / LOADEX and loadmodule: installs and starts the jar at {@code path}, then
     * applies {@code configs} (name, value pairs). On any failure nothing stays installed.
     */
    Module load(String path, List<String> args, List<String[]> configs, Module.Source source) throws LoadException {
        Path file = resolve(path);
        byte[] jar;
        try {
            jar = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new LoadException("Module " + path + " failed to load: " + describe(e));
        }
        String location = "modis:module:" + file;
        if (context.getBundle(location) != null) {
            throw new LoadException("Module " + path + " failed to load: it is already loaded");
        }
        Module m = install(path, location, jar, args, source);
        try {
            for (String[] c : configs) {
                config.set(c[0], c[1]);
            }
        } catch (CommandException | IllegalArgumentException e) {
            unloadQuietly(m);
            throw new LoadException("Loadex configurations were not applied, likely due to invalid arguments ("
                    + e.getMessage() + "). Unloading the module.");
        }
        if (source == Module.Source.CONFIG) {
            applyFileConfigs(m);
        }
        log.notice("Module '" + m.name() + "' loaded from " + path);
        return m;
    }

    /**
     * MODULE UNLOAD: stops and uninstalls the module's bundle (its values of data types stay, as
     * blobs). A bundle of the distribution replaced through the deploy folder goes back to the
     * distribution's jar instead.
     */
    void unload(String name) throws LoadException {
        Module m = loaded.get(name);
        if (m == null) {
            throw new LoadException("no such module with that name");
        }
        if (m.source() == Module.Source.REPLACED) {
            try {
                m.bundle().update();
            } catch (BundleException | IllegalStateException e) {
                log.warning("Bundle " + name + " could not go back to its original jar: " + reason(e));
                throw new LoadException("operation not possible.");
            }
            loaded.remove(name);
            refreshIfNeeded();
            log.notice("Bundle " + name + " is back to " + m.bundle().getLocation());
            return;
        }
        try {
            m.bundle().uninstall();
        } catch (BundleException | IllegalStateException e) {
            log.warning("Module " + name + " could not be unloaded: " + e.getMessage());
            throw new LoadException("operation not possible.");
        }
        loaded.remove(name);
        refreshIfNeeded();
        log.notice("Module " + name + " unloaded");
    }

    /** The deploy folder: a jar appeared or changed. Installs it, or updates its bundle in place. */
    void deployed(Path file, byte[] jar) {
        String path = file.toString();
        failures.remove(path);
        Module current = byPath(path, Module.Source.DEPLOY);
        try {
            Bundle installed = current == null ? installedBundle(jar) : null;
            if (installed != null) {
                replaceInstalled(path, installed, jar);
            } else if (current == null) {
                Module m = install(path, "modis:deploy:" + file, jar, List.of(), Module.Source.DEPLOY);
                applyFileConfigs(m);
                log.notice("Module '" + m.name() + "' loaded from " + path);
            } else {
                update(current, jar);
            }
        } catch (LoadException e) {
            failures.put(path, new Failure(path, e.getMessage()));
            log.warning(e.getMessage());
        }
    }

    /** The deploy folder: a jar went away. Uninstalls its bundle. */
    void undeployed(Path file) {
        String path = file.toString();
        failures.remove(path);
        Module m = byPath(path, Module.Source.DEPLOY);
        if (m != null) {
            try {
                unload(m.name());
            } catch (LoadException e) {
                log.warning("Module " + m.name() + " (" + path + ") could not be unloaded: " + e.getMessage());
            }
        }
    }

    /**
     * A bundle that is already installed (by the launcher, say) with the jar's symbolic name and
     * that is not a module: dropping such a jar in the deploy folder updates it in place.
     */
    private Bundle installedBundle(byte[] jar) {
        String name = symbolicName(jar);
        if (name == null) {
            return null;
        }
        for (Bundle b : context.getBundles()) {
            if (name.equals(b.getSymbolicName()) && b.getBundleId() != 0 && !isModule(b)) {
                return b;
            }
        }
        return null;
    }

    private boolean isModule(Bundle b) {
        for (Module m : loaded.values()) {
            if (m.bundle().equals(b)) {
                return true;
            }
        }
        return false;
    }

    private void replaceInstalled(String path, Bundle bundle, byte[] jar) throws LoadException {
        Module m = new Module(Module.nameOf(bundle), Module.verOf(bundle.getVersion()), path, List.of(), bundle,
                Module.Source.REPLACED);
        update(m, jar);
    }

    static String symbolicName(byte[] jar) {
        try (JarInputStream in = new JarInputStream(new ByteArrayInputStream(jar))) {
            Manifest mf = in.getManifest();
            String bsn = mf == null ? null : mf.getMainAttributes().getValue("Bundle-SymbolicName");
            return bsn == null ? null : bsn.split(";", 2)[0].trim();
        } catch (IOException e) {
            return null;
        }
    }

    private Module byPath(String path, Module.Source source) {
        for (Module m : loaded.values()) {
            if ((m.source() == source || m.source() == Module.Source.REPLACED) && m.path().equals(path)) {
                return m;
            }
        }
        return null;
    }

    private Module install(String path, String location, byte[] jar, List<String> args, Module.Source source)
            throws LoadException {
        String problem = notABundle(jar);
        if (problem != null) {
            throw new LoadException("Module " + path + " failed to load: " + problem);
        }
        Bundle bundle;
        try {
            bundle = context.installBundle(location, new ByteArrayInputStream(jar));
        } catch (BundleException | IllegalStateException | SecurityException e) {
            throw new LoadException("Module " + path + " failed to load: " + e.getMessage());
        }
        String name = Module.nameOf(bundle);
        if (loaded.containsKey(name)) {
            uninstallQuietly(bundle);
            throw new LoadException("Module " + path + " failed to load: a module named '" + name + "' is already loaded");
        }
        try {
            bundle.start();
        } catch (BundleException | IllegalStateException | SecurityException e) {
            uninstallQuietly(bundle);
            throw new LoadException("Module " + path + " failed to load: " + reason(e));
        }
        String failed = failedComponents(bundle);
        if (failed != null) {
            uninstallQuietly(bundle);
            throw new LoadException("Module " + path + " failed to load: " + failed);
        }
        Module m = new Module(name, Module.verOf(bundle.getVersion()), path, List.copyOf(args), bundle, source);
        loaded.put(name, m);
        return m;
    }

    /** Replaces a deployed module's bundle with the new jar, in place, between two commands. */
    private void update(Module m, byte[] jar) throws LoadException {
        String problem = notABundle(jar);
        if (problem != null) {
            throw new LoadException("Module " + m.path() + " failed to update: " + problem
                    + " (the previous version keeps running)");
        }
        long start = System.nanoTime();
        String failed;
        try {
            m.bundle().update(new ByteArrayInputStream(jar));
            refreshIfNeeded();
            failed = failedComponents(m.bundle());
        } catch (BundleException | IllegalStateException | SecurityException e) {
            failed = reason(e);
        }
        if (failed != null) {
            abandon(m);
            throw new LoadException("Module " + m.path() + " failed to update: " + failed);
        }
        loaded.remove(m.name());
        Module updated = new Module(Module.nameOf(m.bundle()), Module.verOf(m.bundle().getVersion()), m.path(),
                m.args(), m.bundle(), m.source());
        loaded.put(updated.name(), updated);
        log.notice("Module '" + updated.name() + "' updated in place from " + m.path() + " in "
                + (System.nanoTime() - start) / 1_000_000 + " ms");
    }

    /**
     * After a failed update: a module goes away; a bundle of the distribution goes back to its
     * original jar.
     */
    private void abandon(Module m) {
        loaded.remove(m.name());
        if (m.source() != Module.Source.REPLACED) {
            uninstallQuietly(m.bundle());
            return;
        }
        try {
            m.bundle().update();
            if (m.bundle().getState() != Bundle.ACTIVE) {
                m.bundle().start();
            }
        } catch (BundleException | IllegalStateException e) {
            log.warning("Bundle " + m.name() + " could not go back to its original jar: " + reason(e));
        }
        refreshIfNeeded();
    }

    /** Module parameters given in the configuration file before their module was loaded. */
    private void applyFileConfigs(Module m) {
        String prefix = m.name().toLowerCase(java.util.Locale.ROOT) + ".";
        for (List<String> d : config.directives()) {
            String name = d.get(0).toLowerCase(java.util.Locale.ROOT);
            if (name.startsWith(prefix) && d.size() >= 2 && config.get(name) != null) {
                try {
                    config.set(name, String.join(" ", d.subList(1, d.size())));
                } catch (CommandException | IllegalArgumentException e) {
                    log.warning("Module " + m.name() + ": configuration '" + name + "' from the config file refused: "
                            + e.getMessage());
                }
            }
        }
    }

    private void unloadQuietly(Module m) {
        loaded.remove(m.name());
        uninstallQuietly(m.bundle());
    }

    private void uninstallQuietly(Bundle b) {
        try {
            b.uninstall();
        } catch (BundleException | IllegalStateException e) {
            log.warning("Could not uninstall " + b.getSymbolicName() + ": " + e.getMessage());
        }
        refreshIfNeeded();
    }

    /**
     * Old revisions that other bundles still use are dropped by a refresh (in the background);
     * a bundle nothing imports from leaves no such revision, and nothing is restarted.
     */
    private void refreshIfNeeded() {
        FrameworkWiring wiring = context.getBundle(0).adapt(FrameworkWiring.class);
        if (wiring != null && !wiring.getRemovalPendingBundles().isEmpty()) {
            wiring.refreshBundles(null);
        }
    }

    /** The components of the bundle whose activation threw, with the exception, or null. */
    private String failedComponents(Bundle bundle) {
        ServiceComponentRuntime runtime = scr.get();
        if (runtime == null) {
            return null;
        }
        List<String> failed = new ArrayList<>();
        for (ComponentDescriptionDTO d : runtime.getComponentDescriptionDTOs(bundle)) {
            for (ComponentConfigurationDTO c : runtime.getComponentConfigurationDTOs(d)) {
                if (c.state == ComponentConfigurationDTO.FAILED_ACTIVATION) {
                    String failure = c.failure == null ? "" : c.failure.lines().findFirst().orElse("");
                    failed.add("component " + d.name + " failed to activate: " + failure);
                }
            }
        }
        return failed.isEmpty() ? null : String.join("; ", failed);
    }

    /** Null if the bytes are a jar with a bundle manifest, else what is wrong. */
    static String notABundle(byte[] jar) {
        try (JarInputStream in = new JarInputStream(new ByteArrayInputStream(jar))) {
            Manifest mf = in.getManifest();
            if (mf == null) {
                return "not an OSGi bundle (no manifest)";
            }
            if (mf.getMainAttributes().getValue("Bundle-SymbolicName") == null) {
                return "not an OSGi bundle (no Bundle-SymbolicName in its manifest)";
            }
            return null;
        } catch (IOException e) {
            return "not a jar (" + e.getMessage() + ")";
        }
    }

    /** A relative path is taken from the server's working directory ({@code dir}), as Redis does. */
    static Path resolve(String path) {
        Path p = Path.of(path);
        if (p.isAbsolute()) {
            return p.normalize();
        }
        String dir = System.getProperty("modis.dir");
        return (dir == null ? p.toAbsolutePath() : Path.of(dir).resolve(p)).normalize();
    }

    private static String describe(IOException e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "No such file or directory";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "Permission denied";
        }
        return e.getMessage();
    }

    private static String reason(Throwable e) {
        StringBuilder sb = new StringBuilder(String.valueOf(e.getMessage()));
        Throwable cause = e.getCause();
        while (cause != null && cause != e) {
            sb.append(" (caused by ").append(cause).append(')');
            e = cause;
            cause = cause.getCause();
        }
        return sb.toString().lines().findFirst().orElse("");
    }
}
