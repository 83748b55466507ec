package io.modis.core;

import io.modis.api.ConfigParam;
import io.modis.core.config.ConfigError;
import io.modis.core.config.ConfigLoader;
import io.modis.core.config.ConfigRegistry;

import java.util.Collection;

/**
 * The launcher's check of {@code modis-server [config-file] [--option value ...]} before the
 * framework starts, so that a bad configuration ends the process at once instead of after the
 * bundles have started. It reads the arguments with the core's own loader, against Redis 7.0's
 * parameter table, the core's parameters (their values are parsed as at start-up) and the names
 * the distribution's bundles declare; parameters of other bundles are checked by name and number
 * of arguments here and by value when the core starts. Module parameters (dotted names) are left
 * to their bundles, as Redis leaves them to their modules.
 *
 * <p>Plain Java: the launcher calls it from a class loader over the api and core jars.
 */
public final class LaunchCheck {
    private LaunchCheck() {
    }

    /**
     * @param argv the server's arguments
     * @param bundleParams parameter names bundles of the distribution declare beyond Redis's table
     * @return Redis's fatal config error report for stderr, or null when the arguments load
     */
    public static String check(String[] argv, Collection<String> bundleParams) {
        try {
            new ConfigLoader(registry(bundleParams)).load(argv);
            return null;
        } catch (ConfigError e) {
            return e.report();
        }
    }

    /** The registry the check loads into: every value parsed, no listener run. */
    static ConfigRegistry registry(Collection<String> bundleParams) {
        ConfigRegistry registry = new ConfigRegistry(ConfigRegistry.redis70Defaults(), true);
        for (ConfigParam p : CoreParams.create(null)) {
            registry.register(p);
        }
        for (ConfigParam p : new OpsConfig().params()) {
            registry.register(p);
        }
        for (String name : bundleParams) {
            registry.allow(name);
        }
        return registry;
    }
}
