package io.modis.hyperloglog;

import static io.modis.core.TestServer.OK;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modis.api.Bytes;
import io.modis.api.Command;
import io.modis.api.CommandFlag;
import io.modis.api.CommandSpec;
import io.modis.api.DataType;
import io.modis.api.Digest;
import io.modis.api.KeySpec;
import io.modis.api.StringValue;
import io.modis.api.Value;
import io.modis.core.TestServer;
import io.modis.core.TestServer.Err;
import io.modis.core.TestServer.Status;
import io.modis.core.TestServer.TestClient;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HyperLogLog commands registered into the real core, driven through its command pipeline. */
class HllCommandsTest {
    private static final Err WRONGTYPE = new Err("WRONGTYPE Operation against a key holding the wrong kind of value");
    private static final Err NOT_HLL = new Err("WRONGTYPE Key is not a valid HyperLogLog string value.");
    private static final Err CORRUPTED = new Err("INVALIDOBJ Corrupted HLL object detected");

    /** PFADD h a b c on Redis 7.0: a sparse HLL with a stale cache. */
    private static final String ABC = "48594c4c01000000000000000000008060f38050b1844bfb80425a";

    private final List<Command> provided = new HllCommands().commands();
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
        t.addConfigParams(new HllConfig().configParams());
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

    /* ------------------------------------------------------------ helpers */

    private Object run(String... words) {
        t.takePropagated();
        t.takeEvents();
        long dirtyBefore = t.onEngine(() -> t.server.dirty);
        Object reply = c.call(words);
        assertNull(c.pending(), "a second reply to " + words[0]);
        dirty = t.onEngine(() -> t.server.dirty) - dirtyBefore;
        propagated = t.takePropagated();
        events = t.takeEvents();
        return reply;
    }

    private Value value(String key) {
        return t.onEngine(() -> t.server.db(0).get(Bytes.of(key)));
    }

    private byte[] bytes(String key) {
        return ((StringValue) value(key)).bytes().clone();
    }

    private String hex(String key) {
        return HexFormat.of().formatHex(bytes(key));
    }

    private void put(String key, Value v) {
        t.onEngine(() -> t.server.db(0).set(Bytes.of(key), v));
    }

    private void putBytes(String key, byte[] b) {
        put(key, StringValue.ofRaw(b));
    }

    private long expireAt(String key) {
        return t.onEngine(() -> t.server.db(0).expireAt(Bytes.of(key)));
    }

    private void watch(String key) {
        assertEquals(OK, watcher.call("WATCH", key));
    }

    private void assertTouched(String key, boolean expected) {
        assertEquals(OK, watcher.call("MULTI"));
        Object exec = watcher.call("EXEC");
        assertEquals(expected, exec == null, key + (expected ? " was not touched" : " was touched"));
    }

    private static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private static String[] numbers(String command, String key, int from, int to) {
        List<String> argv = new ArrayList<>(List.of(command, key));
        for (int i = from; i <= to; i++) {
            argv.add(Integer.toString(i));
        }
        return argv.toArray(new String[0]);
    }

    private CommandSpec spec(String name) {
        return t.onEngine(() -> t.server.commands.lookup(name).command.spec());
    }

    /* ------------------------------------------------------------ metadata */

    @Test
    void providesTheRedis70HyperLogLogCommands() {
        assertEquals(Set.of("pfadd", "pfcount", "pfmerge", "pfdebug", "pfselftest"),
                provided.stream().map(Command::name).collect(Collectors.toSet()));
        for (Command command : provided) {
            assertSame(command, t.onEngine(() -> t.server.commands.lookup(command.name()).command), command.name());
            assertEquals("hyperloglog", command.spec().group());
            assertEquals("2.8.9", command.spec().since());
        }
    }

