package io.modis.streams;

import io.modis.api.ConfigParam;
import io.modis.api.ConfigProvider;
import java.util.List;
import org.osgi.service.component.annotations.Component;

/**
 * stream-node-max-bytes and stream-node-max-entries, with Redis 7.0's defaults and ranges. Their
 * values are kept in {@link StreamType#INSTANCE}, where XADD and restores read them.
 */
@Component(service = ConfigProvider.class)
public final class StreamConfig implements ConfigProvider {
    @Override
    public List<ConfigParam> configParams() {
        return List.of(
                ConfigParam.memory("stream-node-max-bytes", StreamType.DEFAULT_NODE_MAX_BYTES, 0, Long.MAX_VALUE)
                        .onChange(v -> StreamType.INSTANCE.nodeMaxBytes = (Long) v)
                        .build(),
                ConfigParam.integer("stream-node-max-entries", StreamType.DEFAULT_NODE_MAX_ENTRIES, 0, Long.MAX_VALUE)
                        .onChange(v -> StreamType.INSTANCE.nodeMaxEntries = (Long) v)
                        .build());
    }
}
