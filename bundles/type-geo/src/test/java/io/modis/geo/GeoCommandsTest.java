package io.modis.geo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.modis.api.Bytes;
import io.modis.api.KeyFinder;
import io.modis.api.StringValue;
import io.modis.core.TestServer;
import io.modis.core.TestServer.Err;
import io.modis.core.TestServer.TestClient;
import io.modis.zsets.ZSetCommands;
import io.modis.zsets.ZSetConfig;
import io.modis.zsets.ZSetType;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The geo commands in the real core beside the sorted-set bundle, as a client sees them. */
class GeoCommandsTest {
    private static final Err WRONGTYPE = new Err("WRONGTYPE Operation against a key holding the wrong kind of value");
    private static final Err SYNTAX = new Err("ERR syntax error");

    private TestServer t;
    private TestClient c;
    private long dirty;
    private List<String> propagated;
    private List<String> events;

    @BeforeEach
    void start() {
        t = new TestServer();
        t.addCommands(new ZSetCommands().commands());
        t.addConfigParams(new ZSetConfig().configParams());
        t.addCommands(new GeoCommands(ZSetType.INSTANCE).commands());
        t.addServerCommands();
        c = t.client();
    }

    @AfterEach
    void stop() {
        // the sorted-set type keeps the limits it builds with: leave Redis's defaults behind
        t.config("zset-max-listpack-entries", "128");
        t.close();
    }

    private void putString(String key) {
        t.onEngine(() -> t.server.db(0).set(Bytes.of(key), StringValue.of(Bytes.of("bar"))));
    }

    private Object run(String... words) {
        t.takePropagated();
        t.takeEvents();
        long before = t.onEngine(() -> t.server.dirty);
        Object reply = c.call(words);
        dirty = t.onEngine(() -> t.server.dirty) - before;
        propagated = t.takePropagated();
        events = t.takeEvents();
        return reply;
    }

    private void sicily() {
        run("geoadd", "Sicily", "13.361389", "38.115556", "Palermo", "15.087269", "37.502669", "Catania");
    }

    @Test
    void geoaddStoresGeohashScoresAndActsAsZadd() {
        assertEquals(2L, run("geoadd", "Sicily", "13.361389", "38.115556", "Palermo", "15.087269", "37.502669", "Catania"));
        assertEquals(2, dirty);
        assertEquals(List.of("0: zadd Sicily 3479099956230698 Palermo 3479447370796909 Catania"), propagated);
        assertEquals(List.of("n:new:Sicily@0", "z:zadd:Sicily@0"), events);
        assertEquals(List.of("Palermo", 3479099956230698.0, "Catania", 3479447370796909.0),
                run("zrange", "Sicily", "0", "-1", "withscores"));
        assertEquals("listpack", run("object", "encoding", "Sicily"));

        // the same points again change nothing: nothing counted, propagated or notified
        assertEquals(0L, run("geoadd", "Sicily", "13.361389", "38.115556", "Palermo"));
        assertEquals(0, dirty);
        assertEquals(List.of(), propagated);
        assertEquals(List.of(), events);
    }

    @Test
    void geoaddOptionsFollowZadd() {
        sicily();
        assertEquals(0L, run("geoadd", "Sicily", "xx", "13", "38", "Nowhere"));
        assertEquals(0L, run("geoadd", "Sicily", "xx", "13", "38", "Palermo"));
        assertEquals(List.of("0: zadd Sicily xx 3479065152021743 Palermo"), propagated);
        assertEquals(1L, run("geoadd", "Sicily", "XX", "CH", "13.5", "38", "Palermo"));
        assertEquals(1L, run("geoadd", "Sicily", "nx", "ch", "1", "1", "Palermo", "2", "2", "Other"));
        assertEquals(3L, run("zcard", "Sicily"));
        assertEquals(0L, run("geoadd", "Missing", "xx", "1", "1", "a"));
        assertEquals(0L, run("exists", "Missing"));
        assertEquals(SYNTAX, run("geoadd", "Sicily", "nx", "xx", "1", "1", "a"));
        assertEquals(SYNTAX, run("geoadd", "Sicily", "1", "1", "a", "2"));
        assertEquals(SYNTAX, run("geoadd", "Sicily", "ch", "ch", "nx"));
    }

