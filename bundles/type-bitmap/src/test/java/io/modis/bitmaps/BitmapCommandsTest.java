package io.modis.bitmaps;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import io.modis.core.TestServer.Err;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** SETBIT, GETBIT, BITCOUNT, BITPOS and BITOP through the core's command pipeline. */
class BitmapCommandsTest extends BitmapTestBase {
    /* ------------------------------------------------------------ metadata */

    private CommandSpec spec(String name) {
        return t.onEngine(() -> t.server.commands.lookup(name).command.spec());
    }

    @Test
    void providesTheRedis70BitmapCommands() {
        assertEquals(Set.of("setbit", "getbit", "bitcount", "bitpos", "bitop", "bitfield", "bitfield_ro"),
                provided.stream().map(Command::name).collect(Collectors.toSet()));
        for (Command command : provided) {
            assertSame(command, t.onEngine(() -> t.server.commands.lookup(command.name()).command), command.name());
            CommandSpec spec = command.spec();
            assertEquals("bitmap", spec.group(), command.name());
            assertTrue(!spec.summary().isEmpty() && !spec.complexity().isEmpty(), command.name());
        }
    }

    @Test
    void metadataFollowsTheRedisJson() {
        CommandSpec setbit = spec("setbit");
        assertEquals(4, setbit.arity());
        assertEquals(Set.of(CommandFlag.WRITE, CommandFlag.DENYOOM), setbit.flags());
        assertEquals(List.of("write", "bitmap", "slow"), setbit.aclCategories());
        assertEquals(List.of(KeySpec.range(1, 0, 1, "RW", "ACCESS", "UPDATE")), setbit.keySpecs());
        assertEquals("2.2.0", setbit.since());

        CommandSpec getbit = spec("getbit");
        assertEquals(3, getbit.arity());
        assertEquals(Set.of(CommandFlag.READONLY, CommandFlag.FAST), getbit.flags());
        assertEquals(List.of("read", "bitmap", "fast"), getbit.aclCategories());

        assertEquals(-2, spec("bitcount").arity());
        assertEquals(Set.of(CommandFlag.READONLY), spec("bitcount").flags());
        assertEquals(List.of("read", "bitmap", "slow"), spec("bitcount").aclCategories());
        assertEquals(-3, spec("bitpos").arity());
        assertEquals("2.8.7", spec("bitpos").since());

        CommandSpec bitop = spec("bitop");
        assertEquals(-4, bitop.arity());
        assertEquals(List.of(2, -1, 1), List.of(bitop.firstKey(), bitop.lastKey(), bitop.keyStep()));
        assertEquals(List.of(KeySpec.range(2, 0, 1, "OW", "UPDATE"), KeySpec.range(3, -1, 1, "RO", "ACCESS")),
                bitop.keySpecs());

        CommandSpec bitfield = spec("bitfield");
        assertEquals(-2, bitfield.arity());
        assertEquals(Set.of(CommandFlag.WRITE, CommandFlag.DENYOOM), bitfield.flags());
        assertEquals(List.of("RW", "ACCESS", "UPDATE", "VARIABLE_FLAGS"), bitfield.keySpecs().get(0).flags());
        assertEquals("3.2.0", bitfield.since());

        CommandSpec ro = spec("bitfield_ro");
        assertEquals(Set.of(CommandFlag.READONLY, CommandFlag.FAST), ro.flags());
        assertEquals(List.of("read", "bitmap", "fast"), ro.aclCategories());
        assertEquals("6.0.0", ro.since());
    }

    /* ------------------------------------------------------------ SETBIT / GETBIT */

    @Test
    void setbitCreatesAZeroPaddedRawString() {
        watch("k");
        assertEquals(0L, run("setbit", "k", "13", "1"));
        assertArrayEquals(hex(0x00, 0x04), bytes("k"));
        assertEquals("raw", encoding("k"));
        assertEquals(1, dirty);
        assertEquals(List.of("0: setbit k 13 1"), propagated);
        assertEquals(List.of("n:new:k@0", "$:setbit:k@0"), events);
        assertTouched("k");
        assertEquals(1L, run("getbit", "k", "13"));
        assertEquals(0L, run("getbit", "k", "12"));
        assertEquals(0L, run("getbit", "k", "100000"));
        assertEquals(0L, run("getbit", "missing", "0"));
    }

