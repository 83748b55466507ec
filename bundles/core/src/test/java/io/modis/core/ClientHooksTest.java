package io.modis.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modis.api.Bytes;
import io.modis.api.Client;
import io.modis.api.ClientListener;
import io.modis.api.Command;
import io.modis.api.CommandSpec;
import io.modis.api.InfoFields;
import io.modis.core.TestServer.Err;
import io.modis.core.TestServer.Status;
import io.modis.core.TestServer.TestClient;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The hooks a pub/sub bundle builds on: out-of-band messages, subscriber mode, client events. */
class ClientHooksTest {
    private TestServer ts;
    private TestClient c;
    private final List<String> events = new ArrayList<>();
    private Client lastSubscriber;

    @BeforeEach
    void start() {
        ts = IntrospectionTest.serverWithIntrospection();
        // a stand-in SUBSCRIBE: one subscription per call, as the pub/sub bundle would report it
        ts.addCommands(List.of(
                new Command(CommandSpec.of("subscribe", -2).build(), ctx -> {
                    lastSubscriber = ctx.client();
                    int n = ctx.client().subscriptionCount() + 1;
                    ctx.client().subscriptions(n, 0, 0);
                    ctx.reply().integer(n);
                }),
                new Command(CommandSpec.of("get", 2).build(), ctx -> ctx.reply().nil()),
                new Command(CommandSpec.of("buggy", 1).build(), ctx -> {
                    throw new IllegalStateException("broken invariant");
                })));
        ts.onEngine(() -> ts.server.clientListeners.add(new ClientListener() {
            @Override
            public void closed(Client client) {
                events.add("closed " + client.id());
            }

            @Override
            public void reset(Client client) {
                events.add("reset " + client.id());
                client.subscriptions(0, 0, 0);
            }
        }));
        c = ts.client();
    }

    @AfterEach
    void stop() {
        ts.close();
    }

    @Test
    void aResp2SubscriberMayOnlyRunSubscriptionCommands() {
        assertEquals(1L, c.call("subscribe", "ch"));
        assertEquals(new Err("ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET"
                + " are allowed in this context"), c.call("get", "k"));
        assertEquals(List.of("pong", ""), c.call("ping"));
        assertEquals(List.of("pong", "hi"), c.call("ping", "hi"));
        String list = (String) ts.client().call("client", "list", "id", Long.toString(c.session.id));
        assertTrue(list.contains(" flags=P ") && list.contains(" sub=1 psub=0 ssub=0 "), list);

        assertEquals(new Status("RESET"), c.call("reset"));
        assertEquals(List.of("reset " + c.session.id), events);
        assertNull(c.call("get", "k"));
        assertEquals(new Status("PONG"), c.call("ping"));
    }

    @Test
    void aFailingHandlerGetsAnErrorReplyAndTheServerGoesOn() {
        assertEquals(new Err("ERR internal error running 'buggy': IllegalStateException: broken invariant"),
                c.call("buggy"));
        assertNull(c.call("get", "k"));
    }

    @Test
    void resp3SubscribersRunAnyCommand() {
        c.call("hello", "3");
        c.call("subscribe", "ch");
        assertNull(c.call("get", "k"));
        assertEquals(new Status("PONG"), c.call("ping"));
    }

    @Test
    void messagesReachTheirClientInOrder() {
        TestClient receiver = ts.client();
        receiver.call("subscribe", "ch");
        ts.onEngine(() -> {
            for (int i = 0; i < 3; i++) {
                int n = i;
                lastSubscriber.send(r -> {
                    r.push(2);
                    r.bulk(Bytes.of("message"));
                    r.integer(n);
                });
            }
        });
        assertEquals(List.of("message", 0L), receiver.pending());
        assertEquals(List.of("message", 1L), receiver.pending());
        assertEquals(List.of("message", 2L), receiver.pending());
    }

