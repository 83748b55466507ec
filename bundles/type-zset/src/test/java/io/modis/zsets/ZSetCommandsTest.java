package io.modis.zsets;

import static io.modis.core.TestServer.OK;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The sorted-set commands registered into the real core, driven through its command pipeline. */
class ZSetCommandsTest {
    private static final Err WRONGTYPE = new Err("WRONGTYPE Operation against a key holding the wrong kind of value");
    private static final Err SYNTAX = new Err("ERR syntax error");
    private static final Err NOT_FLOAT = new Err("ERR value is not a valid float");
    private static final Err NOT_INTEGER = new Err("ERR value is not an integer or out of range");

    private final List<Command> provided = new ZSetCommands().commands();
    private TestServer t;
    private TestClient c;
    private TestClient watcher;

    private long dirty;
    private List<String> propagated;
    private List<String> events;

    @BeforeEach
    void start() {
        t = new TestServer();
        t.addCommands(provided);
        t.addConfigParams(new ZSetConfig().configParams());
        c = t.client();
        watcher = t.client();
    }

    @AfterEach
    void stop() {
        t.close();
        // the type keeps the limits it restores with: leave Redis's defaults behind
        ZSetType.INSTANCE.maxEntries(128);
        ZSetType.INSTANCE.maxValue(64);
    }

    /* ------------------------------------------------------------ helpers */

    private Object run(String... words) {
        t.takePropagated();
        t.takeEvents();
        long before = t.onEngine(() -> t.server.dirty);
        Object reply = c.call(words);
        assertNull(c.pending(), "a second reply to " + words[0]);
        dirty = t.onEngine(() -> t.server.dirty) - before;
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

    private String encoding(String key) {
        return value(key).encoding();
    }

    private void put(String key, Value v) {
        t.onEngine(() -> t.server.db(0).set(Bytes.of(key), v));
    }

    private void putString(String key) {
        put(key, StringValue.of(Bytes.of("bar")));
    }

    private void putSet(String key, String... members) {
        List<byte[]> m = new ArrayList<>();
        for (String s : members) {
            m.add(Bytes.of(s));
        }
        put(key, new TestSet(m));
    }

    private void watch(String key) {
        assertEquals(OK, watcher.call("WATCH", key));
    }

    private void assertTouched(String key) {
        assertEquals(OK, watcher.call("MULTI"));
        assertNull(watcher.call("EXEC"), key + " was not touched");
    }

    private void assertNotTouched(String key) {
        assertEquals(OK, watcher.call("MULTI"));
        assertEquals(List.of(), watcher.call("EXEC"), key + " was touched");
    }

    private CommandSpec spec(String name) {
        return t.onEngine(() -> t.server.commands.lookup(name).command.spec());
    }

    private void resp3(TestClient client) {
        assertTrue(client.call("HELLO", "3") instanceof Map);
    }

    private static List<Object> list(Object... items) {
        return Arrays.asList(items);
    }

    private int blockedClients() {
        return t.onEngine(() -> t.server.blockedClients());
    }

    /* ------------------------------------------------------------ metadata */

    @Test
    void providesTheRedis70SortedSetCommands() {
        assertEquals(Set.of("zadd", "zincrby", "zrem", "zcard", "zscore", "zmscore", "zrank", "zrevrank", "zcount",
                "zlexcount", "zrange", "zrangestore", "zrevrange", "zrangebyscore", "zrevrangebyscore", "zrangebylex",
                "zrevrangebylex", "zremrangebyrank", "zremrangebyscore", "zremrangebylex", "zunion", "zinter",
                "zintercard", "zdiff", "zunionstore", "zinterstore", "zdiffstore", "zpopmin", "zpopmax", "zmpop",
                "bzpopmin", "bzpopmax", "bzmpop", "zrandmember", "zscan"),
                provided.stream().map(Command::name).collect(Collectors.toSet()));
        for (Command command : provided) {
            assertSame(command, t.onEngine(() -> t.server.commands.lookup(command.name()).command), command.name());
            CommandSpec s = command.spec();
            assertEquals("sorted_set", s.group(), command.name());
            assertTrue(!s.summary().isEmpty() && !s.complexity().isEmpty(), command.name());
            assertTrue(s.aclCategories().contains("sortedset"), command.name());
        }
    }

    @Test
    void metadataFollowsTheRedisCommandTable() {
        CommandSpec zadd = spec("zadd");
        assertEquals(-4, zadd.arity());
        assertEquals(Set.of(CommandFlag.WRITE, CommandFlag.DENYOOM, CommandFlag.FAST), zadd.flags());
        assertEquals(List.of("write", "sortedset", "fast"), zadd.aclCategories());
        assertEquals(List.of(KeySpec.range(1, 0, 1, "RW", "UPDATE")), zadd.keySpecs());
        assertEquals("1.2.0", zadd.since());

        CommandSpec zunionstore = spec("zunionstore");
        assertEquals(List.of(KeySpec.range(1, 0, 1, "OW", "UPDATE"), KeySpec.keynum(2, 0, 1, 1, "RO", "ACCESS")),
                zunionstore.keySpecs());
        assertEquals(List.of("write", "sortedset", "slow"), zunionstore.aclCategories());

        CommandSpec bzpopmin = spec("bzpopmin");
        assertEquals(-3, bzpopmin.arity());
        assertEquals(Set.of(CommandFlag.WRITE, CommandFlag.NOSCRIPT, CommandFlag.FAST, CommandFlag.BLOCKING),
                bzpopmin.flags());
        assertEquals(List.of("write", "sortedset", "fast", "blocking"), bzpopmin.aclCategories());
        assertEquals(List.of(KeySpec.range(1, -2, 1, "RW", "ACCESS", "DELETE")), bzpopmin.keySpecs());

        CommandSpec bzmpop = spec("bzmpop");
        assertEquals(-5, bzmpop.arity());
        assertEquals(List.of(KeySpec.keynum(2, 0, 1, 1, "RW", "ACCESS", "DELETE")), bzmpop.keySpecs());
        assertEquals(List.of("read", "sortedset", "slow"), spec("zrange").aclCategories());
        assertEquals(List.of(KeySpec.range(1, 0, 1, "OW", "UPDATE"), KeySpec.range(2, 0, 1, "RO", "ACCESS")),
                spec("zrangestore").keySpecs());
    }

    /* ------------------------------------------------------------ ZADD / ZINCRBY */

    @Test
    void zaddCreatesAndUpdates() {
        watch("z");
        assertEquals(3L, run("ZADD", "z", "10", "x", "20", "y", "30", "z"));
        assertEquals(3, dirty);
        assertEquals(List.of("n:new:z@0", "z:zadd:z@0"), events);
        assertEquals(List.of("0: ZADD z 10 x 20 y 30 z"), propagated);
        assertTouched("z");
        assertEquals("listpack", encoding("z"));
        assertEquals(list("x", "y", "z"), run("ZRANGE", "z", "0", "-1"));

        watch("z");
        assertEquals(0L, run("ZADD", "z", "1", "y"));
        assertEquals(1, dirty);
        assertEquals(List.of("z:zadd:z@0"), events);
        assertTouched("z");
        assertEquals(list("y", "x", "z"), run("ZRANGE", "z", "0", "-1"));

        watch("z");
        assertEquals(0L, run("ZADD", "z", "1", "y", "10", "x"));
        assertEquals(0, dirty);
        assertEquals(List.of(), events);
        assertEquals(List.of(), propagated);
        assertNotTouched("z");
    }

    @Test
    void zaddOptions() {
        assertEquals(0L, run("ZADD", "z", "XX", "10", "x"));
        assertNull(value("z"), "XX never creates the key");
        assertEquals(List.of(), events);
        run("ZADD", "z", "10", "x", "20", "y", "30", "z");
        assertEquals(3L, run("ZADD", "z", "gt", "ch", "5", "foo", "11", "x", "21", "y", "29", "z"));
        assertEquals(list("foo", "5", "x", "11", "y", "21", "z", "30"), scores("z"));
        assertEquals(1L, run("ZADD", "z", "lt", "xx", "ch", "1", "bar", "12", "x", "20", "y"));
        assertEquals(list("foo", "5", "x", "11", "y", "20", "z", "30"), scores("z"));
        assertEquals(1L, run("ZADD", "z", "nx", "0", "x", "100", "a"));
        assertEquals(11.0, run("ZSCORE", "z", "x"));
        assertEquals(2L, run("ZADD", "z", "CH", "12", "x", "22", "y", "30", "z"));
        assertEquals(27.0, run("ZADD", "z", "INCR", "15", "x"));
        assertEquals(List.of("z:zincr:z@0"), events);
        assertNull(run("ZADD", "z", "lt", "incr", "1", "x"));
        assertNull(run("ZADD", "z", "nx", "incr", "1", "x"));
        assertNull(run("ZADD", "nokey", "xx", "incr", "1", "x"));
        assertEquals(0, dirty);
    }

    private List<Object> scores(String key) {
        @SuppressWarnings("unchecked")
        List<Object> r = (List<Object>) c.call("ZRANGE", key, "0", "-1", "WITHSCORES");
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < r.size(); i++) {
            out.add(i % 2 == 0 ? r.get(i) : Bytes.formatDouble((Double) r.get(i)));
        }
        return out;
    }

