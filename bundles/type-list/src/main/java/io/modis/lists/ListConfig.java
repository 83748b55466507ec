package io.modis.lists;

import io.modis.api.ConfigParam;
import io.modis.api.ConfigProvider;
import java.util.List;
import org.osgi.service.component.annotations.Component;

/** The list parameters, with Redis 7.0's names, aliases, ranges and defaults. */
@Component(service = ConfigProvider.class)
public final class ListConfig implements ConfigProvider {
    @Override
    public List<ConfigParam> configParams() {
        return List.of(
                ConfigParam.integer("list-max-listpack-size", ListTuning.DEFAULT_FILL,
                                Integer.MIN_VALUE, Integer.MAX_VALUE)
                        .alias("list-max-ziplist-size")
                        .onChange(v -> ListTuning.fill((int) (long) (Long) v))
                        .build(),
                ConfigParam.integer("list-compress-depth", 0, 0, Integer.MAX_VALUE)
                        .onChange(v -> ListTuning.compressDepth((int) (long) (Long) v))
                        .build());
    }
}
