package io.modis.core.config;

import io.modis.api.CommandException;
import io.modis.api.ConfigParam;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The config file and command line, read as redis-server reads them. */
class ConfigLoaderTest {
    private ConfigRegistry registry;
    private final List<Object> hzChanges = new ArrayList<>();

    @BeforeEach
    void setUp() {
        Map<String, String> redisDefaults = new LinkedHashMap<>();
        redisDefaults.put("save", "3600 1 300 100 60 10000");
        redisDefaults.put("appendonly", "no");
        redisDefaults.put("maxmemory-clients", "0");
        registry = new ConfigRegistry(redisDefaults);
        registry.register(ConfigParam.integer("port", 6379, 0, 65535).build());
        registry.register(ConfigParam.enumeration("loglevel", "notice", "debug", "verbose", "notice", "warning").build());
        registry.register(ConfigParam.memory("maxmemory", 0, 0, Long.MAX_VALUE).build());
        registry.register(ConfigParam.bool("protected-mode", true).build());
        registry.register(ConfigParam.integer("hz", 10, 0, 500).onChange(hzChanges::add).build());
        registry.register(ConfigParam.integer("databases", 16, 1, 1000).flags(ConfigParam.Flag.IMMUTABLE).build());
    }

    private ConfigLoader load(String... argv) throws ConfigError {
        ConfigLoader loader = new ConfigLoader(registry);
        loader.load(argv);
        return loader;
    }

    @Test
    void optionsFollowTheFileAndTheLastOneWins(@TempDir Path dir) throws Exception {
        Path conf = dir.resolve("modis.conf");
        Files.writeString(conf, "# comment\nport 7000\nmaxmemory 1mb\n\nloglevel verbose\n");
        ConfigLoader loader = load(conf.toString(), "--port", "7001", "--maxmemory 700mb");
        assertEquals("7001", registry.get("port"));
        assertEquals("734003200", registry.get("maxmemory"));
        assertEquals("verbose", registry.get("loglevel"));
        assertEquals(conf.toAbsolutePath().toString(), loader.configFile());
    }

    @Test
    void bareSaveMeansNoSavePoints() throws Exception {
        load("--save", "--port", "7002");
        assertEquals("", registry.get("save"));
        assertEquals("7002", registry.get("port"));
        setUp();
        load("--port", "7003", "--save");
        assertEquals("", registry.get("save"));
    }

    @Test
    void saveLinesAccumulateWithinOneLoad() throws Exception {
        new ConfigLoader(registry).loadString("save 900 1\nsave 300 10\n");
        assertEquals("900 1 300 10", registry.get("save"));
        new ConfigLoader(registry).loadString("save \"\"\n");
        assertEquals("", registry.get("save"));
    }

    @Test
    void parametersNoBundleProvidesAreKeptAsText() throws Exception {
        load("--appendonly", "yes", "--maxmemory-clients", "10mb");
        assertEquals("yes", registry.get("appendonly"));
        // numeric by Redis's default: a memory value is kept as bytes, as Redis prints it
        assertEquals("10485760", registry.get("maxmemory-clients"));
    }

    @Test
    void errorsAreReportedAsRedisDoes() {
        ConfigError missing = assertThrows(ConfigError.class, () -> load("--port"));
        assertTrue(missing.report().contains("*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***"), missing.report());
        assertTrue(missing.report().contains("Reading the configuration file, at line 2\n>>> 'port'\n"
                + "wrong number of arguments\n"), missing.report());
        assertEquals("argument couldn't be parsed into an integer",
                assertThrows(ConfigError.class, () -> load("--port", "--bla")).getMessage());
        assertEquals("argument must be between 0 and 65535 inclusive",
                assertThrows(ConfigError.class, () -> load("--port", "70000")).getMessage());
        assertEquals("argument(s) must be one of the following: debug, verbose, notice, warning",
                assertThrows(ConfigError.class, () -> load("--loglevel", "loud")).getMessage());
        assertEquals("argument must be 'yes' or 'no'",
                assertThrows(ConfigError.class, () -> load("--protected-mode", "maybe")).getMessage());
        assertEquals("argument must be a memory value",
                assertThrows(ConfigError.class, () -> load("--maxmemory", "lots")).getMessage());
        assertEquals("Bad directive or wrong number of arguments",
                assertThrows(ConfigError.class, () -> load("--nosuchdirective", "1")).getMessage());
        ConfigError twoValues = assertThrows(ConfigError.class, () -> load("--port", "6379", "6380"));
        assertTrue(twoValues.report().contains(">>> 'port \"6379\" \"6380\"'"), twoValues.report());
        assertEquals("Unbalanced quotes in configuration line",
                assertThrows(ConfigError.class, () -> new ConfigLoader(registry).loadString("port \"7000\n"))
                        .getMessage());
    }

    @Test
    void configSetIsAllOrNothing() {
        hzChanges.clear();
        CommandException bad = assertThrows(CommandException.class,
                () -> registry.set(List.of(new String[] {"hz", "20"}, new String[] {"maxmemory", "lots"}), true));
        assertEquals("ERR CONFIG SET failed (possibly related to argument 'maxmemory') - argument must be a memory value",
                bad.getMessage());
        assertEquals("10", registry.get("hz"));
        assertEquals(List.of(20L, 10L), hzChanges, "applied, then rolled back");
        assertEquals("ERR Unknown option or number of arguments for CONFIG SET - 'nope'",
                assertThrows(CommandException.class,
                        () -> registry.set(List.<String[]>of(new String[] {"nope", "1"}), true)).getMessage());
        assertEquals("ERR CONFIG SET failed (possibly related to argument 'databases') - can't set immutable config",
                assertThrows(CommandException.class,
                        () -> registry.set(List.<String[]>of(new String[] {"databases", "4"}), true)).getMessage());
        assertEquals("ERR CONFIG SET failed (possibly related to argument 'hz') - duplicate parameter",
                assertThrows(CommandException.class, () -> registry.set(
                        List.of(new String[] {"hz", "1"}, new String[] {"hz", "2"}), true)).getMessage());
        registry.set(List.of(new String[] {"hz", "30"}, new String[] {"maxmemory", "2mb"}), true);
        assertEquals("30", registry.get("hz"));
        assertEquals("2097152", registry.get("maxmemory"));
    }

    @Test
    void configGetMatchesGlobsAndNamesOnce() {
        Map<String, String> got = registry.get(List.of("max*", "maxmemory", "port"));
        assertEquals("0", got.get("maxmemory"));
        assertEquals("0", got.get("maxmemory-clients"));
        assertEquals("6379", got.get("port"));
        assertEquals(3, got.size());
    }
}
