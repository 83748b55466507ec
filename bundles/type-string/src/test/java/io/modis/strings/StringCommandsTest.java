package io.modis.strings;

import static io.modis.core.TestServer.OK;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modis.api.Bytes;
import io.modis.api.Command;
import io.modis.api.CommandException;
import io.modis.api.CommandFlag;
import io.modis.api.CommandSpec;
import io.modis.api.DataType;
import io.modis.api.Digest;
import io.modis.api.KeySpec;
import io.modis.api.StringValue;
import io.modis.api.Value;
import io.modis.core.TestServer;
import io.modis.core.TestServer.Err;
import io.modis.core.TestServer.TestClient;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The string commands registered into the real core, driven through its command pipeline. */
class StringCommandsTest {
    private static final Err WRONGTYPE = new Err("WRONGTYPE Operation against a key holding the wrong kind of value");

    private final List<Command> provided = new StringCommands().commands();
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
        c = t.client();
        watcher = t.client();
    }

    @AfterEach
    void stop() {
        t.close();
    }

    /** A value of some other type, for WRONGTYPE. */
    private static final class OtherValue implements Value {
        @Override
        public DataType type() {
            return null;
        }

        @Override
        public String encoding() {
            return "listpack";
        }

        @Override
        public long memoryUsage() {
            return 0;
        }

        @Override
        public Value copy() {
            return this;
        }

        @Override
        public void digest(Digest d) {
        }
    }

    private final OtherValue list = new OtherValue();

    /* ------------------------------------------------------------ helpers */

    /** Runs one command as a client and records what it did; returns its one reply. */
    private Object run(String... words) {
        byte[][] argv = new byte[words.length][];
        for (int i = 0; i < words.length; i++) {
            argv[i] = Bytes.of(words[i]);
        }
        return run(argv);
    }

    private Object run(byte[]... argv) {
        t.takePropagated();
        t.takeEvents();
        long dirtyBefore = t.onEngine(() -> t.server.dirty);
        Object reply = c.call(argv);
        assertNull(c.pending(), "a second reply to " + Bytes.str(argv[0]));
        dirty = t.onEngine(() -> t.server.dirty) - dirtyBefore;
        propagated = t.takePropagated();
        events = t.takeEvents();
        return reply;
    }

    private static Err err(String message) {
        return new Err(message);
    }

    private static long now() {
        return System.currentTimeMillis();
    }

    private static void assertWithin(long min, long max, long actual) {
        assertTrue(actual >= min && actual <= max, actual + " not in [" + min + ", " + max + "]");
    }

    /** The value at key in database 0, read as a command would (expiring it if due). */
    private Value value(String key) {
        return t.onEngine(() -> t.server.db(0).get(Bytes.of(key)));
    }

    private void put(String key, Value value) {
        t.onEngine(() -> t.server.db(0).set(Bytes.of(key), value));
    }

    private String encoding(String key) {
        return value(key).encoding();
    }

    private long expireAt(String key) {
        return t.onEngine(() -> t.server.db(0).expireAt(Bytes.of(key)));
    }

    private void watch(String key) {
        assertEquals(OK, watcher.call("WATCH", key));
    }

    /** The watched key was touched: the watcher's transaction fails. */
    private void assertTouched(String key) {
        assertEquals(OK, watcher.call("MULTI"));
        assertNull(watcher.call("EXEC"), key + " was not touched");
    }

    /* ------------------------------------------------------------ metadata */

    @Test
    void providesTheRedis70StringCommands() {
        assertEquals(Set.of("get", "set", "setnx", "setex", "psetex", "getset", "getdel", "getex", "mget", "mset",
                "msetnx", "append", "strlen", "getrange", "substr", "setrange", "incr", "decr", "incrby", "decrby",
                "incrbyfloat", "lcs"), provided.stream().map(Command::name).collect(Collectors.toSet()));
        for (Command command : provided) {
            assertSame(command, t.onEngine(() -> t.server.commands.lookup(command.name()).command), command.name());
        }
    }

    @Test
    void metadataFollowsCommandInfo() {
        CommandSpec get = spec("get");
        assertEquals(2, get.arity());
        assertEquals(Set.of(CommandFlag.READONLY, CommandFlag.FAST), get.flags());
        assertEquals(List.of("read", "string", "fast"), get.aclCategories());
        assertEquals(List.of(1, 1, 1), List.of(get.firstKey(), get.lastKey(), get.keyStep()));
        assertEquals(List.of(KeySpec.range(1, 0, 1, "RO", "ACCESS")), get.keySpecs());
        assertEquals("string", get.group());

        CommandSpec set = spec("set");
        assertEquals(-3, set.arity());
        assertEquals(List.of("write", "string", "slow"), set.aclCategories());
        assertEquals(List.of("RW", "ACCESS", "UPDATE", "VARIABLE_FLAGS"), set.keySpecs().get(0).flags());

        CommandSpec mset = spec("mset");
        assertEquals(List.of(1, -1, 2), List.of(mset.firstKey(), mset.lastKey(), mset.keyStep()));
        assertEquals(KeySpec.range(1, -1, 2, "OW", "UPDATE"), mset.keySpecs().get(0));

        CommandSpec lcs = spec("lcs");
        assertEquals(List.of(1, 2, 1), List.of(lcs.firstKey(), lcs.lastKey(), lcs.keyStep()));
        assertEquals("7.0.0", lcs.since());
        assertEquals(List.of("read", "string", "slow"), lcs.aclCategories());
        for (Command command : provided) {
            CommandSpec spec = command.spec();
            assertEquals("string", spec.group(), command.name());
            assertTrue(!spec.summary().isEmpty() && !spec.complexity().isEmpty(), command.name());
            assertEquals(1, spec.keySpecs().size(), command.name());
        }
    }

    /** The spec the server's command table holds for name. */
    private CommandSpec spec(String name) {
        return t.onEngine(() -> t.server.commands.lookup(name).command.spec());
    }

    /* ------------------------------------------------------------ GET / SET */

    @Test
    void setThenGet() {
        watch("foo");
        assertEquals(OK, run("set", "foo", "bar"));
        assertEquals(1, dirty);
        assertEquals(List.of("n:new:foo@0", "$:set:foo@0"), events);
        assertTouched("foo");
        assertEquals(List.of("0: set foo bar"), propagated);
        assertEquals("bar", run("get", "foo"));
        assertNull(run("get", "nokey"));
    }

    @Test
    void setPicksRedisEncodings() {
        run("set", "i", "12345");
        assertEquals("int", encoding("i"));
        run("set", "e", "hello");
        assertEquals("embstr", encoding("e"));
        run("set", "r", "x".repeat(45));
        assertEquals("raw", encoding("r"));
    }

    @Test
    void setWithRelativeExpireIsPropagatedWithPxat() {
        long before = now();
        assertEquals(OK, run("set", "foo", "bar", "ex", "100"));
        long when = expireAt("foo");
        assertWithin(before + 100_000, now() + 100_000, when);
        assertEquals(List.of("0: SET foo bar PXAT " + when), propagated);
        assertEquals(List.of("n:new:foo@0", "$:set:foo@0", "g:expire:foo@0"), events);
        assertEquals(1, dirty);
    }

    @Test
    void setexAndPsetex() {
        long before = now();
        assertEquals(OK, run("setex", "k", "10", "v"));
        long when = expireAt("k");
        assertWithin(before + 10_000, now() + 10_000, when);
        assertEquals(List.of("0: SET k v PXAT " + when), propagated);
        before = now();
        assertEquals(OK, run("psetex", "k", "10", "v"));
        assertWithin(before + 10, now() + 10, expireAt("k"));
        assertEquals(err("ERR invalid expire time in 'setex' command"), run("setex", "k", "0", "v"));
        assertEquals(err("ERR invalid expire time in 'psetex' command"), run("psetex", "k", "-5", "v"));
        assertEquals(err("ERR value is not an integer or out of range"), run("setex", "k", "1.5", "v"));
    }

    @Test
    void setExpireErrors() {
        assertEquals(err("ERR invalid expire time in 'set' command"), run("set", "k", "v", "ex", "0"));
        assertEquals(err("ERR invalid expire time in 'set' command"),
                run("set", "k", "v", "ex", "10000000000000000"));
        assertEquals(err("ERR invalid expire time in 'set' command"),
                run("set", "k", "v", "px", "9223372036854775807"));
        assertEquals(err("ERR value is not an integer or out of range"), run("set", "k", "v", "ex", "x"));
        assertEquals(err("ERR syntax error"), run("set", "k", "v", "ex", "10", "px", "10"));
        assertNull(value("k"));
    }

    @Test
    void setExatInThePastLeavesAnExpiredKey() {
        assertEquals(OK, run("set", "k", "v", "exat", "1"));
        assertEquals(List.of("0: SET k v PXAT 1000"), propagated);
        assertNull(run("get", "k"));
    }

    @Test
    void plainSetClearsTtlAndKeepttlKeepsIt() {
        run("set", "k", "v", "px", "5000");
        long when = expireAt("k");
        assertTrue(when > 0);
        run("set", "k", "w", "keepttl");
        assertEquals(when, expireAt("k"));
        run("set", "k", "x");
        assertEquals(-1, expireAt("k"));
    }

    @Test
    void nxAndXx() {
        assertNull(run("set", "k", "v", "xx"));
        assertEquals(0, dirty);
        assertEquals(List.of(), propagated);
        assertEquals(OK, run("set", "k", "v", "nx"));
        assertNull(run("set", "k", "w", "nx"));
        assertEquals(OK, run("set", "k", "w", "xx"));
        assertEquals("w", run("get", "k"));
        assertEquals(0L, run("setnx", "k", "z"));
        assertEquals(1L, run("setnx", "n", "z"));
    }

    @Test
    void setGetReturnsTheOldValueAndDropsGetFromPropagation() {
        assertNull(run("set", "k", "v", "get"));
        assertEquals(List.of("0: set k v"), propagated);
        assertEquals("v", run("set", "k", "w", "GET", "get"));
        assertEquals(List.of("0: set k w"), propagated);
        assertEquals("w", run("set", "k", "x", "nx", "get"));
        assertEquals(0, dirty);
        assertEquals("w", run("get", "k"));
    }

    @Test
    void setGetOnAnotherTypeFailsAndChangesNothing() {
        put("l", list);
        assertEquals(WRONGTYPE, run("set", "l", "v", "get"));
        assertSame(list, value("l"));
        assertEquals(0, dirty);
        assertEquals(OK, run("set", "l", "v"));
    }

    @Test
    void getOnAnotherType() {
        put("l", list);
        assertEquals(WRONGTYPE, run("get", "l"));
        assertEquals(WRONGTYPE, run("getset", "l", "v"));
        assertSame(list, value("l"));
    }

    @Test
    void getsetReturnsOldClearsTtlAndPropagatesAsSet() {
        assertNull(run("getset", "k", "a"));
        run("set", "k", "a", "ex", "10");
        assertEquals("a", run("getset", "k", "b"));
        assertEquals(-1, expireAt("k"));
        assertEquals(List.of("0: SET k b"), propagated);
        assertEquals(List.of("$:set:k@0"), events);
    }

    @Test
    void getdel() {
        run("set", "k", "v");
        assertEquals("v", run("getdel", "k"));
        assertEquals(List.of("0: DEL k"), propagated);
        assertEquals(List.of("g:del:k@0"), events);
        assertEquals(1, dirty);
        assertNull(run("getdel", "k"));
        assertEquals(0, dirty);
        t.config("lazyfree-lazy-user-del", "yes");
        run("set", "k", "v");
        run("getdel", "k");
        assertEquals(List.of("0: UNLINK k"), propagated);
    }

    @Test
    void getexWithoutOptionsIsARead() {
        run("set", "k", "v", "ex", "10");
        long when = expireAt("k");
        assertEquals("v", run("getex", "k"));
        assertEquals(0, dirty);
        assertEquals(List.of(), propagated);
        assertEquals(when, expireAt("k"));
    }

    @Test
    void getexSetsExpireAsPexpireat() {
        run("set", "k", "v");
        watch("k");
        long before = now();
        assertEquals("v", run("getex", "k", "px", "500"));
        long when = expireAt("k");
        assertWithin(before + 500, now() + 500, when);
        assertEquals(List.of("0: PEXPIREAT k " + when), propagated);
        assertEquals(List.of("g:expire:k@0"), events);
        assertTouched("k");
    }

    @Test
    void getexPersist() {
        run("set", "k", "v", "ex", "100");
        assertEquals("v", run("getex", "k", "persist"));
        assertEquals(-1, expireAt("k"));
        assertEquals(List.of("0: PERSIST k"), propagated);
        assertEquals(List.of("g:persist:k@0"), events);
        assertEquals("v", run("getex", "k", "persist"));
        assertEquals(0, dirty);
        assertEquals(List.of(), propagated);
    }

    @Test
    void getexWithAPastUnixTimeDeletesTheKey() {
        run("set", "k", "v");
        assertEquals("v", run("getex", "k", "exat", "100"));
        assertNull(value("k"));
        assertEquals(List.of("0: DEL k"), propagated);
        assertEquals(List.of("g:del:k@0"), events);
    }

    @Test
    void getexErrors() {
        run("set", "k", "v");
        assertEquals(err("ERR syntax error"), run("getex", "k", "non-existent-option"));
        assertEquals(err("ERR invalid expire time in 'getex' command"), run("getex", "k", "ex", "-1"));
        assertEquals(err("ERR invalid expire time in 'getex' command"),
                run("getex", "k", "ex", "9223372036854775807"));
        assertNull(run("getex", "missing", "ex", "-1"));
        put("l", list);
        assertEquals(WRONGTYPE, run("getex", "l", "persist"));
    }

    @Test
    void mgetAnswersNilForMissingKeysAndOtherTypes() {
        run("mset", "a", "1", "b", "2");
        put("l", list);
        assertEquals(Arrays.asList("1", null, "2", null), run("mget", "a", "x", "b", "l"));
    }

    @Test
    void msetAndMsetnx() {
        assertEquals(OK, run("mset", "a", "1", "b", "2"));
        assertEquals(2, dirty);
        assertEquals(List.of("n:new:a@0", "$:set:a@0", "n:new:b@0", "$:set:b@0"), events);
        assertEquals(err("ERR wrong number of arguments for 'mset' command"), run("mset", "a", "1", "b"));
        assertEquals(0L, run("msetnx", "c", "3", "a", "9"));
        assertEquals(0, dirty);
        assertNull(value("c"));
        assertEquals(1L, run("msetnx", "c", "3", "d", "4"));
        assertEquals(List.of("3", "4"), run("mget", "c", "d"));
    }

    /* ------------------------------------------------------------ APPEND / STRLEN / ranges */

    @Test
    void append() {
        assertEquals(3L, run("append", "k", "foo"));
        assertEquals(6L, run("append", "k", "bar"));
        assertEquals(List.of("$:append:k@0"), events);
        assertEquals(1, dirty);
        assertEquals("foobar", run("get", "k"));
        assertEquals("raw", encoding("k"));
        run("set", "n", "1");
        assertEquals(3L, run("append", "n", "23"));
        assertEquals("123", run("get", "n"));
        assertEquals(6L, run("strlen", "k"));
        assertEquals(0L, run("strlen", "nokey"));
    }

    @Test
    void appendRespectsProtoMaxBulkLen() {
        t.config("proto-max-bulk-len", "1mb");
        String almostFull = "a".repeat(1024 * 1024 - 2);
        run("set", "k", almostFull);
        assertEquals(err("ERR string exceeds maximum allowed size (proto-max-bulk-len)"), run("append", "k", "def"));
        assertEquals(almostFull, run("get", "k"));
    }

    @Test
    void getrangeFollowsRedisTests() {
        run("set", "mykey", "Hello World");
        assertEquals("Hell", run("getrange", "mykey", "0", "3"));
        assertEquals("Hello World", run("getrange", "mykey", "0", "-1"));
        assertEquals("orld", run("getrange", "mykey", "-4", "-1"));
        assertEquals("", run("getrange", "mykey", "5", "3"));
        assertEquals(" World", run("getrange", "mykey", "5", "5000"));
        assertEquals("Hello World", run("getrange", "mykey", "-5000", "10000"));
        assertEquals("", run("getrange", "mykey", "-1", "-5"));
        assertEquals("", run("getrange", "nokey", "0", "1"));
        run("set", "n", "1234");
        assertEquals("23", run("substr", "n", "1", "2"));
        assertEquals(err("ERR value is not an integer or out of range"), run("getrange", "n", "a", "1"));
    }

    @Test
    void substringBounds() {
        assertArrayEquals(new long[] {0, 4}, StringCommands.substring(0, -1, 5));
        assertArrayEquals(new long[] {4, 4}, StringCommands.substring(-1, 100, 5));
        assertNull(StringCommands.substring(0, -1, 0));
        assertNull(StringCommands.substring(-1, -2, 5));
        assertNull(StringCommands.substring(3, 2, 5));
        assertArrayEquals(new long[] {0, 0}, StringCommands.substring(Long.MIN_VALUE, 0, 5));
    }

    @Test
    void setrangeFollowsRedisTests() {
        assertEquals(0L, run("setrange", "k", "0", ""));
        assertNull(value("k"));
        assertEquals(4L, run("setrange", "k", "1", "foo"));
        assertArrayEquals(new byte[] {0, 'f', 'o', 'o'}, ((StringValue) value("k")).bytes());
        assertEquals("raw", encoding("k"));
        assertEquals(List.of("n:new:k@0", "$:setrange:k@0"), events);

        run("set", "mykey", "foo");
        assertEquals(3L, run("setrange", "mykey", "1", "b"));
        assertEquals("fbo", run("get", "mykey"));

        run("set", "mykey", "1234");
        assertEquals(4L, run("setrange", "mykey", "0", ""));
        assertEquals("int", encoding("mykey"));
        assertEquals(0, dirty);
        assertEquals(6L, run("setrange", "mykey", "5", "2"));
        assertEquals("raw", encoding("mykey"));
        assertArrayEquals(new byte[] {'1', '2', '3', '4', 0, '2'},
                ((StringValue) value("mykey")).bytes());
    }

    @Test
    void setrangeDoesNotWriteIntoTheSetArgument() {
        byte[] value = Bytes.of("hello");
        run(Bytes.of("set"), Bytes.of("k"), value);
        run("setrange", "k", "0", "J");
        assertEquals("Jello", run("get", "k"));
        assertEquals("hello", Bytes.str(value));
    }

    @Test
    void setrangeErrors() {
        assertEquals(err("ERR offset is out of range"), run("setrange", "k", "-1", "x"));
        assertEquals(err("ERR string exceeds maximum allowed size (proto-max-bulk-len)"),
                run("setrange", "k", "9223372036854775807", "A"));
        assertEquals(err("ERR string exceeds maximum allowed size (proto-max-bulk-len)"),
                run("setrange", "k", "536870912", "A"));
        put("l", list);
        assertEquals(WRONGTYPE, run("setrange", "l", "0", "x"));
        assertEquals(WRONGTYPE, run("setrange", "l", "0", ""));
    }

    @Test
    void maxSizeArithmeticDoesNotOverflow() {
        assertTrue(StringCommands.exceedsMaxSize(Long.MAX_VALUE, 1, 512));
        assertTrue(StringCommands.exceedsMaxSize(500, 13, 512));
        assertTrue(!StringCommands.exceedsMaxSize(500, 12, 512));
        assertTrue(StringCommands.exceedsMaxSize(Integer.MAX_VALUE, 1, Long.MAX_VALUE));
    }

    /* ------------------------------------------------------------ counters */

    @Test
    void incrAndDecr() {
        assertEquals(1L, run("incr", "n"));
        assertEquals(List.of("n:new:n@0", "$:incrby:n@0"), events);
        assertEquals(2L, run("incr", "n"));
        assertEquals(-8L, run("incrby", "n", "-10"));
        assertEquals(-9L, run("decr", "n"));
        assertEquals(0L, run("decrby", "n", "-9"));
        assertEquals("int", encoding("n"));
        assertEquals(List.of("0: decrby n -9"), propagated);
    }

    @Test
    void incrKeepsTheTtl() {
        run("set", "n", "1", "ex", "10");
        long when = expireAt("n");
        run("incr", "n");
        assertEquals(when, expireAt("n"));
    }

    @Test
    void incrWorksOnRawIntegersAndRejectsTheRest() {
        run("set", "n", "1");
        run("append", "n", "1");
        assertEquals("raw", encoding("n"));
        assertEquals(12L, run("incr", "n"));
        Err notInt = err("ERR value is not an integer or out of range");
        for (String bad : new String[] {" 11", "11 ", "1.5", "abc", "", "99999999999999999999"}) {
            run("set", "x", bad);
            assertEquals(notInt, run("incr", "x"), bad);
        }
        assertEquals(notInt, run("incrby", "x", "1.5"));
        put("l", list);
        assertEquals(WRONGTYPE, run("incr", "l"));
    }

    @Test
    void incrOverflow() {
        run("set", "n", "9223372036854775807");
        assertEquals(err("ERR increment or decrement would overflow"), run("incr", "n"));
        run("set", "n", "-9223372036854775808");
        assertEquals(err("ERR increment or decrement would overflow"), run("decr", "n"));
        assertEquals(err("ERR decrement would overflow"), run("decrby", "n", "-9223372036854775808"));
        assertEquals(-1L, run("incrby", "n", "9223372036854775807"));
        assertThrows(CommandException.class, () -> StringCommands.add(Long.MAX_VALUE, 1));
        assertThrows(CommandException.class, () -> StringCommands.add(Long.MIN_VALUE, -1));
        assertEquals(-1, StringCommands.add(Long.MIN_VALUE, Long.MAX_VALUE));
    }

    @Test
    void incrbyfloat() {
        assertEquals("1", run("incrbyfloat", "f", "1"));
        assertEquals("1.25", run("incrbyfloat", "f", "0.25"));
        assertEquals(List.of("0: SET f 1.25 KEEPTTL"), propagated);
        assertEquals(List.of("$:incrbyfloat:f@0"), events);
        run("set", "f", "1.5");
        assertEquals("2.6", run("incrbyfloat", "f", "1.1"));
        run("set", "f", "17179869184");
        assertEquals("17179869185.5", run("incrbyfloat", "f", "1.5"));
        run("set", "f", "1");
        assertEquals("-0.1", run("incrbyfloat", "f", "-1.1"));
        assertEquals("5000", run("incrbyfloat", "g", "5.0e3"));
    }

    @Test
    void incrbyfloatKeepsTheTtl() {
        run("set", "f", "1", "ex", "100");
        long when = expireAt("f");
        run("incrbyfloat", "f", "0.1");
        assertEquals(when, expireAt("f"));
    }

    @Test
    void incrbyfloatErrors() {
        Err notFloat = err("ERR value is not a valid float");
        for (String bad : new String[] {"    11", "11    ", " 11 "}) {
            run("set", "f", bad);
            assertEquals(notFloat, run("incrbyfloat", "f", "1.0"));
        }
        run("set", "f", "0");
        assertEquals(err("ERR increment would produce NaN or Infinity"), run("incrbyfloat", "f", "+inf"));
        assertEquals(notFloat, run("incrbyfloat", "f", "nan"));
        assertEquals(notFloat, run("incrbyfloat", "f", "abc"));
        assertEquals("0", run("get", "f"));
        run("set", "f", "1");
        run("setrange", "f", "2", "2");
        assertEquals(notFloat, run("incrbyfloat", "f", "1"));
        put("l", list);
        assertEquals(WRONGTYPE, run("incrbyfloat", "l", "1"));
    }

    @Test
    void noNegativeZero() {
        run("incrbyfloat", "foo", "0.024390243902439025");
        run("incrbyfloat", "foo", "-0.024390243902439025");
        assertEquals("0", run("get", "foo"));
    }

    /* ------------------------------------------------------------ LCS */

    @Test
    void lcsReplies() {
        run("mset", "a", "ohmytext", "b", "mynewtext");
        assertEquals("mytext", run("lcs", "a", "b"));
        assertEquals(6L, run("lcs", "a", "b", "len"));
        assertEquals(Map.of("matches", List.of(
                        List.of(List.of(4L, 7L), List.of(5L, 8L)),
                        List.of(List.of(2L, 3L), List.of(0L, 1L))), "len", 6L),
                run("lcs", "a", "b", "idx"));
        assertEquals(Map.of("matches", List.of(List.of(List.of(4L, 7L), List.of(5L, 8L), 4L)), "len", 6L),
                run("lcs", "a", "b", "idx", "minmatchlen", "4", "withmatchlen"));
        assertEquals("", run("lcs", "a", "nokey"));
    }

    @Test
    void lcsOfTheRedisTestStrings() {
        run("mset", "v1", LcsTest.RNA1, "v2", LcsTest.RNA2);
        assertEquals(LcsTest.RNA_LCS, run("lcs", "v1", "v2"));
    }

    @Test
    void lcsErrors() {
        run("mset", "a", "x", "b", "y");
        assertEquals(err("ERR If you want both the length and indexes, please just use IDX."),
                run("lcs", "a", "b", "len", "idx"));
        assertEquals(err("ERR syntax error"), run("lcs", "a", "b", "minmatchlen"));
        assertEquals(err("ERR syntax error"), run("lcs", "a", "b", "foo"));
        assertEquals(err("ERR value is not an integer or out of range"), run("lcs", "a", "b", "minmatchlen", "x"));
        put("l", list);
        assertEquals(err("ERR The specified keys must contain string values"), run("lcs", "a", "l"));
        // The table for two 600-byte strings takes 601 * 601 * 4 bytes, more than 1mb.
        run("mset", "long1", "x".repeat(600), "long2", "y".repeat(600));
        t.config("proto-max-bulk-len", "1mb");
        assertEquals(err("ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len"),
                run("lcs", "long1", "long2"));
    }
}
