package io.modis.hyperloglog;

import io.modis.api.Config;
import io.modis.api.ConfigParam;
import io.modis.api.ConfigProvider;
import java.util.List;
import org.osgi.service.component.annotations.Component;

/** hll-sparse-max-bytes: the longest a sparse HLL may grow before it turns dense. */
@Component(service = ConfigProvider.class)
public final class HllConfig implements ConfigProvider {
    static final String SPARSE_MAX_BYTES = "hll-sparse-max-bytes";
    static final long DEFAULT_SPARSE_MAX_BYTES = 3000;

    @Override
    public List<ConfigParam> configParams() {
        return List.of(ConfigParam.memory(SPARSE_MAX_BYTES, DEFAULT_SPARSE_MAX_BYTES, 0, Long.MAX_VALUE).build());
    }

    /** The current limit; Redis's default when the parameter is not registered. */
    static long sparseMaxBytes(Config config) {
        return config.value(SPARSE_MAX_BYTES) instanceof Long limit ? limit : DEFAULT_SPARSE_MAX_BYTES;
    }
}
