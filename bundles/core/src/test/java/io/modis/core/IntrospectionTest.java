package io.modis.core;

import io.modis.api.Bytes;
import io.modis.api.Command;
import io.modis.api.CommandSpec;
import io.modis.api.InfoSection;
import io.modis.api.KeyFinder;
import io.modis.api.KeySpec;
import io.modis.api.StringValue;
import io.modis.core.TestServer.Err;
import io.modis.core.TestServer.Status;
import io.modis.core.TestServer.TestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.modis.api.CommandFlag.FAST;
import static io.modis.api.CommandFlag.NO_MANDATORY_KEYS;
import static io.modis.api.CommandFlag.READONLY;
import static io.modis.api.CommandFlag.WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IntrospectionTest {
    private TestServer ts;
    private TestClient c;

    /** Commands shaped like Redis's GET, SET and EVAL, so the assertions do not depend on other bundles. */
    static List<Command> sampleCommands() {
        return List.of(
                new Command(CommandSpec.of("tget", 2).flags(READONLY, FAST).acl("string").keys(1, 1, 1)
                        .keySpec(KeySpec.range(1, 0, 1, "RO", "ACCESS")).group("string").summary("Get it.")
                        .complexity("O(1)").build(), ctx -> ctx.reply().nil()),
                new Command(CommandSpec.of("tset", -3).flags(WRITE).acl("string").keys(1, 1, 1)
                        .keySpec(KeySpec.range(1, 0, 1, "OW", "UPDATE")).group("string").build(),
                        ctx -> ctx.reply().ok()),
                new Command(CommandSpec.of("teval", -3).flags(NO_MANDATORY_KEYS).acl("scripting")
                        .keySpec(KeySpec.keynum(2, 0, 1, 1, "RW", "ACCESS", "UPDATE")).group("scripting").build(),
                        ctx -> ctx.reply().nil()),
                // keys a spec cannot place: the key at 1, and one after the last "into"
                new Command(CommandSpec.of("tsort", -2).flags(WRITE).keys(1, 1, 1)
                        .keySpec(KeySpec.range(1, 0, 1, "RO", "ACCESS"))
                        .keySpec(KeySpec.unknown("OW", "UPDATE"))
                        .keyFinder(argv -> {
                            List<KeyFinder.Key> keys = new java.util.ArrayList<>(List.of(new KeyFinder.Key(1, 0)));
                            for (int i = argv.length - 2; i >= 2; i--) {
                                if (Bytes.is(argv[i], "into")) {
                                    keys.add(new KeyFinder.Key(i + 1, 1));
                                    break;
                                }
                            }
                            return keys;
                        }).build(),
                        ctx -> ctx.reply().nil()));
    }

    static TestServer serverWithIntrospection() {
        TestServer ts = new TestServer();
        ts.addCommands(List.of(new ConfigCommand(ts.server).command()));
        ts.addCommands(new Introspection(ts.server).commands());
        ts.addCommands(List.of(new ClientCommands(ts.server).command(), new DebugCommand(ts.server).command()));
        ts.addCommands(sampleCommands());
        return ts;
    }

    @BeforeEach
    void start() {
        ts = serverWithIntrospection();
        c = ts.client();
    }

    @AfterEach
    void stop() {
        ts.close();
    }

    private String info(String... sections) {
        String[] argv = new String[sections.length + 1];
        argv[0] = "info";
        System.arraycopy(sections, 0, argv, 1, sections.length);
        return (String) c.call(argv);
    }

    private static List<String> headers(String info) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("(?md)^# (\\w+)\r$").matcher(info);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    private static String field(String info, String name) {
        Matcher m = Pattern.compile("(?md)^" + Pattern.quote(name) + ":(.*)\r$").matcher(info);
        return m.find() ? m.group(1) : null;
    }

    // ---- INFO ----

    @Test
    void plainInfoShowsTheDefaultSectionsInRedisOrder() {
        String info = info();
        assertTrue(info.startsWith("# Server\r\nredis_version:7.0.15\r\n"), info);
        assertEquals(List.of("Server", "Clients", "Memory", "Persistence", "Stats", "Replication", "CPU", "Modules",
                "Errorstats", "Cluster", "Keyspace"), headers(info));
        assertTrue(info.contains("\r\n\r\n# Clients\r\n"));
        assertFalse(info.contains("cmdstat_"));
        assertEquals(headers(info), headers(info("default")));
    }

    @Test
    void sectionsAreChosenCaseInsensitivelyAndAllAddsCommandstats() {
        c.call("client", "id");
        String stats = info("commandSTATS");
        assertEquals(List.of("Commandstats"), headers(stats));
        assertTrue(stats.contains("cmdstat_client|id:calls=1,usec="), stats);
        assertTrue(stats.contains(",rejected_calls=0,failed_calls=0\r\n"), stats);

        String cpu = info("cpu", "sentinel");
        assertEquals(List.of("CPU"), headers(cpu));
        assertTrue(cpu.matches("(?s).*used_cpu_user:\\d+\\.\\d{6}\r\n.*"), cpu);

        List<String> all = headers(info("cpu", "all"));
        assertEquals(List.of("Server", "Clients", "Memory", "Persistence", "Stats", "Replication", "CPU", "Modules",
                "Commandstats", "Errorstats", "Latencystats", "Cluster", "Keyspace"), all);
    }

    @Test
    void serverSectionReportsIdentityAndConfiguration() {
        String info = info("server");
        assertEquals("standalone", field(info, "redis_mode"));
        assertEquals("64", field(info, "arch_bits"));
        assertEquals(ts.server.runId, field(info, "run_id"));
        assertEquals(String.valueOf(ProcessHandle.current().pid()), field(info, "process_id"));
        assertEquals("10", field(info, "hz"));
        assertEquals("0", field(info, "io_threads_active"));
        long usec = Long.parseLong(field(info, "server_time_usec"));
        assertTrue(Math.abs(usec / 1000 - System.currentTimeMillis()) < 60_000);
    }

    @Test
    void statsCountCommandsErrorsAndHits() {
        c.call("config", "resetstat");
        c.call("ping");
        c.call("nosuchcommand");
        c.call("client", "id", "extra");
        String info = info("stats", "errorstats", "commandstats");
        assertEquals("2", field(info, "total_error_replies"));
        assertEquals("count=2", field(info, "errorstat_ERR"));
        // CONFIG RESETSTAT is counted after its own reset, then PING; rejected commands are not counted
        assertEquals("2", field(info, "total_commands_processed"));
        assertTrue(field(info, "cmdstat_client|id").endsWith("rejected_calls=1,failed_calls=0"));
        assertEquals("0", field(info, "total_connections_received"));
    }

    @Test
    void clientsSectionCountsConnections() {
        ts.client();
        ts.client();
        String info = info("clients");
        assertEquals("3", field(info, "connected_clients"));
        assertEquals("10000", field(info, "maxclients"));
        assertEquals("0", field(info, "blocked_clients"));
    }

    @Test
    void persistenceAndKeyspaceReflectTheData() {
        ts.onEngine(() -> {
            Db db = ts.server.db(0);
            db.set(Bytes.of("a"), StringValue.of(Bytes.of("1")));
            db.set(Bytes.of("b"), StringValue.of(Bytes.of("2")));
            db.setExpireAt(Bytes.of("b"), System.currentTimeMillis() + 100_000);
            ts.server.db(3).set(Bytes.of("c"), StringValue.of(Bytes.of("3")));
            ts.server.dirty = 7;
        });
        String info = info("persistence", "keyspace");
        assertEquals("7", field(info, "rdb_changes_since_last_save"));
        assertEquals("0", field(info, "aof_enabled"));
        assertEquals("ok", field(info, "rdb_last_bgsave_status"));
        assertEquals("keys=2,expires=1,avg_ttl=0", field(info, "db0"));
        assertEquals("keys=1,expires=0,avg_ttl=0", field(info, "db3"));
        assertNull(field(info, "db1"));
    }

    @Test
    void memoryAndReplicationSections() {
        String info = info("memory", "replication");
        long used = Long.parseLong(field(info, "used_memory"));
        assertTrue(used > 0);
        assertTrue(Long.parseLong(field(info, "used_memory_peak")) >= used);
        assertEquals("jvm", field(info, "mem_allocator"));
        assertEquals("noeviction", field(info, "maxmemory_policy"));
        assertEquals("master", field(info, "role"));
        assertEquals(ts.server.replId, field(info, "master_replid"));
        assertEquals("no-failover", field(info, "master_failover_state"));
    }

    @Test
    void aRegisteredSectionReplacesTheBuiltInOneAndNewOnesAreAdded() {
        ts.onEngine(() -> {
            ts.server.infoSections.add(section("persistence", true, "loading", 0, "rdb_saves", 42));
            ts.server.infoSections.add(section("sentinel_like", true, "widgets", 3));
            ts.server.infoSections.add(section("hidden", false, "secret", 1));
        });
        String info = info();
        assertEquals("42", field(info, "rdb_saves"));
        assertNull(field(info, "aof_enabled"));
        assertEquals("3", field(info, "widgets"));
        assertNull(field(info, "secret"));
        assertEquals("1", field(info("hidden"), "secret"));
        assertEquals(List.of("Hidden"), headers(info("hidden")));
    }

    private static InfoSection section(String name, boolean isDefault, Object... fields) {
        return new InfoSection() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public boolean isDefault() {
                return isDefault;
            }

            @Override
            public void write(InfoWriter out) {
                for (int i = 0; i < fields.length; i += 2) {
                    out.field((String) fields[i], fields[i + 1]);
                }
            }
        };
    }

    // ---- COMMAND ----

    @Test
    void commandInfoHasRedisSevenShape() {
        Map<Object, Object> spec = new LinkedHashMap<>();
        spec.put("flags", List.of(new Status("RO"), new Status("access")));
        spec.put("begin_search", Map.of("type", "index", "spec", Map.of("index", 1L)));
        spec.put("find_keys", Map.of("type", "range", "spec", orderedMap("lastkey", 0L, "keystep", 1L, "limit", 0L)));
        List<Object> expected = List.of("tget", 2L, List.of(new Status("readonly"), new Status("fast")), 1L, 1L, 1L,
                List.of(new Status("@read"), new Status("@string"), new Status("@fast")), List.of(), List.of(spec),
                List.of());
        assertEquals(List.of(expected), c.call("command", "info", "tget"));
    }

    private static Map<Object, Object> orderedMap(Object... kv) {
        Map<Object, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void commandInfoForUnknownAndContainers() {
        List<?> reply = (List<?>) c.call("command", "info", "nosuch", "tget|key", "config|get|x", "client|id");
        assertNull(reply.get(0));
        assertNull(reply.get(1));
        assertNull(reply.get(2));
        assertEquals("client|id", ((List<?>) reply.get(3)).get(0));

        List<?> client = (List<?>) ((List<?>) c.call("command", "info", "client")).get(0);
        assertEquals(-2L, client.get(1));
        List<?> subs = (List<?>) client.get(9);
        List<Object> names = new ArrayList<>();
        for (Object s : subs) {
            names.add(((List<?>) s).get(0));
        }
        assertTrue(names.contains("client|list"));
        assertTrue(names.contains("client|kill"));
        List<?> kill = (List<?>) subs.get(names.indexOf("client|kill"));
        assertEquals(List.of(new Status("admin"), new Status("noscript"), new Status("loading"), new Status("stale")),
                kill.get(2));
        assertEquals(List.of(new Status("@admin"), new Status("@slow"), new Status("@dangerous"),
                new Status("@connection")), kill.get(6));
    }

    @Test
    void movableKeysIsDerivedFromKeySpecs() {
        List<?> eval = (List<?>) ((List<?>) c.call("command", "info", "teval")).get(0);
        assertTrue(((List<?>) eval.get(2)).contains(new Status("movablekeys")));
        assertEquals(List.of(0L, 0L, 0L), eval.subList(3, 6));
        List<?> get = (List<?>) ((List<?>) c.call("command", "info", "tget")).get(0);
        assertFalse(((List<?>) get.get(2)).contains(new Status("movablekeys")));
    }

    @Test
    void commandWithoutArgumentsAndCountAgree() {
        long count = (Long) c.call("command", "count");
        List<?> all = (List<?>) c.call("command");
        assertEquals(count, all.size());
        assertEquals(count, ((List<?>) c.call("command", "info")).size());
        assertEquals(ts.onEngine(() -> (long) ts.server.commands.size()), count);
    }

    @Test
    void commandListWithFilters() {
        List<?> all = (List<?>) c.call("command", "list");
        assertTrue(all.contains("tget"));
        assertTrue(all.contains("client|list"));
        assertEquals(List.of("tget"), c.call("command", "list", "filterby", "pattern", "tget"));
        List<?> config = (List<?>) c.call("command", "list", "filterby", "pattern", "config*");
        assertTrue(config.contains("config") && config.contains("config|get"));
        assertEquals(List.of("config|resetstat", "config|rewrite"),
                c.call("command", "list", "filterby", "pattern", "config|*re*"));
        assertTrue(((List<?>) c.call("command", "list", "filterby", "pattern", "cl*help")).contains("client|help"));
        assertEquals(List.of(), c.call("command", "list", "filterby", "aclcat", "non_existing_category"));
        List<?> scripting = (List<?>) c.call("command", "list", "filterby", "aclcat", "scripting");
        assertEquals(List.of("teval"), scripting);
        assertEquals(List.of(), c.call("command", "list", "filterby", "module", "x"));
        assertEquals(new Err("ERR syntax error"), c.call("command", "list", "bad_arg"));
        assertEquals(new Err("ERR syntax error"), c.call("command", "list", "filterby", "bad", "x"));
    }

    @Test
    void aKeyFinderPlacesKeysTheSpecsCannot() {
        assertEquals(List.of("src", "dst"), c.call("command", "getkeys", "tsort", "src", "x", "into", "dst"));
        assertEquals(List.of(List.of("src", List.of(new Status("RO"), new Status("access"))),
                        List.of("dst", List.of(new Status("OW"), new Status("update")))),
                c.call("command", "getkeysandflags", "tsort", "src", "into", "dst"));
        List<?> info = (List<?>) ((List<?>) c.call("command", "info", "tsort")).get(0);
        assertTrue(((List<?>) info.get(2)).contains(new Status("movablekeys")), info.toString());
        assertEquals(List.of(1L, 1L, 1L), info.subList(3, 6));
        String specs = info.get(8).toString();
        assertTrue(specs.contains("begin_search={type=unknown, spec={}}, find_keys={type=unknown, spec={}}"), specs);
    }

    @Test
    void getKeysUsesTheKeySpecs() {
        assertEquals(List.of("key"), c.call("command", "getkeys", "tget", "key"));
        assertEquals(List.of("a", "b"), c.call("command", "getkeys", "teval", "return 1", "2", "a", "b"));
        assertEquals(List.of(), c.call("command", "getkeys", "teval", "return 1", "0"));
        assertEquals(List.of(List.of("k1", List.of(new Status("OW"), new Status("update")))),
                c.call("command", "getkeysandflags", "tset", "k1", "v1"));
        assertEquals(new Err("ERR Invalid command specified"), c.call("command", "getkeys", "nosuch", "x"));
        assertEquals(new Err("ERR The command has no key arguments"), c.call("command", "getkeys", "ping", "x"));
        assertEquals(new Err("ERR Invalid number of arguments specified for command"),
                c.call("command", "getkeys", "tget", "a", "b"));
        assertEquals(new Err("ERR Invalid command specified"), c.call("command", "getkeys", "client", "nosuch"));
    }

    @Test
    void getKeysForKeyCount() {
        List<String> argv = new ArrayList<>(List.of("command", "getkeys", "teval", "script", "260"));
        List<String> keys = new ArrayList<>();
        for (int i = 1; i <= 260; i++) {
            keys.add("key" + i);
        }
        argv.addAll(keys);
        assertEquals(keys, c.call(argv.toArray(new String[0])));
    }

    @Test
    void commandDocsDescribeCommandsAndSubcommands() {
        Map<?, ?> docs = (Map<?, ?>) c.call("command", "docs", "tget", "nosuch");
        assertEquals(Map.of("tget", orderedMap("summary", "Get it.", "since", "1.0.0", "group", "string",
                "complexity", "O(1)")), docs);
        Map<?, ?> client = (Map<?, ?>) ((Map<?, ?>) c.call("command", "docs", "client")).get("client");
        assertEquals("connection", client.get("group"));
        Map<?, ?> subs = (Map<?, ?>) client.get("subcommands");
        assertEquals("5.0.0", ((Map<?, ?>) subs.get("client|id")).get("since"));
    }

    @Test
    void commandHelpAndUnknownSubcommand() {
        List<?> help = (List<?>) c.call("command", "help");
        assertEquals(new Status("COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:"), help.get(0));
        assertEquals(new Status("    Print this help."), help.get(help.size() - 1));
        assertEquals(new Err("ERR unknown subcommand 'foo'. Try COMMAND HELP."), c.call("command", "foo"));
    }
}