    @Test
    void zaddErrorsChangeNothing() {
        run("ZADD", "z", "1", "a");
        assertEquals(SYNTAX, run("ZADD", "z", "xx", "10", "x", "20"));
        assertEquals(SYNTAX, run("ZADD", "z", "nx", "1"));
        assertEquals(err("ERR XX and NX options at the same time are not compatible"),
                run("ZADD", "z", "xx", "nx", "10", "x"));
        for (String[] opts : List.of(new String[] {"gt", "nx"}, new String[] {"lt", "nx"}, new String[] {"lt", "gt"})) {
            assertEquals(err("ERR GT, LT, and/or NX options at the same time are not compatible"),
                    run("ZADD", "z", opts[0], opts[1], "10", "x"));
        }
        assertEquals(err("ERR INCR option supports a single increment-element pair"),
                run("ZADD", "z", "INCR", "15", "x", "10", "y"));
        assertEquals(NOT_FLOAT, run("ZADD", "z", "10", "b", "20", "c", "30.badscore", "d"));
        assertEquals(NOT_FLOAT, run("ZADD", "z", "nan", "b"));
        assertEquals(NOT_FLOAT, run("ZADD", "z", "", "b"));
        assertEquals(NOT_FLOAT, run("ZADD", "z", " 1", "b"));
        assertEquals(NOT_FLOAT, run("ZADD", "z", "1e400", "b"));
        assertEquals(list("a", "1"), scores("z"));
        assertEquals(0, dirty);
        assertEquals(err("ERR wrong number of arguments for 'zincrby' command"),
                run("ZINCRBY", "z", "10", "a", "20", "b"));
        putString("s");
        assertEquals(WRONGTYPE, run("ZADD", "s", "1", "a"));
    }

    @Test
    void zaddAcceptsWhatStrtodAccepts() {
        assertEquals(4L, run("ZADD", "z", "+inf", "a", "-Infinity", "b", "0x10", "c", "1e3", "d"));
        assertEquals(list("b", "-inf", "c", "16", "d", "1000", "a", "inf"), scores("z"));
    }

    @Test
    void zincrby() {
        assertEquals(1.0, run("ZINCRBY", "z", "1", "foo"));
        assertEquals(List.of("n:new:z@0", "z:zincr:z@0"), events);
        assertEquals(List.of("0: ZINCRBY z 1 foo"), propagated);
        assertEquals(3.5, run("ZINCRBY", "z", "2.5", "foo"));
        run("ZINCRBY", "z", "+inf", "foo");
        assertEquals(err("ERR resulting score is not a number (NaN)"), run("ZINCRBY", "z", "-inf", "foo"));
        assertEquals(0, dirty);
        assertEquals(Double.POSITIVE_INFINITY, run("ZSCORE", "z", "foo"));
    }

    /* ------------------------------------------------------------ encodings */

    @Test
    void convertsAtTheListpackLimits() {
        for (int i = 0; i < 128; i++) {
            run("ZADD", "z", Integer.toString(i), "m" + i);
        }
        assertEquals("listpack", encoding("z"));
        run("ZADD", "z", "128", "m128");
        assertEquals("skiplist", encoding("z"));
        run("ZREMRANGEBYRANK", "z", "0", "100");
        assertEquals("skiplist", encoding("z"));

        run("ZADD", "v", "1", "x".repeat(64));
        assertEquals("listpack", encoding("v"));
        run("ZADD", "v", "1", "y".repeat(65));
        assertEquals("skiplist", encoding("v"));
        run("ZADD", "w", "1", "y".repeat(65));
        assertEquals("skiplist", encoding("w"));
    }

    @Test
    void limitsFollowConfigurationUnderBothNames() {
        t.config("zset-max-ziplist-entries", "0");
        run("ZADD", "z", "1", "a");
        assertEquals("skiplist", encoding("z"));
        assertTrue(value("z").hashTableStats().contains("number of elements: 1"));
        t.config("zset-max-listpack-entries", "2");
        t.config("zset-max-ziplist-value", "3");
        run("ZADD", "y", "1", "a", "2", "b");
        assertEquals("listpack", encoding("y"));
        assertNull(value("y").hashTableStats());
        run("ZADD", "y", "3", "c");
        assertEquals("skiplist", encoding("y"));
        run("ZADD", "x", "1", "abcd");
        assertEquals("skiplist", encoding("x"));
        assertEquals(2L, t.onEngine(() -> t.server.config.value("zset-max-listpack-entries")));
        assertEquals(3L, t.onEngine(() -> t.server.config.value("zset-max-listpack-value")));
    }

