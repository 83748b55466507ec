package io.modis.streams;

import static io.modis.core.TestServer.OK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modis.api.Bytes;
import io.modis.api.Command;
import io.modis.api.StringValue;
import io.modis.core.TestServer;
import io.modis.core.TestServer.Err;
import io.modis.core.TestServer.TestClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The stream commands registered into the real core, driven through its command pipeline. */
class StreamCommandsTest {
    private static final Err WRONGTYPE = new Err("WRONGTYPE Operation against a key holding the wrong kind of value");

    private TestServer t;
    private TestClient c;

    @BeforeEach
    void start() {
        t = new TestServer();
        List<Command> all = new ArrayList<>();
        all.addAll(new StreamCommands().commands());
        all.addAll(new StreamReadCommands().commands());
        all.addAll(new GroupCommands().commands());
        all.addAll(new StreamInfoCommand().commands());
        t.addCommands(all);
        t.addConfigParams(new StreamConfig().configParams());
        c = t.client();
    }

    @AfterEach
    void stop() {
        t.close();
        StreamType.INSTANCE.nodeMaxEntries = StreamType.DEFAULT_NODE_MAX_ENTRIES;
        StreamType.INSTANCE.nodeMaxBytes = StreamType.DEFAULT_NODE_MAX_BYTES;
    }

    private static List<Object> entry(String id, String... fields) {
        return List.of(id, List.of((Object[]) fields));
    }

    @Test
    void xaddAndXrangeRoundTripWithExplicitAndPartialIds() {
        assertEquals("1-1", c.call("XADD", "s", "1-1", "a", "1"));
        assertEquals("1-2", c.call("XADD", "s", "1-*", "b", "2"));
        assertEquals("2-0", c.call("XADD", "s", "2", "c", "3"));
        assertEquals(3L, c.call("XLEN", "s"));
        assertEquals(List.of(entry("1-1", "a", "1"), entry("1-2", "b", "2"), entry("2-0", "c", "3")),
                c.call("XRANGE", "s", "-", "+"));
        assertEquals(List.of(entry("2-0", "c", "3"), entry("1-2", "b", "2")),
                c.call("XREVRANGE", "s", "+", "-", "COUNT", "2"));
        assertEquals(List.of(entry("1-2", "b", "2")), c.call("XRANGE", "s", "(1-1", "(2-0"));
        assertEquals(new TestServer.Status("stream"), c.call("TYPE", "s"));
        assertEquals("stream", c.call("OBJECT", "ENCODING", "s"));
    }

    @Test
    void xaddRefusesSmallerIdsAndChangesNothing() {
        c.call("XADD", "s", "5-5", "a", "1");
        assertEquals(new Err(StreamCommands.ID_TOO_SMALL), c.call("XADD", "s", "5-5", "a", "1"));
        assertEquals(new Err("ERR The ID specified in XADD must be greater than 0-0"),
                c.call("XADD", "t", "0-0", "a", "1"));
        assertEquals(0L, c.call("EXISTS", "t"));
        assertEquals(new Err(StreamId.INVALID), c.call("XADD", "s", "abc", "a", "1"));
        assertEquals(new Err("ERR wrong number of arguments for 'xadd' command"), c.call("XADD", "s", "*", "a"));
        assertEquals(1L, c.call("XLEN", "s"));
        t.onEngine(() -> t.server.db(0).set(Bytes.of("str"), StringValue.of(Bytes.of("x"))));
        assertEquals(WRONGTYPE, c.call("XADD", "str", "*", "a", "1"));
        assertNull(c.call("XADD", "missing", "NOMKSTREAM", "*", "a", "1"));
        assertEquals(0L, c.call("EXISTS", "missing"));
    }

    @Test
    void xaddWithStarIdIsPropagatedWithTheConcreteIdAndEmitsEvents() {
        t.takePropagated();
        t.takeEvents();
        String id = (String) c.call("XADD", "s", "*", "f", "v");
        assertEquals(List.of("0: XADD s " + id + " f v"), t.takePropagated());
        assertEquals(List.of("n:new:s@0", "t:xadd:s@0"), t.takeEvents());
    }

