package io.modis.examples.bloom;

import io.modis.core.TestServer;
import io.modis.core.TestServer.Err;
import io.modis.core.TestServer.TestClient;
import io.modis.strings.StringCommands;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The BF.* commands driven through the real core. */
class BloomCommandsTest {
    private TestServer t;
    private TestClient c;

    @BeforeEach
    void start() {
        t = new TestServer();
        t.addCommands(new StringCommands().commands());
        t.addCommands(new BloomCommands().commands());
        t.addConfigParams(new BloomConfig().configParams());
        t.addServerCommands();
        c = t.client();
    }

    @AfterEach
    void stop() {
        t.close();
    }

    private static Err err(String message) {
        return new Err(message);
    }

    @Test
    void addCreatesADefaultFilterSizedAsRedisBloomDoes() {
        assertEquals(1L, c.call("BF.ADD", "bf1", "observation1"));
        assertEquals(0L, c.call("BF.ADD", "bf1", "observation1"));
        // RedisBloom's documented answer for this filter: 100 items at 1%, 240 bytes
        assertEquals(List.of("Capacity", 100L, "Size", 240L, "Number of filters", 1L,
                "Number of items inserted", 1L, "Expansion rate", 2L), infoPairs(c.call("BF.INFO", "bf1")));
        assertEquals(List.of(100L), c.call("BF.INFO", "bf1", "CAPACITY"));
        assertEquals(List.of(240L), c.call("BF.INFO", "bf1", "size"));
        assertEquals(List.of(1L), c.call("BF.INFO", "bf1", "Filters"));
        assertEquals(List.of(1L), c.call("BF.INFO", "bf1", "ITEMS"));
        assertEquals(List.of(2L), c.call("BF.INFO", "bf1", "EXPANSION"));
        assertEquals(1L, c.call("BF.CARD", "bf1"));
        assertEquals("MBbloom--", statusText(c.call("TYPE", "bf1")));
    }

    @Test
    void existsAndMultiFormsAnswerPerItem() {
        assertEquals(List.of(1L, 1L, 0L), c.call("BF.MADD", "f", "a", "b", "a"));
        assertEquals(1L, c.call("BF.EXISTS", "f", "a"));
        assertEquals(0L, c.call("BF.EXISTS", "f", "zz-not-there"));
        assertEquals(List.of(1L, 1L, 0L), c.call("BF.MEXISTS", "f", "a", "b", "zz-not-there"));
        assertEquals(0L, c.call("BF.EXISTS", "missing", "a"));
        assertEquals(List.of(0L, 0L), c.call("BF.MEXISTS", "missing", "a", "b"));
        assertEquals(2L, c.call("BF.CARD", "f"));
        assertEquals(0L, c.call("BF.CARD", "missing"));
    }

