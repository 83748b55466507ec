package io.modis.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.modis.api.ConfigParam;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigRegistryTest {
    @Test
    void aBundleParameterKeepsItsValueWhenItsBundleIsSwapped() {
        ConfigRegistry r = new ConfigRegistry(Map.of());
        ConfigParam v1 = ConfigParam.integer("mod.limit", 10, 0, 1000).build();
        r.register(v1);
        r.set("mod.limit", "42");
        r.unregister(v1);
        assertNull(r.get("mod.limit"), "gone from CONFIG GET while no bundle provides it");
        ConfigParam v2 = ConfigParam.integer("mod.limit", 10, 0, 1000).build();
        r.register(v2);
        assertEquals("42", r.get("mod.limit"));
        assertEquals(42L, r.getLong("mod.limit"));
    }

    @Test
    void directivesAndSetAreWhatTheApiOffersModules() {
        ConfigRegistry r = new ConfigRegistry(Map.of());
        r.directives(List.of(List.of("loadmodule", "/x.jar", "a")));
        assertEquals(List.of(List.of("loadmodule", "/x.jar", "a")), r.directives());
        r.register(ConfigParam.bool("mod.flag", false).build());
        r.set("mod.flag", "yes");
        assertEquals("yes", r.get("mod.flag"));
    }
}
