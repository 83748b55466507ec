package io.modis.modules;

import java.util.List;
import org.osgi.framework.Bundle;
import org.osgi.framework.Version;

/**
 * A loaded module: the bundle, the name MODULE LIST and MODULE UNLOAD use (the manifest's
 * {@code Modis-Module} header, else the bundle's symbolic name), its version as Redis's integer
 * {@code ver}, the path it was loaded from and its arguments.
 */
record Module(String name, int ver, String path, List<String> args, Bundle bundle, Source source) {
    /**
     * Where a module came from: MODULE LOAD, loadmodule, a jar of the deploy folder, or a deploy
     * jar that replaced a bundle the distribution had installed (the same symbolic name).
     */
    enum Source { COMMAND, CONFIG, DEPLOY, REPLACED }

    /** The manifest header naming a module; without it the symbolic name is the module's name. */
    static final String NAME_HEADER = "Modis-Module";

    static String nameOf(Bundle bundle) {
        String declared = bundle.getHeaders().get(NAME_HEADER);
        return declared != null && !declared.isBlank() ? declared.trim() : bundle.getSymbolicName();
    }

    /** Redis modules report an integer version; 1.2.3 becomes 10203 (RedisBloom's style). */
    static int verOf(Version v) {
        return v.getMajor() * 10000 + Math.min(v.getMinor(), 99) * 100 + Math.min(v.getMicro(), 99);
    }
}
