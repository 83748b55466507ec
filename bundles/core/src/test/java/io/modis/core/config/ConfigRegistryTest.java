package io.modis.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modis.api.CommandException;
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

    @Test
    void redisHiddenParametersAnswerOnlyWhenNamed() {
        ConfigRegistry r = new ConfigRegistry(Map.of("maxmemory", "0"));
        r.register(ConfigParam.integer("key-load-delay", 0, Integer.MIN_VALUE, Integer.MAX_VALUE).build());
        Map<String, String> all = r.get(List.of("*"));
        assertTrue(all.containsKey("maxmemory"));
        assertFalse(all.containsKey("key-load-delay"), "a pattern leaves Redis's hidden parameters out");
        assertEquals(Map.of("key-load-delay", "0"), r.get(List.of("key-load-delay")));
    }

    @Test
    void shutdownFlagsArePrintedInRedisOrder() {
        ConfigRegistry r = new ConfigRegistry(Map.of("shutdown-on-sigint", "default", "shutdown-on-sigterm", "default"));
        r.set("shutdown-on-sigint", "nosave force now");
        assertEquals("nosave now force", r.get("shutdown-on-sigint"));
        r.set("shutdown-on-sigint", "default");
        assertEquals("default", r.get("shutdown-on-sigint"));
        CommandException both = assertThrows(CommandException.class, () -> r.set("shutdown-on-sigterm", "save nosave"));
        assertEquals("ERR CONFIG SET failed (possibly related to argument 'shutdown-on-sigterm') - shutdown options"
                + " SAVE and NOSAVE can't be used simultaneously", both.getMessage());
        assertEquals("default", r.get("shutdown-on-sigterm"), "a rejected value changes nothing");
    }

    @Test
    void aRefusedApplyStepRollsTheWholeConfigSetBack() {
        ConfigRegistry r = new ConfigRegistry(Map.of());
        r.register(ConfigParam.integer("first", 1, 0, 100).build());
        r.register(ConfigParam.integer("second", 1, 0, 100).build());
        List<Object> firstApplied = new java.util.ArrayList<>();
        r.onApply("first", firstApplied::add);
        r.onApply("second", v -> {
            if ((Long) v == 13) {
                throw new IllegalArgumentException("Unable to listen on this port");
            }
        });
        CommandException e = assertThrows(CommandException.class,
                () -> r.set(List.of(new String[] {"first", "5"}, new String[] {"second", "13"}), true));
        assertEquals("ERR CONFIG SET failed (possibly related to argument 'second') - Unable to listen on this port",
                e.getMessage());
        assertEquals("1", r.get("first"));
        assertEquals("1", r.get("second"));
        assertEquals(List.of(5L, 1L), firstApplied, "the step that ran is given the old value back");
        Runnable remove = r.onApply("second", v -> {
            throw new IllegalArgumentException("never");
        });
        remove.run();
        r.set("second", "7");
        assertEquals("7", r.get("second"));
    }
}
