package io.modis.sets;

import io.modis.api.ConfigParam;
import io.modis.api.ConfigProvider;
import java.util.List;
import org.osgi.service.component.annotations.Component;

/**
 * The set type's configuration: set-max-intset-entries with Redis's default and range. Its
 * value is pushed into {@link SetType}, where commands and {@code restore} read it.
 */
@Component(service = ConfigProvider.class)
public final class SetConfig implements ConfigProvider {
    static final String MAX_INTSET_ENTRIES = "set-max-intset-entries";

    private final List<ConfigParam> params = List.of(
            ConfigParam.integer(MAX_INTSET_ENTRIES, SetType.DEFAULT_MAX_INTSET_ENTRIES, 0, Long.MAX_VALUE)
                    .onChange(v -> SetType.INSTANCE.maxIntsetEntries((Long) v))
                    .build());

    @Override
    public List<ConfigParam> configParams() {
        return params;
    }
}