    @Test
    void reserveValidatesLikeRedisBloom() {
        assertEquals(TestServer.OK, c.call("BF.RESERVE", "r", "0.001", "1000", "EXPANSION", "4"));
        assertEquals(err("ERR item exists"), c.call("BF.RESERVE", "r", "0.001", "1000"));
        assertEquals(err("ERR bad error rate"), c.call("BF.RESERVE", "x", "abc", "1000"));
        assertEquals(err("ERR (0 < error rate range < 1) "), c.call("BF.RESERVE", "x", "1", "1000"));
        assertEquals(err("ERR (0 < error rate range < 1) "), c.call("BF.RESERVE", "x", "0", "1000"));
        assertEquals(err("ERR bad capacity"), c.call("BF.RESERVE", "x", "0.01", "1.5"));
        assertEquals(err("ERR (capacity should be larger than 0)"), c.call("BF.RESERVE", "x", "0.01", "0"));
        assertEquals(err("ERR no expansion"), c.call("BF.RESERVE", "x", "0.01", "10", "EXPANSION"));
        assertEquals(err("Nonscaling filters cannot expand"),
                c.call("BF.RESERVE", "x", "0.01", "10", "NONSCALING", "EXPANSION", "2"));
        assertEquals(err("ERR bad expansion"), c.call("BF.RESERVE", "x", "0.01", "10", "EXPANSION", "two"));
        assertEquals(err("ERR expansion should be greater or equal to 1"),
                c.call("BF.RESERVE", "x", "0.01", "10", "EXPANSION", "0"));
        assertEquals(err("ERR wrong number of arguments for 'bf.reserve' command"),
                c.call("BF.RESERVE", "x", "0.01"));
        assertEquals(err("ERR wrong number of arguments for 'bf.reserve' command"),
                c.call("BF.RESERVE", "x", "0.01", "10", "a", "b", "c", "d"));
        assertEquals(0L, c.call("EXISTS", "x"));
        assertEquals(List.of(4L), c.call("BF.INFO", "r", "EXPANSION"));
        // first layer at half the error rate: bpe = -ln(0.0005)/ln(2)^2 = 15.82, 15820 bits = 248 words
        assertEquals(List.of(32L + 64 + 1984), c.call("BF.INFO", "r", "SIZE"));
        // a filter too large for the heap is refused, not allocated
        assertEquals(err("ERR Insufficient memory to create filter"),
                c.call("BF.RESERVE", "huge", "0.0001", "9000000000000000"));
        assertEquals(0L, c.call("EXISTS", "huge"));
    }

    @Test
    void wrongTypeAndMissingKeys() {
        c.call("SET", "s", "v");
        Err wrongType = err("WRONGTYPE Operation against a key holding the wrong kind of value");
        assertEquals(wrongType, c.call("BF.ADD", "s", "a"));
        assertEquals(wrongType, c.call("BF.MADD", "s", "a"));
        assertEquals(wrongType, c.call("BF.INSERT", "s", "ITEMS", "a"));
        assertEquals(wrongType, c.call("BF.INFO", "s"));
        assertEquals(wrongType, c.call("BF.CARD", "s"));
        assertEquals(wrongType, c.call("BF.RESERVE", "s", "0.01", "10"));
        // RedisBloom answers "not there" for BF.EXISTS on another type
        assertEquals(0L, c.call("BF.EXISTS", "s", "a"));
        assertEquals("v", c.call("GET", "s"));
        assertEquals(err("ERR not found"), c.call("BF.INFO", "nothing"));
        assertEquals(err("ERR not found"), c.call("BF.INSERT", "nothing", "NOCREATE", "ITEMS", "a"));
        c.call("BF.ADD", "f", "a");
        assertEquals(err("Invalid information value"), c.call("BF.INFO", "f", "colour"));
        assertEquals(err("ERR wrong number of arguments for 'bf.info' command"), c.call("BF.INFO", "f", "size", "x"));
    }

    @Test
    void insertParsesOptionsAndCreatesWithThem() {
        assertEquals(List.of(1L, 1L), c.call("BF.INSERT", "i", "CAPACITY", "1000", "ERROR", "0.001", "EXPANSION", "3",
                "ITEMS", "x", "y"));
        assertEquals(List.of(1000L), c.call("BF.INFO", "i", "CAPACITY"));
        assertEquals(List.of(3L), c.call("BF.INFO", "i", "EXPANSION"));
        assertEquals(List.of(0L, 1L), c.call("BF.INSERT", "i", "NOCREATE", "ITEMS", "x", "z"));
        assertEquals(List.of(1L), c.call("BF.INSERT", "n", "NONSCALING", "ITEMS", "x"));
        assertEquals(Arrays.asList((Object) null), c.call("BF.INFO", "n", "EXPANSION"));
        assertEquals(err("Bad error rate"), c.call("BF.INSERT", "e", "ERROR", "x", "ITEMS", "a"));
        assertEquals(err("Bad capacity"), c.call("BF.INSERT", "e", "CAPACITY", "x", "ITEMS", "a"));
        assertEquals(err("Bad expansion"), c.call("BF.INSERT", "e", "EXPANSION", "x", "ITEMS", "a"));
        assertEquals(err("Bad argument received"), c.call("BF.INSERT", "e", "ERROR", "2", "ITEMS", "a"));
        assertEquals(err("Bad argument received"), c.call("BF.INSERT", "e", "CAPACITY", "0", "ITEMS", "a"));
        assertEquals(err("Unknown argument received"), c.call("BF.INSERT", "e", "SIZE", "10", "ITEMS", "a"));
        // options are told apart by their first letters, as RedisBloom does
        assertEquals(err("Bad capacity"), c.call("BF.INSERT", "e", "COLOUR", "red", "ITEMS", "a"));
        assertEquals(err("ERR wrong number of arguments for 'bf.insert' command"),
                c.call("BF.INSERT", "e", "CAPACITY", "10", "ITEMS"));
        assertEquals(err("ERR wrong number of arguments for 'bf.insert' command"),
                c.call("BF.INSERT", "e", "CAPACITY", "10"));
        assertEquals(0L, c.call("EXISTS", "e"));
    }

