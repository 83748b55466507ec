package io.modis.hashes;

import static io.modis.core.TestServer.OK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modis.api.Bytes;
import io.modis.api.Command;
import io.modis.api.CommandFlag;
import io.modis.api.CommandSpec;
import io.modis.api.KeySpec;
import io.modis.api.StringValue;
import io.modis.api.Value;
import io.modis.core.TestServer;
import io.modis.core.TestServer.Err;
import io.modis.core.TestServer.TestClient;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The hash commands registered into the real core, driven through its command pipeline. */
class HashCommandsTest {
    private static final Err WRONGTYPE = new Err("WRONGTYPE Operation against a key holding the wrong kind of value");
    private static final Err NOT_INTEGER = new Err("ERR value is not an integer or out of range");
    private static final Err SYNTAX = new Err("ERR syntax error");

    private final List<Command> provided = new HashCommands().commands();
    private TestServer t;
    private TestClient c;
    /** A second client that WATCHes keys, to see which keys a command touched. */
    private TestClient watcher;

    /** What the last {@link #run} did: the server's dirty count, propagation and keyspace events. */
    private long dirty;
    private List<String> propagated;
    private List<String> events;

    @BeforeEach
    void start() {
        t = new TestServer();
        t.addCommands(provided);
        t.addConfigParams(new HashConfig().configParams());
        c = t.client();
        watcher = t.client();
    }

    @AfterEach
    void stop() {
        t.close();
    }

    /* ------------------------------------------------------------ helpers */

    /** Runs one command as a client and records what it did; returns its one reply. */
    private Object run(String... words) {
        byte[][] argv = new byte[words.length][];
        for (int i = 0; i < words.length; i++) {
            argv[i] = Bytes.of(words[i]);
        }
        t.takePropagated();
        t.takeEvents();
        long dirtyBefore = t.onEngine(() -> t.server.dirty);
        Object reply = c.call(argv);
        assertNull(c.pending(), "a second reply to " + words[0]);
        dirty = t.onEngine(() -> t.server.dirty) - dirtyBefore;
        propagated = t.takePropagated();
        events = t.takeEvents();
        return reply;
    }

    private static Err err(String message) {
        return new Err(message);
    }

    private Value value(String key) {
        return t.onEngine(() -> t.server.db(0).get(Bytes.of(key)));
    }

    private HashValue hash(String key) {
        return (HashValue) value(key);
    }

    private String encoding(String key) {
        return value(key).encoding();
    }

    private void putString(String key, String s) {
        t.onEngine(() -> t.server.db(0).set(Bytes.of(key), StringValue.of(Bytes.of(s))));
    }

    private void watch(String key) {
        assertEquals(OK, watcher.call("WATCH", key));
    }

    /** The watched key was touched: the watcher's transaction fails. */
    private void assertTouched(String key) {
        assertEquals(OK, watcher.call("MULTI"));
        assertNull(watcher.call("EXEC"), key + " was not touched");
    }

    private void assertNotTouched(String key) {
        assertEquals(OK, watcher.call("MULTI"));
        assertEquals(List.of(), watcher.call("EXEC"), key + " was touched");
    }

    /** Fills key with n fields f0..f(n-1) holding v0..v(n-1). */
    private void fill(String key, int n) {
        List<String> words = new ArrayList<>(List.of("hset", key));
        for (int i = 0; i < n; i++) {
            words.add("f" + i);
            words.add("v" + i);
        }
        assertEquals((long) n, run(words.toArray(new String[0])));
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object reply) {
        return (List<Object>) reply;
    }

