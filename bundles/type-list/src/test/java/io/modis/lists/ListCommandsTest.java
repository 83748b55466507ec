package io.modis.lists;

import static io.modis.core.TestServer.OK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modis.api.ConfigParam;
import io.modis.core.TestServer.Status;
import io.modis.core.TestServer.TestClient;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The non-blocking list commands, driven through the real core. */
class ListCommandsTest extends ListTestSupport {

    @Test
    void pushesReportLengthEventsAndPropagateVerbatim() {
        assertEquals(4L, run("lpush", "l", "a", "b", "c", "d"));
        assertEquals(4, dirty);
        assertEquals(List.of("0: lpush l a b c d"), propagated);
        assertEquals(List.of("n:new:l@0", "l:lpush:l@0"), events);
        assertEquals(6L, run("rpush", "l", "0", "1"));
        assertEquals(List.of("l:rpush:l@0"), events);
        assertEquals(List.of("d", "c", "b", "a", "0", "1"), run("lrange", "l", "0", "-1"));
        assertEquals(6L, run("llen", "l"));
        assertEquals("quicklist", run("object", "encoding", "l"));
        assertEquals(new Status("list"), run("type", "l"));
    }

    @Test
    void pushxOnlyPushesOntoExistingLists() {
        assertEquals(0L, run("lpushx", "x", "a"));
        assertEquals(0L, run("rpushx", "x", "a"));
        assertEquals(0L, run("exists", "x"));
        assertEquals(List.of(), propagated);
        run("rpush", "x", "m");
        assertEquals(3L, run("rpushx", "x", "y", "z"));
        assertEquals(5L, run("lpushx", "x", "b", "a"));
        assertEquals(List.of("a", "b", "m", "y", "z"), run("lrange", "x", "0", "-1"));
    }

    @Test
    void everyCommandRefusesOtherTypes() {
        setString("s", "v");
        for (String[] cmd : new String[][] {{"lpush", "s", "a"}, {"rpush", "s", "a"}, {"lpushx", "s", "a"},
            {"llen", "s"}, {"lrange", "s", "0", "1"}, {"lindex", "s", "0"}, {"lset", "s", "0", "a"},
            {"linsert", "s", "before", "a", "b"}, {"lrem", "s", "0", "a"}, {"ltrim", "s", "0", "1"},
            {"lpos", "s", "a"}, {"lpop", "s"}, {"rpop", "s", "2"}, {"lmpop", "1", "s", "left"},
            {"lmove", "s", "d", "left", "left"}, {"rpoplpush", "s", "d"}, {"blpop", "s", "0"},
            {"blmpop", "0", "1", "s", "left"}, {"brpoplpush", "s", "d", "0"}}) {
            assertEquals(WRONGTYPE, run(cmd), String.join(" ", cmd));
        }
        run("rpush", "l", "a");
        assertEquals(WRONGTYPE, run("lmove", "l", "s", "left", "right"));
        assertEquals(WRONGTYPE, run("rpoplpush", "l", "s"));
        assertEquals(List.of("a"), run("lrange", "l", "0", "-1"));
    }

    @Test
    void lindexAndLrangeCountFromBothEnds() {
        run("rpush", "l", "a", "b", "c", "d", "e");
        assertEquals("a", run("lindex", "l", "0"));
        assertEquals("e", run("lindex", "l", "-1"));
        assertEquals("b", run("lindex", "l", "-4"));
        assertNull(run("lindex", "l", "5"));
        assertNull(run("lindex", "l", "-6"));
        assertNull(run("lindex", "missing", "x"));
        assertEquals(err("ERR value is not an integer or out of range"), run("lindex", "l", "x"));
        assertEquals(List.of("b", "c", "d"), run("lrange", "l", "1", "-2"));
        assertEquals(List.of("a", "b", "c", "d", "e"), run("lrange", "l", "-100", "100"));
        assertEquals(List.of(), run("lrange", "l", "3", "1"));
        assertEquals(List.of("a"), run("lrange", "l", "0", "-5"));
        assertEquals(List.of(), run("lrange", "l", "0", "-6"));
        assertEquals(List.of(), run("lrange", "missing", "0", "-1"));
        assertEquals(err("ERR value is not an integer or out of range"), run("lrange", "missing", "a", "1"));
    }

