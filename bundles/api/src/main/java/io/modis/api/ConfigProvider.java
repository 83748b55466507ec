package io.modis.api;

import java.util.List;

/** A service contributing configuration parameters (CONFIG GET/SET, redis.conf directives). */
public interface ConfigProvider {
    List<ConfigParam> configParams();
}