    @Test
    void metadataFollowsTheCommandJson() {
        CommandSpec pfadd = spec("pfadd");
        assertEquals(-2, pfadd.arity());
        assertEquals(Set.of(CommandFlag.WRITE, CommandFlag.DENYOOM, CommandFlag.FAST), pfadd.flags());
        assertEquals(List.of("write", "hyperloglog", "fast"), pfadd.aclCategories());
        assertEquals(List.of(KeySpec.range(1, 0, 1, "RW", "INSERT")), pfadd.keySpecs());

        CommandSpec pfcount = spec("pfcount");
        assertEquals(Set.of(CommandFlag.READONLY, CommandFlag.MAY_REPLICATE), pfcount.flags());
        assertEquals(List.of(1, -1, 1), List.of(pfcount.firstKey(), pfcount.lastKey(), pfcount.keyStep()));
        assertEquals(List.of(KeySpec.range(1, -1, 1, "RW", "ACCESS")), pfcount.keySpecs());

        CommandSpec pfmerge = spec("pfmerge");
        assertEquals(List.of(KeySpec.range(1, 0, 1, "RW", "ACCESS", "INSERT"), KeySpec.range(2, -1, 1, "RO", "ACCESS")),
                pfmerge.keySpecs());
        assertEquals(List.of("write", "hyperloglog", "slow"), pfmerge.aclCategories());

        CommandSpec pfdebug = spec("pfdebug");
        assertEquals(3, pfdebug.arity());
        assertEquals(Set.of(CommandFlag.WRITE, CommandFlag.DENYOOM, CommandFlag.ADMIN), pfdebug.flags());
        assertEquals(List.of(2, 2, 1), List.of(pfdebug.firstKey(), pfdebug.lastKey(), pfdebug.keyStep()));

        CommandSpec selftest = spec("pfselftest");
        assertEquals(1, selftest.arity());
        assertEquals(List.of(), selftest.keySpecs());
        assertEquals(List.of("hyperloglog", "admin", "slow", "dangerous"), selftest.aclCategories());
    }

    @Test
    void sparseMaxBytesIsAMemoryParameter() {
        assertEquals("3000", t.onEngine(() -> t.server.config.get("hll-sparse-max-bytes")));
        t.config("hll-sparse-max-bytes", "1kb");
        assertEquals(1024L, t.onEngine(() -> t.server.config.value("hll-sparse-max-bytes")));
    }

    /* ------------------------------------------------------------ PFADD */

    @Test
    void pfaddCreatesTheKeyInRedisExactBytes() {
        watch("h");
        assertEquals(1L, run("pfadd", "h", "a", "b", "c"));
        assertEquals(ABC, hex("h"));
        assertEquals("raw", value("h").encoding());
        assertEquals(4, dirty); // the key and three registers
        assertEquals(List.of("0: pfadd h a b c"), propagated);
        assertEquals(List.of("n:new:h@0", "$:pfadd:h@0"), events);
        assertTouched("h", true);
    }

    @Test
    void pfaddWithoutElementsCreatesAnEmptyHll() {
        assertEquals(1L, run("pfadd", "h"));
        assertEquals("48594c4c0100000000000000000000807fff", hex("h"));
        assertEquals(1, dirty);
        assertEquals(0L, run("pfcount", "h"));
    }

    @Test
    void pfaddThatChangesNoRegisterChangesNothing() {
        run("pfadd", "h", "a", "b", "c");
        run("pfcount", "h");
        byte[] before = bytes("h");
        watch("h");
        assertEquals(0L, run("pfadd", "h", "a", "b", "c"));
        assertEquals(0, dirty);
        assertEquals(List.of(), propagated);
        assertEquals(List.of(), events);
        assertArrayEquals(before, bytes("h"));
        assertEquals(0, bytes("h")[15]); // the cached count is still valid
        assertTouched("h", false);
        assertEquals(1L, run("pfadd", "h", "1", "2", "3"));
        assertEquals((byte) 0x80, bytes("h")[15]);
    }

