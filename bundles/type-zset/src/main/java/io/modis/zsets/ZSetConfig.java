package io.modis.zsets;

import io.modis.api.ConfigParam;
import io.modis.api.ConfigProvider;
import java.util.List;
import org.osgi.service.component.annotations.Component;

/**
 * The sorted-set parameters, with Redis 7.0's names, old ziplist aliases, defaults and ranges.
 * Commands read them at command time; the type keeps a copy for values it restores.
 */
@Component(service = ConfigProvider.class)
public final class ZSetConfig implements ConfigProvider {
    @Override
    public List<ConfigParam> configParams() {
        return List.of(
                ConfigParam.integer(ListpackLimits.ENTRIES, ListpackLimits.DEFAULT.maxEntries(), 0, Long.MAX_VALUE)
                        .alias("zset-max-ziplist-entries")
                        .onChange(v -> ZSetType.INSTANCE.maxEntries((Long) v))
                        .build(),
                ConfigParam.memory(ListpackLimits.VALUE, ListpackLimits.DEFAULT.maxValue(), 0, Long.MAX_VALUE)
                        .alias("zset-max-ziplist-value")
                        .onChange(v -> ZSetType.INSTANCE.maxValue((Long) v))
                        .build());
    }
}