    @Test
    void nonScalingFilterRefusesItemsOnceFull() {
        assertEquals(TestServer.OK, c.call("BF.RESERVE", "ns", "0.001", "2", "NONSCALING"));
        assertEquals(List.of(1L, 1L, 0L), c.call("BF.MADD", "ns", "a", "b", "a"));
        assertEquals(List.of(0L, err("ERR non scaling filter is full")), c.call("BF.MADD", "ns", "b", "c", "d"));
        assertEquals(err("ERR non scaling filter is full"), c.call("BF.ADD", "ns", "c"));
        assertEquals(2L, c.call("BF.CARD", "ns"));
        assertEquals(Arrays.asList((Object) null), c.call("BF.INFO", "ns", "EXPANSION"));
    }

    @Test
    void scalingAddsLayersEachExpansionTimesLarger() {
        c.call("BF.RESERVE", "sc", "0.01", "100", "EXPANSION", "2");
        String[] argv = new String[1002];
        argv[0] = "BF.MADD";
        argv[1] = "sc";
        for (int i = 0; i < 1000; i++) {
            argv[i + 2] = "item:" + i;
        }
        c.call(argv);
        // layers of 100, 200, 400 and 800 items: the fourth holds items 701 to 1000
        assertEquals(List.of(4L), c.call("BF.INFO", "sc", "FILTERS"));
        assertEquals(List.of(1500L), c.call("BF.INFO", "sc", "CAPACITY"));
        long card = (Long) c.call("BF.CARD", "sc");
        assertTrue(card > 990 && card <= 1000, "items counted: " + card);
        for (int i = 0; i < 1000; i += 7) {
            assertEquals(1L, c.call("BF.EXISTS", "sc", "item:" + i), "no false negatives");
        }
    }

    @Test
    void falsePositiveRateStaysWithinTheRequestedBound() {
        ScalableBloomFilter f = ScalableBloomFilter.create(10_000, 0.01, 2, false);
        for (int i = 0; i < 10_000; i++) {
            f.add(("member-" + i).getBytes());
        }
        for (int i = 0; i < 10_000; i++) {
            assertTrue(f.contains(("member-" + i).getBytes()), "false negative for member-" + i);
        }
        int falsePositives = 0;
        int probes = 200_000;
        for (int i = 0; i < probes; i++) {
            if (f.contains(("stranger-" + i).getBytes())) {
                falsePositives++;
            }
        }
        double rate = (double) falsePositives / probes;
        // the single layer is built for 0.5% so that the chain stays under the requested 1%
        assertTrue(rate < 0.01, "false-positive rate " + rate);
        assertTrue(rate > 0.001, "a full filter at 0.5% must show some false positives: " + rate);
    }