    @Test
    void lsetReplacesOrFails() {
        assertEquals(err("ERR no such key"), run("lset", "l", "0", "x"));
        run("rpush", "l", "a", "b", "c");
        assertEquals(OK, run("lset", "l", "-1", "z"));
        assertEquals(1, dirty);
        assertEquals(List.of("l:lset:l@0"), events);
        assertEquals(List.of("0: lset l -1 z"), propagated);
        assertEquals(err("ERR index out of range"), run("lset", "l", "3", "x"));
        assertEquals(0, dirty);
        assertEquals(err("ERR value is not an integer or out of range"), run("lset", "l", "one", "x"));
        assertEquals(List.of("a", "b", "z"), run("lrange", "l", "0", "-1"));
    }

    @Test
    void linsertFindsThePivotFromTheHead() {
        assertEquals(0L, run("linsert", "l", "before", "a", "x"));
        run("rpush", "l", "a", "b", "a");
        assertEquals(4L, run("linsert", "l", "BEFORE", "a", "x"));
        assertEquals(List.of("l:linsert:l@0"), events);
        assertEquals(5L, run("linsert", "l", "after", "a", "y"));
        assertEquals(-1L, run("linsert", "l", "after", "nope", "z"));
        assertEquals(List.of(), events);
        assertEquals(0, dirty);
        assertEquals(err("ERR syntax error"), run("linsert", "l", "aft3r", "a", "z"));
        assertEquals(List.of("x", "a", "y", "b", "a"), run("lrange", "l", "0", "-1"));
    }

    @Test
    void lremCountsFromEitherEnd() {
        run("rpush", "l", "a", "x", "b", "x", "c", "x");
        assertEquals(1L, run("lrem", "l", "1", "x"));
        assertEquals(List.of("a", "b", "x", "c", "x"), run("lrange", "l", "0", "-1"));
        assertEquals(1L, run("lrem", "l", "-1", "x"));
        assertEquals(List.of("l:lrem:l@0"), events);
        assertEquals(List.of("0: lrem l -1 x"), propagated);
        assertEquals(List.of("a", "b", "x", "c"), run("lrange", "l", "0", "-1"));
        assertEquals(0L, run("lrem", "l", "0", "nope"));
        assertEquals(List.of(), events);
        run("rpush", "m", "x", "x");
        assertEquals(2L, run("lrem", "m", "-9223372036854775808", "x"));
        assertEquals(List.of("l:lrem:m@0", "g:del:m@0"), events);
        assertEquals(2, dirty);
        assertEquals(0L, run("exists", "m"));
        assertEquals(0L, run("lrem", "missing", "0", "x"));
    }

    @Test
    void ltrimKeepsTheRangeAndDeletesEmptyLists() {
        run("rpush", "l", "1", "2", "3", "4", "5");
        assertEquals(OK, run("ltrim", "l", "1", "-2"));
        assertEquals(2, dirty);
        assertEquals(List.of("l:ltrim:l@0"), events);
        assertEquals(List.of("2", "3", "4"), run("lrange", "l", "0", "-1"));
        assertEquals(OK, run("ltrim", "l", "0", "100"));
        assertEquals(List.of("l:ltrim:l@0"), events);
        assertEquals(OK, run("ltrim", "l", "2", "1"));
        assertEquals(List.of("l:ltrim:l@0", "g:del:l@0"), events);
        assertEquals(0L, run("exists", "l"));
        assertEquals(OK, run("ltrim", "l", "0", "1"));
        assertEquals(List.of(), events);
        assertEquals(err("ERR value is not an integer or out of range"), run("ltrim", "l", "x", "1"));
    }