    @Test
    void setbitReturnsTheOldBitAndCountsOnlyChanges() {
        putBytes("k", hex(0x80));
        watch("k");
        assertEquals(1L, run("setbit", "k", "0", "1"));
        assertNoEffect();
        assertNotTouched("k");

        assertEquals(1L, run("setbit", "k", "0", "0"));
        assertEquals(1, dirty);
        assertEquals(List.of("$:setbit:k@0"), events);
        assertArrayEquals(hex(0x00), bytes("k"));

        // growing the string is a change even when the bit written is 0
        assertEquals(0L, run("setbit", "k", "90", "0"));
        assertEquals(1, dirty);
        assertEquals(12, bytes("k").length);
    }

    @Test
    void setbitOnAnIntegerOrEmbstrWorksOnAPrivateRawCopy() {
        put("n", StringValue.ofLong(1));
        assertEquals(0L, run("setbit", "n", "6", "1"));
        assertArrayEquals(Bytes.of("3"), bytes("n"));
        assertEquals("raw", encoding("n"));

        // the embstr's array may still be an argument of the command that stored it
        byte[] shared = Bytes.of("hello");
        put("e", StringValue.of(shared));
        assertEquals("embstr", encoding("e"));
        assertEquals(1L, run("setbit", "e", "1", "0"));
        assertArrayEquals(Bytes.of("hello"), shared);
        assertArrayEquals(hex('h' & ~0x40, 'e', 'l', 'l', 'o'), bytes("e"));
        assertEquals("raw", encoding("e"));

        // Redis unshares before looking at the bit: even an unchanged int turns raw
        put("i", StringValue.ofLong(12));
        assertEquals(0L, run("setbit", "i", "0", "0"));
        assertEquals("raw", encoding("i"));
        assertEquals(0, dirty);
    }

    @Test
    void setbitKeepsTheTtl() {
        putBytes("k", hex(0));
        t.onEngine(() -> t.server.db(0).setExpireAt(Bytes.of("k"), System.currentTimeMillis() + 100_000));
        put("e", StringValue.of(Bytes.of("abc")));
        t.onEngine(() -> t.server.db(0).setExpireAt(Bytes.of("e"), System.currentTimeMillis() + 100_000));
        run("setbit", "k", "100", "1");
        run("setbit", "e", "0", "1");
        assertTrue(t.onEngine(() -> t.server.db(0).expireAt(Bytes.of("k"))) > 0);
        assertTrue(t.onEngine(() -> t.server.db(0).expireAt(Bytes.of("e"))) > 0);
    }

    @Test
    void getbitReadsIntegerEncodedStrings() {
        put("n", StringValue.ofLong(1)); // "1" = 0x31 = 00110001
        assertEquals(List.of(0L, 0L, 1L, 1L, 0L, 0L, 0L, 1L, 0L),
                List.of(run("getbit", "n", "0"), run("getbit", "n", "1"), run("getbit", "n", "2"),
                        run("getbit", "n", "3"), run("getbit", "n", "4"), run("getbit", "n", "5"),
                        run("getbit", "n", "6"), run("getbit", "n", "7"), run("getbit", "n", "8")));
        assertEquals("int", encoding("n"));
    }

