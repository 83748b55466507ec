package io.modis.pubsub;

import static io.modis.pubsub.PubSubServer.drain;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.modis.core.TestServer.Err;
import io.modis.core.TestServer.Status;
import io.modis.core.TestServer.TestClient;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The pub/sub commands in the real core: confirmations, deliveries, counts, introspection, life cycle. */
class PubSubCommandsTest {
    private PubSubServer s;
    private TestClient publisher;

    @BeforeEach
    void start() {
        s = new PubSubServer();
        publisher = s.client();
    }

    @AfterEach
    void stop() {
        s.close();
    }

    /** Runs a subscription command and returns all the frames it wrote, in order. */
    private static List<Object> run(TestClient c, String... words) {
        List<Object> frames = new ArrayList<>();
        frames.add(c.call(words));
        frames.addAll(drain(c));
        return frames;
    }

    private static List<Object> frame(Object... parts) {
        return Arrays.asList(parts);
    }

    @Test
    void subscribersReceiveWhatIsPublishedToTheirChannels() {
        TestClient sub = s.client();
        assertEquals(List.of(frame("subscribe", "chan1", 1L), frame("subscribe", "chan2", 2L)),
                run(sub, "subscribe", "chan1", "chan2"));
        assertEquals(1L, publisher.call("publish", "chan1", "hello"));
        assertEquals(1L, publisher.call("publish", "chan2", "world"));
        assertEquals(0L, publisher.call("publish", "chan3", "nobody"));
        assertEquals(List.of(frame("message", "chan1", "hello"), frame("message", "chan2", "world")), drain(sub));

        assertEquals(List.of(frame("unsubscribe", "chan1", 1L)), run(sub, "unsubscribe", "chan1"));
        assertEquals(0L, publisher.call("publish", "chan1", "hello"));
        assertEquals(1L, publisher.call("publish", "chan2", "again"));
        assertEquals(List.of(frame("message", "chan2", "again")), drain(sub));
    }