    @Test
    void pfaddPromotesToDenseAtTheSparseLimit() {
        run(numbers("pfadd", "d", 1, 3000));
        assertEquals(12304, bytes("d").length);
        assertEquals(new Status("dense"), run("pfdebug", "encoding", "d"));
        assertEquals(3005L, run("pfcount", "d"));
        assertEquals("2b39fbd51782464f4e45d49410413879e327ad82bff9f085096addb6e10d7311", sha256(bytes("d")));
    }

    @Test
    void aLowerSparseLimitPromotesSooner() {
        run(numbers("pfadd", "s", 1, 200));
        assertEquals(508, bytes("s").length);
        t.config("hll-sparse-max-bytes", "300");
        run("del", "s");
        run(numbers("pfadd", "s", 1, 200));
        assertEquals(new Status("dense"), run("pfdebug", "encoding", "s"));
        assertEquals(201L, run("pfcount", "s"));
        t.config("hll-sparse-max-bytes", "0");
        run("del", "s");
        run("pfadd", "s");
        assertEquals(new Status("sparse"), run("pfdebug", "encoding", "s")); // nothing grew yet
        run("pfadd", "s", "x");
        assertEquals(new Status("dense"), run("pfdebug", "encoding", "s"));
    }

    @Test
    void pfaddKeepsTheTtlWhenTheStringIsReplaced() {
        run("pfadd", "h", "a");
        long when = System.currentTimeMillis() + 100_000;
        t.onEngine(() -> t.server.db(0).setExpireAt(Bytes.of("h"), when));
        run("pfadd", "h", "b", "c");
        assertEquals(when, expireAt("h"));
        run(numbers("pfadd", "h", 1, 3000));
        assertEquals(new Status("dense"), run("pfdebug", "encoding", "h"));
        assertEquals(when, expireAt("h"));
    }

    @Test
    void pfaddOnAHllWrittenWithSetMakesItRaw() {
        put("h", StringValue.of(HexFormat.of().parseHex("48594c4c0100000000000000000000807fff")));
        assertEquals("embstr", value("h").encoding());
        assertEquals(0L, run("pfcount", "h"));
        assertEquals("raw", value("h").encoding());
    }

    /* ------------------------------------------------------------ PFCOUNT */

    @Test
    void pfcountCachesTheCardinalityAndPropagatesTheRewrite() {
        assertEquals(0L, run("pfcount", "nokey"));
        assertEquals(0, dirty);
        run("pfadd", "h", "a", "b", "c");
        watch("h");
        assertEquals(3L, run("pfcount", "h"));
        assertEquals(1, dirty);
        assertEquals(List.of("0: pfcount h"), propagated);
        assertEquals(List.of(), events);
        assertTouched("h", true);
        assertEquals("48594c4c010000000300000000000000", hex("h").substring(0, 32));

        watch("h");
        assertEquals(3L, run("pfcount", "h"));
        assertEquals(0, dirty);
        assertEquals(List.of(), propagated);
        assertTouched("h", false);
    }

    @Test
    void pfcountReturnsTheCachedValueWhileValid() {
        run("pfadd", "h", "a", "b", "c");
        byte[] b = bytes("h");
        b[8] = 42; // a valid cache is believed as it is
        b[15] = 0;
        putBytes("h", b);
        assertEquals(42L, run("pfcount", "h"));
    }

    @Test
    void pfcountOfSeveralKeysCountsTheUnionAndChangesNothing() {
        run("pfadd", "h", "a", "b", "c");
        run(numbers("pfadd", "s", 1, 200));
        run(numbers("pfadd", "d", 1, 3000));
        byte[] h = bytes("h");
        assertEquals(3009L, run("pfcount", "h", "s", "d", "nokey"));
        assertEquals(0, dirty);
        assertEquals(List.of(), propagated);
        assertArrayEquals(h, bytes("h"));
        assertEquals(204L, run("pfcount", "h", "s"));
        assertEquals(0L, run("pfcount", "x", "y"));
    }