    @Test
    void geoaddRejectsBadPointsBeforeChangingAnything() {
        assertEquals(new Err("ERR invalid longitude,latitude pair 200.000000,100.000000"),
                run("geoadd", "k", "1", "1", "a", "200", "100", "b"));
        assertEquals(new Err("ERR invalid longitude,latitude pair 0.000000,85.051129"),
                run("geoadd", "k", "0", "85.0511288", "b"));
        assertEquals(new Err("ERR value is not a valid float"), run("geoadd", "k", "x", "1", "a"));
        assertEquals(0L, run("exists", "k"));
        assertEquals(0, dirty);
        putString("s");
        assertEquals(WRONGTYPE, run("geoadd", "s", "1", "1", "a"));
        assertEquals(new Err("ERR invalid longitude,latitude pair 200.000000,1.000000"),
                run("geoadd", "s", "200", "1", "a"));
    }

    @Test
    void geoaddConvertsAtTheSortedSetThresholds() {
        t.config("zset-max-listpack-entries", "2");
        run("geoadd", "k", "1", "1", "a", "2", "2", "b");
        assertEquals("listpack", run("object", "encoding", "k"));
        run("geoadd", "k", "3", "3", "c");
        assertEquals("skiplist", run("object", "encoding", "k"));
        run("geoadd", "long", "1", "1", "m".repeat(65));
        assertEquals("skiplist", run("object", "encoding", "long"));
    }

    @Test
    void positionsHashesAndDistancesReadTheScores() {
        sicily();
        assertEquals(List.of(List.of("13.36138933897018433", "38.11555639549629859"),
                List.of("15.08726745843887329", "37.50266842333162032")),
                run("geopos", "Sicily", "Palermo", "Catania"));
        assertEquals(java.util.Arrays.asList((Object) null), run("geopos", "Sicily", "Nope"));
        assertEquals(java.util.Arrays.asList((Object) null), run("geopos", "Missing", "Nope"));
        assertEquals(List.of("sqc8b49rny0", "sqdtr74hyu0"), run("geohash", "Sicily", "Palermo", "Catania"));
        assertEquals("166274.1516", run("geodist", "Sicily", "Palermo", "Catania"));
        assertEquals("166.2742", run("geodist", "Sicily", "Palermo", "Catania", "km"));
        assertEquals("103.3182", run("geodist", "Sicily", "Palermo", "Catania", "MI"));
        assertEquals("0.0000", run("geodist", "Sicily", "Palermo", "Palermo"));
        assertNull(run("geodist", "Sicily", "Palermo", "Nope"));
        assertNull(run("geodist", "Missing", "Palermo", "Catania"));
        assertEquals(new Err(GeoArgs.UNSUPPORTED_UNIT), run("geodist", "Sicily", "Palermo", "Catania", "yd"));
        assertEquals(SYNTAX, run("geodist", "Sicily", "Palermo", "Catania", "km", "x"));
        putString("s");
        assertEquals(WRONGTYPE, run("geopos", "s", "a"));
        assertEquals(WRONGTYPE, run("geohash", "s", "a"));
        assertEquals(WRONGTYPE, run("geodist", "s", "a", "b"));
    }

    @Test
    void radiusSearchesReplyWithTheRequestedDetails() {
        sicily();
        assertEquals(List.of(List.of("Palermo", "190.4424"), List.of("Catania", "56.4413")),
                run("georadius", "Sicily", "15", "37", "200", "km", "WITHDIST"));
        assertEquals(List.of(List.of("Catania", "56.4413", 3479447370796909L,
                        List.of("15.08726745843887329", "37.50266842333162032"))),
                run("georadius", "Sicily", "15", "37", "200", "km", "withdist", "withhash", "withcoord", "count", "1"));
        assertEquals(List.of("Palermo", "Catania"), run("georadius", "Sicily", "15", "37", "200", "km", "desc"));
        assertEquals(List.of("Palermo", "Catania"), run("georadiusbymember_ro", "Sicily", "Palermo", "200", "km"));
        assertEquals(List.of("Catania", "Palermo"),
                run("geosearch", "Sicily", "fromlonlat", "15", "37", "bybox", "400", "400", "km", "asc"));
        assertEquals(List.of("Catania"),
                run("geosearch", "Sicily", "frommember", "Catania", "byradius", "100", "km"));
        assertEquals(List.of(), run("geosearch", "Missing", "frommember", "Catania", "byradius", "100", "km"));
        assertEquals(List.of(), run("georadius", "Sicily", "0", "0", "1", "m"));
        assertEquals(0, dirty);
    }

