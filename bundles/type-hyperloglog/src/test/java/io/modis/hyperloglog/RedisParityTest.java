package io.modis.hyperloglog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.modis.api.Bytes;
import io.modis.api.StringValue;
import io.modis.api.Value;
import io.modis.core.TestServer;
import io.modis.core.TestServer.Err;
import io.modis.core.TestServer.Status;
import io.modis.core.TestServer.TestClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Feeds Modis and a real Redis 7.0 the same commands and requires the same replies and the
 * same HLL bytes: registers, sparse opcodes, cached counts, promotions, merges and the
 * handling of corrupted strings. Runs when /usr/bin/redis-server is installed.
 */
class RedisParityTest {
    private static RedisServer redis;
    private static TestServer modis;
    private static TestClient client;

    @BeforeAll
    static void startBoth() throws IOException {
        Assumptions.assumeTrue(RedisServer.available(), "redis-server is not installed");
        redis = RedisServer.start();
        Object version = redis.call("info", "server");
        Assumptions.assumeTrue(new String((byte[]) version, StandardCharsets.UTF_8).contains("redis_version:7.0."),
                "the reference must be Redis 7.0");
        modis = new TestServer();
        modis.addCommands(new HllCommands().commands());
        modis.addConfigParams(new HllConfig().configParams());
        client = modis.client();
    }

    @AfterAll
    static void stopBoth() {
        if (redis != null) {
            redis.close();
        }
        if (modis != null) {
            modis.close();
        }
    }

    @BeforeEach
    void empty() throws IOException {
        redis.call("flushall");
        modis.onEngine(() -> modis.server.db(0).clear());
        sparseMaxBytes(3000);
    }

    /* ------------------------------------------------------------ helpers */

    private void sparseMaxBytes(long limit) throws IOException {
        redis.call("config", "set", "hll-sparse-max-bytes", Long.toString(limit));
        modis.config("hll-sparse-max-bytes", Long.toString(limit));
    }

    /** Runs the command on both; the replies must match; returns Redis's. */
    private Object both(byte[]... argv) throws IOException {
        Object expected = normalize(redis.call(argv));
        Object actual = normalize(client.call(argv));
        assertEquals(expected, actual, () -> "reply to " + describe(argv));
        return expected;
    }

    private Object both(String... words) throws IOException {
        byte[][] argv = new byte[words.length][];
        for (int i = 0; i < words.length; i++) {
            argv[i] = Bytes.of(words[i]);
        }
        return both(argv);
    }