    @Test
    void approximateTrimRemovesWholeBlocksAndIsPropagatedAsExact() {
        t.config("stream-node-max-entries", "10");
        for (int i = 1; i <= 25; i++) {
            c.call("XADD", "s", i + "-0", "f", "v");
        }
        t.takePropagated();
        assertEquals(10L, c.call("XTRIM", "s", "MAXLEN", "~", "12"));
        assertEquals(15L, c.call("XLEN", "s"));
        assertEquals(List.of("0: XTRIM s MAXLEN = 15"), t.takePropagated());
        assertEquals(3L, c.call("XTRIM", "s", "MAXLEN", "12"));
        assertEquals(List.of(entry("14-0", "f", "v")), c.call("XRANGE", "s", "-", "+", "COUNT", "1"));
        assertEquals(2L, c.call("XTRIM", "s", "MINID", "16"));
        assertEquals(10L, c.call("XLEN", "s"));
        assertEquals(new Err("ERR syntax error, LIMIT cannot be used without the special ~ option"),
                c.call("XTRIM", "s", "MAXLEN", "1", "LIMIT", "10"));
    }

    @Test
    void theEffectOfAnApproximateTrimWithLimitReplaysFromTheAof() {
        t.config("stream-node-max-entries", "10");
        for (int i = 1; i <= 25; i++) {
            c.call("XADD", "s", i + "-0", "f", "v");
        }
        t.takePropagated();
        c.call("XADD", "s", "MAXLEN", "~", "12", "LIMIT", "10", "26-0", "f", "v");
        List<String> effect = t.takePropagated();
        assertEquals(List.of("0: XADD s MAXLEN = 16 LIMIT 10 26-0 f v"), effect);
        // a user may not write that form; the AOF loader replays it as written (Redis's mustObeyClient)
        assertEquals(new Err("ERR syntax error, LIMIT cannot be used without the special ~ option"),
                c.call("XADD", "s2", "MAXLEN", "=", "16", "LIMIT", "10", "1-0", "f", "v"));
        TestClient loader = t.loaderClient();
        for (int i = 1; i <= 25; i++) {
            loader.call("XADD", "s2", i + "-0", "f", "v");
        }
        assertEquals("26-0", loader.call("XADD", "s2", "MAXLEN", "=", "16", "LIMIT", "10", "26-0", "f", "v"));
        assertEquals(c.call("XLEN", "s"), c.call("XLEN", "s2"));
        assertEquals(c.call("XRANGE", "s", "-", "+"), c.call("XRANGE", "s2", "-", "+"));
    }

    @Test
    void xdelTracksTheLargestDeletedIdAndRemovesEmptyBlocks() {
        c.call("XADD", "s", "1-0", "a", "1");
        c.call("XADD", "s", "2-0", "a", "2");
        assertEquals(1L, c.call("XDEL", "s", "2-0", "9-9"));
        @SuppressWarnings("unchecked")
        Map<Object, Object> info = (Map<Object, Object>) c.call("XINFO", "STREAM", "s");
        assertEquals(1L, info.get("length"));
        assertEquals("2-0", info.get("max-deleted-entry-id"));
        assertEquals("2-0", info.get("last-generated-id"));
        assertEquals(2L, info.get("entries-added"));
        assertEquals(1L, c.call("XDEL", "s", "1-0"));
        assertEquals(List.of(), c.call("XRANGE", "s", "-", "+"));
        assertEquals(1L, c.call("EXISTS", "s")); // an empty stream stays, as in Redis
    }

    @Test
    void blockedXreadIsServedByXadd() {
        c.call("XADD", "s", "1-0", "a", "1");
        TestClient reader = t.client();
        assertNull(reader.call("XREAD", "BLOCK", "0", "STREAMS", "s", "$"));
        c.call("XADD", "s", "2-0", "b", "2");
        assertEquals(List.of(List.of("s", List.of(entry("2-0", "b", "2")))), reader.pending());
    }

