package io.modis.pubsub;

import static io.modis.pubsub.PubSubServer.drain;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modis.core.TestServer.TestClient;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Keyspace events published as Redis's notifyKeyspaceEvent does, gated by notify-keyspace-events. */
class KeyspaceNotifierTest {
    private PubSubServer s;
    private TestClient writer;
    private TestClient listener;

    @BeforeEach
    void start() {
        s = new PubSubServer();
        writer = s.client();
        listener = s.client();
        listener.call("psubscribe", "*");
    }

    @AfterEach
    void stop() {
        s.close();
    }

    private static List<Object> pmessage(String channel, String message) {
        return Arrays.asList("pmessage", "*", channel, message);
    }

    @Test
    void keyspaceChannelsCarryTheEventAndKeyeventChannelsTheKey() {
        s.notifyFlags = "AKE";
        writer.call("emit", "$", "set", "foo");
        assertEquals(List.of(pmessage("__keyspace@0__:foo", "set"), pmessage("__keyevent@0__:set", "foo")),
                drain(listener));

        s.notifyFlags = "AK";
        writer.call("emit", "$", "set", "foo");
        assertEquals(List.of(pmessage("__keyspace@0__:foo", "set")), drain(listener));

        s.notifyFlags = "AE";
        writer.call("emit", "g", "del", "foo");
        assertEquals(List.of(pmessage("__keyevent@0__:del", "foo")), drain(listener));
    }

    @Test
    void onlyEnabledClassesArePublished() {
        s.notifyFlags = "lKE";
        writer.call("emit", "$", "set", "foo");
        writer.call("emit", "l", "lpush", "mylist");
        assertEquals(List.of(pmessage("__keyspace@0__:mylist", "lpush"), pmessage("__keyevent@0__:lpush", "mylist")),
                drain(listener));

        // classes without K or E publish nothing
        s.notifyFlags = "A";
        writer.call("emit", "g", "del", "foo");
        assertEquals(List.of(), drain(listener));
        s.notifyFlags = "";
        writer.call("emit", "g", "del", "foo");
        assertEquals(List.of(), drain(listener));
    }

    @Test
    void allDoesNotIncludeNewKeysNorMisses() {
        s.notifyFlags = "AKE";
        writer.call("setkey", "k", "v");
        writer.call("emit", "m", "keymiss", "k");
        assertEquals(List.of(), drain(listener));

        s.notifyFlags = "nE";
        writer.call("setkey", "k2", "v");
        writer.call("setkey", "k2", "v2");
        assertEquals(List.of(pmessage("__keyevent@0__:new", "k2")), drain(listener));

        s.notifyFlags = "AKm";
        writer.call("emit", "m", "keymiss", "k");
        assertEquals(List.of(pmessage("__keyspace@0__:k", "keymiss")), drain(listener));
    }

    @Test
    void theChannelNamesTheDatabase() {
        s.notifyFlags = "AK";
        writer.call("select", "9");
        writer.call("emit", "x", "expired", "k");
        assertEquals(List.of(pmessage("__keyspace@9__:k", "expired")), drain(listener));
    }

    @Test
    void plainChannelSubscribersHearTheirKey() {
        s.notifyFlags = "KEA";
        TestClient exact = s.client();
        exact.call("subscribe", "__keyspace@0__:watched");
        writer.call("emit", "h", "hset", "watched");
        writer.call("emit", "h", "hset", "other");
        assertEquals(List.of(Arrays.asList("message", "__keyspace@0__:watched", "hset")), drain(exact));
    }

    @Test
    void nothingIsBuiltWithoutSubscribers() {
        PubSub empty = new PubSub();
        int[] reads = {0};
        KeyspaceNotifier notifier = new KeyspaceNotifier(empty, () -> {
            reads[0]++;
            return "AKE";
        });
        notifier.event('g', "del", "k".getBytes(), 0);
        assertEquals(0, reads[0]);
    }

    @Test
    void flagsParsing() {
        NotifyFlags all = NotifyFlags.parse("AKE");
        assertTrue(all.keyspace() && all.keyevent());
        for (char c : "g$lshzxetd".toCharArray()) {
            assertTrue(all.publishes(c), String.valueOf(c));
        }
        assertFalse(all.publishes('n'));
        assertFalse(all.publishes('m'));
        NotifyFlags some = NotifyFlags.parse("$lshzxeKE");
        assertFalse(some.publishes('g'));
        assertFalse(some.publishes('t'));
        assertTrue(some.publishes('z'));
        assertFalse(NotifyFlags.parse("gm").publishes('g'));
        assertTrue(NotifyFlags.parse("AKnm").publishes('n'));
    }
}