    @Test
    void pfcountEstimatesLikeRedis() {
        run("pfadd", "h", "1", "2", "3", "4", "5");
        assertEquals(5L, run("pfcount", "h"));
        run("pfadd", "h", "6", "7", "8", "8", "9", "10");
        assertEquals(10L, run("pfcount", "h"));
    }

    /* ------------------------------------------------------------ PFMERGE */

    @Test
    void pfmergeCreatesTheDestinationFromTheUnion() {
        run("pfadd", "h", "a", "b", "c");
        run(numbers("pfadd", "s", 1, 200));
        watch("m");
        assertEquals(OK, run("pfmerge", "m", "h", "s", "absent"));
        assertEquals(1, dirty);
        assertEquals(List.of("0: pfmerge m h s absent"), propagated);
        assertEquals(List.of("n:new:m@0", "$:pfadd:m@0"), events);
        assertTouched("m", true);
        assertEquals(204L, run("pfcount", "m"));
        assertEquals("8d46b5f92303d75b5637658a1400fedea49b35d897fa148714a110823fca63a5", sha256(bytes("m")));
        assertEquals(new Status("sparse"), run("pfdebug", "encoding", "m"));
    }

    @Test
    void pfmergeMergesTheDestinationItself() {
        run("pfadd", "m", "a", "b");
        run("pfadd", "x", "c");
        assertEquals(OK, run("pfmerge", "m", "x"));
        assertEquals(3L, run("pfcount", "m"));
        assertEquals(OK, run("pfmerge", "only"));
        assertEquals(0L, run("pfcount", "only"));
    }

    @Test
    void pfmergeIsDenseWhenAnySourceIsDense() {
        run("pfadd", "a", "x");
        run("pfadd", "b", "y");
        run("pfdebug", "todense", "b");
        assertEquals(OK, run("pfmerge", "m", "a", "b"));
        assertEquals(new Status("dense"), run("pfdebug", "encoding", "m"));
        assertEquals(2L, run("pfcount", "m"));
        assertEquals(OK, run("pfmerge", "a"));
        assertEquals(new Status("sparse"), run("pfdebug", "encoding", "a"));
    }

    /* ------------------------------------------------------------ PFDEBUG / PFSELFTEST */

    @Test
    void pfdebugDecodeAndEncoding() {
        run("pfadd", "h", "a", "b", "c");
        assertEquals("Z:8436 v:1,1 Z:4274 v:2,1 Z:3068 v:1,1 Z:603", run("pfdebug", "decode", "h"));
        assertEquals(new Status("sparse"), run("pfdebug", "ENCODING", "h"));
        run("pfadd", "e");
        assertEquals("Z:16384", run("pfdebug", "decode", "e"));
        assertEquals(0, dirty);
    }

    @Test
    void pfdebugGetregConvertsToDense() {
        run("pfadd", "h", "a", "b", "c");
        @SuppressWarnings("unchecked")
        List<Object> registers = (List<Object>) run("pfdebug", "getreg", "h");
        assertEquals(16384, registers.size());
        assertEquals(1L, registers.get(8436));
        assertEquals(2L, registers.get(8436 + 1 + 4274));
        assertEquals(4L, registers.stream().filter(r -> !r.equals(0L)).count() + 1);
        assertEquals(1, dirty);
        assertEquals(List.of("0: pfdebug getreg h"), propagated);
        assertEquals(new Status("dense"), run("pfdebug", "encoding", "h"));
        assertEquals(new Err("ERR HLL encoding is not sparse"), run("pfdebug", "decode", "h"));
        run("pfdebug", "getreg", "h");
        assertEquals(0, dirty);
    }