    @Test
    void xreadgroupDeliversNewEntriesAndPropagatesThemAsXclaim() {
        c.call("XADD", "s", "1-0", "a", "1");
        assertEquals(OK, c.call("XGROUP", "CREATE", "s", "g", "0"));
        t.takePropagated();
        assertEquals(List.of(List.of("s", List.of(entry("1-0", "a", "1")))),
                c.call("XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", ">"));
        List<String> effects = t.takePropagated();
        assertEquals(1, effects.size());
        assertTrue(effects.get(0).startsWith("0: XCLAIM s g alice 0 1-0 TIME "), effects.get(0));
        assertTrue(effects.get(0).endsWith(" RETRYCOUNT 1 FORCE JUSTID LASTID 1-0"), effects.get(0));
        List<?> summary = (List<?>) c.call("XPENDING", "s", "g");
        assertEquals(List.of(1L, "1-0", "1-0", List.of(List.of("alice", "1"))), summary);
        assertEquals(1L, c.call("XACK", "s", "g", "1-0"));
        assertEquals(0L, c.call("XACK", "s", "g", "1-0"));
        @SuppressWarnings("unchecked")
        Map<Object, Object> group = (Map<Object, Object>) ((List<?>) c.call("XINFO", "GROUPS", "s")).get(0);
        assertEquals(1L, group.get("entries-read"));
        assertEquals(0L, group.get("lag"));
        assertEquals(new Err("NOGROUP No such key 's' or consumer group 'nope' in XREADGROUP with GROUP option"),
                c.call("XREADGROUP", "GROUP", "nope", "alice", "STREAMS", "s", ">"));
        assertEquals(new Err("BUSYGROUP Consumer Group name already exists"),
                c.call("XGROUP", "CREATE", "s", "g", "$"));
    }

    @Test
    void destroyingTheGroupUnblocksItsReaders() {
        c.call("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM");
        TestClient reader = t.client();
        assertNull(reader.call("XREADGROUP", "GROUP", "g", "bob", "BLOCK", "0", "STREAMS", "s", ">"));
        assertEquals(1L, c.call("XGROUP", "DESTROY", "s", "g"));
        assertEquals(new Err("NOGROUP the consumer group this client was blocked on no longer exists"),
                reader.pending());
    }

    @Test
    void xclaimMovesOwnershipAndXautoclaimReportsDeletedEntries() {
        c.call("XADD", "s", "1-0", "a", "1");
        c.call("XADD", "s", "2-0", "b", "2");
        c.call("XGROUP", "CREATE", "s", "g", "0");
        c.call("XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", ">");
        assertEquals(List.of("1-0"), c.call("XCLAIM", "s", "g", "bob", "0", "1-0", "JUSTID"));
        c.call("XDEL", "s", "2-0");
        assertEquals(List.of("0-0", List.of(entry("1-0", "a", "1")), List.of("2-0")),
                c.call("XAUTOCLAIM", "s", "g", "carol", "0", "-"));
        assertEquals(List.of(List.of("carol", "1")), ((List<?>) c.call("XPENDING", "s", "g")).get(3));
    }

    @Test
    void serializedStreamsComeBackWithTheirGroups() {
        c.call("XADD", "s", "1-0", "a", "1");
        c.call("XADD", "s", "2-0", "b", "2");
        c.call("XDEL", "s", "1-0");
        c.call("XGROUP", "CREATE", "s", "g", "0");
        c.call("XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", ">");
        StreamValue restored = t.onEngine(() -> {
            StreamValue s = (StreamValue) t.server.db(0).get(Bytes.of("s"));
            return (StreamValue) StreamType.INSTANCE.restore(StreamType.INSTANCE.serialize(s), 0);
        });
        assertEquals(1, restored.length());
        assertEquals(new StreamId(2, 0), restored.lastId);
        assertEquals(new StreamId(1, 0), restored.maxDeletedId);
        ConsumerGroup g = restored.groups.get(Bytes.of("g"));
        assertEquals(1, g.pending.size());
        assertEquals(1, g.consumer(Bytes.of("alice")).pending.size());
    }

    @Test
    void entriesArePackedInBlocksOfTheConfiguredSize() {
        t.config("stream-node-max-entries", "100");
        for (int i = 1; i <= 250; i++) {
            c.call("XADD", "s", i + "-0", "f", "v");
        }
        @SuppressWarnings("unchecked")
        Map<Object, Object> info = (Map<Object, Object>) c.call("XINFO", "STREAM", "s");
        assertEquals(3L, info.get("radix-tree-keys"));
    }