    /** What DEBUG RELOAD does to a key: serialize, then restore under the configured limits. */
    @Test
    void restoreFollowsTheConfiguredLimits() {
        List<String> args = new ArrayList<>(List.of("ZADD", "z"));
        for (int i = 0; i < 100; i++) {
            args.add(Double.toString(Math.random()));
            args.add(Integer.toString(i));
        }
        run(args.toArray(new String[0]));
        ZSetValue z = (ZSetValue) value("z");
        assertEquals("listpack", z.encoding());
        ZSetValue reloaded = (ZSetValue) ZSetType.INSTANCE.restore(ZSetType.INSTANCE.serialize(z), 0);
        assertEquals("listpack", reloaded.encoding());
        t.config("zset-max-ziplist-entries", "0");
        reloaded = (ZSetValue) ZSetType.INSTANCE.restore(ZSetType.INSTANCE.serialize(z), 0);
        assertEquals("skiplist", reloaded.encoding());
        for (int i = 0; i < 100; i++) {
            assertEquals(z.score(Bytes.of(Integer.toString(i))), reloaded.score(Bytes.of(Integer.toString(i))));
        }
    }

    /* ------------------------------------------------------------ members */

    @Test
    void zremDeletesTheKeyWithItsLastMember() {
        run("ZADD", "z", "10", "a", "20", "b", "30", "c");
        assertEquals(0L, run("ZREM", "z", "x"));
        assertEquals(List.of(), events);
        watch("z");
        assertEquals(2L, run("ZREM", "z", "x", "a", "b", "a"));
        assertEquals(2, dirty);
        assertEquals(List.of("z:zrem:z@0"), events);
        assertTouched("z");
        assertEquals(1L, run("ZREM", "z", "c", "d"));
        assertEquals(List.of("z:zrem:z@0", "g:del:z@0"), events);
        assertNull(value("z"));
        assertEquals(0L, run("ZREM", "z", "c"));
    }

    @Test
    void scoresAndRanks() {
        run("ZADD", "z", "10", "x", "20", "y", "30", "z");
        assertEquals(3L, run("ZCARD", "z"));
        assertEquals(0L, run("ZCARD", "none"));
        assertEquals(20.0, run("ZSCORE", "z", "y"));
        assertNull(run("ZSCORE", "z", "nope"));
        assertNull(run("ZSCORE", "none", "y"));
        assertEquals(list(10.0, null, 30.0), run("ZMSCORE", "z", "x", "w", "z"));
        assertEquals(list(null, null), run("ZMSCORE", "none", "x", "y"));
        assertEquals(0L, run("ZRANK", "z", "x"));
        assertEquals(2L, run("ZREVRANK", "z", "x"));
        assertNull(run("ZRANK", "z", "nope"));
        assertNull(run("ZREVRANK", "none", "x"));
        assertEquals(err("ERR wrong number of arguments for 'zmscore' command"), run("ZMSCORE", "z"));
    }

    @Test
    void wrongTypeForEveryCommand() {
        putString("s");
        String[][] calls = {
                {"ZINCRBY", "s", "1", "a"}, {"ZREM", "s", "a"}, {"ZCARD", "s"}, {"ZSCORE", "s", "a"},
                {"ZMSCORE", "s", "a"}, {"ZRANK", "s", "a"}, {"ZREVRANK", "s", "a"}, {"ZCOUNT", "s", "0", "1"},
                {"ZLEXCOUNT", "s", "-", "+"}, {"ZRANGE", "s", "0", "-1"}, {"ZRANGESTORE", "d", "s", "0", "-1"},
                {"ZREVRANGE", "s", "0", "-1"}, {"ZRANGEBYSCORE", "s", "0", "1"}, {"ZRANGEBYLEX", "s", "-", "+"},
                {"ZREMRANGEBYRANK", "s", "0", "1"}, {"ZREMRANGEBYSCORE", "s", "0", "1"},
                {"ZREMRANGEBYLEX", "s", "-", "+"}, {"ZUNION", "1", "s"}, {"ZINTER", "1", "s"},
                {"ZDIFF", "1", "s"}, {"ZINTERCARD", "1", "s"}, {"ZUNIONSTORE", "d", "1", "s"},
                {"ZPOPMIN", "s"}, {"ZPOPMAX", "s", "2"}, {"ZMPOP", "1", "s", "MIN"}, {"BZPOPMIN", "s", "0"},
                {"BZMPOP", "0", "1", "s", "MAX"}, {"ZRANDMEMBER", "s"}, {"ZRANDMEMBER", "s", "2"},
                {"ZSCAN", "s", "0"}};
        for (String[] call : calls) {
            assertEquals(WRONGTYPE, run(call), String.join(" ", call));
        }
        assertNull(value("d"));
    }

    /* ------------------------------------------------------------ ranges */

    private void defaultZset() {
        run("ZADD", "zset", "-inf", "a", "1", "b", "2", "c", "3", "d", "4", "e", "5", "f", "+inf", "g");
    }

    @Test
    void rangesByRank() {
        run("ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d");
        assertEquals(list("b", "c"), run("ZRANGE", "z", "1", "-2"));
        assertEquals(list("a", "b", "c"), run("ZRANGE", "z", "-5", "2"));
        assertEquals(list(), run("ZRANGE", "z", "5", "-1"));
        assertEquals(list(), run("ZRANGE", "z", "0", "-5"));
        assertEquals(list("d", "c", "b"), run("ZREVRANGE", "z", "0", "-2"));
        assertEquals(list("d", 4.0, "c", 3.0), run("ZREVRANGE", "z", "0", "1", "WITHSCORES"));
        assertEquals(list("c", "b"), run("ZRANGE", "z", "1", "2", "REV"));
        assertEquals(list(), run("ZRANGE", "none", "0", "-1"));
        assertEquals(NOT_INTEGER, run("ZRANGE", "z", "a", "1"));
    }

    @Test
    void withScoresReplyShapes() {
        run("ZADD", "z", "1", "a", "2", "b");
        assertEquals(list("a", 1.0, "b", 2.0), run("ZRANGE", "z", "0", "-1", "WITHSCORES"));
        resp3(c);
        assertEquals(list(list("a", 1.0), list("b", 2.0)), run("ZRANGE", "z", "0", "-1", "WITHSCORES"));
        assertEquals(list("a", "b"), run("ZRANGE", "z", "0", "-1"));
        assertEquals(list(list("b", 2.0)), run("ZRANGEBYSCORE", "z", "(1", "+inf", "WITHSCORES"));
    }