    @Test
    void pfdebugTodense() {
        run("pfadd", "h", "a", "b", "c");
        run("pfcount", "h");
        byte[] sparse = bytes("h");
        assertEquals(1L, run("pfdebug", "todense", "h"));
        assertEquals(1, dirty);
        byte[] dense = bytes("h");
        assertEquals(12304, dense.length);
        assertEquals(0, dense[4]);
        for (int i = 5; i < 16; i++) {
            assertEquals(sparse[i], dense[i], "header byte " + i); // the cached count survives
        }
        assertEquals(3L, run("pfcount", "h"));
        assertEquals(0L, run("pfdebug", "todense", "h"));
        assertEquals(0, dirty);
    }

    @Test
    void pfdebugErrors() {
        assertEquals(new Err("ERR The specified key does not exist"), run("pfdebug", "getreg", "nokey"));
        assertEquals(new Err("ERR The specified key does not exist"), run("pfdebug", "nosuch", "nokey"));
        run("pfadd", "h");
        assertEquals(new Err("ERR Unknown PFDEBUG subcommand 'nosuch'"), run("pfdebug", "nosuch", "h"));
        putBytes("s", Bytes.of("not an hll at all"));
        assertEquals(NOT_HLL, run("pfdebug", "encoding", "s"));
        put("l", new OtherValue());
        assertEquals(WRONGTYPE, run("pfdebug", "encoding", "l"));
    }

    @Test
    void pfselftestPasses() {
        assertEquals(OK, run("pfselftest"));
    }

    /* ------------------------------------------------------------ type checks and corruption */

    @Test
    void otherTypesAreWrongtype() {
        OtherValue other = new OtherValue();
        put("l", other);
        run("pfadd", "h", "a");
        assertEquals(WRONGTYPE, run("pfadd", "l", "a"));
        assertEquals(WRONGTYPE, run("pfcount", "l"));
        assertEquals(WRONGTYPE, run("pfcount", "h", "l"));
        assertEquals(WRONGTYPE, run("pfmerge", "h", "l"));
        assertEquals(WRONGTYPE, run("pfmerge", "l", "h"));
        assertSame(other, value("l"));
    }

    @Test
    void stringsThatAreNotHllsAreRejected() {
        put("int", StringValue.of(Bytes.of("1234567890123456789")));
        put("short", StringValue.of(Bytes.of("HYLL")));
        put("magic", StringValue.ofRaw(HexFormat.of().parseHex("30313233010000000000000000000080" + "7fff")));
        put("encoding", StringValue.ofRaw(HexFormat.of().parseHex("48594c4c780000000000000000000080" + "7fff")));
        put("dense", StringValue.ofRaw(HexFormat.of().parseHex("48594c4c000000000000000000000080" + "7fff")));
        for (String key : List.of("int", "short", "magic", "encoding", "dense")) {
            Value before = value(key);
            assertEquals(NOT_HLL, run("pfadd", key, "a"), key);
            assertEquals(NOT_HLL, run("pfcount", key), key);
            assertEquals(NOT_HLL, run("pfcount", key, "other"), key);
            assertEquals(NOT_HLL, run("pfmerge", "dest", key), key);
            assertEquals(NOT_HLL, run("pfmerge", key, "other"), key);
            assertEquals(0, dirty);
            assertSame(before, value(key));
        }
        assertNull(value("dest"));
    }

    @Test
    void corruptedSparseBodiesAreDetected() {
        run("pfadd", "h", "a", "b", "c");
        byte[] tail = bytes("h");
        byte[] longer = java.util.Arrays.copyOf(tail, tail.length + 5);
        System.arraycopy(Bytes.of("hello"), 0, longer, tail.length, 5);
        putBytes("h", longer);
        assertEquals(CORRUPTED, run("pfcount", "h"));
        assertEquals(CORRUPTED, run("pfcount", "h", "x"));
        assertEquals(CORRUPTED, run("pfmerge", "m", "h"));
        assertNull(value("m"));
        assertEquals(CORRUPTED, run("pfdebug", "todense", "h"));
        assertEquals(0, dirty);

        // a body covering too few registers: PFADD fails when it reaches past the end
        putBytes("short", HexFormat.of().parseHex("48594c4c010000000000000000000000" + "41ff"));
        assertEquals(CORRUPTED, run(numbers("pfadd", "short", 1, 50)));
        assertEquals(0, dirty);
        assertEquals(List.of(), propagated);
    }

