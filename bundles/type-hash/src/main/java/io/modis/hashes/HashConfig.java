package io.modis.hashes;

import io.modis.api.ConfigParam;
import io.modis.api.ConfigProvider;
import java.util.List;
import org.osgi.service.component.annotations.Component;

/**
 * The hash parameters, with Redis 7.0's names, aliases, defaults and ranges. Their values are
 * kept in {@link HashType#INSTANCE} as they change, where commands and RDB restores read them.
 */
@Component(service = ConfigProvider.class)
public final class HashConfig implements ConfigProvider {
    @Override
    public List<ConfigParam> configParams() {
        return List.of(
                ConfigParam.integer("hash-max-listpack-entries", HashLimits.DEFAULT_MAX_ENTRIES, 0, Long.MAX_VALUE)
                        .alias("hash-max-ziplist-entries")
                        .onChange(v -> HashType.INSTANCE.maxEntries((Long) v))
                        .build(),
                ConfigParam.memory("hash-max-listpack-value", HashLimits.DEFAULT_MAX_VALUE, 0, Long.MAX_VALUE)
                        .alias("hash-max-ziplist-value")
                        .onChange(v -> HashType.INSTANCE.maxValue((Long) v))
                        .build());
    }
}