    @Test
    void rangesByScore() {
        defaultZset();
        assertEquals(list("a", "b", "c"), run("ZRANGEBYSCORE", "zset", "-inf", "2"));
        assertEquals(list("g", "f", "e"), run("ZREVRANGEBYSCORE", "zset", "+inf", "4"));
        assertEquals(list("b", "c"), run("ZRANGEBYSCORE", "zset", "(0", "(3"));
        assertEquals(list("f"), run("ZREVRANGEBYSCORE", "zset", "(+inf", "(4"));
        assertEquals(list(), run("ZRANGEBYSCORE", "zset", "2", "(2"));
        assertEquals(list(), run("ZRANGEBYSCORE", "zset", "4", "2"));
        assertEquals(list(), run("ZRANGEBYSCORE", "zset", "2.4", "2.6"));
        assertEquals(list("d", "e", "f"), run("ZRANGEBYSCORE", "zset", "0", "10", "LIMIT", "2", "3"));
        assertEquals(list("d", "c", "b"), run("ZREVRANGEBYSCORE", "zset", "10", "0", "LIMIT", "2", "10"));
        assertEquals(list(), run("ZRANGEBYSCORE", "zset", "0", "10", "LIMIT", "20", "10"));
        assertEquals(list(), run("ZRANGEBYSCORE", "zset", "0", "10", "LIMIT", "-1", "10"));
        assertEquals(list("b", "c", "d", "e", "f"), run("ZRANGEBYSCORE", "zset", "0", "10", "LIMIT", "0", "-1"));
        assertEquals(list(), run("ZRANGEBYSCORE", "zset", "0", "10", "LIMIT", "0", "0"));
        assertEquals(list("e", 4.0, "f", 5.0), run("ZRANGEBYSCORE", "zset", "2", "5", "LIMIT", "2", "3", "WITHSCORES"));
        assertEquals(list("e", 4.0, "d", 3.0), run("ZRANGE", "zset", "5", "0", "BYSCORE", "REV", "LIMIT", "1", "2",
                "WITHSCORES"));
        assertEquals(list("e", 4.0, "d", 3.0), run("ZRANGE", "zset", "4", "0", "BYSCORE", "REV", "LIMIT", "0", "2",
                "WITHSCORES"));
        assertEquals(3L, run("ZCOUNT", "zset", "0", "3"));
        assertEquals(2L, run("ZCOUNT", "zset", "(0", "(3"));
        assertEquals(7L, run("ZCOUNT", "zset", "-inf", "+inf"));
        assertEquals(0L, run("ZCOUNT", "none", "-inf", "+inf"));
        for (String[] bad : List.of(new String[] {"str", "1"}, new String[] {"1", "str"}, new String[] {"1", "NaN"},
                new String[] {"(", "x"})) {
            assertEquals(err("ERR min or max is not a float"), run("ZRANGEBYSCORE", "zset", bad[0], bad[1]));
            assertEquals(err("ERR min or max is not a float"), run("ZCOUNT", "zset", bad[0], bad[1]));
        }
        // strtod reads "" and "(" as 0, and blanks before a number
        assertEquals(list("b"), run("ZRANGEBYSCORE", "zset", "(", " 1"));
    }

    @Test
    void rangesByLex() {
        run("ZADD", "zset", "0", "alpha", "0", "bar", "0", "cool", "0", "down", "0", "elephant", "0", "foo",
                "0", "great", "0", "hill", "0", "omega");
        assertEquals(list("alpha", "bar", "cool"), run("ZRANGEBYLEX", "zset", "-", "[cool"));
        assertEquals(list("cool"), run("ZRANGEBYLEX", "zset", "(bar", "(down"));
        assertEquals(list("omega", "hill", "great", "foo", "elephant", "down"), run("ZREVRANGEBYLEX", "zset", "+", "[d"));
        assertEquals(list("omega", "hill", "great", "foo"), run("ZREVRANGEBYLEX", "zset", "+", "[d", "LIMIT", "0", "4"));
        assertEquals(list("bar", "cool"), run("ZRANGE", "zset", "[bar", "(down", "BYLEX"));
        assertEquals(list("cool"), run("ZRANGEBYLEX", "zset", "[bar", "[down", "LIMIT", "1", "1"));
        assertEquals(9L, run("ZLEXCOUNT", "zset", "-", "+"));
        assertEquals(0L, run("ZLEXCOUNT", "zset", "+", "-"));
        assertEquals(4L, run("ZLEXCOUNT", "zset", "(bar", "[foo"));
        for (String[] bad : List.of(new String[] {"foo", "bar"}, new String[] {"[foo", "bar"},
                new String[] {"+x", "[bar"}, new String[] {"-x", "[bar"})) {
            assertEquals(err("ERR min or max not valid string range item"), run("ZRANGEBYLEX", "zset", bad[0], bad[1]));
            assertEquals(err("ERR min or max not valid string range item"), run("ZLEXCOUNT", "zset", bad[0], bad[1]));
        }
    }

    @Test
    void rangeOptionErrors() {
        run("ZADD", "z1", "1", "a", "2", "b");
        assertEquals(err("ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX"),
                run("ZRANGE", "z1", "0", "-1", "LIMIT", "1", "2"));
        assertEquals(err("ERR syntax error, WITHSCORES not supported in combination with BYLEX"),
                run("ZRANGE", "z1", "-", "+", "BYLEX", "WITHSCORES"));
        assertEquals(SYNTAX, run("ZREVRANGE", "z1", "0", "-1", "BYSCORE"));
        assertEquals(SYNTAX, run("ZRANGEBYSCORE", "z1", "0", "-1", "REV"));
        assertEquals(SYNTAX, run("ZRANGE", "z1", "0", "-1", "REV", "REV"));
        assertEquals(SYNTAX, run("ZRANGE", "z1", "0", "1", "BYSCORE", "LIMIT", "1"));
        assertEquals(NOT_INTEGER, run("ZRANGE", "z1", "0", "1", "BYSCORE", "LIMIT", "x", "1"));
        assertEquals(SYNTAX, run("ZRANGESTORE", "z2", "z1", "0", "-1", "WITHSCORES"));
        assertEquals(list("a", "b"), run("ZRANGE", "z1", "0", "-1", "LIMIT", "0", "-1"), "a LIMIT count of -1 is no LIMIT");
    }

    @Test
    void zrangestore() {
        run("ZADD", "z1", "1", "a", "2", "b", "3", "c", "4", "d");
        watch("z2");
        assertEquals(4L, run("ZRANGESTORE", "z2", "z1", "0", "-1"));
        assertEquals(List.of("n:new:z2@0", "z:zrangestore:z2@0"), events);
        assertEquals(List.of("0: ZRANGESTORE z2 z1 0 -1"), propagated);
        assertEquals(1, dirty);
        assertTouched("z2");
        assertEquals(list("a", "1", "b", "2", "c", "3", "d", "4"), scores("z2"));
        assertEquals(2L, run("ZRANGESTORE", "z2", "z1", "[b", "[c", "BYLEX"));
        assertEquals(list("b", "2", "c", "3"), scores("z2"));
        assertEquals(2L, run("ZRANGESTORE", "z2", "z1", "5", "0", "BYSCORE", "REV", "LIMIT", "0", "2"));
        assertEquals(list("c", "3", "d", "4"), scores("z2"));
        assertEquals(2L, run("ZRANGESTORE", "z2", "z1", "0", "1", "REV"));
        assertEquals(list("c", "3", "d", "4"), scores("z2"));

        assertEquals(0L, run("ZRANGESTORE", "z2", "z1", "5", "6"));
        assertEquals(List.of("g:del:z2@0"), events);
        assertEquals(1, dirty);
        assertNull(value("z2"));
        assertEquals(0L, run("ZRANGESTORE", "z2", "z1", "5", "6"));
        assertEquals(0, dirty);
        assertEquals(List.of(), propagated);

        run("ZADD", "z2", "1", "a");
        assertEquals(0L, run("ZRANGESTORE", "z2", "missing", "0", "-1"));
        assertNull(value("z2"), "a missing source deletes the destination");

        run("ZADD", "z2", "1", "a");
        putString("s");
        assertEquals(WRONGTYPE, run("ZRANGESTORE", "z2", "s", "0", "-1"));
        assertEquals(list("a"), run("ZRANGE", "z2", "0", "-1"));
    }

