package io.modis.bitmaps;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.modis.api.Bytes;
import io.modis.api.StringValue;
import io.modis.core.TestServer.Err;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** BITFIELD and BITFIELD_RO through the core's command pipeline. */
class BitfieldCommandTest extends BitmapTestBase {
    static final Err BAD_TYPE = new Err("ERR Invalid bitfield type. Use something like i16 u8."
            + " Note that u64 is not supported but i64 is.");

    @Test
    void signedAndUnsignedSetAndGet() {
        assertEquals(List.of(0L), run("bitfield", "bits", "set", "i8", "0", "-100"));
        assertEquals(List.of(-100L), run("bitfield", "bits", "set", "i8", "0", "101"));
        assertEquals(List.of(101L), run("bitfield", "bits", "get", "i8", "0"));
        assertEquals(List.of(0L, -1L, 100L),
                run("bitfield", "b2", "set", "i8", "0", "255", "set", "i8", "0", "100", "get", "i8", "0"));
        assertEquals(List.of(0L, 99L, 99L),
                run("bitfield", "b3", "set", "u8", "0", "255", "incrby", "u8", "0", "100", "get", "u8", "0"));
        assertEquals(List.of(), run("bitfield", "none"));
        assertNull(value("none"));
    }

    @Test
    void aWriteCreatesTheKeyAndIsAnnounced() {
        watch("bits");
        assertEquals(List.of(0L), run("bitfield", "bits", "SET", "u8", "#2", "67"));
        assertArrayEquals(new byte[] {0, 0, 'C'}, bytes("bits"));
        assertEquals("raw", ((StringValue) value("bits")).encoding());
        assertEquals(1, dirty);
        assertEquals(List.of("0: bitfield bits SET u8 #2 67"), propagated);
        assertEquals(List.of("n:new:bits@0", "$:setbit:bits@0"), events);
        assertTouched("bits");
        run("bitfield", "bits", "set", "u8", "#0", "65", "set", "u8", "#1", "66");
        assertEquals(2, dirty);
        assertArrayEquals(Bytes.of("ABC"), bytes("bits"));
    }

    @Test
    void getsOnlyAreReads() {
        putBytes("bits", Bytes.of("ABC"));
        watch("bits");
        assertEquals(List.of(65L, 0x4142L, 0L), run("bitfield", "bits", "get", "u8", "0", "get", "u16", "#0",
                "get", "u8", "1000"));
        assertNoEffect();
        assertNotTouched("bits");
        assertEquals(List.of(0L), run("bitfield", "missing", "get", "i64", "0"));
        assertNull(value("missing"));
        assertNoEffect();
        assertEquals(List.of(0x41L), run("bitfield_ro", "bits", "overflow", "sat", "get", "u8", "0"));
        assertEquals(List.of(), run("bitfield_ro", "bits"));
        put("n", StringValue.ofLong(1)); // "1" = 0x31
        assertEquals(List.of(0L), run("bitfield", "n", "get", "u1", "0"));
        assertEquals(List.of(0x31L), run("bitfield", "n", "get", "u8", "0"));
    }

    @Test
    void incrbyAndChainedOperations() {
        run("bitfield", "bits", "set", "u8", "#0", "10");
        assertEquals(List.of(110L, 210L), run("bitfield", "bits", "incrby", "u8", "#0", "100", "incrby", "u8", "#0", "100"));
        assertEquals(2, dirty);
        assertEquals(List.of(0L, 0L, 60L),
                run("bitfield", "m", "SET", "i8", "0", "10", "SET", "i8", "64", "10", "INCRBY", "i8", "10", "99900"));
        assertEquals(List.of(0L), run("bitfield", "n", "incrby", "i5", "100", "0"));
    }

    @Test
    void overflowPolicies() {
        run("bitfield", "bits", "set", "u8", "#0", "100");
        assertEquals(List.of(101L), run("bitfield", "bits", "overflow", "wrap", "incrby", "u8", "#0", "257"));
        assertEquals(List.of(100L), run("bitfield", "bits", "overflow", "wrap", "incrby", "u8", "#0", "255"));
        assertEquals(List.of(255L), run("bitfield", "bits", "overflow", "sat", "incrby", "u8", "#0", "257"));
        assertEquals(List.of(0L), run("bitfield", "bits", "overflow", "SAT", "incrby", "u8", "#0", "-255"));
        run("bitfield", "s", "set", "i8", "#0", "100");
        assertEquals(List.of(101L), run("bitfield", "s", "overflow", "wrap", "incrby", "i8", "#0", "257"));
        assertEquals(List.of(100L), run("bitfield", "s", "incrby", "i8", "#0", "255"));
        assertEquals(List.of(127L), run("bitfield", "s", "overflow", "sat", "incrby", "i8", "#0", "257"));
        assertEquals(List.of(-128L), run("bitfield", "s", "overflow", "sat", "incrby", "i8", "#0", "-255"));

        // FAIL answers nil and writes nothing; the policy holds for the operations after it
        assertEquals(Arrays.asList(null, -128L, 127L, null),
                run("bitfield", "s", "overflow", "fail", "incrby", "i8", "0", "-1", "get", "i8", "0",
                        "overflow", "sat", "incrby", "i8", "0", "1000", "overflow", "fail", "set", "u8", "0", "256"));
        assertEquals(1, dirty);
        assertEquals(List.of(127L), run("bitfield", "s", "get", "i8", "0"));
        assertEquals(Arrays.asList((Object) null), run("bitfield", "s", "overflow", "fail", "incrby", "i8", "0", "1"));
        assertNoEffect();
    }