    @Test
    void writesPropagateAsReceivedAndEmitModuleEvents() {
        t.takePropagated();
        t.takeEvents();
        c.call("BF.RESERVE", "p", "0.01", "10");
        c.call("BF.ADD", "p", "a");
        c.call("BF.ADD", "p", "a");
        c.call("BF.MADD", "p", "a", "b");
        c.call("BF.INSERT", "p", "ITEMS", "c");
        c.call("BF.EXISTS", "p", "a");
        assertEquals(List.of("0: BF.RESERVE p 0.01 10", "0: BF.ADD p a", "0: BF.MADD p a b", "0: BF.INSERT p ITEMS c"),
                t.takePropagated());
        assertEquals(List.of("n:new:p@0", "d:bf.reserve:p@0", "d:bf.add:p@0", "d:bf.madd:p@0", "d:bf.insert:p@0"), t.takeEvents());
    }

    @Test
    void resp3RepliesWithBooleansAndMaps() {
        c.call("HELLO", "3");
        assertEquals(true, c.call("BF.ADD", "r3", "a"));
        assertEquals(false, c.call("BF.ADD", "r3", "a"));
        assertEquals(List.of(true, false), c.call("BF.MEXISTS", "r3", "a", "b"));
        Map<Object, Object> info = new LinkedHashMap<>();
        info.put(new TestServer.Status("Capacity"), 100L);
        assertEquals(info, c.call("BF.INFO", "r3", "CAPACITY"));
        Object full = c.call("BF.INFO", "r3");
        assertTrue(full instanceof Map<?, ?> m && m.size() == 5, "map of 5: " + full);
    }

    @Test
    void commandMetadataDescribesModuleCommands() {
        Object info = c.call("COMMAND", "INFO", "bf.add", "bf.exists");
        String text = String.valueOf(info);
        assertTrue(text.contains("bf.add") && text.contains("module") && text.contains("denyoom"), text);
        assertTrue(text.contains("@write") && text.contains("@read") && text.contains("@fast"), text);
        assertEquals(List.of("k"), c.call("COMMAND", "GETKEYS", "BF.MADD", "k", "a", "b"));
    }

    @Test
    void configuredDefaultsShapeAutoCreatedFilters() {
        assertEquals(Map.of("bf-error-rate", "0.01"), c.call("CONFIG", "GET", "bf-error-rate"));
        assertEquals(TestServer.OK, c.call("CONFIG", "SET", "bf-initial-size", "1000", "bf-expansion-factor", "4",
                "bf-error-rate", "0.001"));
        c.call("BF.ADD", "cfg", "a");
        assertEquals(List.of(1000L), c.call("BF.INFO", "cfg", "CAPACITY"));
        assertEquals(List.of(4L), c.call("BF.INFO", "cfg", "EXPANSION"));
        // 1000 items at 0.05%: 15820 bits, 1984 bytes
        assertEquals(List.of(32L + 64 + 1984), c.call("BF.INFO", "cfg", "SIZE"));
        // explicit BF.INSERT options still win
        c.call("BF.INSERT", "cfg2", "CAPACITY", "100", "ITEMS", "a");
        assertEquals(List.of(100L), c.call("BF.INFO", "cfg2", "CAPACITY"));
        assertTrue(c.call("CONFIG", "SET", "bf-error-rate", "1") instanceof Err);
        assertTrue(c.call("CONFIG", "SET", "bf-initial-size", "0") instanceof Err);
        assertEquals(Map.of("bf-error-rate", "0.001"), c.call("CONFIG", "GET", "bf-error-rate"));
    }

    private static Object statusText(Object reply) {
        return reply instanceof TestServer.Status s ? s.text() : reply;
    }

    /**
     * BF.INFO's pairs with the labels read as text (the test recorder keeps a map a map; a RESP2
     * connection writes it as the flat array of pairs).
     */
    private static List<Object> infoPairs(Object reply) {
        List<Object> out = new java.util.ArrayList<>();
        ((Map<?, ?>) reply).forEach((k, v) -> {
            out.add(statusText(k));
            out.add(v);
        });
        return out;
    }
}