    @Test
    void storedRangesAreEncodedForTheirSize() {
        t.config("zset-max-listpack-entries", "1");
        run("ZADD", "z1", "1", "a", "2", "b");
        assertEquals("skiplist", encoding("z1"));
        assertEquals(1L, run("ZRANGESTORE", "z2", "z1", "0", "0"));
        assertEquals("listpack", encoding("z2"));
        assertEquals(2L, run("ZRANGESTORE", "z3", "z1", "0", "1"));
        assertEquals("skiplist", encoding("z3"));
        t.config("zset-max-listpack-entries", "0");
        assertEquals(1L, run("ZRANGESTORE", "z4", "z1", "0", "0"));
        assertEquals("skiplist", encoding("z4"));
    }

    @Test
    void removingRanges() {
        run("ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e");
        assertEquals(3L, run("ZREMRANGEBYRANK", "z", "1", "3"));
        assertEquals(List.of("z:zremrangebyrank:z@0"), events);
        assertEquals(3, dirty);
        assertEquals(list("a", "e"), run("ZRANGE", "z", "0", "-1"));
        assertEquals(0L, run("ZREMRANGEBYRANK", "z", "10", "-1"));
        assertEquals(List.of(), events);

        run("ZADD", "z", "2", "b", "3", "c", "4", "d");
        assertEquals(2L, run("ZREMRANGEBYSCORE", "z", "(1", "(4"));
        assertEquals(List.of("z:zremrangebyscore:z@0"), events);
        assertEquals(list("a", "d", "e"), run("ZRANGE", "z", "0", "-1"));
        assertEquals(err("ERR min or max is not a float"), run("ZREMRANGEBYSCORE", "z", "1", "NaN"));

        run("ZADD", "l", "0", "a", "0", "b", "0", "c");
        assertEquals(2L, run("ZREMRANGEBYLEX", "l", "[a", "(c"));
        assertEquals(List.of("z:zremrangebylex:l@0"), events);
        assertEquals(1L, run("ZREMRANGEBYLEX", "l", "-", "+"));
        assertEquals(List.of("z:zremrangebylex:l@0", "g:del:l@0"), events);
        assertNull(value("l"));
        assertEquals(3L, run("ZREMRANGEBYSCORE", "z", "-inf", "+inf"));
        assertNull(value("z"));
        assertEquals(0L, run("ZREMRANGEBYRANK", "none", "0", "-1"));
        assertEquals(err("ERR min or max not valid string range item"), run("ZREMRANGEBYLEX", "none", "a", "+"));
    }

    /* ------------------------------------------------------------ set operations */

    private void twoZsets() {
        run("ZADD", "zseta", "1", "a", "2", "b", "3", "c");
        run("ZADD", "zsetb", "1", "b", "2", "c", "3", "d");
    }

    @Test
    void unionInterDiff() {
        twoZsets();
        assertEquals(list("a", 1.0, "b", 3.0, "d", 3.0, "c", 5.0), run("ZUNION", "2", "zseta", "zsetb", "WITHSCORES"));
        assertEquals(list("a", 2.0, "b", 7.0, "d", 9.0, "c", 12.0),
                run("ZUNION", "2", "zseta", "zsetb", "weights", "2", "3", "withscores"));
        assertEquals(list("a", 1.0, "b", 1.0, "c", 2.0, "d", 3.0),
                run("ZUNION", "2", "zseta", "zsetb", "AGGREGATE", "MIN", "WITHSCORES"));
        assertEquals(list("b", 2.0, "c", 3.0), run("ZINTER", "2", "zseta", "zsetb", "aggregate", "max", "withscores"));
        assertEquals(list("b", "c"), run("ZINTER", "2", "zseta", "zsetb"));
        assertEquals(list("a", 1.0), run("ZDIFF", "2", "zseta", "zsetb", "WITHSCORES"));
        assertEquals(list(), run("ZDIFF", "2", "zseta", "zseta"));
        assertEquals(list(), run("ZINTER", "2", "zseta", "none"));
        assertEquals(list("a", "b", "c"), run("ZUNION", "2", "zseta", "none"));
        assertEquals(2L, run("ZINTERCARD", "2", "zseta", "zsetb"));
        assertEquals(1L, run("ZINTERCARD", "2", "zseta", "zsetb", "LIMIT", "1"));
        assertEquals(2L, run("ZINTERCARD", "2", "zseta", "zsetb", "limit", "0"));
        assertEquals(0L, run("ZINTERCARD", "1", "none"));
        resp3(c);
        assertEquals(list(list("b", 3.0), list("c", 5.0)), run("ZINTER", "2", "zseta", "zsetb", "WITHSCORES"));
    }

    @Test
    void infinitiesAndNanProducts() {
        run("ZADD", "p", "+inf", "k");
        run("ZADD", "n", "-inf", "k");
        assertEquals(list("k", 0.0), run("ZUNION", "2", "p", "n", "WITHSCORES"));
        assertEquals(list("k", 0.0), run("ZINTER", "2", "p", "n", "WITHSCORES"));
        assertEquals(list("k", Double.POSITIVE_INFINITY), run("ZUNION", "2", "p", "p", "WITHSCORES"));
        assertEquals(list("k", 0.0), run("ZUNION", "1", "n", "WEIGHTS", "0", "WITHSCORES"));
        assertEquals(err("ERR weight value is not a float"), run("ZUNION", "2", "p", "n", "WEIGHTS", "nan", "nan"));
    }

    @Test
    void plainSetsCountAsScoreOne() {
        run("ZADD", "zsetb", "1", "b", "2", "c", "3", "d");
        putSet("seta", "a", "b", "c");
        assertEquals(4L, run("ZUNIONSTORE", "zsetc", "2", "seta", "zsetb", "weights", "2", "3"));
        assertEquals(list("a", "2", "b", "5", "c", "8", "d", "9"), scores("zsetc"));
        assertEquals(2L, run("ZINTERSTORE", "zsetc", "2", "seta", "zsetb", "weights", "2", "3"));
        assertEquals(list("b", "5", "c", "8"), scores("zsetc"));
        assertEquals(1L, run("ZDIFFSTORE", "zsetc", "2", "seta", "zsetb"));
        assertEquals(list("a", "1"), scores("zsetc"));
        putSet("set1", "a");
        putSet("set2", "10");
        assertEquals(0L, run("ZINTERSTORE", "set3", "2", "set1", "set2"));
        putSet("one", "100", "101", "102", "103");
        putSet("two", "100", "200", "201", "202");
        run("ZADD", "three", "1", "500", "1", "501", "1", "502", "1", "503", "1", "100");
        run("ZINTERSTORE", "to_here", "3", "one", "two", "three", "WEIGHTS", "0", "0", "1");
        assertEquals(list("100"), run("ZRANGE", "to_here", "0", "-1"));
        assertEquals(list("a"), run("ZDIFF", "2", "seta", "zsetb"));
        assertEquals(2L, run("ZINTERCARD", "2", "zsetb", "seta"));
    }