    @Test
    void aFailedWriteStillCreatesTheKeyButIsNoChange() {
        assertEquals(Arrays.asList((Object) null), run("bitfield", "k", "overflow", "fail", "set", "u2", "0", "4"));
        assertArrayEquals(new byte[1], bytes("k"));
        assertEquals(0, dirty);
        assertEquals(List.of(), propagated);
        assertEquals(List.of("n:new:k@0"), events);
    }

    @Test
    void dirtyCountsChangedFieldsOnly() {
        run("bitfield", "foo", "set", "i5", "0", "0");
        assertEquals(1, dirty);
        run("bitfield", "foo", "set", "i5", "0", "0");
        assertNoEffect();
        run("bitfield", "foo", "set", "i5", "0", "1", "set", "i5", "0", "1", "set", "i5", "0", "0");
        assertEquals(2, dirty);
        // growing counts every write of the call
        run("bitfield", "foo", "set", "i5", "90", "0", "set", "i5", "0", "0");
        assertEquals(2, dirty);
        assertEquals(12, bytes("foo").length);
    }

    @Test
    void signedSetFarOutOfRangeSaturatesLikeRedis() {
        // Redis's range check wraps around here and reports an overflow upwards
        assertEquals(List.of(0L), run("bitfield", "k", "overflow", "sat", "set", "i8", "0", "-9223372036854775808"));
        assertEquals(List.of(127L), run("bitfield", "k", "get", "i8", "0"));
        assertEquals(List.of(127L), run("bitfield", "k", "overflow", "sat", "set", "i8", "0", "-129"));
        assertEquals(List.of(-128L), run("bitfield", "k", "get", "i8", "0"));
        assertEquals(List.of(128L), run("bitfield", "k", "overflow", "sat", "set", "u8", "0", "-1"));
        assertEquals(List.of(255L), run("bitfield", "k", "get", "u8", "0"));
    }

    @Test
    void sixtyFourBitFields() {
        assertEquals(List.of(0L, Long.MAX_VALUE, Long.MIN_VALUE),
                run("bitfield", "k", "set", "i64", "3", "9223372036854775807", "incrby", "i64", "3", "0",
                        "overflow", "wrap", "incrby", "i64", "3", "1"));
        assertEquals(List.of(Long.MIN_VALUE), run("bitfield", "k", "overflow", "sat", "incrby", "i64", "3", "-1"));
        // -1 is far above any unsigned field: WRAP keeps its low bits, SAT the maximum
        assertEquals(List.of(0L, (1L << 63) - 1), run("bitfield", "k2", "set", "u63", "1", "-1", "get", "u63", "1"));
        assertEquals(List.of(0L, 7L), run("bitfield", "k3", "overflow", "sat", "set", "u3", "0", "-1",
                "get", "u3", "0"));
    }

    @Test
    void readOnlyVariantRefusesWrites() {
        putBytes("bits", Bytes.of("A"));
        assertEquals(new Err("ERR BITFIELD_RO only supports the GET subcommand"),
                run("bitfield_ro", "bits", "set", "u8", "0", "100", "get", "u8", "0"));
        assertEquals(new Err("ERR BITFIELD_RO only supports the GET subcommand"),
                run("bitfield_ro", "missing", "incrby", "u8", "0", "1"));
        assertNoEffect();
        assertNull(value("missing"));
        // parse errors come first
        assertEquals(BAD_TYPE, run("bitfield_ro", "bits", "set", "x8", "0", "100"));
    }