    private static String describe(byte[][] argv) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(argv.length, 4); i++) {
            sb.append(Bytes.str(argv[i])).append(' ');
        }
        return sb.append(argv.length > 4 ? "... (" + argv.length + " args)" : "").toString();
    }

    /** Replies of either side as comparable values: Long, "+status", "-error", String, List. */
    private static Object normalize(Object reply) {
        if (reply instanceof Status s) {
            return "+" + s.text();
        }
        if (reply instanceof Err e) {
            return "-" + e.message();
        }
        if (reply instanceof RedisServer.Status s) {
            return "+" + s.text();
        }
        if (reply instanceof RedisServer.Error e) {
            return "-" + e.message();
        }
        if (reply instanceof String s) {
            return s;
        }
        if (reply instanceof byte[] b) {
            return new String(b, StandardCharsets.UTF_8);
        }
        if (reply instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            for (Object o : list) {
                out.add(normalize(o));
            }
            return out;
        }
        return reply;
    }

    /** The string at key on both sides must be the same bytes. */
    private void sameBytes(String key) throws IOException {
        byte[] expected = (byte[]) redis.call("get", key);
        Value v = modis.onEngine(() -> modis.server.db(0).get(Bytes.of(key)));
        byte[] actual = v == null ? null : ((StringValue) v).bytes().clone();
        assertArrayEquals(expected, actual, "bytes of " + key);
    }

    private void setBoth(String key, byte[] value) throws IOException {
        redis.call(Bytes.of("set"), Bytes.of(key), value);
        modis.onEngine(() -> modis.server.db(0).set(Bytes.of(key), StringValue.of(value.clone())));
    }

    private static byte[][] pfadd(String key, List<byte[]> elements) {
        byte[][] argv = new byte[elements.size() + 2][];
        argv[0] = Bytes.of("pfadd");
        argv[1] = Bytes.of(key);
        for (int i = 0; i < elements.size(); i++) {
            argv[i + 2] = elements.get(i);
        }
        return argv;
    }

    /** Random binary elements of every length class 0..24, so all hash tails are exercised. */
    private static List<byte[]> elements(Random random, int n) {
        List<byte[]> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            byte[] e = new byte[random.nextInt(25)];
            random.nextBytes(e);
            out.add(e);
        }
        return out;
    }

    /* ------------------------------------------------------------ parity */

    @Test
    void pfaddAndPfcountGiveTheSameBytesAndCounts() throws IOException {
        Random random = new Random(1);
        for (int round = 0; round < 40; round++) {
            String key = "h" + round;
            int target = random.nextInt(round < 30 ? 4000 : 40000);
            int added = 0;
            while (added < target) {
                int batch = 1 + random.nextInt(Math.min(500, target - added));
                both(pfadd(key, elements(random, batch)));
                added += batch;
                if (random.nextInt(4) == 0) {
                    both("pfcount", key);
                }
                sameBytes(key);
            }
            both("pfcount", key);
            both("pfdebug", "encoding", key);
            sameBytes(key);
            if (round % 8 == 0) {
                both("pfdebug", "getreg", key);
                sameBytes(key);
            }
        }
    }

    @Test
    void sparseLimitsPromoteAtTheSamePoint() throws IOException {
        Random random = new Random(2);
        for (long limit : new long[] {0, 17, 18, 19, 50, 300, 1000, 5000, 20000}) {
            sparseMaxBytes(limit);
            String key = "h" + limit;
            both("pfadd", key);
            for (int i = 0; i < 60; i++) {
                both(pfadd(key, elements(random, 1 + random.nextInt(40))));
                sameBytes(key);
                both("pfdebug", "encoding", key);
            }
            both("pfcount", key);
            sameBytes(key);
        }
    }

    @Test
    void sparseOpcodesSplitAndJoinLikeRedis() throws IOException {
        // numbered elements crowd a few registers so runs of VAL opcodes form, split and join
        Random random = new Random(3);
        for (int round = 0; round < 30; round++) {
            String key = "v" + round;
            List<byte[]> els = new ArrayList<>();
            for (int i = 0; i < 1 + random.nextInt(1500); i++) {
                els.add(Bytes.of(Integer.toString(random.nextInt(100_000))));
            }
            for (byte[] e : els) {
                both(pfadd(key, List.of(e)));
            }
            both("pfdebug", "decode", key);
            sameBytes(key);
        }
    }

    @Test
    void mergesAndUnionCountsMatch() throws IOException {
        Random random = new Random(4);
        for (int round = 0; round < 15; round++) {
            List<String> keys = new ArrayList<>();
            for (int k = 0; k < 4; k++) {
                String key = "m" + round + "-" + k;
                keys.add(key);
                int n = random.nextInt(k == 3 ? 20000 : 2500);
                if (n > 0) {
                    both(pfadd(key, elements(random, n)));
                }
                if (random.nextInt(5) == 0 && n > 0) {
                    both("pfdebug", "todense", key);
                }
            }
            List<String> argv = new ArrayList<>(List.of("pfcount"));
            argv.addAll(keys);
            argv.add("absent");
            both(argv.toArray(new String[0]));
            String dest = random.nextBoolean() ? keys.get(0) : "dest" + round;
            List<String> merge = new ArrayList<>(List.of("pfmerge", dest));
            merge.addAll(keys.subList(random.nextInt(2), 1 + random.nextInt(keys.size())));
            both(merge.toArray(new String[0]));
            sameBytes(dest);
            both("pfcount", dest);
            both("pfdebug", "encoding", dest);
            sameBytes(dest);
        }
    }

    @Test
    void theEstimatorAgreesAcrossTheWholeRange() throws IOException {
        // dense HLLs with registers drawn around every level, up to the 6-bit maximum
        Random random = new Random(5);
        for (int round = 0; round < 120; round++) {
            byte[] hll = new byte[HllFormat.DENSE_SIZE];
            System.arraycopy(Bytes.of("HYLL"), 0, hll, 0, 4);
            hll[15] = (byte) 0x80;
            double zeroShare = random.nextDouble();
            int level = random.nextInt(64);
            for (int reg = 0; reg < HllFormat.REGISTERS; reg++) {
                int value;
                if (random.nextDouble() < zeroShare) {
                    value = 0;
                } else {
                    value = Math.max(1, Math.min(63, level + (int) Math.round(random.nextGaussian() * 2)));
                }
                Dense.set(hll, reg, value);
            }
            setBoth("d", hll);
            both("pfcount", "d");
            both("pfcount", "d", "absent");
            sameBytes("d");
        }
    }

    @Test
    void corruptedStringsGetTheSameAnswers() throws IOException {
        Random random = new Random(6);
        for (int round = 0; round < 400; round++) {
            redis.call("del", "src");
            redis.call(pfadd("src", elements(random, random.nextInt(round % 4 == 0 ? 4000 : 300))));
            byte[] b = (byte[]) redis.call("get", "src");
            for (int i = 0; i < 5; i++) {
                int pos = random.nextInt(b.length);
                b[pos] = (byte) random.nextInt(256);
                if (random.nextBoolean()) {
                    break;
                }
            }
            if (random.nextInt(6) == 0) {
                b = java.util.Arrays.copyOf(b, Math.max(0, b.length - 1 - random.nextInt(3)));
            }
            setBoth("h", b);
            both("pfcount", "h");
            sameBytes("h");
            setBoth("h", b);
            both("pfcount", "h", "absent");
            both(pfadd("h", elements(random, 1 + random.nextInt(20))));
            sameBytes("h");
            setBoth("h", b);
            both("pfmerge", "dest" + round, "h");
            both("exists", "dest" + round);
            setBoth("h", b);
            both("pfdebug", random.nextBoolean() ? "todense" : "decode", "h");
            sameBytes("h");
        }
    }
}