    @Test
    void closedClientsAreReportedAndGetNoMessages() {
        TestClient other = ts.client();
        other.call("subscribe", "ch");
        ts.onEngine(() -> other.session.disconnected());
        assertEquals(List.of("closed " + other.session.id), events);
        ts.onEngine(() -> lastSubscriber.send(r -> r.integer(1)));
        assertNull(other.pending());
    }

    @Test
    void outputBufferLimitsParseAsRedisDoes() {
        OutputBufferLimits l = OutputBufferLimits.parse("pubsub 1mb 512kb 10", OutputBufferLimits.DEFAULTS);
        assertEquals("normal 0 0 0 slave 268435456 67108864 60 pubsub 1048576 524288 10", l.format());
        assertEquals("normal 1 2 3 slave 268435456 67108864 60 pubsub 1048576 524288 10",
                OutputBufferLimits.parse("NORMAL 1 2 3", l).format());
        assertEquals("Wrong number of arguments in buffer limit configuration.", assertThrows(
                IllegalArgumentException.class, () -> OutputBufferLimits.parse("pubsub 1 2", l)).getMessage());
        assertEquals("Invalid client class specified in buffer limit configuration.", assertThrows(
                IllegalArgumentException.class, () -> OutputBufferLimits.parse("master 1 2 3", l)).getMessage());
        assertEquals("Error in hard, soft or soft_seconds setting in buffer limit configuration.", assertThrows(
                IllegalArgumentException.class, () -> OutputBufferLimits.parse("pubsub 1 x 3", l)).getMessage());
    }

    @Test
    void aSubscriberPastItsHardLimitIsDisconnected() {
        TestClient slow = ts.client();
        slow.call("subscribe", "ch");
        ts.onEngine(() -> ts.server.outputLimits = OutputBufferLimits.parse("pubsub 1000 0 0", OutputBufferLimits.DEFAULTS));
        ts.onEngine(() -> slow.conn.outputBytes = 999);
        ts.onEngine(() -> lastSubscriber.send(r -> r.integer(1)));
        assertEquals(false, ts.onEngine(() -> slow.conn.closed));
        ts.onEngine(() -> slow.conn.outputBytes = 1000);
        ts.onEngine(() -> lastSubscriber.send(r -> r.integer(2)));
        assertEquals(true, ts.onEngine(() -> slow.conn.closed));
        // a normal client has no limit by default
        ts.onEngine(() -> c.conn.outputBytes = 1L << 40);
        assertEquals(new Status("PONG"), c.call("ping"));
        assertEquals(false, ts.onEngine(() -> c.conn.closed));
    }

    @Test
    void theSoftLimitAllowsABurstForSomeSeconds() {
        ClientSession s = c.session;
        OutputBufferLimits.Limit l = new OutputBufferLimits.Limit(0, 100, 2);
        assertFalse(OutputBufferLimits.exceeded(l, 150, s, () -> 10_000));
        assertFalse(OutputBufferLimits.exceeded(l, 150, s, () -> 12_000));
        assertTrue(OutputBufferLimits.exceeded(l, 150, s, () -> 12_001));
        assertFalse(OutputBufferLimits.exceeded(l, 50, s, () -> 12_002));
        assertFalse(OutputBufferLimits.exceeded(l, 150, s, () -> 20_000));
    }

    @Test
    void bundlesFillFieldsOfCoreSections() {
        ts.onEngine(() -> ts.server.infoFields.add(new InfoFields() {
            @Override
            public String section() {
                return "stats";
            }

            @Override
            public void write(io.modis.api.InfoSection.InfoWriter out) {
                out.field("pubsub_channels", 7);
                out.field("extra_field", "x");
            }
        }));
        String stats = (String) c.call("info", "stats");
        assertTrue(stats.contains("\r\npubsub_channels:7\r\npubsub_patterns:0\r\n"), stats);
        assertTrue(stats.endsWith("\r\nextra_field:x\r\n"), stats);
        assertEquals(1, stats.split("pubsub_channels").length - 1);
    }
}