    @Test
    void everySubscriberGetsTheMessageInSubscriptionOrder() {
        List<TestClient> subs = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            TestClient c = s.client();
            c.call("subscribe", "news");
            subs.add(c);
        }
        // leaving from the middle keeps the others' order
        subs.remove(10).call("unsubscribe", "news");
        assertEquals(49L, publisher.call("publish", "news", "hi"));
        for (TestClient c : subs) {
            assertEquals(List.of(frame("message", "news", "hi")), drain(c));
        }
        assertEquals(List.of("news", 49L), publisher.call("pubsub", "numsub", "news"));
    }

    @Test
    void subscribingTwiceToOneChannelCountsOnce() {
        TestClient sub = s.client();
        assertEquals(List.of(frame("subscribe", "c", 1L), frame("subscribe", "c", 1L), frame("subscribe", "c", 1L)),
                run(sub, "subscribe", "c", "c", "c"));
        assertEquals(1L, publisher.call("publish", "c", "once"));
        assertEquals(List.of(frame("message", "c", "once")), drain(sub));
    }

    @Test
    void unsubscribeAlwaysAnswers() {
        TestClient c = s.client();
        assertEquals(List.of(frame("unsubscribe", "foo", 0L), frame("unsubscribe", "bar", 0L)),
                run(c, "unsubscribe", "foo", "bar"));
        assertEquals(List.of(frame("unsubscribe", null, 0L)), run(c, "unsubscribe"));
        assertEquals(List.of(frame("punsubscribe", null, 0L)), run(c, "punsubscribe"));
        assertEquals(List.of(frame("sunsubscribe", null, 0L)), run(c, "sunsubscribe"));
        assertEquals(List.of(frame("punsubscribe", "x*", 0L)), run(c, "punsubscribe", "x*"));

        // the count in an empty answer is still the client's channels and patterns
        run(c, "psubscribe", "p1", "p2");
        assertEquals(List.of(frame("unsubscribe", null, 2L)), run(c, "unsubscribe"));
        assertEquals(List.of(frame("sunsubscribe", null, 0L)), run(c, "sunsubscribe"));
    }

    @Test
    void unsubscribeWithoutNamesLeavesEveryChannelOfItsKind() {
        TestClient sub = s.client();
        run(sub, "subscribe", "a", "b", "c");
        run(sub, "psubscribe", "p*");
        assertEquals(List.of(frame("unsubscribe", "a", 3L), frame("unsubscribe", "b", 2L),
                frame("unsubscribe", "c", 1L)), run(sub, "unsubscribe"));
        assertEquals(0L, publisher.call("publish", "a", "x"));
        assertEquals(List.of(frame("punsubscribe", "p*", 0L)), run(sub, "punsubscribe"));
        assertEquals(List.of(), publisher.call("pubsub", "channels"));
        assertEquals(0L, publisher.call("pubsub", "numpat"));
    }

    @Test
    void patternSubscribersGetPmessages() {
        TestClient sub = s.client();
        assertEquals(List.of(frame("psubscribe", "foo.*", 1L), frame("psubscribe", "bar.*", 2L)),
                run(sub, "psubscribe", "foo.*", "bar.*"));
        assertEquals(1L, publisher.call("publish", "foo.1", "hello"));
        assertEquals(1L, publisher.call("publish", "bar.1", "hello"));
        assertEquals(0L, publisher.call("publish", "foo1", "hello"));
        assertEquals(0L, publisher.call("publish", "barfoo.1", "hello"));
        assertEquals(List.of(frame("pmessage", "foo.*", "foo.1", "hello"),
                frame("pmessage", "bar.*", "bar.1", "hello")), drain(sub));
        assertEquals(List.of(frame("punsubscribe", "foo.*", 1L)), run(sub, "punsubscribe", "foo.*"));
        assertEquals(0L, publisher.call("publish", "foo.1", "hello"));
    }

    @Test
    void patternsFollowRedisGlobRules() {
        TestClient sub = s.client();
        run(sub, "psubscribe", "h[ae]llo", "h?y", "esc\\*");
        assertEquals(1L, publisher.call("publish", "hallo", "m"));
        assertEquals(0L, publisher.call("publish", "hillo", "m"));
        assertEquals(1L, publisher.call("publish", "hey", "m"));
        assertEquals(1L, publisher.call("publish", "esc*", "m"));
        assertEquals(0L, publisher.call("publish", "escX", "m"));
    }

    @Test
    void aClientOnAChannelAndAMatchingPatternHearsBoth() {
        TestClient sub = s.client();
        assertEquals(List.of(frame("subscribe", "foo.bar", 1L)), run(sub, "subscribe", "foo.bar"));
        assertEquals(List.of(frame("psubscribe", "foo.*", 2L)), run(sub, "psubscribe", "foo.*"));
        assertEquals(2L, publisher.call("publish", "foo.bar", "hello"));
        assertEquals(List.of(frame("message", "foo.bar", "hello"), frame("pmessage", "foo.*", "foo.bar", "hello")),
                drain(sub));
    }

    @Test
    void numpatCountsUniquePatterns() {
        TestClient a = s.client();
        TestClient b = s.client();
        a.call("psubscribe", "foo*");
        b.call("psubscribe", "foo*");
        a.call("psubscribe", "bar*");
        b.call("psubscribe", "baz*");
        assertEquals(3L, publisher.call("pubsub", "numpat"));
        assertEquals(2L, publisher.call("publish", "food", "x"));
    }

    @Test
    void shardChannelsAreTheirOwnNamespace() {
        TestClient shard = s.client();
        TestClient plain = s.client();
        assertEquals(List.of(frame("ssubscribe", "chan1", 1L)), run(shard, "ssubscribe", "chan1"));
        assertEquals(List.of(frame("ssubscribe", "chan2", 2L)), run(shard, "ssubscribe", "chan2"));
        run(plain, "subscribe", "chan1");
        run(plain, "psubscribe", "chan*");
        // SPUBLISH ignores patterns and plain subscribers; PUBLISH ignores shard subscribers
        assertEquals(1L, publisher.call("spublish", "chan1", "hello"));
        assertEquals(List.of(frame("smessage", "chan1", "hello")), drain(shard));
        assertEquals(List.of(), drain(plain));
        assertEquals(2L, publisher.call("publish", "chan1", "hi"));
        assertEquals(List.of(), drain(shard));
        assertEquals(List.of(frame("message", "chan1", "hi"), frame("pmessage", "chan*", "chan1", "hi")), drain(plain));

        assertEquals(List.of("chan1", 1L), publisher.call("pubsub", "shardnumsub", "chan1"));
        assertEquals(List.of("chan1", 1L), publisher.call("pubsub", "numsub", "chan1"));
        assertEquals(List.of("chan1", "chan2"), publisher.call("pubsub", "shardchannels"));
        assertEquals(List.of("chan1"), publisher.call("pubsub", "channels"));

        // shard confirmations count shard channels only; the others count channels and patterns
        assertEquals(List.of(frame("sunsubscribe", "chan1", 1L)), run(shard, "sunsubscribe", "chan1"));
        assertEquals(List.of(frame("ssubscribe", "x", 1L)), run(plain, "ssubscribe", "x"));
        assertEquals(List.of(frame("subscribe", "y", 3L)), run(plain, "subscribe", "y"));
        assertEquals(List.of(frame("sunsubscribe", "chan2", 0L)), run(shard, "sunsubscribe"));
        assertEquals(0L, publisher.call("spublish", "chan2", "gone"));
    }

    @Test
    void pubsubIntrospection() {
        TestClient a = s.client();
        TestClient b = s.client();
        a.call("subscribe", "news.tech", "news.art", "weather");
        b.call("subscribe", "news.tech");
        b.call("psubscribe", "news.*");
        assertEquals(List.of("news.tech", "news.art"), publisher.call("pubsub", "channels", "news.*"));
        assertEquals(3, ((List<?>) publisher.call("pubsub", "channels")).size());
        assertEquals(List.of("news.tech", 2L, "weather", 1L, "none", 0L),
                publisher.call("pubsub", "numsub", "news.tech", "weather", "none"));
        assertEquals(List.of(), publisher.call("pubsub", "numsub"));
        assertEquals(List.of("abc", 0L, "def", 0L), publisher.call("pubsub", "shardnumsub", "abc", "def"));
        assertEquals(1L, publisher.call("pubsub", "numpat"));
        assertEquals(List.of(), publisher.call("pubsub", "shardchannels", "*"));
    }

    @Test
    void pubsubErrorsAndHelp() {
        assertEquals(new Err("ERR unknown subcommand or wrong number of arguments for 'channels'. Try PUBSUB HELP."),
                publisher.call("pubsub", "channels", "a", "b"));
        assertEquals(new Err("ERR unknown subcommand or wrong number of arguments for 'SHARDCHANNELS'. Try PUBSUB"
                + " HELP."), publisher.call("pubsub", "SHARDCHANNELS", "a", "b"));
        assertEquals(new Err("ERR wrong number of arguments for 'pubsub|numpat' command"),
                publisher.call("pubsub", "numpat", "x"));
        assertEquals(new Err("ERR unknown subcommand 'nosuch'. Try PUBSUB HELP."), publisher.call("pubsub", "nosuch"));
        assertEquals(new Err("ERR wrong number of arguments for 'pubsub' command"), publisher.call("pubsub"));
        assertEquals(new Err("ERR wrong number of arguments for 'publish' command"), publisher.call("publish", "c"));
        assertEquals(new Err("ERR wrong number of arguments for 'subscribe' command"), publisher.call("subscribe"));

        List<?> help = (List<?>) publisher.call("pubsub", "help");
        assertEquals(new Status("PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:"), help.get(0));
        assertEquals(new Status("CHANNELS [<pattern>]"), help.get(1));
        assertEquals(new Status("HELP"), help.get(help.size() - 2));
        assertEquals(new Status("    Prints this help."), help.get(help.size() - 1));
        assertEquals(14, help.size());
    }

    @Test
    void aResp2SubscriberIsInSubscriberModeUntilItLeavesEverything() {
        TestClient sub = s.client();
        long id = s.newestClientId();
        run(sub, "subscribe", "a");
        run(sub, "psubscribe", "p*");
        run(sub, "ssubscribe", "s");
        assertEquals(3, s.coreSubscriptionCount(id));
        assertEquals(new Err("ERR Can't execute 'echo': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET"
                + " are allowed in this context"), sub.call("echo", "x"));
        assertEquals(List.of("pong", "hi"), sub.call("ping", "hi"));
        run(sub, "unsubscribe");
        run(sub, "punsubscribe");
        assertEquals(1, s.coreSubscriptionCount(id));
        run(sub, "sunsubscribe");
        assertEquals(0, s.coreSubscriptionCount(id));
        assertEquals("x", sub.call("echo", "x"));
    }

    @Test
    void aResp3SubscriberGetsPushesAndMayRunAnyCommand() {
        TestClient sub = s.client();
        sub.call("hello", "3");
        assertEquals(List.of(frame("subscribe", "c", 1L)), run(sub, "subscribe", "c"));
        assertEquals("x", sub.call("echo", "x"));
        assertEquals(1L, publisher.call("publish", "c", "m"));
        assertEquals(List.of(frame("message", "c", "m")), drain(sub));
        // publishing to itself: the push comes before the reply, as in Redis
        assertEquals(frame("message", "c", "self"), sub.call("publish", "c", "self"));
        assertEquals(1L, sub.pending());
    }

    @Test
    void resetForgetsSubscriptionsWithoutUnsubscribeMessages() {
        TestClient sub = s.client();
        long id = s.newestClientId();
        run(sub, "subscribe", "a", "b");
        run(sub, "psubscribe", "*");
        run(sub, "ssubscribe", "s");
        assertEquals(new Status("RESET"), sub.call("reset"));
        assertEquals(List.of(), drain(sub));
        assertEquals(0, s.coreSubscriptionCount(id));
        assertEquals(0L, publisher.call("publish", "a", "x"));
        assertEquals(0L, publisher.call("spublish", "s", "x"));
        assertEquals(0L, publisher.call("pubsub", "numpat"));
        assertEquals("x", sub.call("echo", "x"));
    }

    @Test
    void aDisconnectedClientLeavesEverything() {
        TestClient sub = s.client();
        long id = s.newestClientId();
        TestClient other = s.client();
        run(sub, "subscribe", "a");
        run(sub, "psubscribe", "a*");
        run(sub, "ssubscribe", "a");
        run(other, "subscribe", "a");
        s.disconnect(id);
        assertEquals(1L, publisher.call("publish", "a", "x"));
        assertEquals(List.of(frame("message", "a", "x")), drain(other));
        assertEquals(0L, publisher.call("spublish", "a", "x"));
        assertEquals(List.of("a", 1L), publisher.call("pubsub", "numsub", "a"));
        assertEquals(List.of(), publisher.call("pubsub", "shardchannels"));
        assertEquals(0L, publisher.call("pubsub", "numpat"));
    }

    /** As received, to replicas only: the AOF does not log messages (as Redis). */
    @Test
    void publishIsPropagatedAsReceivedToReplicasOnly() {
        s.ts.takePropagated();
        publisher.call("publish", "c", "m");
        publisher.call("spublish", "s", "m");
        assertEquals(List.of("replicas 0: publish c m", "replicas 0: spublish s m"), s.ts.takePropagated());
    }

    @Test
    void subscribeWorksInATransactionButShardSubscribeDoesNot() {
        TestClient c = s.client();
        c.call("multi");
        c.call("subscribe", "t");
        c.call("ssubscribe", "st");
        assertEquals(List.of(frame("subscribe", "t", 1L),
                new Err("ERR SSUBSCRIBE isn't allowed for a DENY BLOCKING client")), c.call("exec"));
        assertEquals(1L, publisher.call("publish", "t", "m"));
        assertEquals(0L, publisher.call("spublish", "st", "m"));
    }

    @Test
    void binaryChannelNamesAndMessages() {
        TestClient sub = s.client();
        byte[] channel = {0, (byte) 0xff, '\r', '\n', 'x'};
        byte[] message = {(byte) 0x80, 0, 1};
        sub.call(new byte[][] {"subscribe".getBytes(), channel});
        assertEquals(1L, publisher.call(new byte[][] {"publish".getBytes(), channel, message}));
        List<?> m = (List<?>) sub.pending();
        assertEquals("message", m.get(0));
        assertEquals(new String(channel, java.nio.charset.StandardCharsets.UTF_8), m.get(1));
        assertEquals(new String(message, java.nio.charset.StandardCharsets.UTF_8), m.get(2));
    }

    @Test
    void infoStatsCountLiveNames() {
        TestClient a = s.client();
        TestClient b = s.client();
        a.call("subscribe", "x", "y");
        b.call("subscribe", "x");
        a.call("psubscribe", "p*");
        b.call("psubscribe", "p*", "q*");
        b.call("ssubscribe", "s");
        assertEquals(Map.of("pubsub_channels", 2, "pubsub_patterns", 2, "pubsubshard_channels", 1), stats());
        a.call("unsubscribe");
        assertEquals(Map.of("pubsub_channels", 1, "pubsub_patterns", 2, "pubsubshard_channels", 1), stats());
    }

    private Map<String, Object> stats() {
        Map<String, Object> out = new java.util.HashMap<>();
        s.ts.onEngine(() -> new PubSubStats(s.pubsub).write(out::put));
        return out;
    }

    @Test
    void deactivationWithoutEngineLeavesStateAlone() {
        TestClient sub = s.client();
        sub.call("subscribe", "a");
        s.pubsub.deactivate();
        assertEquals(1L, publisher.call("publish", "a", "m"));
    }
}