    @Test
    void lposHonoursRankCountAndMaxlen() {
        run("rpush", "l", "a", "b", "c", "1", "2", "3", "c", "c");
        assertEquals(0L, run("lpos", "l", "a"));
        assertEquals(2L, run("lpos", "l", "c"));
        assertEquals(6L, run("lpos", "l", "c", "rank", "2"));
        assertNull(run("lpos", "l", "c", "rank", "4"));
        assertEquals(7L, run("lpos", "l", "c", "rank", "-1"));
        assertEquals(6L, run("lpos", "l", "c", "RANK", "-2"));
        assertEquals(List.of(2L, 6L, 7L), run("lpos", "l", "c", "count", "0"));
        assertEquals(List.of(2L, 6L), run("lpos", "l", "c", "count", "2"));
        assertEquals(List.of(7L, 6L), run("lpos", "l", "c", "count", "2", "rank", "-1"));
        assertEquals(List.of(6L, 7L), run("lpos", "l", "c", "count", "0", "rank", "2"));
        assertEquals(List.of(), run("lpos", "l", "c", "count", "0", "maxlen", "1"));
        assertEquals(List.of(2L), run("lpos", "l", "c", "count", "0", "maxlen", "3"));
        assertEquals(List.of(7L, 6L), run("lpos", "l", "c", "count", "0", "maxlen", "3", "rank", "-1"));
        assertEquals(List.of(), run("lpos", "missing", "c", "count", "0"));
        assertNull(run("lpos", "missing", "c"));
        assertEquals(7L, run("lpos", "l", "c", "rank", "-9223372036854775808"));
        assertEquals(err(ListCommands.RANK_ZERO), run("lpos", "l", "c", "rank", "0"));
        assertEquals(err("ERR COUNT can't be negative"), run("lpos", "l", "c", "count", "-1"));
        assertEquals(err("ERR COUNT can't be negative"), run("lpos", "l", "c", "count", "x"));
        assertEquals(err("ERR MAXLEN can't be negative"), run("lpos", "l", "c", "maxlen", "-1"));
        assertEquals(err("ERR syntax error"), run("lpos", "l", "c", "rank"));
        assertEquals(err("ERR syntax error"), run("lpos", "l", "c", "bogus", "1"));
    }

    @Test
    void popsTakeOneOrACount() {
        run("rpush", "l", "a", "b", "c", "d", "e", "f", "g");
        assertEquals("a", run("lpop", "l"));
        assertEquals(List.of("l:lpop:l@0"), events);
        assertEquals(List.of("0: lpop l"), propagated);
        assertEquals(List.of("g", "f"), run("rpop", "l", "2"));
        assertEquals(2, dirty);
        assertEquals(List.of("b", "c"), run("lpop", "l", "2"));
        assertEquals(List.of(), run("lpop", "l", "0"));
        assertEquals(0, dirty);
        assertEquals(List.of("e", "d"), run("rpop", "l", "123"));
        assertEquals(List.of("l:rpop:l@0", "g:del:l@0"), events);
        assertNull(run("lpop", "l"));
        assertNull(run("rpop", "l", "3"));
        assertEquals(err("ERR value is out of range, must be positive"), run("lpop", "l", "-123"));
        assertEquals(err("ERR wrong number of arguments for 'lpop' command"), run("lpop", "l", "1", "1"));
        assertEquals(err("ERR wrong number of arguments for 'rpop' command"), run("rpop", "l", "2", "2"));
    }

    @Test
    void lmpopPopsFromTheFirstNonEmptyList() {
        run("rpush", "b", "1", "2", "3", "4", "5");
        assertEquals(List.of("b", List.of("1", "2")), run("lmpop", "2", "a", "b", "left", "count", "2"));
        assertEquals(List.of("0: LPOP b 2"), propagated);
        assertEquals(List.of("l:lpop:b@0"), events);
        assertEquals(List.of("b", List.of("5")), run("lmpop", "2", "a", "b", "RIGHT"));
        assertEquals(List.of("0: RPOP b 1"), propagated);
        assertEquals(List.of("b", List.of("4", "3")), run("lmpop", "1", "b", "right", "count", "10"));
        assertEquals(List.of("0: RPOP b 2"), propagated);
        assertEquals(List.of("l:rpop:b@0", "g:del:b@0"), events);
        assertNull(run("lmpop", "2", "a", "b", "left"));
        assertEquals(List.of(), propagated);
    }