    @Test
    void minidTrimsAndXsetidAtBlockBoundaries() {
        t.config("stream-node-max-entries", "3");
        for (int i = 1; i <= 9; i++) {
            c.call("XADD", "s", i + "-0", "f", "v" + i);
        }
        assertEquals(0L, c.call("XTRIM", "s", "MINID", "1-0"));
        assertEquals(3L, c.call("XTRIM", "s", "MINID", "4"));
        assertEquals(2L, radixTreeKeys("s"));
        assertEquals(0L, c.call("XTRIM", "s", "MINID", "~", "6"));
        assertEquals(3L, c.call("XTRIM", "s", "MINID", "~", "7"));
        assertEquals(1L, radixTreeKeys("s"));
        assertEquals(1L, c.call("XDEL", "s", "9-0"));
        assertEquals(new Err("ERR The ID specified in XSETID is smaller than the target stream top item"),
                c.call("XSETID", "s", "7-5"));
        assertEquals(OK, c.call("XSETID", "s", "8-0"));
        assertEquals("8-1", c.call("XADD", "s", "8-1", "f", "new"));
        assertEquals(new Err(StreamCommands.ID_TOO_SMALL), c.call("XADD", "s", "8-1", "f", "again"));
        assertEquals(List.of(entry("7-0", "f", "v7"), entry("8-0", "f", "v8"), entry("8-1", "f", "new")),
                c.call("XRANGE", "s", "-", "+"));
        assertEquals(List.of(entry("8-1", "f", "new")), c.call("XRANGE", "s", "(8-0", "+"));
        assertEquals(List.of(entry("8-1", "f", "new"), entry("8-0", "f", "v8")),
                c.call("XREVRANGE", "s", "+", "-", "COUNT", "2"));
        assertEquals(1L, c.call("XTRIM", "s", "MINID", "8-0"));
        assertEquals(List.of(entry("8-0", "f", "v8"), entry("8-1", "f", "new")), c.call("XRANGE", "s", "-", "+"));
        assertEquals(2L, c.call("XLEN", "s"));
    }

    private long radixTreeKeys(String key) {
        @SuppressWarnings("unchecked")
        Map<Object, Object> info = (Map<Object, Object>) c.call("XINFO", "STREAM", key);
        return (Long) info.get("radix-tree-keys");
    }

    @Test
    void rewriteRebuildsEntriesGroupsConsumersAndPending() {
        c.call("XADD", "s", "1-1", "a", "1");
        c.call("XADD", "s", "2-1", "b", "2");
        c.call("XADD", "s", "3-1", "c", "3");
        c.call("XDEL", "s", "3-1");
        c.call("XGROUP", "CREATE", "s", "g", "0");
        c.call("XREADGROUP", "GROUP", "g", "alice", "COUNT", "1", "STREAMS", "s", ">");
        c.call("XGROUP", "CREATECONSUMER", "s", "g", "bob");
        c.call("XGROUP", "CREATE", "e", "g2", "$", "MKSTREAM");
        List<byte[][]> commands = new ArrayList<>();
        t.onEngine(() -> {
            for (String key : List.of("s", "e")) {
                io.modis.api.Value v = t.server.db(0).peek(io.modis.api.Bytes.of(key));
                v.type().rewrite(io.modis.api.Bytes.of(key), v, commands::add);
            }
        });
        try (TestServer copy = new TestServer()) {
            List<Command> all = new ArrayList<>();
            all.addAll(new StreamCommands().commands());
            all.addAll(new StreamReadCommands().commands());
            all.addAll(new GroupCommands().commands());
            all.addAll(new StreamInfoCommand().commands());
            copy.addCommands(all);
            copy.addConfigParams(new StreamConfig().configParams());
            TestClient c2 = copy.client();
            for (byte[][] argv : commands) {
                Object r = c2.call(argv);
                assertFalse(r instanceof Err, () -> "replaying " + io.modis.api.Bytes.str(argv[0]) + ": " + r);
            }
            for (String[] q : List.of(new String[] {"XRANGE", "s", "-", "+"}, new String[] {"XINFO", "GROUPS", "s"},
                    new String[] {"XINFO", "CONSUMERS", "s", "g"}, new String[] {"XPENDING", "s", "g"},
                    new String[] {"XINFO", "GROUPS", "e"}, new String[] {"XLEN", "e"})) {
                assertEquals(strip(c.call(q)), strip(c2.call(q)), String.join(" ", q));
            }
        }
    }

    /** Idle times differ between the two servers: they are left out of the comparison. */
    private static Object strip(Object reply) {
        if (reply instanceof java.util.Map<?, ?> m) {
            java.util.Map<Object, Object> out = new java.util.LinkedHashMap<>();
            m.forEach((k, v) -> {
                if (!"idle".equals(k) && !"inactive".equals(k)) {
                    out.put(k, strip(v));
                }
            });
            return out;
        }
        if (reply instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            for (int i = 0; i < l.size(); i++) {
                Object e = l.get(i);
                if ("idle".equals(e) || "inactive".equals(e)) {
                    i++;
                    continue;
                }
                out.add(strip(e));
            }
            return out;
        }
        return reply;
    }
}
