package io.modis.core;

import io.modis.api.Bytes;
import io.modis.api.StringValue;
import io.modis.core.TestServer.Err;
import io.modis.core.TestServer.Status;
import io.modis.core.TestServer.TestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DebugCommandTest {
    private static final Status ZEROS = new Status("0".repeat(40));

    private TestServer ts;
    private TestClient c;

    @BeforeEach
    void start() {
        ts = IntrospectionTest.serverWithIntrospection();
        c = ts.client();
    }

    @AfterEach
    void stop() {
        ts.close();
    }

    private static void put(TestServer s, int db, String key, String value) {
        s.onEngine(() -> s.server.db(db).set(Bytes.of(key), StringValue.of(Bytes.of(value))));
    }

    private static Object digest(TestServer s) {
        return s.client().call("debug", "digest");
    }

    @Test
    void digestOfAnEmptyDatasetIsZeros() {
        assertEquals(ZEROS, c.call("debug", "digest"));
    }

    @Test
    void digestIgnoresInsertionOrderButSeesEveryChange() {
        put(ts, 0, "a", "1");
        put(ts, 0, "b", "hello");
        put(ts, 2, "c", "x");
        Object first = digest(ts);
        assertTrue(((Status) first).text().matches("[0-9a-f]{40}"));
        assertNotEquals(ZEROS, first);

        try (TestServer other = IntrospectionTest.serverWithIntrospection()) {
            put(other, 2, "c", "x");
            put(other, 0, "b", "hello");
            put(other, 0, "a", "1");
            assertEquals(first, digest(other));

            put(other, 0, "b", "hellO");
            Object changedValue = digest(other);
            assertNotEquals(first, changedValue);

            put(other, 0, "b", "hello");
            assertEquals(first, digest(other));
            other.onEngine(() -> other.server.db(0).setExpireAt(Bytes.of("a"), System.currentTimeMillis() + 100_000));
            assertNotEquals(first, digest(other));
        }
        try (TestServer moved = IntrospectionTest.serverWithIntrospection()) {
            put(moved, 0, "a", "1");
            put(moved, 0, "b", "hello");
            put(moved, 1, "c", "x");
            assertNotEquals(first, digest(moved));
        }
    }

    @Test
    void digestValueIsPerValue() {
        put(ts, 0, "a", "same");
        put(ts, 0, "b", "same");
        put(ts, 0, "c", "other");
        List<?> d = (List<?>) c.call("debug", "digest-value", "a", "b", "c", "missing");
        assertEquals(d.get(0), d.get(1));
        assertNotEquals(d.get(0), d.get(2));
        assertEquals(ZEROS, d.get(3));
        assertEquals(List.of(), c.call("debug", "digest-value"));
    }

    @Test
    void populateCreatesMissingKeysOnly() {
        put(ts, 0, "key:3", "mine");
        assertEquals(TestServer.OK, c.call("debug", "populate", "10"));
        ts.onEngine(() -> {
            Db db = ts.server.db(0);
            assertEquals(10, db.size());
            assertEquals("value:7", db.peek(Bytes.of("key:7")).toString());
            assertEquals("mine", db.peek(Bytes.of("key:3")).toString());
        });
        assertEquals(TestServer.OK, c.call("debug", "populate", "2", "big", "20"));
        ts.onEngine(() -> {
            byte[] v = ((StringValue) ts.server.db(0).peek(Bytes.of("big:1"))).bytes();
            assertEquals(20, v.length);
            assertEquals("value:1", new String(v, 0, 7));
            assertEquals(0, v[19]);
        });
        assertEquals(new Err("ERR value is out of range, must be positive"), c.call("debug", "populate", "-1"));
    }

    @Test
    void objectDescribesTheValue() {
        put(ts, 0, "k", "hello");
        String line = ((Status) c.call("debug", "object", "k")).text();
        assertTrue(line.matches("Value at:0x[0-9a-f]+ refcount:1 encoding:embstr serializedlength:5 lru:\\d+ "
                + "lru_seconds_idle:\\d+"), line);
        put(ts, 0, "n", "12345");
        assertTrue(((Status) c.call("debug", "object", "n")).text().contains(" encoding:int "));
        assertEquals(new Err("ERR no such key"), c.call("debug", "object", "missing"));
    }

    @Test
    void protocolRepliesWithEachType() {
        assertEquals("Hello World", c.call("debug", "protocol", "string"));
        assertEquals(12345L, c.call("debug", "protocol", "integer"));
        assertEquals(3.141, c.call("debug", "protocol", "double"));
        assertEquals(new BigInteger("1234567999999999999999999999999999999"), c.call("debug", "protocol", "bignum"));
        assertEquals(List.of(0L, 1L, 2L), c.call("debug", "protocol", "array"));
        assertEquals(List.of(0L, 1L, 2L), c.call("debug", "protocol", "set"));
        assertEquals(Map.of(0L, false, 1L, true, 2L, false), c.call("debug", "protocol", "map"));
        assertEquals(true, c.call("debug", "protocol", "true"));
        assertEquals("This is a verbatim\nstring", c.call("debug", "protocol", "verbatim"));
        assertEquals(new Err("ERR RESP2 is not supported by this command"), c.call("debug", "protocol", "push"));
        assertTrue(((Err) c.call("debug", "protocol", "nope")).message().startsWith("ERR Wrong protocol type name."));
    }

    @Test
    void sleepBlocksTheEngine() {
        long start = System.nanoTime();
        assertEquals(TestServer.OK, c.call("debug", "sleep", "0.05"));
        assertTrue(System.nanoTime() - start >= 50_000_000L);
        assertEquals(TestServer.OK, c.call("debug", "sleep", "0"));
    }

    @Test
    void switchesReachTheServer() {
        assertEquals(TestServer.OK, c.call("debug", "pause-cron", "1"));
        assertTrue(ts.onEngine(() -> ts.server.debugPauseCron));
        assertEquals(TestServer.OK, c.call("debug", "pause-cron", "0"));
        assertEquals(TestServer.OK, c.call("debug", "set-active-expire", "0"));
        assertEquals(TestServer.OK, c.call("debug", "replybuffer", "peak-reset-time", "never"));
        assertEquals(TestServer.OK, c.call("debug", "replybuffer", "resizing", "0"));
        assertEquals(TestServer.OK, c.call("debug", "set-skip-checksum-validation", "1"));
        assertEquals(TestServer.OK, c.call("debug", "set-disable-deny-scripts", "1"));
        assertEquals(TestServer.OK, c.call("debug", "log", "hello from a test"));

        String before = ts.onEngine(() -> ts.server.replId);
        assertEquals(TestServer.OK, c.call("debug", "change-repl-id"));
        String after = ts.onEngine(() -> ts.server.replId);
        assertNotEquals(before, after);
        assertTrue(((String) c.call("info", "replication")).contains("master_replid:" + after + "\r\n"));
    }

    @Test
    void bundlesAddSubcommands() {
        assertEquals(new Err("ERR unknown subcommand or wrong number of arguments for 'echo-args'. Try DEBUG HELP."),
                c.call("debug", "echo-args", "x"));
        ts.server.debugSubcommands.put("echo-args", new io.modis.api.DebugSubcommand() {
            @Override
            public String name() {
                return "echo-args";
            }

            @Override
            public List<String> help() {
                return List.of("ECHO-ARGS <arg>", "    Replies with the argument count.");
            }

            @Override
            public void execute(io.modis.api.CommandContext ctx) {
                ctx.reply().integer(ctx.argc());
            }
        });
        assertEquals(3L, c.call("debug", "ECHO-ARGS", "x"));
        assertTrue(c.call("debug", "help").toString().contains("ECHO-ARGS <arg>"));
    }

    @Test
    void htstatsKeyNeedsAHashTable() {
        assertEquals(new Err("ERR no such key"), c.call("debug", "htstats-key", "nokey"));
        put(ts, 0, "k", "v");
        assertEquals(new Err("ERR The value stored at the specified key is not represented using an hash table"),
                c.call("debug", "htstats-key", "k"));
    }

    @Test
    void reportsAndErrors() {
        put(ts, 0, "k", "v");
        assertTrue(((String) c.call("debug", "htstats", "0")).startsWith("[Dictionary HT]\n"));
        assertEquals(new Err("ERR Out of range database"), c.call("debug", "htstats", "99"));
        assertTrue(((String) c.call("debug", "jmap")).contains("heap: used="));
        assertEquals(new Err("ERR DEBUG RELOAD needs the persistence-rdb bundle"), c.call("debug", "reload"));
        assertEquals(new Err("ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options."),
                c.call("debug", "reload", "fast"));
        assertEquals(new Err("ERR DEBUG LOADAOF needs the persistence-aof bundle"), c.call("debug", "loadaof"));
        assertEquals(new Err("ERR unknown subcommand or wrong number of arguments for 'Nope'. Try DEBUG HELP."),
                c.call("debug", "Nope"));
        assertEquals(new Err("ERR unknown subcommand or wrong number of arguments for 'object'. Try DEBUG HELP."),
                c.call("debug", "object"));
        assertEquals(new Err("CUSTOM failure here"), c.call("debug", "error", "CUSTOM failure\nhere"));
        List<?> help = (List<?>) c.call("debug", "help");
        assertEquals(new Status("DEBUG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:"), help.get(0));
    }

    @Test
    void debugIsRefusedWhenNotEnabled() {
        try (TestServer locked = new TestServer(Map.of("enable-debug-command", "no"))) {
            locked.addCommands(List.of(new DebugCommand(locked.server).command()));
            Object reply = locked.client().call("debug", "digest");
            assertTrue(((Err) reply).message().startsWith("ERR DEBUG command not allowed."), reply.toString());
        }
    }

    @Test
    void configRewriteForceAllWritesEveryParameterSoThatTheFileLoadsBackTheSameValues(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path conf = java.nio.file.Files.writeString(dir.resolve("modis.conf"),
                "# kept\nhz 20\nslave-read-only no\nrename-command KEYS NOKEYS\n");
        try (TestServer s = redisTableServer()) {
            TestClient client = s.client();
            assertEquals(new Err("ERR CONFIG-REWRITE-FORCE-ALL failed: No such file or directory"),
                    client.call("debug", "config-rewrite-force-all"));
            new io.modis.core.config.ConfigLoader(s.server.config).load(new String[] {conf.toString()});
            s.server.configFile = conf.toString();
            s.config("maxmemory-policy", "allkeys-lru");
            s.config("notify-keyspace-events", "");
            assertEquals(new Status("OK"), client.call("debug", "config-rewrite-force-all"));
            String written = java.nio.file.Files.readString(conf);
            assertTrue(written.startsWith("# kept\nhz 20\nreplica-read-only no\nrename-command KEYS NOKEYS\n"), written);
            assertTrue(written.contains("\nport 6379\n"), "defaults are written too: " + written);
            assertTrue(written.contains("\nmaxmemory-policy allkeys-lru\n"), written);
            assertTrue(written.contains("\nnotify-keyspace-events \"\"\n"), written);
            assertTrue(!written.contains("\nslave") && !written.contains("\nreplicaof"),
                    "an alias line is rewritten under its parameter's name, replicaof only with a master: " + written);

            Map<String, String> before = s.server.config.all();
            try (TestServer fresh = redisTableServer()) {
                new io.modis.core.config.ConfigLoader(fresh.server.config).load(new String[] {conf.toString()});
                assertEquals(before, fresh.server.config.all());
                assertEquals("no", fresh.server.config.get("replica-read-only"), "set by its alias, kept");
            }
        }
    }

    /** A server that knows Redis's whole parameter table (port, replicaof ... kept as text). */
    private static TestServer redisTableServer() {
        Map<String, String> table = new java.util.HashMap<>(io.modis.core.config.ConfigRegistry.redis70Defaults());
        table.put("enable-debug-command", "yes");
        TestServer s = new TestServer(table);
        s.addCommands(List.of(new ConfigCommand(s.server).command(), new DebugCommand(s.server).command()));
        return s;
    }
}