    @Test
    void searchErrorsComeInRedisOrder() {
        sicily();
        assertEquals(new Err("ERR need numeric radius"), run("georadius", "Sicily", "15", "37", "x", "km"));
        assertEquals(new Err("ERR radius cannot be negative"), run("georadius", "Sicily", "15", "37", "-1", "km"));
        assertEquals(new Err(GeoArgs.UNSUPPORTED_UNIT), run("georadius", "Sicily", "15", "37", "1", "yd"));
        assertEquals(new Err("ERR could not decode requested zset member"),
                run("georadiusbymember", "Sicily", "Nope", "1", "km"));
        assertEquals(new Err("ERR COUNT must be > 0"), run("georadius", "Sicily", "15", "37", "1", "km", "count", "0"));
        assertEquals(new Err("ERR the ANY argument requires COUNT argument"),
                run("georadius", "Sicily", "15", "37", "1", "km", "any"));
        assertEquals(new Err("ERR STORE option in GEORADIUS is not compatible with WITHDIST, WITHHASH and WITHCOORD"
                + " options"), run("georadius", "Sicily", "15", "37", "1", "km", "withdist", "store", "x"));
        assertEquals(SYNTAX, run("georadius_ro", "Sicily", "15", "37", "1", "km", "store", "x"));
        assertEquals(SYNTAX, run("geosearch", "Sicily", "fromlonlat", "1", "1", "byradius", "1", "km", "store", "x"));
        assertEquals(new Err("ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for GeoSearch"),
                run("GeoSearch", "Sicily", "byradius", "1", "km", "asc", "withdist"));
        assertEquals(SYNTAX, run("geosearch", "Sicily", "frommember", "Palermo", "fromlonlat", "1", "1",
                "byradius", "1", "km"));
        assertEquals(new Err("ERR exactly one of BYRADIUS and BYBOX can be specified for geosearch"),
                run("geosearch", "Sicily", "frommember", "Palermo", "withdist", "withhash", "asc"));
        assertEquals(new Err("ERR need numeric height"),
                run("geosearch", "Sicily", "frommember", "Palermo", "bybox", "1", "h", "km"));
        assertEquals(new Err("ERR height or width cannot be negative"),
                run("geosearch", "Sicily", "frommember", "Palermo", "bybox", "-1", "1", "km"));
        assertEquals(new Err("ERR GEOSEARCHSTORE is not compatible with WITHDIST, WITHHASH and WITHCOORD options"),
                run("geosearchstore", "d", "Sicily", "frommember", "Palermo", "byradius", "1", "km", "withcoord"));
        putString("s");
        assertEquals(WRONGTYPE, run("georadius", "s", "200", "100", "1", "km"));
        assertEquals(0, dirty);
    }

    @Test
    void storeWritesASortedSetOfScoresOrDistances() {
        sicily();
        assertEquals(2L, run("georadius", "Sicily", "15", "37", "200", "km", "store", "dst"));
        assertEquals(2, dirty);
        assertEquals(List.of("0: georadius Sicily 15 37 200 km store dst"), propagated);
        assertEquals(List.of("n:new:dst@0", "z:georadiusstore:dst@0"), events);
        assertEquals(List.of("Palermo", 3479099956230698.0, "Catania", 3479447370796909.0),
                run("zrange", "dst", "0", "-1", "withscores"));
        assertEquals("listpack", run("object", "encoding", "dst"));

        assertEquals(1L, run("geosearchstore", "dist", "Sicily", "fromlonlat", "15", "37", "byradius", "200", "km",
                "count", "1", "storedist"));
        assertEquals(List.of("z:geosearchstore:dist@0"), events.subList(events.size() - 1, events.size()));
        assertEquals(56.441257870158204, run("zscore", "dist", "Catania"));

        // an empty result deletes the destination
        assertEquals(0L, run("georadius", "Sicily", "0", "0", "1", "m", "storedist", "dst", "count", "5", "asc"));
        assertEquals(List.of("g:del:dst@0"), events);
        assertEquals(0L, run("exists", "dst"));
        assertEquals(0L, run("geosearchstore", "dist", "Missing", "frommember", "a", "bybox", "1", "1", "km"));
        assertEquals(List.of("g:del:dist@0"), events);
        assertEquals(1, dirty);
    }

    @Test
    void storeKeysAreFoundWhereverTheyAre() {
        byte[][] argv = {Bytes.of("georadius"), Bytes.of("k"), Bytes.of("1"), Bytes.of("2"), Bytes.of("3"),
            Bytes.of("km"), Bytes.of("STORE"), Bytes.of("a"), Bytes.of("storedist"), Bytes.of("b")};
        assertEquals(List.of(new KeyFinder.Key(1, 0), new KeyFinder.Key(9, 2)), GeoCommands.radiusKeys(argv));
        assertEquals(List.of(new KeyFinder.Key(1, 0)),
                GeoCommands.radiusKeys(java.util.Arrays.copyOf(argv, 6)));
        assertEquals(List.of("k", "b"), run("command", "getkeys", "georadius", "k", "1", "2", "3", "km", "STORE", "a",
                "storedist", "b"));
    }
}