    @Test
    void storeCommands() {
        twoZsets();
        watch("dst");
        assertEquals(4L, run("ZUNIONSTORE", "dst", "2", "zseta", "zsetb"));
        assertEquals(List.of("n:new:dst@0", "z:zunionstore:dst@0"), events);
        assertEquals(List.of("0: ZUNIONSTORE dst 2 zseta zsetb"), propagated);
        assertEquals(1, dirty);
        assertTouched("dst");
        assertEquals("listpack", encoding("dst"));
        assertEquals(2L, run("ZINTERSTORE", "dst", "2", "zseta", "zsetb"));
        assertEquals(List.of("z:zinterstore:dst@0"), events);
        assertEquals(1L, run("ZDIFFSTORE", "dst", "2", "zseta", "zsetb"));
        assertEquals(List.of("z:zdiffstore:dst@0"), events);
        assertEquals(0L, run("ZDIFFSTORE", "dst", "2", "zseta", "zseta"));
        assertEquals(List.of("g:del:dst@0"), events);
        assertNull(value("dst"));
        assertEquals(0L, run("ZUNIONSTORE", "dst", "1", "none"));
        assertEquals(0, dirty);
        assertEquals(List.of(), propagated);

        t.config("zset-max-listpack-entries", "3");
        assertEquals(4L, run("ZUNIONSTORE", "dst", "2", "zseta", "zsetb"));
        assertEquals("skiplist", encoding("dst"));
        t.config("zset-max-listpack-entries", "0");
        run("ZADD", "big", "1", "x", "2", "y");
        assertEquals("skiplist", encoding("big"));
        t.config("zset-max-listpack-entries", "128");
        assertEquals(2L, run("ZUNIONSTORE", "dst", "1", "big"));
        assertEquals("listpack", encoding("dst"), "a fresh result is compacted when it fits");
        putString("dst");
        assertEquals(2L, run("ZUNIONSTORE", "dst", "1", "big"));
        assertEquals("zset", value("dst").type().name());
    }

    @Test
    void setOperationErrors() {
        twoZsets();
        for (String cmd : List.of("zunion", "zinter", "zdiff", "zintercard")) {
            assertEquals(err("ERR at least 1 input key is needed for '" + cmd + "' command"), run(cmd, "0", "k"));
        }
        for (String cmd : List.of("zunionstore", "zinterstore", "zdiffstore")) {
            assertEquals(err("ERR at least 1 input key is needed for '" + cmd + "' command"), run(cmd, "d", "0", "k"));
            assertEquals(SYNTAX, run(cmd, "d", "2", "zseta", "zsetb", "WITHSCORES"));
        }
        assertEquals(NOT_INTEGER, run("ZUNION", "x", "zseta"));
        assertEquals(SYNTAX, run("ZUNION", "3", "zseta", "zsetb"));
        assertEquals(SYNTAX, run("ZUNION", "2", "zseta", "zsetb", "WEIGHTS", "1"));
        assertEquals(SYNTAX, run("ZUNION", "2", "zseta", "zsetb", "AGGREGATE", "avg"));
        assertEquals(SYNTAX, run("ZDIFF", "2", "zseta", "zsetb", "WEIGHTS", "1", "2"));
        assertEquals(SYNTAX, run("ZINTERCARD", "1", "zseta", "zseta"));
        assertEquals(SYNTAX, run("ZINTERCARD", "1", "zseta", "LIMIT"));
        assertEquals(SYNTAX, run("ZINTERCARD", "1", "zseta", "WITHSCORES"));
        assertEquals(err("ERR LIMIT can't be negative"), run("ZINTERCARD", "1", "zseta", "LIMIT", "-1"));
        assertEquals(err("ERR LIMIT can't be negative"), run("ZINTERCARD", "1", "zseta", "LIMIT", "a"));
    }

    /* ------------------------------------------------------------ pops */

    @Test
    void zpopReplies() {
        run("ZADD", "z", "-1", "a", "1", "b", "2", "c", "3", "d", "4", "e");
        watch("z");
        assertEquals(list("a", -1.0), run("ZPOPMIN", "z"));
        assertEquals(List.of("z:zpopmin:z@0"), events);
        assertEquals(List.of("0: ZPOPMIN z"), propagated);
        assertEquals(1, dirty);
        assertTouched("z");
        assertEquals(list("e", 4.0, "d", 3.0), run("ZPOPMAX", "z", "2"));
        assertEquals(List.of("z:zpopmax:z@0"), events);
        assertEquals(List.of("0: ZPOPMAX z 2"), propagated);
        assertEquals(2, dirty);
        assertEquals(list(), run("ZPOPMIN", "z", "0"));
        assertEquals(0, dirty);
        resp3(c);
        assertEquals(list("b", 1.0), run("ZPOPMIN", "z"));
        assertEquals(list(list("c", 2.0)), run("ZPOPMIN", "z", "10"));
        assertEquals(List.of("z:zpopmin:z@0", "g:del:z@0"), events);
        assertNull(value("z"));
        assertEquals(list(), run("ZPOPMIN", "z"));
        assertEquals(list(), run("ZPOPMIN", "z", "1"));
        assertEquals(List.of(), propagated);
    }

    @Test
    void zpopErrors() {
        putString("s");
        assertEquals(err("ERR value is out of range, must be positive"), run("ZPOPMIN", "s", "-1"));
        assertEquals(err("ERR value is out of range, must be positive"), run("ZPOPMAX", "none", "x"));
        assertEquals(SYNTAX, run("ZPOPMIN", "z", "1", "2"));
    }

    @Test
    void zmpop() {
        run("ZADD", "z2", "1", "a", "2", "b", "3", "c");
        assertNull(run("ZMPOP", "1", "z1", "MIN"));
        assertEquals(list("z2", list(list("a", 1.0))), run("ZMPOP", "2", "z1", "z2", "MIN"));
        assertEquals(List.of("0: ZPOPMIN z2 1"), propagated);
        assertEquals(List.of("z:zpopmin:z2@0"), events);
        assertEquals(list("z2", list(list("c", 3.0), list("b", 2.0))), run("ZMPOP", "2", "z1", "z2", "max", "count", "10"));
        assertEquals(List.of("0: ZPOPMAX z2 2"), propagated);
        assertEquals(List.of("z:zpopmax:z2@0", "g:del:z2@0"), events);
        assertNull(run("ZMPOP", "2", "z1", "z2", "max", "count", "10"));
        assertEquals(List.of(), propagated);

        assertEquals(err("ERR numkeys should be greater than 0"), run("ZMPOP", "0", "z", "MIN"));
        assertEquals(err("ERR numkeys should be greater than 0"), run("ZMPOP", "a", "z", "MIN"));
        assertEquals(SYNTAX, run("ZMPOP", "1", "z", "bad_where"));
        assertEquals(SYNTAX, run("ZMPOP", "1", "z", "MAX", "MIN"));
        assertEquals(SYNTAX, run("ZMPOP", "1", "z", "COUNT"));
        assertEquals(SYNTAX, run("ZMPOP", "1", "z", "MAX", "COUNT", "1", "COUNT", "2"));
        assertEquals(SYNTAX, run("ZMPOP", "2", "z", "z2", "bad_arg"));
        assertEquals(SYNTAX, run("ZMPOP", "5", "z", "MIN"));
        assertEquals(err("ERR count should be greater than 0"), run("ZMPOP", "1", "z", "MIN", "COUNT", "0"));
        assertEquals(err("ERR count should be greater than 0"), run("ZMPOP", "1", "z", "MIN", "COUNT", "a"));
        putString("s");
        assertEquals(WRONGTYPE, run("ZMPOP", "2", "none", "s", "MIN"));
    }