    @Test
    void lmpopRefusesBadArguments() {
        assertEquals(err("ERR wrong number of arguments for 'lmpop' command"), run("lmpop", "1", "l"));
        assertEquals(err(PopCommands.NUMKEYS), run("lmpop", "0", "l", "left"));
        assertEquals(err(PopCommands.NUMKEYS), run("lmpop", "a", "l", "left"));
        assertEquals(err(PopCommands.NUMKEYS), run("lmpop", "-1", "l", "right"));
        assertEquals(err("ERR syntax error"), run("lmpop", "1", "l", "bad_where"));
        assertEquals(err("ERR syntax error"), run("lmpop", "1", "l", "left", "bar_arg"));
        assertEquals(err("ERR syntax error"), run("lmpop", "1", "l", "right", "left"));
        assertEquals(err("ERR syntax error"), run("lmpop", "1", "l", "count"));
        assertEquals(err("ERR syntax error"), run("lmpop", "1", "l", "left", "count", "1", "count", "2"));
        assertEquals(err("ERR syntax error"), run("lmpop", "2", "l", "m", "bad_arg"));
        assertEquals(err("ERR syntax error"), run("lmpop", "9223372036854775807", "l", "left"));
        assertEquals(err(PopCommands.COUNT), run("lmpop", "1", "l", "left", "count", "0"));
        assertEquals(err(PopCommands.COUNT), run("lmpop", "1", "l", "right", "count", "a"));
        assertEquals(err(PopCommands.COUNT), run("lmpop", "2", "l", "m", "right", "count", "-1"));
    }

    @Test
    void lmoveMovesBetweenAnyEnds() {
        run("rpush", "src", "a", "b", "c", "d");
        assertEquals("a", run("lmove", "src", "dst", "left", "right"));
        assertEquals(List.of("n:new:dst@0", "l:rpush:dst@0", "l:lpop:src@0"), events);
        assertEquals(List.of("0: lmove src dst left right"), propagated);
        assertEquals("d", run("lmove", "src", "dst", "RIGHT", "LEFT"));
        assertEquals("c", run("rpoplpush", "src", "dst"));
        assertEquals(List.of("0: rpoplpush src dst"), propagated);
        assertEquals(List.of("c", "d", "a"), run("lrange", "dst", "0", "-1"));
        assertEquals("b", run("lmove", "src", "dst", "left", "left"));
        assertEquals(List.of("l:lpush:dst@0", "l:lpop:src@0", "g:del:src@0"), events);
        assertNull(run("lmove", "src", "dst", "left", "left"));
        assertEquals(List.of(), propagated);
        assertEquals(err("ERR syntax error"), run("lmove", "dst", "src", "up", "left"));
        assertEquals(List.of("b", "c", "d", "a"), run("lrange", "dst", "0", "-1"));
    }

    @Test
    void lmoveOnOneListRotatesIt() {
        run("rpush", "l", "a", "b", "c");
        assertEquals("c", run("rpoplpush", "l", "l"));
        assertEquals(List.of("c", "a", "b"), run("lrange", "l", "0", "-1"));
        assertEquals("c", run("lmove", "l", "l", "left", "right"));
        assertEquals(List.of("a", "b", "c"), run("lrange", "l", "0", "-1"));
        run("rpush", "one", "x");
        assertEquals("x", run("lmove", "one", "one", "left", "left"));
        assertEquals(List.of("x"), run("lrange", "one", "0", "-1"));
    }

    @Test
    void changesTouchWatchedKeys() {
        TestClient watcher = t.client();
        run("rpush", "l", "a", "b");
        watcher.call("watch", "l");
        watcher.call("multi");
        watcher.call("ping");
        run("lindex", "l", "0");
        run("lset", "l", "0", "z");
        assertNull(watcher.call("exec"));
        watcher.call("watch", "l");
        watcher.call("multi");
        watcher.call("ping");
        run("lrange", "l", "0", "-1");
        run("linsert", "l", "after", "nope", "x");
        assertEquals(List.of(new Status("PONG")), watcher.call("exec"));
    }