    @Test
    void errorsChangeNothing() {
        putBytes("bits", Bytes.of("A"));
        putOther("l");
        for (String type : List.of("u64", "i65", "i0", "u0", "I8", "8", "", "i08", "i-1", "u")) {
            assertEquals(BAD_TYPE, run("bitfield", "bits", "get", type, "0"), type);
        }
        assertEquals(BAD_OFFSET, run("bitfield", "bits", "get", "u8", "-1"));
        assertEquals(BAD_OFFSET, run("bitfield", "bits", "get", "u8", "#-1"));
        assertEquals(BAD_OFFSET, run("bitfield", "bits", "get", "u8", "#"));
        assertEquals(BAD_OFFSET, run("bitfield", "bits", "get", "u8", "4294967296"));
        assertEquals(BAD_OFFSET, run("bitfield", "bits", "get", "u8", "#536870912"));
        // #N times the width wraps around like Redis's int64 product: here to a negative offset
        assertEquals(BAD_OFFSET, run("bitfield", "bits", "get", "i64", "#144115188075855872"));
        // ... and here to offset 0
        assertEquals(List.of(0x41L << 56), run("bitfield", "bits", "get", "i64", "#4611686018427387904"));
        assertEquals(NOT_INTEGER, run("bitfield", "bits", "set", "u8", "0", "x"));
        assertEquals(NOT_INTEGER, run("bitfield", "bits", "incrby", "u8", "0", "1.5"));
        assertEquals(new Err("ERR Invalid OVERFLOW type specified"), run("bitfield", "bits", "overflow", "nope"));
        assertEquals(SYNTAX, run("bitfield", "bits", "overflow"));
        assertEquals(SYNTAX, run("bitfield", "bits", "set", "u8", "0"));
        assertEquals(SYNTAX, run("bitfield", "bits", "get", "u8", "0", "frob"));
        // a later bad operation cancels the earlier good ones
        assertEquals(SYNTAX, run("bitfield", "bits", "set", "u8", "0", "66", "get", "u8"));
        assertNoEffect();
        assertArrayEquals(Bytes.of("A"), bytes("bits"));
        assertEquals(WRONGTYPE, run("bitfield", "l", "get", "u8", "0"));
        assertEquals(WRONGTYPE, run("bitfield", "l"));
        assertEquals(WRONGTYPE, run("bitfield", "l", "set", "u8", "0", "1"));
        assertEquals(WRONGTYPE, run("bitfield_ro", "l", "get", "u8", "0"));
        assertEquals(BAD_TYPE, run("bitfield", "l", "get", "u64", "0"));
        assertNoEffect();
    }

    @Test
    void hashOffsetsMultiplyByTheWidth() {
        run("bitfield", "k", "set", "u4", "#3", "15");
        assertArrayEquals(new byte[] {0, 0x0f}, bytes("k"));
        run("bitfield", "k", "set", "i3", "#2", "-1");
        assertArrayEquals(new byte[] {0x03, (byte) 0x8f}, bytes("k"));
    }

    @Test
    void overflowDetectionMatchesExactArithmetic() {
        Random random = new Random(5);
        for (int round = 0; round < 2000; round++) {
            int bits = 1 + random.nextInt(64);
            boolean signed = bits == 64 || random.nextBoolean();
            String type = (signed ? "i" : "u") + bits;
            BigInteger range = BigInteger.ONE.shiftLeft(bits);
            BigInteger min = signed ? range.shiftRight(1).negate() : BigInteger.ZERO;
            BigInteger max = min.add(range).subtract(BigInteger.ONE);
            BigInteger value = clampLong(min.shiftLeft(1).add(randomBelow(random, range.shiftLeft(1))));
            BigInteger increment = clampLong(min.shiftLeft(1).add(randomBelow(random, range.shiftLeft(1))));
            boolean overflow = value.compareTo(max) > 0 || value.compareTo(min) < 0
                    || value.add(increment).compareTo(max) > 0 || value.add(increment).compareTo(min) < 0;

            t.onEngine(() -> t.server.db(0).delete(Bytes.of("k")));
            List<?> set = (List<?>) run("bitfield", "k", "overflow", "fail", "set", type, "0", value.toString());
            List<?> incr = (List<?>) run("bitfield", "k", "overflow", "fail", "incrby", type, "0", increment.toString());
            boolean detected = set.get(0) == null || incr.get(0) == null;
            assertEquals(overflow, detected, type + " " + value + " + " + increment);

            t.onEngine(() -> t.server.db(0).delete(Bytes.of("k")));
            run("bitfield", "k", "overflow", "wrap", "set", type, "0", value.toString());
            run("bitfield", "k", "overflow", "wrap", "incrby", type, "0", increment.toString());
            BigInteger wrapped = value.add(increment).subtract(min).mod(range).add(min);
            assertEquals(List.of(wrapped.longValue()), run("bitfield", "k", "get", type, "0"),
                    "wrap " + type + " " + value + " + " + increment);
        }
    }

    private static BigInteger randomBelow(Random random, BigInteger bound) {
        BigInteger r;
        do {
            r = new BigInteger(bound.bitLength(), random);
        } while (r.compareTo(bound) >= 0);
        return r;
    }

    private static BigInteger clampLong(BigInteger v) {
        return v.max(BigInteger.valueOf(Long.MIN_VALUE)).min(BigInteger.valueOf(Long.MAX_VALUE));
    }
}