    @Test
    void setbitAndGetbitErrors() {
        putOther("l");
        assertEquals(BAD_OFFSET, run("setbit", "k", "-1", "1"));
        assertEquals(BAD_OFFSET, run("setbit", "k", "1.5", "1"));
        assertEquals(BAD_OFFSET, run("setbit", "k", "x", "1"));
        assertEquals(BAD_OFFSET, run("setbit", "k", "4294967296", "1")); // byte 512MB
        assertEquals(BAD_BIT, run("setbit", "k", "0", "2"));
        assertEquals(BAD_BIT, run("setbit", "k", "0", "-1"));
        assertEquals(BAD_BIT, run("setbit", "k", "0", "one"));
        assertNoEffect();
        assertNull(value("k"));
        assertEquals(WRONGTYPE, run("setbit", "l", "0", "1"));
        assertEquals(BAD_OFFSET, run("setbit", "l", "-1", "1")); // arguments are checked first
        assertEquals(WRONGTYPE, run("getbit", "l", "0"));
        assertEquals(BAD_OFFSET, run("getbit", "k", "-1"));
        assertEquals(BAD_OFFSET, run("getbit", "k", "4294967296"));
        assertEquals(0L, run("getbit", "k", "4294967295"));
    }

    @Test
    void theOffsetLimitFollowsProtoMaxBulkLen() {
        t.config("proto-max-bulk-len", "1048576");
        assertEquals(BAD_OFFSET, run("setbit", "k", String.valueOf(8L * 1048576), "1"));
        assertEquals(0L, run("setbit", "k", String.valueOf(8L * 1048576 - 1), "1"));
        assertEquals(1048576, bytes("k").length);
        assertEquals(BAD_OFFSET, run("bitfield", "k", "set", "u8", "#1048576", "1"));
        // a field starting at the last allowed bit may end past it
        assertEquals(List.of(Long.MIN_VALUE), run("bitfield", "k", "set", "i64", String.valueOf(8L * 1048576 - 1), "-1"));
        assertEquals(1048576 + 8, bytes("k").length);
    }

    @Test
    void aStringCannotOutgrowAJavaArray() {
        t.config("proto-max-bulk-len", "4gb");
        String beyond = String.valueOf(8L * Integer.MAX_VALUE);
        assertEquals(new Err("ERR string exceeds maximum allowed size (proto-max-bulk-len)"),
                run("setbit", "k", beyond, "1"));
        assertEquals(new Err("ERR string exceeds maximum allowed size (proto-max-bulk-len)"),
                run("bitfield", "k", "set", "u8", beyond, "1"));
        assertNoEffect();
        assertNull(value("k"));
        // reads past the end need no array: zeros
        assertEquals(0L, run("getbit", "k", beyond));
        assertEquals(List.of(0L), run("bitfield", "k", "get", "u8", beyond));
    }

    /* ------------------------------------------------------------ BITCOUNT */

    @Test
    void bitcountCountsTheWholeStringOrARange() {
        putBytes("s", Bytes.of("foobar"));
        assertEquals(26L, run("bitcount", "s"));
        assertEquals(26L, run("bitcount", "s", "0", "-1"));
        assertEquals(countBits(Bytes.of("ooba")), run("bitcount", "s", "1", "-2"));
        assertEquals(0L, run("bitcount", "s", "-2", "1"));
        assertEquals(26L, run("bitcount", "s", "0", "1000"));
        assertEquals(26L, run("bitcount", "s", "0", "-1", "bit"));
        assertEquals(26L, run("bitcount", "s", "0", "-1", "BYTE"));
        assertEquals(naiveCount(Bytes.of("foobar"), 10, 14), run("bitcount", "s", "10", "14", "bit"));
        assertEquals(naiveCount(Bytes.of("foobar"), 3, 29), run("bitcount", "s", "3", "-19", "bit"));
        assertEquals(0L, run("bitcount", "s", "-6", "-15", "bit"));
        assertEquals(0L, run("bitcount", "missing"));
        assertEquals(0L, run("bitcount", "missing", "0", "1000", "bit"));
        // a missing key answers 0 before its arguments are looked at, as in Redis
        assertEquals(0L, run("bitcount", "missing", "0"));
        put("n", StringValue.ofLong(123));
        assertEquals(countBits(Bytes.of("123")), run("bitcount", "n"));
        putBytes("m", Bytes.of("__PPxxxxxxxxxxxxxxxxRR__"));
        assertEquals(74L, run("bitcount", "m", "2", "-3"));
    }