    @Test
    void pfaddOnACorruptedSparseBodyKeepsEarlierChangesLikeRedis() {
        // covers 2 registers more than allowed: raising register 0 works, the end is never checked
        putBytes("h", HexFormat.of().parseHex("48594c4c010000000000000000000000" + "7fff" + "01"));
        assertEquals(1L, run("pfadd", "h", "x"));
        // covers 16383 registers: an element for the last register fails after the first succeeded
        putBytes("g", HexFormat.of().parseHex("48594c4c010000000000000000000000" + "7ffe"));
        String low = null;
        String last = null;
        for (int i = 0; low == null || last == null; i++) {
            long hash = ElementHash.murmurHash64A(Bytes.of("e" + i), 0, Bytes.of("e" + i).length, ElementHash.SEED);
            int reg = ElementHash.register(hash);
            if (reg == 16383 && last == null) {
                last = "e" + i;
            } else if (reg < 100 && low == null) {
                low = "e" + i;
            }
        }
        byte[] before = bytes("g");
        assertEquals(CORRUPTED, run("pfadd", "g", low, last));
        assertEquals(0, dirty);
        assertNotEquals(HexFormat.of().formatHex(before), hex("g"));
        assertEquals((byte) 0x80, bytes("g")[15]); // the change that went in marked the cache stale
    }

    @Test
    void runsReachingPastTheLastRegisterAreCorruption() {
        // CVE-2025-32023: a run crossing register 16384 is rejected, whatever opcode it is
        for (String body : List.of("7fff00", "7fff80", "7fff4000", "7ffe03", "7ffe83")) {
            putBytes("h", HexFormat.of().parseHex("48594c4c010000000000000000000080" + body));
            assertEquals(CORRUPTED, run("pfcount", "h"), body);
            assertEquals(CORRUPTED, run("pfcount", "h", "h"), body);
            assertEquals(CORRUPTED, run("pfdebug", "getreg", "h"), body);
            assertEquals(CORRUPTED, run("pfmerge", "m", "h"), body);
        }
        // 132072 full XZERO runs add up past 2^31 registers before a VAL opcode
        byte[] huge = new byte[16 + 2 * 132_072 + 1];
        System.arraycopy(HexFormat.of().parseHex("48594c4c01"), 0, huge, 0, 5);
        for (int at = 16; at < huge.length - 1; at += 2) {
            huge[at] = 0x7f;
            huge[at + 1] = (byte) 0xff;
        }
        huge[huge.length - 1] = (byte) 0xff;
        putBytes("h", huge);
        assertEquals(CORRUPTED, run("pfcount", "h", "h"));
        assertEquals(CORRUPTED, run("pfdebug", "getreg", "h"));
    }

    @Test
    void fuzzedCorruptionNeverBreaksTheServer() {
        java.util.Random random = new java.util.Random(7);
        for (int round = 0; round < 300; round++) {
            run("del", "h");
            run(numbers("pfadd", "h", 0, random.nextInt(3000)));
            byte[] b = bytes("h");
            for (int i = 0; i < 5; i++) {
                b[random.nextInt(b.length)] = (byte) random.nextInt(256);
                if (random.nextBoolean()) {
                    break;
                }
            }
            putBytes("h", b);
            Object count = run("pfcount", "h");
            assertTrue(count instanceof Long || count instanceof Err, String.valueOf(count));
            Object add = run("pfadd", "h", "x", "y", "z");
            assertTrue(add instanceof Long || add instanceof Err, String.valueOf(add));
        }
    }
}