    @Test
    void blockingPopsServeAtOnceWhenTheyCan() {
        run("ZADD", "z1", "0", "a", "1", "b");
        run("ZADD", "z2", "3", "d");
        assertEquals(list("z1", "a", 0.0), run("BZPOPMIN", "none", "z1", "z2", "5"));
        assertEquals(List.of("0: ZPOPMIN z1"), propagated);
        assertEquals(List.of("z:zpopmin:z1@0"), events);
        assertEquals(list("z2", "d", 3.0), run("BZPOPMAX", "z2", "z1", "0"));
        assertEquals(List.of("0: ZPOPMAX z2"), propagated);
        assertEquals(list("z1", list(list("b", 1.0))), run("BZMPOP", "0", "2", "z2", "z1", "MAX", "COUNT", "5"));
        assertEquals(List.of("0: ZPOPMAX z1 1"), propagated);
        assertEquals(List.of("z:zpopmax:z1@0", "g:del:z1@0"), events);
        resp3(c);
        run("ZADD", "z1", "0", "a");
        assertEquals(list("z1", "a", 0.0), run("BZPOPMIN", "z1", "5"));
    }

    @Test
    void blockedClientsAreServedInOrderAndPropagatePops() {
        TestClient b1 = t.client();
        TestClient b2 = t.client();
        assertNull(b1.call("BZPOPMIN", "z", "0"));
        assertNull(b2.call("BZMPOP", "0", "2", "y", "z", "MAX", "COUNT", "10"));
        assertEquals(2, blockedClients());
        t.takePropagated();
        t.takeEvents();
        assertEquals(3L, c.call("ZADD", "z", "1", "a", "2", "b", "3", "c"));
        assertEquals(list("z", "a", 1.0), b1.pending());
        assertEquals(list("z", list(list("c", 3.0), list("b", 2.0))), b2.pending());
        assertEquals(List.of("0: ZADD z 1 a 2 b 3 c", "0: ZPOPMIN z", "0: ZPOPMAX z 2"), t.takePropagated());
        assertEquals(List.of("n:new:z@0", "z:zadd:z@0", "z:zpopmin:z@0", "z:zpopmax:z@0", "g:del:z@0"),
                t.takeEvents());
        assertEquals(0, blockedClients());
        assertNull(value("z"));
    }

    @Test
    void aBlockedClientIgnoresKeysThatAreGoneOrOfAnotherType() {
        TestClient b = t.client();
        assertNull(b.call("BZPOPMIN", "z", "0"));
        assertEquals(OK, c.call("MULTI"));
        c.call("ZADD", "z", "0", "foo");
        c.call("DEL", "z");
        assertEquals(list(1L, 1L), c.call("EXEC"));
        assertNull(b.pending());
        assertEquals(OK, c.call("MULTI"));
        c.call("ZADD", "z", "0", "foo");
        c.call("DEL", "z");
        c.call("ZADD", "z", "0", "foo");
        c.call("ZADD", "z", "1", "bar");
        c.call("ZREM", "z", "foo");
        c.call("ZREM", "z", "bar");
        assertTrue(c.call("EXEC") instanceof List);
        assertNull(b.pending());
        // a key of another type does not serve the client either
        putString("z");
        assertEquals(0L, c.call("ZCARD", "other"));
        assertNull(b.pending());
        assertEquals(1, blockedClients());
        c.call("DEL", "z");
        c.call("ZADD", "z", "1", "bar");
        assertEquals(list("z", "bar", 1.0), b.pending());
    }

    @Test
    void blockingPopsDoNotBlockInsideMulti() {
        assertEquals(OK, c.call("MULTI"));
        assertEquals(new TestServer.Status("QUEUED"), c.call("BZPOPMIN", "z", "0"));
        assertEquals(new TestServer.Status("QUEUED"), c.call("BZMPOP", "0", "1", "z", "MIN"));
        assertEquals(list(null, null), c.call("EXEC"));
        assertEquals(0, blockedClients());
    }

    @Test
    void blockingTimeouts() {
        assertEquals(err("ERR timeout is not a float or out of range"), run("BZPOPMIN", "z", "abc"));
        assertEquals(err("ERR timeout is negative"), run("BZPOPMIN", "z", "-1"));
        assertEquals(err("ERR timeout is negative"), run("BZPOPMAX", "z", "inf"));
        assertEquals(err("ERR timeout is not a float or out of range"), run("BZMPOP", "x", "1", "z", "MIN"));
        assertEquals(err("ERR numkeys should be greater than 0"), run("BZMPOP", "x", "0", "z", "MIN"));
        TestClient b = t.client();
        assertNull(b.call("BZPOPMIN", "z", "0.01"));
        long deadline = System.currentTimeMillis() + 5000;
        while (blockedClients() > 0 && System.currentTimeMillis() < deadline) {
            Thread.onSpinWait();
        }
        assertEquals(0, blockedClients(), "released on timeout");
        assertNull(b.pending());
        assertEquals(List.of(), t.takePropagated());
    }

    /** The replication stream Redis's "ZMPOP propagate as pop with count command to replica" expects. */
    @Test
    void zmpopPropagatesAsPopsWithCount() {
        t.takePropagated();
        c.call("zadd", "myzset", "1", "one", "2", "two", "3", "three");
        c.call("zmpop", "1", "myzset", "min");
        c.call("zmpop", "1", "myzset", "max", "count", "1");
        c.call("zmpop", "2", "myzset", "myzset2", "min", "count", "10");
        c.call("zmpop", "2", "myzset", "myzset2", "max", "count", "10");
        c.call("zadd", "myzset2", "1", "one", "2", "two", "3", "three");
        c.call("zmpop", "2", "myzset", "myzset2", "min", "count", "2");
        c.call("zmpop", "2", "myzset", "myzset2", "max", "count", "1");
        c.call("zadd", "myzset", "1", "one", "2", "two", "3", "three");
        c.call("zadd", "myzset2", "4", "four", "5", "five", "6", "six");
        c.call("zmpop", "2", "myzset", "myzset2", "min", "count", "10");
        c.call("zmpop", "2", "myzset", "myzset2", "max", "count", "10");
        assertEquals(List.of("0: zadd myzset 1 one 2 two 3 three", "0: ZPOPMIN myzset 1", "0: ZPOPMAX myzset 1",
                "0: ZPOPMIN myzset 1", "0: zadd myzset2 1 one 2 two 3 three", "0: ZPOPMIN myzset2 2",
                "0: ZPOPMAX myzset2 1", "0: zadd myzset 1 one 2 two 3 three", "0: zadd myzset2 4 four 5 five 6 six",
                "0: ZPOPMIN myzset 3", "0: ZPOPMAX myzset2 3"), t.takePropagated());
    }

