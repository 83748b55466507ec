package io.modis.examples.bloom;

import io.modis.api.Bytes;
import io.modis.api.Config;
import io.modis.api.ConfigParam;
import io.modis.api.ConfigProvider;
import org.osgi.service.component.annotations.Component;

import java.util.List;

/**
 * The defaults for filters that BF.ADD, BF.MADD and BF.INSERT create, under RedisBloom 8's
 * parameter names: {@code bf-error-rate} (0 to 1, exclusive), {@code bf-initial-size} (1 to
 * 2^30) and {@code bf-expansion-factor} (1 to 32768). They appear in CONFIG GET/SET and are
 * accepted in the configuration file.
 */
@Component(service = ConfigProvider.class)
public final class BloomConfig implements ConfigProvider {
    static final String ERROR_RATE = "bf-error-rate";
    static final String INITIAL_SIZE = "bf-initial-size";
    static final String EXPANSION = "bf-expansion-factor";

    @Override
    public List<ConfigParam> configParams() {
        return List.of(
                ConfigParam.special(ERROR_RATE, "0.01", BloomConfig::parseErrorRate, v -> Bytes.formatDouble((Double) v))
                        .build(),
                ConfigParam.integer(INITIAL_SIZE, BloomCommands.DEFAULT_CAPACITY, 1, 1L << 30).build(),
                ConfigParam.integer(EXPANSION, BloomCommands.DEFAULT_EXPANSION, 1, 32768).build());
    }

    private static Object parseErrorRate(String text) {
        double d;
        try {
            d = Bytes.parseDouble(Bytes.of(text));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Invalid value for `" + ERROR_RATE + "`");
        }
        if (!(d > 0 && d < 1)) {
            throw new IllegalArgumentException("Value for `" + ERROR_RATE + "` must be in the range (0, 1)");
        }
        return d;
    }

    /** The creation defaults now in force (RedisBloom's own when the parameters are not registered). */
    static BloomCommands.Options defaults(Config config) {
        BloomCommands.Options o = new BloomCommands.Options();
        if (config.value(ERROR_RATE) instanceof Double d) {
            o.errorRate = d;
        }
        if (config.value(INITIAL_SIZE) instanceof Long l) {
            o.capacity = l;
        }
        if (config.value(EXPANSION) instanceof Long l) {
            o.expansion = l;
        }
        return o;
    }
}
