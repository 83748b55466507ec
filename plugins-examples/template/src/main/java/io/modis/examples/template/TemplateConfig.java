package io.modis.examples.template;

import io.modis.api.ConfigParam;
import io.modis.api.ConfigProvider;
import java.util.List;
import org.osgi.service.component.annotations.Component;

/**
 * A module parameter: {@code template.max-increment}, in CONFIG GET/SET, the config file
 * ({@code template.max-increment 1000} after {@code loadmodule}) and MODULE LOADEX's CONFIG.
 * Name module parameters {@code <module name>.<param>}, as Redis module configs are.
 */
@Component(service = ConfigProvider.class)
public final class TemplateConfig implements ConfigProvider {
    static final String MAX_INCREMENT = "template.max-increment";
    /** Read by the commands on the engine thread; written by CONFIG SET, also on the engine thread. */
    static volatile long maxIncrement = 1_000_000;

    @Override
    public List<ConfigParam> configParams() {
        return List.of(ConfigParam.integer(MAX_INCREMENT, 1_000_000, 1, Long.MAX_VALUE)
                .onChange(v -> maxIncrement = (Long) v).build());
    }
}