    /** The replication stream Redis's "BZMPOP propagate as pop with count command to replica" expects. */
    @Test
    void bzmpopPropagatesAsPopsWithCountWhetherItBlockedOrNot() {
        TestClient rd = t.client();
        t.takePropagated();
        c.call("zadd", "myzset", "1", "one", "2", "two", "3", "three");
        c.call("zadd", "myzset2", "4", "four", "5", "five", "6", "six");
        c.call("bzmpop", "0", "1", "myzset", "min");
        c.call("bzmpop", "0", "2", "myzset", "myzset2", "max", "count", "10");
        c.call("bzmpop", "0", "2", "myzset", "myzset2", "max", "count", "10");
        assertNull(rd.call("bzmpop", "0", "1", "myzset", "min", "count", "1"));
        c.call("zadd", "myzset", "1", "one");
        assertEquals(list("myzset", list(list("one", 1.0))), rd.pending());
        assertNull(rd.call("bzmpop", "0", "2", "myzset", "myzset2", "min", "count", "5"));
        c.call("zadd", "myzset", "1", "one", "2", "two", "3", "three");
        assertEquals(list("myzset", list(list("one", 1.0), list("two", 2.0), list("three", 3.0))), rd.pending());
        assertNull(rd.call("bzmpop", "0", "2", "myzset", "myzset2", "max", "count", "10"));
        c.call("zadd", "myzset2", "4", "four", "5", "five", "6", "six");
        assertEquals(list("myzset2", list(list("six", 6.0), list("five", 5.0), list("four", 4.0))), rd.pending());
        assertEquals(List.of("0: zadd myzset 1 one 2 two 3 three", "0: zadd myzset2 4 four 5 five 6 six",
                "0: ZPOPMIN myzset 1", "0: ZPOPMAX myzset 2", "0: ZPOPMAX myzset2 3", "0: zadd myzset 1 one",
                "0: ZPOPMIN myzset 1", "0: zadd myzset 1 one 2 two 3 three", "0: ZPOPMIN myzset 3",
                "0: zadd myzset2 4 four 5 five 6 six", "0: ZPOPMAX myzset2 3"), t.takePropagated());
    }

    /* ------------------------------------------------------------ ZRANDMEMBER */

    @Test
    void zrandmember() {
        for (String encoding : List.of("listpack", "skiplist")) {
            t.config("zset-max-listpack-entries", encoding.equals("listpack") ? "128" : "0");
            run("DEL", "z");
            run("ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e");
            assertEquals(encoding, encoding("z"));
            Map<Object, Double> scores = Map.of("a", 1.0, "b", 2.0, "c", 3.0, "d", 4.0, "e", 5.0);
            Set<Object> seen = new HashSet<>();
            for (int i = 0; i < 200; i++) {
                seen.add(run("ZRANDMEMBER", "z"));
            }
            assertEquals(scores.keySet(), seen);
            assertEquals(List.of(), events);
            assertEquals(List.of(), propagated);
            for (int count : new int[] {1, 2, 4, 5, 10}) {
                List<?> r = (List<?>) run("ZRANDMEMBER", "z", Integer.toString(count));
                assertEquals(Math.min(count, 5), r.size());
                assertEquals(r.size(), new HashSet<>(r).size(), "distinct members");
                List<?> ws = (List<?>) run("ZRANDMEMBER", "z", Integer.toString(count), "WITHSCORES");
                assertEquals(Math.min(count, 5) * 2, ws.size());
                for (int i = 0; i < ws.size(); i += 2) {
                    assertEquals(scores.get(ws.get(i)), ws.get(i + 1));
                }
            }
            List<?> repeated = (List<?>) run("ZRANDMEMBER", "z", "-100");
            assertEquals(100, repeated.size());
            assertTrue(scores.keySet().containsAll(repeated));
            assertEquals(5, new HashSet<>(repeated).size());
        }
        assertEquals(list(), run("ZRANDMEMBER", "z", "0"));
        assertEquals(list(), run("ZRANDMEMBER", "none", "10"));
        assertNull(run("ZRANDMEMBER", "none"));
        resp3(c);
        List<?> nested = (List<?>) run("ZRANDMEMBER", "z", "3", "WITHSCORES");
        assertEquals(3, nested.size());
        assertEquals(2, ((List<?>) nested.get(1)).size());
    }

    @Test
    void zrandmemberErrors() {
        run("ZADD", "z", "0", "a");
        assertEquals(err("ERR value is out of range"), run("ZRANDMEMBER", "z", "-9223372036854770000", "WITHSCORES"));
        assertEquals(err("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807"),
                run("ZRANDMEMBER", "z", "-9223372036854775808"));
        assertEquals(NOT_INTEGER, run("ZRANDMEMBER", "z", "x"));
        assertEquals(SYNTAX, run("ZRANDMEMBER", "z", "1", "SCORES"));
        assertEquals(SYNTAX, run("ZRANDMEMBER", "z", "1", "WITHSCORES", "x"));
    }

    /* ------------------------------------------------------------ ZSCAN */

    @Test
    void zscanReturnsACompactSetWhole() {
        run("ZADD", "z", "1", "a", "2.5", "b", "3", "c");
        assertEquals(list("0", list("a", "1", "b", "2.5", "c", "3")), run("ZSCAN", "z", "0"));
        assertEquals(list("0", list("b", "2.5")), run("ZSCAN", "z", "0", "MATCH", "b*", "COUNT", "1"));
        assertEquals(list("0", list()), run("ZSCAN", "none", "0"));
        assertEquals(err("ERR invalid cursor"), run("ZSCAN", "z", "x"));
        assertEquals(err("ERR invalid cursor"), run("ZSCAN", "z", " 1"));
        assertEquals(SYNTAX, run("ZSCAN", "z", "0", "COUNT", "0"));
        assertEquals(SYNTAX, run("ZSCAN", "z", "0", "MATCH"));
        assertEquals(SYNTAX, run("ZSCAN", "z", "0", "TYPE", "zset"));
        assertEquals(NOT_INTEGER, run("ZSCAN", "z", "0", "COUNT", "x"));
    }

    @Test
    void zscanWalksASkipListWithACursor() {
        t.config("zset-max-listpack-entries", "0");
        List<String> args = new ArrayList<>(List.of("ZADD", "z"));
        for (int i = 0; i < 500; i++) {
            args.add(Integer.toString(i));
            args.add("m" + i);
        }
        run(args.toArray(new String[0]));
        Map<String, String> seen = new HashMap<>();
        String cursor = "0";
        int calls = 0;
        do {
            List<?> r = (List<?>) run("ZSCAN", "z", cursor, "COUNT", "20");
            cursor = (String) r.get(0);
            List<?> items = (List<?>) r.get(1);
            for (int i = 0; i < items.size(); i += 2) {
                seen.put((String) items.get(i), (String) items.get(i + 1));
            }
            calls++;
        } while (!cursor.equals("0"));
        assertEquals(500, seen.size());
        assertEquals("42", seen.get("m42"));
        assertTrue(calls > 10, "walked in steps: " + calls);
    }
}