    @Test
    void copiesAreIndependent() {
        run("rpush", "l", "a", "b");
        assertEquals(1L, run("copy", "l", "k"));
        run("rpush", "k", "c");
        run("lset", "l", "0", "z");
        assertEquals(List.of("z", "b"), run("lrange", "l", "0", "-1"));
        assertEquals(List.of("a", "b", "c"), run("lrange", "k", "0", "-1"));
    }

    @Test
    void memoryUsageGrowsWithTheList() {
        run("rpush", "l", "a");
        long small = list("l").memoryUsage();
        for (int i = 0; i < 100; i++) {
            run("rpush", "l", "x".repeat(100));
        }
        long large = list("l").memoryUsage();
        assertTrue(large > small + 10_000, small + " -> " + large);
        assertTrue(large < 30_000, "compact: " + large);
    }

    @Test
    void parametersHaveRedisNamesRangesAndDefaults() {
        List<ConfigParam> params = new ListConfig().configParams();
        ConfigParam size = params.get(0);
        assertEquals("list-max-listpack-size", size.name());
        assertEquals(List.of("list-max-ziplist-size"), size.aliases());
        assertEquals("-2", size.defaultValue());
        assertEquals(Integer.MIN_VALUE, size.min());
        assertEquals(Integer.MAX_VALUE, size.max());
        ConfigParam depth = params.get(1);
        assertEquals("list-compress-depth", depth.name());
        assertEquals("0", depth.defaultValue());
        assertEquals(0, depth.min());
        assertEquals(Integer.MAX_VALUE, depth.max());
    }

    @Test
    void configurationFeedsTheTuning() {
        t.config("list-max-ziplist-size", "7");
        assertEquals(7, ListTuning.fill());
        t.config("list-max-listpack-size", "-3");
        assertEquals(-3, ListTuning.fill());
        t.config("list-compress-depth", "2");
        assertEquals(2, ListTuning.compressDepth());
        run("rpush", "l", "a");
        assertEquals(-3, list("l").fill());
    }

    @Test
    void packedThresholdMakesPlainNodesThatBehaveTheSame() {
        assertEquals(OK, run("debug", "quicklist-packed-threshold", "1b"));
        assertEquals(1, ListTuning.plainThreshold());
        run("lpush", "lst", "9");
        run("lpush", "lst", "xxxxxxxxxx");
        run("lpush", "lst", "xxxxxxxxxx");
        assertEquals(3, list("lst").nodeCount());
        assertEquals("9", run("rpop", "lst"));
        run("linsert", "lst", "before", "xxxxxxxxxx", "8");
        run("lset", "lst", "-1", "7");
        assertEquals(List.of("8", "xxxxxxxxxx", "7"), run("lrange", "lst", "0", "-1"));
        assertEquals(1L, run("lpos", "lst", "xxxxxxxxxx"));
        assertEquals(1L, run("lrem", "lst", "-2", "xxxxxxxxxx"));
        assertEquals(OK, run("debug", "quicklist-packed-threshold", "5B"));
        assertEquals(5, ListTuning.plainThreshold());
        assertEquals(OK, run("debug", "quicklist-packed-threshold", "2kb"));
        assertEquals(2048, ListTuning.plainThreshold());
        assertEquals(OK, run("debug", "quicklist-packed-threshold", "0"));
        assertEquals(1L << 30, ListTuning.plainThreshold());
        for (String bad : new String[] {"-1", "4gb", "abc", "10xb"}) {
            assertEquals(err(PackedThresholdDebug.BAD_SIZE), run("debug", "quicklist-packed-threshold", bad), bad);
        }
        assertEquals(err("ERR unknown subcommand or wrong number of arguments for 'quicklist-packed-threshold'."
                + " Try DEBUG HELP."), run("debug", "quicklist-packed-threshold"));
    }
}
