package io.modis.strings;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modis.api.Bytes;
import io.modis.api.CommandException;
import io.modis.api.CommandFlag;
import io.modis.api.CommandSpec;
import io.modis.api.DataType;
import io.modis.api.Digest;
import io.modis.api.KeySpec;
import io.modis.api.StringValue;
import io.modis.api.Value;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StringCommandsTest {
    private static final String WRONGTYPE = "ERR:WRONGTYPE Operation against a key holding the wrong kind of value";
    private final FakeServer s = new FakeServer();

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

    private String encoding(String key) {
        return s.db.get(Bytes.of(key)).encoding();
    }

    private long expireAt(String key) {
        return s.db.expireAt(Bytes.of(key));
    }

    /* ------------------------------------------------------------ metadata */

    @Test
    void providesTheRedis70StringCommands() {
        assertEquals(Set.of("get", "set", "setnx", "setex", "psetex", "getset", "getdel", "getex", "mget", "mset",
                "msetnx", "append", "strlen", "getrange", "substr", "setrange", "incr", "decr", "incrby", "decrby",
                "incrbyfloat", "lcs"), s.table.keySet());
    }

    @Test
    void metadataFollowsCommandInfo() {
        CommandSpec get = s.table.get("get").spec();
        assertEquals(2, get.arity());
        assertEquals(Set.of(CommandFlag.READONLY, CommandFlag.FAST), get.flags());
        assertEquals(List.of("read", "string", "fast"), get.aclCategories());
        assertEquals(List.of(1, 1, 1), List.of(get.firstKey(), get.lastKey(), get.keyStep()));
        assertEquals(List.of(KeySpec.range(1, 0, 1, "RO", "ACCESS")), get.keySpecs());
        assertEquals("string", get.group());

        CommandSpec set = s.table.get("set").spec();
        assertEquals(-3, set.arity());
        assertEquals(List.of("write", "string", "slow"), set.aclCategories());
        assertEquals(List.of("RW", "ACCESS", "UPDATE", "VARIABLE_FLAGS"), set.keySpecs().get(0).flags());

        CommandSpec mset = s.table.get("mset").spec();
        assertEquals(List.of(1, -1, 2), List.of(mset.firstKey(), mset.lastKey(), mset.keyStep()));
        assertEquals(KeySpec.range(1, -1, 2, "OW", "UPDATE"), mset.keySpecs().get(0));

        CommandSpec lcs = s.table.get("lcs").spec();
        assertEquals(List.of(1, 2, 1), List.of(lcs.firstKey(), lcs.lastKey(), lcs.keyStep()));
        assertEquals("7.0.0", lcs.since());
        assertEquals(List.of("read", "string", "slow"), lcs.aclCategories());
        for (var c : s.table.values()) {
            assertEquals("string", c.spec().group(), c.name());
            assertTrue(!c.spec().summary().isEmpty() && !c.spec().complexity().isEmpty(), c.name());
            assertEquals(1, c.spec().keySpecs().size(), c.name());
        }
    }

    /* ------------------------------------------------------------ GET / SET */

    @Test
    void setThenGet() {
        assertEquals("+OK", s.run("set", "foo", "bar"));
        assertEquals(1, s.dirty);
        assertEquals(List.of("$set:foo"), s.events);
        assertEquals(List.of("foo"), s.touched);
        assertEquals(List.of("set foo bar"), s.propagated);
        assertEquals("\"bar\"", s.run("get", "foo"));
        assertEquals("nil", s.run("get", "nokey"));
    }

    @Test
    void setPicksRedisEncodings() {
        s.run("set", "i", "12345");
        assertEquals("int", encoding("i"));
        s.run("set", "e", "hello");
        assertEquals("embstr", encoding("e"));
        s.run("set", "r", "x".repeat(45));
        assertEquals("raw", encoding("r"));
    }

    @Test
    void setWithRelativeExpireIsPropagatedWithPxat() {
        assertEquals("+OK", s.run("set", "foo", "bar", "ex", "100"));
        long when = s.now + 100_000;
        assertEquals(when, expireAt("foo"));
        assertEquals(List.of("SET foo bar PXAT " + when), s.propagated);
        assertEquals(List.of("$set:foo", "gexpire:foo"), s.events);
        assertEquals(1, s.dirty);
    }

    @Test
    void setexAndPsetex() {
        assertEquals("+OK", s.run("setex", "k", "10", "v"));
        assertEquals(s.now + 10_000, expireAt("k"));
        assertEquals(List.of("SET k v PXAT " + (s.now + 10_000)), s.propagated);
        assertEquals("+OK", s.run("psetex", "k", "10", "v"));
        assertEquals(s.now + 10, expireAt("k"));
        assertEquals("ERR:ERR invalid expire time in 'setex' command", s.run("setex", "k", "0", "v"));
        assertEquals("ERR:ERR invalid expire time in 'psetex' command", s.run("psetex", "k", "-5", "v"));
        assertEquals("ERR:ERR value is not an integer or out of range", s.run("setex", "k", "1.5", "v"));
    }

    @Test
    void setExpireErrors() {
        assertEquals("ERR:ERR invalid expire time in 'set' command", s.run("set", "k", "v", "ex", "0"));
        assertEquals("ERR:ERR invalid expire time in 'set' command",
                s.run("set", "k", "v", "ex", "10000000000000000"));
        assertEquals("ERR:ERR invalid expire time in 'set' command",
                s.run("set", "k", "v", "px", "9223372036854775807"));
        assertEquals("ERR:ERR value is not an integer or out of range", s.run("set", "k", "v", "ex", "x"));
        assertEquals("ERR:ERR syntax error", s.run("set", "k", "v", "ex", "10", "px", "10"));
        assertNull(s.db.get(Bytes.of("k")));
    }

    @Test
    void setExatInThePastLeavesAnExpiredKey() {
        assertEquals("+OK", s.run("set", "k", "v", "exat", "1"));
        assertEquals(List.of("SET k v PXAT 1000"), s.propagated);
        assertEquals("nil", s.run("get", "k"));
    }

    @Test
    void plainSetClearsTtlAndKeepttlKeepsIt() {
        s.run("set", "k", "v", "px", "5000");
        s.run("set", "k", "w", "keepttl");
        assertEquals(s.now + 5000, expireAt("k"));
        s.run("set", "k", "x");
        assertEquals(-1, expireAt("k"));
    }

    @Test
    void nxAndXx() {
        assertEquals("nil", s.run("set", "k", "v", "xx"));
        assertEquals(0, s.dirty);
        assertEquals(List.of(), s.propagated);
        assertEquals("+OK", s.run("set", "k", "v", "nx"));
        assertEquals("nil", s.run("set", "k", "w", "nx"));
        assertEquals("+OK", s.run("set", "k", "w", "xx"));
        assertEquals("\"w\"", s.run("get", "k"));
        assertEquals(":0", s.run("setnx", "k", "z"));
        assertEquals(":1", s.run("setnx", "n", "z"));
    }

    @Test
    void setGetReturnsTheOldValueAndDropsGetFromPropagation() {
        assertEquals("nil", s.run("set", "k", "v", "get"));
        assertEquals(List.of("set k v"), s.propagated);
        assertEquals("\"v\"", s.run("set", "k", "w", "GET", "get"));
        assertEquals(List.of("set k w"), s.propagated);
        assertEquals("\"w\"", s.run("set", "k", "x", "nx", "get"));
        assertEquals(0, s.dirty);
        assertEquals("\"w\"", s.run("get", "k"));
    }

    @Test
    void setGetOnAnotherTypeFailsAndChangesNothing() {
        s.db.set(Bytes.of("l"), list);
        assertEquals(WRONGTYPE, s.run("set", "l", "v", "get"));
        assertSame(list, s.db.get(Bytes.of("l")));
        assertEquals(0, s.dirty);
        assertEquals("+OK", s.run("set", "l", "v"));
    }

    @Test
    void getOnAnotherType() {
        s.db.set(Bytes.of("l"), list);
        assertEquals(WRONGTYPE, s.run("get", "l"));
        assertEquals(WRONGTYPE, s.run("getset", "l", "v"));
        assertSame(list, s.db.get(Bytes.of("l")));
    }

    @Test
    void getsetReturnsOldClearsTtlAndPropagatesAsSet() {
        assertEquals("nil", s.run("getset", "k", "a"));
        s.run("set", "k", "a", "ex", "10");
        assertEquals("\"a\"", s.run("getset", "k", "b"));
        assertEquals(-1, expireAt("k"));
        assertEquals(List.of("SET k b"), s.propagated);
        assertEquals(List.of("$set:k"), s.events);
    }

    @Test
    void getdel() {
        s.run("set", "k", "v");
        assertEquals("\"v\"", s.run("getdel", "k"));
        assertEquals(List.of("DEL k"), s.propagated);
        assertEquals(List.of("gdel:k"), s.events);
        assertEquals(1, s.dirty);
        assertEquals("nil", s.run("getdel", "k"));
        assertEquals(0, s.dirty);
        s.config.put("lazyfree-lazy-user-del", true);
        s.run("set", "k", "v");
        s.run("getdel", "k");
        assertEquals(List.of("UNLINK k"), s.propagated);
    }

    @Test
    void getexWithoutOptionsIsARead() {
        s.run("set", "k", "v", "ex", "10");
        assertEquals("\"v\"", s.run("getex", "k"));
        assertEquals(0, s.dirty);
        assertEquals(List.of(), s.propagated);
        assertEquals(s.now + 10_000, expireAt("k"));
    }

    @Test
    void getexSetsExpireAsPexpireat() {
        s.run("set", "k", "v");
        assertEquals("\"v\"", s.run("getex", "k", "px", "500"));
        assertEquals(s.now + 500, expireAt("k"));
        assertEquals(List.of("PEXPIREAT k " + (s.now + 500)), s.propagated);
        assertEquals(List.of("gexpire:k"), s.events);
        assertEquals(List.of("k"), s.touched);
    }

    @Test
    void getexPersist() {
        s.run("set", "k", "v", "ex", "100");
        assertEquals("\"v\"", s.run("getex", "k", "persist"));
        assertEquals(-1, expireAt("k"));
        assertEquals(List.of("PERSIST k"), s.propagated);
        assertEquals(List.of("gpersist:k"), s.events);
        assertEquals("\"v\"", s.run("getex", "k", "persist"));
        assertEquals(0, s.dirty);
        assertEquals(List.of(), s.propagated);
    }

    @Test
    void getexWithAPastUnixTimeDeletesTheKey() {
        s.run("set", "k", "v");
        assertEquals("\"v\"", s.run("getex", "k", "exat", "100"));
        assertNull(s.db.get(Bytes.of("k")));
        assertEquals(List.of("DEL k"), s.propagated);
        assertEquals(List.of("gdel:k"), s.events);
    }

    @Test
    void getexErrors() {
        s.run("set", "k", "v");
        assertEquals("ERR:ERR syntax error", s.run("getex", "k", "non-existent-option"));
        assertEquals("ERR:ERR invalid expire time in 'getex' command", s.run("getex", "k", "ex", "-1"));
        assertEquals("ERR:ERR invalid expire time in 'getex' command",
                s.run("getex", "k", "ex", "9223372036854775807"));
        assertEquals("nil", s.run("getex", "missing", "ex", "-1"));
        s.db.set(Bytes.of("l"), list);
        assertEquals(WRONGTYPE, s.run("getex", "l", "persist"));
    }

    @Test
    void mgetAnswersNilForMissingKeysAndOtherTypes() {
        s.run("mset", "a", "1", "b", "2");
        s.db.set(Bytes.of("l"), list);
        assertEquals("*4 \"1\" nil \"2\" nil", s.run("mget", "a", "x", "b", "l"));
    }

    @Test
    void msetAndMsetnx() {
        assertEquals("+OK", s.run("mset", "a", "1", "b", "2"));
        assertEquals(2, s.dirty);
        assertEquals(List.of("$set:a", "$set:b"), s.events);
        assertEquals("ERR:ERR wrong number of arguments for 'mset' command", s.run("mset", "a", "1", "b"));
        assertEquals(":0", s.run("msetnx", "c", "3", "a", "9"));
        assertEquals(0, s.dirty);
        assertNull(s.db.get(Bytes.of("c")));
        assertEquals(":1", s.run("msetnx", "c", "3", "d", "4"));
        assertEquals("*2 \"3\" \"4\"", s.run("mget", "c", "d"));
    }

    /* ------------------------------------------------------------ APPEND / STRLEN / ranges */

    @Test
    void append() {
        assertEquals(":3", s.run("append", "k", "foo"));
        assertEquals(":6", s.run("append", "k", "bar"));
        assertEquals(List.of("$append:k"), s.events);
        assertEquals(1, s.dirty);
        assertEquals("\"foobar\"", s.run("get", "k"));
        assertEquals("raw", encoding("k"));
        s.run("set", "n", "1");
        assertEquals(":3", s.run("append", "n", "23"));
        assertEquals("\"123\"", s.run("get", "n"));
        assertEquals(":6", s.run("strlen", "k"));
        assertEquals(":0", s.run("strlen", "nokey"));
    }

    @Test
    void appendRespectsProtoMaxBulkLen() {
        s.config.put("proto-max-bulk-len", 5L);
        s.run("set", "k", "abc");
        assertEquals("ERR:ERR string exceeds maximum allowed size (proto-max-bulk-len)", s.run("append", "k", "def"));
        assertEquals("\"abc\"", s.run("get", "k"));
    }

    @Test
    void getrangeFollowsRedisTests() {
        s.run("set", "mykey", "Hello World");
        assertEquals("\"Hell\"", s.run("getrange", "mykey", "0", "3"));
        assertEquals("\"Hello World\"", s.run("getrange", "mykey", "0", "-1"));
        assertEquals("\"orld\"", s.run("getrange", "mykey", "-4", "-1"));
        assertEquals("\"\"", s.run("getrange", "mykey", "5", "3"));
        assertEquals("\" World\"", s.run("getrange", "mykey", "5", "5000"));
        assertEquals("\"Hello World\"", s.run("getrange", "mykey", "-5000", "10000"));
        assertEquals("\"\"", s.run("getrange", "mykey", "-1", "-5"));
        assertEquals("\"\"", s.run("getrange", "nokey", "0", "1"));
        s.run("set", "n", "1234");
        assertEquals("\"23\"", s.run("substr", "n", "1", "2"));
        assertEquals("ERR:ERR value is not an integer or out of range", s.run("getrange", "n", "a", "1"));
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
        assertEquals(":0", s.run("setrange", "k", "0", ""));
        assertNull(s.db.get(Bytes.of("k")));
        assertEquals(":4", s.run("setrange", "k", "1", "foo"));
        assertArrayEquals(new byte[] {0, 'f', 'o', 'o'}, ((StringValue) s.db.get(Bytes.of("k"))).bytes());
        assertEquals("raw", encoding("k"));
        assertEquals(List.of("$setrange:k"), s.events);

        s.run("set", "mykey", "foo");
        assertEquals(":3", s.run("setrange", "mykey", "1", "b"));
        assertEquals("\"fbo\"", s.run("get", "mykey"));

        s.run("set", "mykey", "1234");
        assertEquals(":4", s.run("setrange", "mykey", "0", ""));
        assertEquals("int", encoding("mykey"));
        assertEquals(0, s.dirty);
        assertEquals(":6", s.run("setrange", "mykey", "5", "2"));
        assertEquals("raw", encoding("mykey"));
        assertArrayEquals(new byte[] {'1', '2', '3', '4', 0, '2'},
                ((StringValue) s.db.get(Bytes.of("mykey"))).bytes());
    }

    @Test
    void setrangeDoesNotWriteIntoTheSetArgument() {
        byte[] value = Bytes.of("hello");
        s.run(Bytes.of("set"), Bytes.of("k"), value);
        s.run("setrange", "k", "0", "J");
        assertEquals("\"Jello\"", s.run("get", "k"));
        assertEquals("hello", Bytes.str(value));
    }

    @Test
    void setrangeErrors() {
        assertEquals("ERR:ERR offset is out of range", s.run("setrange", "k", "-1", "x"));
        assertEquals("ERR:ERR string exceeds maximum allowed size (proto-max-bulk-len)",
                s.run("setrange", "k", "9223372036854775807", "A"));
        assertEquals("ERR:ERR string exceeds maximum allowed size (proto-max-bulk-len)",
                s.run("setrange", "k", "536870912", "A"));
        s.db.set(Bytes.of("l"), list);
        assertEquals(WRONGTYPE, s.run("setrange", "l", "0", "x"));
        assertEquals(WRONGTYPE, s.run("setrange", "l", "0", ""));
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
        assertEquals(":1", s.run("incr", "n"));
        assertEquals(List.of("$incrby:n"), s.events);
        assertEquals(":2", s.run("incr", "n"));
        assertEquals(":-8", s.run("incrby", "n", "-10"));
        assertEquals(":-9", s.run("decr", "n"));
        assertEquals(":0", s.run("decrby", "n", "-9"));
        assertEquals("int", encoding("n"));
        assertEquals(List.of("decrby n -9"), s.propagated);
    }

    @Test
    void incrKeepsTheTtl() {
        s.run("set", "n", "1", "ex", "10");
        s.run("incr", "n");
        assertEquals(s.now + 10_000, expireAt("n"));
    }

    @Test
    void incrWorksOnRawIntegersAndRejectsTheRest() {
        s.run("set", "n", "1");
        s.run("append", "n", "1");
        assertEquals("raw", encoding("n"));
        assertEquals(":12", s.run("incr", "n"));
        String notInt = "ERR:ERR value is not an integer or out of range";
        for (String bad : new String[] {" 11", "11 ", "1.5", "abc", "", "99999999999999999999"}) {
            s.run("set", "x", bad);
            assertEquals(notInt, s.run("incr", "x"), bad);
        }
        assertEquals(notInt, s.run("incrby", "x", "1.5"));
        s.db.set(Bytes.of("l"), list);
        assertEquals(WRONGTYPE, s.run("incr", "l"));
    }

    @Test
    void incrOverflow() {
        s.run("set", "n", "9223372036854775807");
        assertEquals("ERR:ERR increment or decrement would overflow", s.run("incr", "n"));
        s.run("set", "n", "-9223372036854775808");
        assertEquals("ERR:ERR increment or decrement would overflow", s.run("decr", "n"));
        assertEquals("ERR:ERR decrement would overflow", s.run("decrby", "n", "-9223372036854775808"));
        assertEquals(":-1", s.run("incrby", "n", "9223372036854775807"));
        assertThrows(CommandException.class, () -> StringCommands.add(Long.MAX_VALUE, 1));
        assertThrows(CommandException.class, () -> StringCommands.add(Long.MIN_VALUE, -1));
        assertEquals(-1, StringCommands.add(Long.MIN_VALUE, Long.MAX_VALUE));
    }

    @Test
    void incrbyfloat() {
        assertEquals("\"1\"", s.run("incrbyfloat", "f", "1"));
        assertEquals("\"1.25\"", s.run("incrbyfloat", "f", "0.25"));
        assertEquals(List.of("SET f 1.25 KEEPTTL"), s.propagated);
        assertEquals(List.of("$incrbyfloat:f"), s.events);
        s.run("set", "f", "1.5");
        assertEquals("\"2.6\"", s.run("incrbyfloat", "f", "1.1"));
        s.run("set", "f", "17179869184");
        assertEquals("\"17179869185.5\"", s.run("incrbyfloat", "f", "1.5"));
        s.run("set", "f", "1");
        assertEquals("\"-0.1\"", s.run("incrbyfloat", "f", "-1.1"));
        assertEquals("\"5000\"", s.run("incrbyfloat", "g", "5.0e3"));
    }

    @Test
    void incrbyfloatKeepsTheTtl() {
        s.run("set", "f", "1", "ex", "100");
        s.run("incrbyfloat", "f", "0.1");
        assertEquals(s.now + 100_000, expireAt("f"));
    }

    @Test
    void incrbyfloatErrors() {
        String notFloat = "ERR:ERR value is not a valid float";
        for (String bad : new String[] {"    11", "11    ", " 11 "}) {
            s.run("set", "f", bad);
            assertEquals(notFloat, s.run("incrbyfloat", "f", "1.0"));
        }
        s.run("set", "f", "0");
        assertEquals("ERR:ERR increment would produce NaN or Infinity", s.run("incrbyfloat", "f", "+inf"));
        assertEquals(notFloat, s.run("incrbyfloat", "f", "nan"));
        assertEquals(notFloat, s.run("incrbyfloat", "f", "abc"));
        assertEquals("\"0\"", s.run("get", "f"));
        s.run("set", "f", "1");
        s.run("setrange", "f", "2", "2");
        assertEquals(notFloat, s.run("incrbyfloat", "f", "1"));
        s.db.set(Bytes.of("l"), list);
        assertEquals(WRONGTYPE, s.run("incrbyfloat", "l", "1"));
    }

    @Test
    void noNegativeZero() {
        s.run("incrbyfloat", "foo", "0.024390243902439025");
        s.run("incrbyfloat", "foo", "-0.024390243902439025");
        assertEquals("\"0\"", s.run("get", "foo"));
    }

    /* ------------------------------------------------------------ LCS */

    @Test
    void lcsReplies() {
        s.run("mset", "a", "ohmytext", "b", "mynewtext");
        assertEquals("\"mytext\"", s.run("lcs", "a", "b"));
        assertEquals(":6", s.run("lcs", "a", "b", "len"));
        assertEquals("%2 \"matches\" *2 *2 *2 :4 :7 *2 :5 :8 *2 *2 :2 :3 *2 :0 :1 \"len\" :6",
                s.run("lcs", "a", "b", "idx"));
        assertEquals("%2 \"matches\" *1 *3 *2 :4 :7 *2 :5 :8 :4 \"len\" :6",
                s.run("lcs", "a", "b", "idx", "minmatchlen", "4", "withmatchlen"));
        assertEquals("\"\"", s.run("lcs", "a", "nokey"));
    }

    @Test
    void lcsOfTheRedisTestStrings() {
        s.run("mset", "v1", LcsTest.RNA1, "v2", LcsTest.RNA2);
        assertEquals("\"" + LcsTest.RNA_LCS + "\"", s.run("lcs", "v1", "v2"));
    }

    @Test
    void lcsErrors() {
        s.run("mset", "a", "x", "b", "y");
        assertEquals("ERR:ERR If you want both the length and indexes, please just use IDX.",
                s.run("lcs", "a", "b", "len", "idx"));
        assertEquals("ERR:ERR syntax error", s.run("lcs", "a", "b", "minmatchlen"));
        assertEquals("ERR:ERR syntax error", s.run("lcs", "a", "b", "foo"));
        assertEquals("ERR:ERR value is not an integer or out of range", s.run("lcs", "a", "b", "minmatchlen", "x"));
        s.db.set(Bytes.of("l"), list);
        assertEquals("ERR:ERR The specified keys must contain string values", s.run("lcs", "a", "l"));
        s.config.put("proto-max-bulk-len", 10L);
        assertEquals("ERR:ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len",
                s.run("lcs", "a", "b"));
    }
}