    @Test
    void bitcountErrors() {
        putBytes("s", Bytes.of("foobar"));
        assertEquals(SYNTAX, run("bitcount", "s", "0"));
        assertEquals(SYNTAX, run("bitcount", "s", "0", "1", "hello"));
        assertEquals(SYNTAX, run("bitcount", "s", "0", "1", "bit", "x"));
        assertEquals(NOT_INTEGER, run("bitcount", "s", "a", "1"));
        // both ends negative and crossed: 0, before the unit is checked (Redis's order)
        assertEquals(0L, run("bitcount", "s", "-1", "-2", "hello"));
        putOther("l");
        assertEquals(WRONGTYPE, run("bitcount", "l"));
    }

    @Test
    void bitcountMatchesABitByBitCount() {
        Random random = new Random(7);
        for (int round = 0; round < 300; round++) {
            byte[] s = new byte[random.nextInt(200)];
            random.nextBytes(s);
            putBytes("s", s);
            assertEquals(countBits(s), run("bitcount", "s"));
            long bits = s.length * 8L;
            long start = random.nextInt((int) bits + 20) - 10 - (random.nextBoolean() ? bits : 0);
            long end = random.nextInt((int) bits + 20) - 10 - (random.nextBoolean() ? bits : 0);
            long[] r = clamp(bits, start, end);
            long expected = r == null || (start < 0 && end < 0 && start > end) ? 0 : naiveCount(s, r[0], r[1]);
            assertEquals(expected, run("bitcount", "s", "" + start, "" + end, "bit"), start + ".." + end);
            long[] rb = clamp(s.length, start / 8, end / 8);
            long expectedBytes = rb == null || (start / 8 < 0 && end / 8 < 0 && start / 8 > end / 8) ? 0
                    : naiveCount(s, rb[0] * 8, rb[1] * 8 + 7);
            assertEquals(expectedBytes, run("bitcount", "s", "" + start / 8, "" + end / 8));
        }
    }

    /* ------------------------------------------------------------ BITPOS */

    @Test
    void bitposOnMissingAndEmptyStrings() {
        assertEquals(0L, run("bitpos", "missing", "0"));
        assertEquals(-1L, run("bitpos", "missing", "1"));
        assertEquals(0L, run("bitpos", "missing", "0", "0", "-1", "bit"));
        putBytes("e", new byte[0]);
        assertEquals(-1L, run("bitpos", "e", "0"));
        assertEquals(-1L, run("bitpos", "e", "1"));
    }

    @Test
    void bitposFindsTheFirstBit() {
        putBytes("s", hex(0xff, 0xf0, 0x00));
        assertEquals(12L, run("bitpos", "s", "0"));
        assertEquals(12L, run("bitpos", "s", "0", "1"));
        assertEquals(12L, run("bitpos", "s", "0", "0", "-1", "bit"));
        putBytes("s", hex(0x00, 0xff, 0x00));
        assertEquals(16L, run("bitpos", "s", "0", "1", "-1"));
        assertEquals(16L, run("bitpos", "s", "0", "2", "200"));
        assertEquals(-1L, run("bitpos", "s", "0", "1", "1"));
        assertEquals(-1L, run("bitpos", "s", "0", "8", "8", "bit"));
        assertEquals(8L, run("bitpos", "s", "1", "0", "-1"));
        assertEquals(-1L, run("bitpos", "s", "1", "2", "-1"));
        assertEquals(8L, run("bitpos", "s", "1", "8", "8", "BIT"));
        assertEquals(-1L, run("bitpos", "s", "1", "16", "200", "bit"));
    }

    @Test
    void bitposForAClearBitPastTheEndOnlyWithoutAnEnd() {
        putBytes("s", hex(0xff, 0xff, 0xff));
        assertEquals(24L, run("bitpos", "s", "0"));
        assertEquals(24L, run("bitpos", "s", "0", "0"));
        assertEquals(24L, run("bitpos", "s", "0", "2"));
        assertEquals(-1L, run("bitpos", "s", "0", "0", "-1"));
        assertEquals(-1L, run("bitpos", "s", "0", "0", "-1", "bit"));
        assertEquals(-1L, run("bitpos", "s", "0", "5"));
    }