    /** A flat field, value, ... reply as a map. */
    private static Map<Object, Object> pairs(Object reply) {
        List<Object> flat = list(reply);
        Map<Object, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < flat.size(); i += 2) {
            m.put(flat.get(i), flat.get(i + 1));
        }
        return m;
    }

    /* ------------------------------------------------------------ metadata */

    @Test
    void providesTheRedis70HashCommands() {
        assertEquals(Set.of("hset", "hsetnx", "hmset", "hget", "hmget", "hgetall", "hkeys", "hvals", "hdel", "hlen",
                "hstrlen", "hexists", "hincrby", "hincrbyfloat", "hrandfield", "hscan"),
                provided.stream().map(Command::name).collect(Collectors.toSet()));
        for (Command command : provided) {
            assertSame(command, t.onEngine(() -> t.server.commands.lookup(command.name()).command), command.name());
        }
    }

    @Test
    void metadataFollowsCommandInfo() {
        CommandSpec hset = spec("hset");
        assertEquals(-4, hset.arity());
        assertEquals(Set.of(CommandFlag.WRITE, CommandFlag.DENYOOM, CommandFlag.FAST), hset.flags());
        assertEquals(List.of("write", "hash", "fast"), hset.aclCategories());
        assertEquals(List.of(KeySpec.range(1, 0, 1, "RW", "UPDATE")), hset.keySpecs());
        assertEquals("2.0.0", hset.since());

        CommandSpec hgetall = spec("hgetall");
        assertEquals(Set.of(CommandFlag.READONLY), hgetall.flags());
        assertEquals(List.of("read", "hash", "slow"), hgetall.aclCategories());
        assertEquals(List.of(KeySpec.range(1, 0, 1, "RO", "ACCESS")), hgetall.keySpecs());

        assertEquals(List.of("write", "hash", "fast"), spec("hdel").aclCategories());
        assertEquals(Set.of(CommandFlag.WRITE, CommandFlag.FAST), spec("hdel").flags());
        assertEquals(List.of("RW", "DELETE"), spec("hdel").keySpecs().get(0).flags());
        assertEquals(List.of("RW", "INSERT"), spec("hsetnx").keySpecs().get(0).flags());
        assertEquals(List.of("RW", "ACCESS", "UPDATE"), spec("hincrbyfloat").keySpecs().get(0).flags());
        assertEquals(List.of("RO"), spec("hlen").keySpecs().get(0).flags());
        assertEquals("6.2.0", spec("hrandfield").since());
        assertEquals(-2, spec("hrandfield").arity());
        assertEquals(-3, spec("hscan").arity());
        assertEquals("3.2.0", spec("hstrlen").since());
        for (Command command : provided) {
            CommandSpec s = command.spec();
            assertEquals("hash", s.group(), command.name());
            assertTrue(!s.summary().isEmpty() && !s.complexity().isEmpty(), command.name());
            assertEquals(List.of(1, 1, 1), List.of(s.firstKey(), s.lastKey(), s.keyStep()), command.name());
        }
    }

    private CommandSpec spec(String name) {
        return t.onEngine(() -> t.server.commands.lookup(name).command.spec());
    }

    /* ------------------------------------------------------------ HSET HMSET HSETNX HGET */

    @Test
    void hsetCreatesUpdatesAndCounts() {
        watch("h");
        assertEquals(2L, run("hset", "h", "a", "1", "b", "2"));
        assertEquals(2, dirty);
        assertEquals(List.of("n:new:h@0", "h:hset:h@0"), events); // a new key announces itself first
        assertEquals(List.of("0: hset h a 1 b 2"), propagated);
        assertTouched("h");
        assertEquals("listpack", encoding("h"));

        assertEquals(1L, run("hset", "h", "a", "10", "c", "3"));
        assertEquals(2, dirty);
        assertEquals("10", run("hget", "h", "a"));
        assertEquals("2", run("hget", "h", "b"));
        assertEquals(3L, run("hlen", "h"));
        assertNull(run("hget", "h", "nofield"));
        assertNull(run("hget", "nokey", "a"));

        assertEquals(0L, run("hset", "h", "a", "10"));
        assertEquals(1, dirty); // Redis counts every pair, changed or not
        assertEquals(List.of("h:hset:h@0"), events);
    }

    @Test
    void hsetWithTheSameFieldTwiceKeepsTheLast() {
        assertEquals(1L, run("hset", "h", "a", "1", "a", "2"));
        assertEquals("2", run("hget", "h", "a"));
        assertEquals(1L, run("hlen", "h"));
    }

    @Test
    void hmsetRepliesOk() {
        assertEquals(OK, run("hmset", "h", "a", "1", "b", "2"));
        assertEquals(List.of("n:new:h@0", "h:hset:h@0"), events); // a new key announces itself first
        assertEquals(2, dirty);
        assertEquals(List.of("1", "2"), run("hmget", "h", "a", "b"));
    }

    @Test
    void hsetArityErrorsChangeNothing() {
        assertEquals(err("ERR wrong number of arguments for 'hset' command"), run("hset", "h", "a", "1", "b"));
        assertEquals(err("ERR wrong number of arguments for 'hmset' command"), run("hmset", "h", "a", "1", "b"));
        assertEquals(err("ERR wrong number of arguments for 'hset' command"), run("hset", "h", "a"));
        assertNull(value("h"));
        assertEquals(0, dirty);
        assertEquals(List.of(), events);
    }

    @Test
    void hsetnxSetsOnlyNewFields() {
        assertEquals(1L, run("hsetnx", "h", "a", "1"));
        assertEquals(List.of("n:new:h@0", "h:hset:h@0"), events); // a new key announces itself first
        assertEquals(1, dirty);
        watch("h");
        assertEquals(0L, run("hsetnx", "h", "a", "2"));
        assertEquals(0, dirty);
        assertEquals(List.of(), events);
        assertNotTouched("h");
        assertEquals("1", run("hget", "h", "a"));
        assertEquals(1L, run("hsetnx", "h", "b", "x".repeat(65)));
        assertEquals("hashtable", encoding("h"));
        assertEquals(0L, run("hsetnx", "h", "b", "y"));
        assertEquals("x".repeat(65), run("hget", "h", "b"));
    }

    @Test
    void hmgetAnswersNilsForMissingKeysAndFields() {
        assertEquals(Arrays.asList(null, null), run("hmget", "nokey", "a", "b"));
        run("hset", "h", "a", "1");
        assertEquals(Arrays.asList("1", null, "1"), run("hmget", "h", "a", "b", "a"));
    }

    @Test
    void everyCommandAnswersWrongTypeForOtherTypes() {
        putString("s", "text");
        String[][] commands = {
            {"hset", "s", "a", "1"}, {"hmset", "s", "a", "1"}, {"hsetnx", "s", "a", "1"}, {"hget", "s", "a"},
            {"hmget", "s", "a"}, {"hgetall", "s"}, {"hkeys", "s"}, {"hvals", "s"}, {"hdel", "s", "a"},
            {"hlen", "s"}, {"hstrlen", "s", "a"}, {"hexists", "s", "a"}, {"hincrby", "s", "a", "1"},
            {"hincrbyfloat", "s", "a", "1"}, {"hrandfield", "s"}, {"hrandfield", "s", "2"},
            {"hrandfield", "s", "-2", "withvalues"}, {"hscan", "s", "0"},
        };
        for (String[] command : commands) {
            assertEquals(WRONGTYPE, run(command), command[0]);
            assertEquals(0, dirty);
        }
        assertInstanceOf(StringValue.class, value("s"));
    }

    /* ------------------------------------------------------------ encodings */

    @Test
    void convertsWhenAValueOrFieldIsTooLong() {
        run("hset", "h", "a", "x".repeat(64));
        assertEquals("listpack", encoding("h"));
        run("hset", "h", "b", "x".repeat(65));
        assertEquals("hashtable", encoding("h"));
        assertEquals("x".repeat(64), run("hget", "h", "a"));

        run("hset", "f", "y".repeat(65), "1");
        assertEquals("hashtable", encoding("f"));
        assertEquals("1", run("hget", "f", "y".repeat(65)));
    }

    @Test
    void convertsBeforeSettingWhenAnyArgumentIsTooLong() {
        // Redis checks every argument first: even an update of an existing field converts
        run("hset", "h", "a", "1");
        run("hset", "h", "a", "2", "b", "z".repeat(65));
        assertEquals("hashtable", encoding("h"));
    }

    @Test
    void convertsWhenTheEntryCountPassesTheLimit() {
        fill("h", 512);
        assertEquals("listpack", encoding("h"));
        run("hset", "h", "f0", "new");
        assertEquals("listpack", encoding("h"));
        run("hset", "h", "one-more", "x");
        assertEquals("hashtable", encoding("h"));
        assertEquals(513L, run("hlen", "h"));
        assertEquals("new", run("hget", "h", "f0"));
        assertEquals("v511", run("hget", "h", "f511"));
    }

    @Test
    void neverConvertsBack() {
        fill("h", 513);
        assertEquals("hashtable", encoding("h"));
        for (int i = 0; i < 510; i++) {
            run("hdel", "h", "f" + i);
        }
        assertEquals(3L, run("hlen", "h"));
        assertEquals("hashtable", encoding("h"));
    }

    @Test
    void limitsFollowConfigAndTheirZiplistAliases() {
        t.config("hash-max-ziplist-entries", "2");
        assertEquals("2", t.onEngine(() -> t.server.config.get("hash-max-listpack-entries")));
        fill("h", 2);
        assertEquals("listpack", encoding("h"));
        run("hset", "h", "c", "3");
        assertEquals("hashtable", encoding("h"));

        t.config("hash-max-ziplist-value", "3");
        run("hset", "v", "abc", "def");
        assertEquals("listpack", encoding("v"));
        run("hset", "v", "abcd", "1");
        assertEquals("hashtable", encoding("v"));

        t.config("hash-max-listpack-entries", "0");
        run("hset", "z", "a", "1");
        assertEquals("hashtable", encoding("z"));
    }

    @Test
    void hincrbyConvertsOnALongField() {
        t.config("hash-max-listpack-value", "8");
        run("hincrbyfloat", "small", "abcdefgh", "1");
        assertEquals("listpack", encoding("small"));
        run("hincrbyfloat", "big", "abcdefghi", "1");
        assertEquals("hashtable", encoding("big"));
        run("hset", "v", "tmp", "0");
        run("hincrbyfloat", "v", "tmp", "0.0000005"); // "0.0000005" is 9 bytes
        assertEquals("hashtable", encoding("v"));
        run("hset", "w", "tmp", "0");
        run("hincrby", "w", "tmp", "123456789");
        assertEquals("hashtable", encoding("w"));
    }

    @Test
    void hashtableStatsOnlyForTables() {
        run("hset", "h", "a", "1");
        assertNull(hash("h").hashTableStats());
        fill("t", 600);
        String stats = hash("t").hashTableStats();
        assertNotNull(stats);
        assertTrue(stats.contains("number of elements: 600"), stats);
    }

    @Test
    void memoryUsageGrowsWithContent() {
        run("hset", "h", "a", "1");
        long small = hash("h").memoryUsage();
        fill("h", 100);
        long bigger = hash("h").memoryUsage();
        assertTrue(bigger > small + 100 * 4, small + " -> " + bigger);
        fill("t", 1000);
        long table = hash("t").memoryUsage();
        for (int i = 0; i < 1000; i++) {
            run("hdel", "t", "f" + i);
            if (i == 998) {
                assertTrue(hash("t").memoryUsage() < table / 10, "shrinks after deletions");
            }
        }
    }

    /* ------------------------------------------------------------ HDEL HLEN HEXISTS HSTRLEN */

    @Test
    void hdelRemovesFieldsAndTheEmptyKey() {
        run("hset", "h", "a", "1", "b", "2", "c", "3");
        watch("h");
        assertEquals(0L, run("hdel", "h", "x", "y"));
        assertEquals(0, dirty);
        assertEquals(List.of(), events);
        assertNotTouched("h");

        assertEquals(2L, run("hdel", "h", "a", "c", "f"));
        assertEquals(2, dirty);
        assertEquals(List.of("h:hdel:h@0"), events);
        assertEquals(List.of("0: hdel h a c f"), propagated);
        assertEquals(Map.of("b", "2"), run("hgetall", "h"));

        assertEquals(1L, run("hdel", "h", "b", "b", "z"));
        assertEquals(List.of("h:hdel:h@0", "g:del:h@0"), events);
        assertNull(value("h"));
        assertEquals(0L, run("exists", "h"));
        assertEquals(0L, run("hdel", "nokey", "a"));
    }

    @Test
    void hdelEmptiesAHashtable() {
        fill("t", 600);
        List<String> words = new ArrayList<>(List.of("hdel", "t"));
        for (int i = 0; i < 600; i++) {
            words.add("f" + i);
        }
        words.add("extra");
        assertEquals(600L, run(words.toArray(new String[0])));
        assertEquals(List.of("h:hdel:t@0", "g:del:t@0"), events);
        assertNull(value("t"));
    }

    @Test
    void hlenHexistsHstrlen() {
        assertEquals(0L, run("hlen", "nokey"));
        assertEquals(0L, run("hexists", "nokey", "a"));
        assertEquals(0L, run("hstrlen", "nokey", "a"));
        for (String big : new String[] {"", "x".repeat(100)}) {
            run("del", "h");
            run("hset", "h", "a", "hello", "n", "-9223372036854775808", "e", "", "pad", big);
            assertEquals(4L, run("hlen", "h"));
            assertEquals(1L, run("hexists", "h", "a"));
            assertEquals(0L, run("hexists", "h", "b"));
            assertEquals(5L, run("hstrlen", "h", "a"));
            assertEquals(20L, run("hstrlen", "h", "n"));
            assertEquals(0L, run("hstrlen", "h", "e"));
            assertEquals(0L, run("hstrlen", "h", "missing"));
        }
    }

    /* ------------------------------------------------------------ HGETALL HKEYS HVALS */

    @Test
    void hgetallHkeysHvals() {
        for (int n : new int[] {3, 700}) {
            run("del", "h");
            fill("h", n);
            Map<Object, Object> expected = new HashMap<>();
            for (int i = 0; i < n; i++) {
                expected.put("f" + i, "v" + i);
            }
            assertEquals(expected, run("hgetall", "h"));
            assertEquals(expected.keySet(), new HashSet<>(list(run("hkeys", "h"))));
            assertEquals(new HashSet<>(expected.values()), new HashSet<>(list(run("hvals", "h"))));
        }
        assertEquals(Map.of(), run("hgetall", "nokey"));
        assertEquals(List.of(), run("hkeys", "nokey"));
        assertEquals(List.of(), run("hvals", "nokey"));
    }

    @Test
    void listpackKeepsInsertionOrder() {
        run("hset", "h", "z", "1", "a", "2", "m", "3");
        run("hset", "h", "a", "a-much-longer-value-than-before");
        run("hdel", "h", "z");
        run("hset", "h", "z", "4");
        assertEquals(List.of("a", "m", "z"), run("hkeys", "h"));
        assertEquals(List.of("a-much-longer-value-than-before", "3", "4"), run("hvals", "h"));
    }

    /* ------------------------------------------------------------ HINCRBY */

    @Test
    void hincrby() {
        watch("h");
        assertEquals(2L, run("hincrby", "h", "n", "2"));
        assertEquals(List.of("n:new:h@0", "h:hincrby:h@0"), events); // a new key announces itself first
        assertEquals(List.of("0: hincrby h n 2"), propagated);
        assertEquals(1, dirty);
        assertTouched("h");
        assertEquals(5L, run("hincrby", "h", "n", "3"));
        run("hset", "h", "n", "17179869184");
        assertEquals(34359738368L, run("hincrby", "h", "n", "17179869184"));
        assertEquals("34359738368", run("hget", "h", "n"));
        assertEquals(-1L, run("hincrby", "h", "m", "-1"));
    }

    @Test
    void hincrbyErrors() {
        run("hset", "h", "s", " 11", "t", "11 ", "n", "-9223372036854775484", "x", "1.5");
        for (String field : new String[] {"s", "t", "x"}) {
            assertEquals(err("ERR hash value is not an integer"), run("hincrby", "h", field, "1"));
        }
        assertEquals(-9223372036854775485L, run("hincrby", "h", "n", "-1"));
        assertEquals(err("ERR increment or decrement would overflow"), run("hincrby", "h", "n", "-10000"));
        assertEquals("-9223372036854775485", run("hget", "h", "n"));
        run("hset", "h", "max", "9223372036854775807");
        assertEquals(err("ERR increment or decrement would overflow"), run("hincrby", "h", "max", "1"));
        assertEquals(NOT_INTEGER, run("hincrby", "h", "n", "1.5"));
        assertEquals(NOT_INTEGER, run("hincrby", "nokey", "n", "x"));
        assertNull(value("nokey"));
        assertEquals(0, dirty);
        assertEquals(List.of(), events);
    }

    /* ------------------------------------------------------------ HINCRBYFLOAT */

    @Test
    void hincrbyfloatIsPropagatedAsHset() {
        watch("h");
        assertEquals("1.23", run("hincrbyfloat", "h", "f", "1.23"));
        assertEquals(List.of("0: HSET h f 1.23"), propagated);
        assertEquals(List.of("n:new:h@0", "h:hincrbyfloat:h@0"), events); // a new key announces itself first
        assertEquals(1, dirty);
        assertTouched("h");
        assertEquals("2", run("hincrbyfloat", "h", "f", "0.77"));
        assertEquals(List.of("0: HSET h f 2"), propagated);
        assertEquals("1.9", run("hincrbyfloat", "h", "f", "-0.1"));
        assertEquals("1.9", run("hget", "h", "f"));
        run("hset", "h", "big", "17179869184");
        assertEquals("34359738368", run("hincrbyfloat", "h", "big", "17179869184"));
        assertEquals("5002.5", run("hincrbyfloat", "h", "e", "5.0025e3"));
    }

    @Test
    void hincrbyfloatErrors() {
        run("hset", "h", "s", " 11", "t", "11 ", "nul", "1\u00002", "inf", "inf");
        for (String field : new String[] {"s", "t", "nul"}) {
            assertEquals(err("ERR hash value is not a float"), run("hincrbyfloat", "h", field, "1"));
        }
        assertEquals(err("ERR increment would produce NaN or Infinity"), run("hincrbyfloat", "h", "inf", "1"));
        assertEquals(err("ERR value is NaN or Infinity"), run("hincrbyfloat", "nokey", "f", "+inf"));
        assertEquals(err("ERR value is not a valid float"), run("hincrbyfloat", "nokey", "f", "abc"));
        assertEquals(err("ERR value is not a valid float"), run("hincrbyfloat", "nokey", "f", "nan"));
        assertNull(value("nokey"));
        assertEquals(0, dirty);
        assertEquals(List.of(), events);
        assertEquals(List.of(), propagated);
    }

    /* ------------------------------------------------------------ HRANDFIELD */

    @Test
    void hrandfieldWithoutCount() {
        assertNull(run("hrandfield", "nokey"));
        for (int n : new int[] {3, 600}) {
            run("del", "h");
            fill("h", n);
            Set<Object> seen = new HashSet<>();
            for (int i = 0; i < 2000 && seen.size() < Math.min(n, 3); i++) {
                Object field = run("hrandfield", "h");
                assertInstanceOf(String.class, field);
                assertTrue(((String) field).startsWith("f"));
                seen.add(field);
            }
            assertTrue(seen.size() >= Math.min(n, 3));
        }
        assertEquals(0, dirty);
    }

    @Test
    void hrandfieldCountShapes() {
        for (int n : new int[] {10, 600}) {
            run("del", "h");
            fill("h", n);
            assertEquals(List.of(), run("hrandfield", "h", "0"));
            assertEquals(List.of(), run("hrandfield", "nokey", "5"));
            assertEquals(List.of(), run("hrandfield", "nokey", "-5", "withvalues"));

            // negative counts repeat
            List<Object> draws = list(run("hrandfield", "h", "-1001"));
            assertEquals(1001, draws.size());
            assertEquals(2002, list(run("hrandfield", "h", "-1001", "withvalues")).size());
            assertTrue(new HashSet<>(draws).size() <= n);

            // positive counts are distinct, at most the whole hash
            for (int count : new int[] {n, n + 10, 1, 2, n - 2, n / 4}) {
                List<Object> fields = list(run("hrandfield", "h", Integer.toString(count)));
                int expected = Math.min(count, n);
                assertEquals(expected, fields.size());
                assertEquals(expected, new HashSet<>(fields).size(), "distinct for " + count);
                Map<Object, Object> withValues = pairs(run("hrandfield", "h", Integer.toString(count), "WITHVALUES"));
                assertEquals(expected, withValues.size());
                withValues.forEach((f, v) -> assertEquals(((String) f).replace('f', 'v'), v));
            }
        }
    }

    @Test
    void hrandfieldEventuallyReturnsEveryField() {
        for (int n : new int[] {10, 600}) {
            run("del", "h");
            fill("h", n);
            Set<Object> seen = new HashSet<>();
            for (int i = 0; i < 1000 && seen.size() < n; i++) {
                seen.addAll(list(run("hrandfield", "h", Integer.toString(Math.max(2, n / 5)))));
            }
            assertEquals(n, seen.size());
        }
    }

    @Test
    void hrandfieldInResp3NestsPairs() {
        fill("h", 5);
        assertEquals(Map.of("proto", 3L), Map.of("proto", ((Map<?, ?>) c.call("HELLO", "3")).get("proto")));
        for (String count : new String[] {"3", "-3", "10"}) {
            List<Object> res = list(run("hrandfield", "h", count, "withvalues"));
            assertEquals(count.equals("10") ? 5 : 3, res.size());
            for (Object pair : res) {
                List<Object> p = list(pair);
                assertEquals(2, p.size());
                assertEquals(((String) p.get(0)).replace('f', 'v'), p.get(1));
            }
            for (Object field : list(run("hrandfield", "h", count))) {
                assertInstanceOf(String.class, field);
            }
        }
    }

    @Test
    void hrandfieldArgumentErrors() {
        run("hset", "h", "a", "1");
        String outOfRange = "ERR value is out of range";
        assertEquals(err(outOfRange), run("hrandfield", "h", "-9223372036854770000", "withvalues"));
        assertEquals(err(outOfRange), run("hrandfield", "h", "4611686018427387904", "withvalues"));
        assertEquals(err("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807"),
                run("hrandfield", "h", "-9223372036854775808", "withvalues"));
        assertEquals(err("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807"),
                run("hrandfield", "h", "-9223372036854775808"));
        assertEquals(NOT_INTEGER, run("hrandfield", "h", "x"));
        assertEquals(SYNTAX, run("hrandfield", "h", "1", "withscores"));
        assertEquals(SYNTAX, run("hrandfield", "h", "1", "withvalues", "x"));
        // argument errors come before the key lookup
        putString("s", "x");
        assertEquals(SYNTAX, run("hrandfield", "s", "1", "x"));
    }

    /* ------------------------------------------------------------ HSCAN */

    @Test
    void hscanReturnsAListpackWholeWithCursorZero() {
        run("hset", "h", "foo", "1", "fab", "2", "foobar", "10", "1", "a");
        List<Object> res = list(run("hscan", "h", "12345", "COUNT", "1"));
        assertEquals("0", res.get(0));
        assertEquals(Map.of("foo", "1", "fab", "2", "foobar", "10", "1", "a"), pairs(res.get(1)));
        res = list(run("hscan", "h", "0", "MATCH", "foo*"));
        assertEquals(Map.of("foo", "1", "foobar", "10"), pairs(res.get(1)));
    }

    @Test
    void hscanOfATableVisitsEveryField() {
        fill("h", 1000);
        assertEquals("hashtable", encoding("h"));
        Map<Object, Object> seen = new HashMap<>();
        String cursor = "0";
        int calls = 0;
        do {
            List<Object> res = list(run("hscan", "h", cursor));
            cursor = (String) res.get(0);
            List<Object> flat = list(res.get(1));
            assertTrue(flat.size() % 2 == 0);
            seen.putAll(pairs(flat));
            calls++;
        } while (!cursor.equals("0"));
        assertEquals(1000, seen.size());
        assertTrue(calls > 10, "COUNT 10 takes several calls: " + calls);
        seen.forEach((f, v) -> assertEquals(((String) f).replace('f', 'v'), v));

        List<Object> all = list(run("hscan", "h", "0", "count", "100000", "match", "f99*"));
        assertEquals("0", all.get(0));
        assertEquals(Set.of("f99", "f990", "f991", "f992", "f993", "f994", "f995", "f996", "f997", "f998", "f999"),
                pairs(all.get(1)).keySet());
    }

    @Test
    void hscanKeepsItsGuaranteeWhileTheTableChanges() {
        fill("h", 600);
        Set<Object> seen = new HashSet<>();
        String cursor = "0";
        int added = 0;
        do {
            List<Object> res = list(run("hscan", "h", cursor, "COUNT", "20"));
            cursor = (String) res.get(0);
            seen.addAll(pairs(res.get(1)).keySet());
            run("hset", "h", "new" + added++, "x"); // growth triggers rehashing between calls
        } while (!cursor.equals("0"));
        for (int i = 0; i < 600; i++) {
            assertTrue(seen.contains("f" + i), "f" + i);
        }
    }

    @Test
    void hscanErrors() {
        run("hset", "h", "a", "1");
        assertEquals(err("ERR invalid cursor"), run("hscan", "h", "x"));
        assertEquals(err("ERR invalid cursor"), run("hscan", "h", " 1"));
        assertEquals(err("ERR invalid cursor"), run("hscan", "h", "18446744073709551616"));
        assertEquals(err("ERR invalid cursor"), run("hscan", "nokey", "x"));
        assertEquals(SYNTAX, run("hscan", "h", "0", "COUNT", "0"));
        assertEquals(NOT_INTEGER, run("hscan", "h", "0", "COUNT", "x"));
        assertEquals(SYNTAX, run("hscan", "h", "0", "MATCH"));
        assertEquals(SYNTAX, run("hscan", "h", "0", "TYPE", "string"));
        // Redis looks the key up before reading the options
        assertEquals(List.of("0", List.of()), run("hscan", "nokey", "0", "COUNT", "0"));
        putString("s", "x");
        assertEquals(WRONGTYPE, run("hscan", "s", "0", "COUNT", "0"));
        assertEquals("0", list(run("hscan", "h", "18446744073709551615")).get(0));
        assertEquals("0", list(run("hscan", "h", "-1")).get(0));
    }

    @Test
    void parseCursorLikeStrtoul() {
        assertEquals(0, HashScan.parseCursor(Bytes.of("")));
        assertEquals(12, HashScan.parseCursor(Bytes.of("+12")));
        assertEquals(-1L, HashScan.parseCursor(Bytes.of("18446744073709551615")));
        assertEquals(-5L, HashScan.parseCursor(Bytes.of("-5")));
        assertEquals(7, HashScan.parseCursor(new byte[] {'7', 0, 'x'}));
    }

    /* ------------------------------------------------------------ Fields, copy, digest */

    @Test
    void fieldsViewReadsBothEncodings() {
        run("hset", "h", "a", "1");
        fill("t", 600);
        assertEquals("1", Bytes.str(hash("h").field(Bytes.of("a"))));
        assertNull(hash("h").field(Bytes.of("b")));
        assertEquals("v599", Bytes.str(hash("t").field(Bytes.of("f599"))));
        assertNull(hash("t").field(Bytes.of("nope")));
    }

    @Test
    void copiesAreIndependent() {
        for (int n : new int[] {3, 600}) {
            run("del", "h", "h2");
            fill("h", n);
            assertEquals(1L, run("copy", "h", "h2"));
            assertEquals(encoding("h"), encoding("h2"));
            run("hset", "h2", "f0", "changed", "extra", "1");
            assertEquals("v0", run("hget", "h", "f0"));
            assertEquals(0L, run("hexists", "h", "extra"));
            assertEquals((long) n + 1, run("hlen", "h2"));
        }
    }
}
