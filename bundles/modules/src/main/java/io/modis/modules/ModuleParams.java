package io.modis.modules;

import io.modis.api.ConfigParam;
import io.modis.api.ConfigProvider;
import java.util.List;
import org.osgi.service.component.annotations.Component;

/**
 * The parameters of module loading, registered before the core reads the configuration file (so
 * they are accepted there): Redis's {@code enable-module-command}, and Modis's
 * {@code deploy-dir}, the folder whose jars are installed, updated and uninstalled as they
 * appear, change and go (empty: no deploy folder).
 */
@Component(service = ConfigProvider.class)
public final class ModuleParams implements ConfigProvider {
    static final String ENABLE = "enable-module-command";
    static final String DEPLOY_DIR = "deploy-dir";

    @Override
    public List<ConfigParam> configParams() {
        return List.of(
                ConfigParam.enumeration(ENABLE, "no", "no", "yes", "local").flags(ConfigParam.Flag.IMMUTABLE).build(),
                ConfigParam.string(DEPLOY_DIR, "deploy").build());
    }
}