    @Test
    void bitposErrors() {
        putBytes("s", hex(0xff));
        assertEquals(new Err("ERR The bit argument must be 1 or 0."), run("bitpos", "s", "2"));
        assertEquals(NOT_INTEGER, run("bitpos", "s", "x"));
        assertEquals(NOT_INTEGER, run("bitpos", "s", "1", "x"));
        assertEquals(NOT_INTEGER, run("bitpos", "s", "1", "0", "x"));
        assertEquals(SYNTAX, run("bitpos", "s", "1", "0", "1", "bits"));
        assertEquals(SYNTAX, run("bitpos", "s", "1", "0", "1", "bit", "x"));
        assertEquals(new Err("ERR The bit argument must be 1 or 0."), run("bitpos", "missing", "3"));
        putOther("l");
        assertEquals(WRONGTYPE, run("bitpos", "l", "1"));
    }

    @Test
    void bitposMatchesABitByBitSearch() {
        Random random = new Random(11);
        for (int round = 0; round < 400; round++) {
            byte[] s = new byte[random.nextInt(100)];
            int style = random.nextInt(3);
            for (int i = 0; i < s.length; i++) {
                s[i] = (byte) (style == 0 ? random.nextInt() : style == 1 ? (random.nextInt(40) == 0 ? 0x10 : 0)
                        : (random.nextInt(40) == 0 ? 0xef : 0xff));
            }
            putBytes("s", s);
            long bits = s.length * 8L;
            for (int bit = 0; bit < 2; bit++) {
                long whole = naiveFind(s, 0, bits - 1, bit);
                assertEquals(whole < 0 && bit == 0 && s.length > 0 ? bits : whole, run("bitpos", "s", "" + bit));
                long start = random.nextInt((int) bits + 10) - 5;
                long end = random.nextInt((int) bits + 10) - 5;
                long[] r = clamp(bits, start, end);
                long expected = r == null ? -1 : naiveFind(s, r[0], r[1], bit);
                assertEquals(expected, run("bitpos", "s", "" + bit, "" + start, "" + end, "bit"),
                        bit + " in " + start + ".." + end);
            }
        }
    }

    @Test
    void bitposScansLargeStringsWordByWord() {
        byte[] s = new byte[1 << 20];
        s[(1 << 20) - 3] = 0x01;
        putBytes("big", s);
        assertEquals(((1L << 20) - 3) * 8 + 7, run("bitpos", "big", "1"));
        assertEquals(1L, run("bitcount", "big"));
        assertEquals(0L, run("bitpos", "big", "0"));
        Arrays.fill(s, (byte) 0xff);
        s[(1 << 20) - 1] = (byte) 0xfe;
        putBytes("ones", s);
        assertEquals((1L << 23) - 1, run("bitpos", "ones", "0", "5"));
        assertEquals((1L << 23) - 1, run("bitcount", "ones"));
    }

    /* ------------------------------------------------------------ BITOP */

    @Test
    void bitopStoresTheResultAsANewRawString() {
        putBytes("a", hex(0x01, 0x02, 0xff, 0xff));
        putBytes("b", hex(0x01, 0x02, 0xff));
        watch("d");
        assertEquals(4L, run("bitop", "and", "d", "a", "b"));
        assertArrayEquals(hex(0x01, 0x02, 0xff, 0x00), bytes("d"));
        assertEquals("raw", encoding("d"));
        assertEquals(1, dirty);
        assertEquals(List.of("n:new:d@0", "$:set:d@0"), events);
        assertEquals(List.of("0: bitop and d a b"), propagated);
        assertTouched("d");
        assertEquals(4L, run("bitop", "OR", "d", "a", "b"));
        assertArrayEquals(hex(0x01, 0x02, 0xff, 0xff), bytes("d"));
        assertEquals(List.of("$:set:d@0"), events);
        assertEquals(4L, run("bitop", "xor", "d", "a", "b"));
        assertArrayEquals(hex(0x00, 0x00, 0x00, 0xff), bytes("d"));
        assertEquals(4L, run("bitop", "not", "d", "a"));
        assertArrayEquals(hex(0xfe, 0xfd, 0x00, 0x00), bytes("d"));
    }

    @Test
    void bitopTreatsMissingKeysAsZerosAndReadsIntegers() {
        putBytes("a", hex(0x01, 0x02, 0xff));
        assertEquals(3L, run("bitop", "and", "r", "nokey", "a"));
        assertArrayEquals(hex(0, 0, 0), bytes("r"));
        assertEquals(3L, run("bitop", "or", "r", "nokey", "a", "nokey2"));
        assertArrayEquals(hex(0x01, 0x02, 0xff), bytes("r"));
        put("one", StringValue.ofLong(1));
        put("two", StringValue.ofLong(2));
        assertEquals(1L, run("bitop", "xor", "r", "one", "two", "one"));
        assertArrayEquals(Bytes.of("2"), bytes("r"));
        assertEquals("int", encoding("one"));
    }

    @Test
    void bitopOnTheSameKeyAndWithTtl() {
        putBytes("s", hex(0xaa, 0x00, 0xff, 0x55));
        t.onEngine(() -> t.server.db(0).setExpireAt(Bytes.of("s"), System.currentTimeMillis() + 100_000));
        assertEquals(4L, run("bitop", "not", "s", "s"));
        assertArrayEquals(hex(0x55, 0xff, 0x00, 0xaa), bytes("s"));
        // the destination is replaced as by SET: its TTL goes
        assertEquals(-1L, (long) t.onEngine(() -> t.server.db(0).expireAt(Bytes.of("s"))));
    }

    @Test
    void anEmptyResultDeletesTheDestination() {
        putBytes("d", Bytes.of("old"));
        putBytes("empty", new byte[0]);
        watch("d");
        assertEquals(0L, run("bitop", "or", "d", "nokey", "empty"));
        assertNull(value("d"));
        assertEquals(1, dirty);
        assertEquals(List.of("g:del:d@0"), events);
        assertEquals(List.of("0: bitop or d nokey empty"), propagated);
        assertTouched("d");
        assertEquals(0L, run("bitop", "not", "d", "nokey"));
        assertNoEffect();
    }

    @Test
    void bitopErrorsChangeNothing() {
        putBytes("d", Bytes.of("old"));
        putBytes("a", Bytes.of("a"));
        putOther("l");
        assertEquals(SYNTAX, run("bitop", "nand", "d", "a"));
        assertEquals(new Err("ERR BITOP NOT must be called with a single source key."),
                run("bitop", "not", "d", "a", "a"));
        assertEquals(WRONGTYPE, run("bitop", "xor", "d", "a", "l", "nokey"));
        assertNoEffect();
        assertArrayEquals(Bytes.of("old"), bytes("d"));
        // the destination may hold any type: it is replaced
        assertEquals(1L, run("bitop", "and", "l", "a"));
        assertArrayEquals(Bytes.of("a"), bytes("l"));
    }

    @Test
    void bitopMatchesABitByBitComputation() {
        Random random = new Random(3);
        for (String op : List.of("and", "or", "xor", "not")) {
            for (int round = 0; round < 40; round++) {
                int n = op.equals("not") ? 1 : 1 + random.nextInt(10);
                List<byte[]> inputs = new ArrayList<>();
                List<String> args = new ArrayList<>(List.of("bitop", op, "dest"));
                for (int k = 0; k < n; k++) {
                    byte[] s = new byte[random.nextInt(100)];
                    random.nextBytes(s);
                    inputs.add(s);
                    putBytes("v" + k, s);
                    args.add("v" + k);
                }
                byte[] expected = naiveBitop(op, inputs);
                assertEquals((long) expected.length, run(args.toArray(new String[0])));
                assertArrayEquals(expected.length == 0 ? null : expected, bytes("dest"), op);
            }
        }
    }
}
