package io.modis.core;

import static io.modis.api.CommandFlag.READONLY;
import static io.modis.api.CommandFlag.WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modis.api.Bytes;
import io.modis.api.Command;
import io.modis.api.CommandSpec;
import io.modis.api.KeySpec;
import io.modis.api.StringValue;
import io.modis.api.Value;
import io.modis.core.TestServer.Err;
import io.modis.core.TestServer.TestClient;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** CLIENT TRACKING: what is remembered, who is told, and when. */
class TrackingTest {
    private static final TestServer.Status OK = TestServer.OK;
    private TestServer ts;
    private TestClient reader;
    private TestClient writer;

    @BeforeEach
    void start() {
        ts = new TestServer();
        ts.addCommands(List.of(new ClientCommands(ts.server).command()));
        ts.addCommands(new ServerCommands(ts.server).commands());
        ts.addCommands(List.of(
                new Command(CommandSpec.of("get", 2).flags(READONLY).keys(1, 1, 1)
                        .keySpec(KeySpec.range(1, 0, 1, "RO", "ACCESS")).build(), ctx -> {
                            Value v = ctx.db().get(ctx.arg(1));
                            if (v == null) {
                                ctx.reply().nil();
                            } else {
                                ctx.reply().bulk(((StringValue) v).bytes());
                            }
                        }),
                new Command(CommandSpec.of("mget", -2).flags(READONLY).keys(1, -1, 1)
                        .keySpec(KeySpec.range(1, -1, 1, "RO", "ACCESS")).build(), ctx -> ctx.reply().array(0)),
                new Command(CommandSpec.of("set", 3).flags(WRITE).keys(1, 1, 1)
                        .keySpec(KeySpec.range(1, 0, 1, "OW", "UPDATE")).build(), ctx -> {
                            ctx.db().set(ctx.arg(1), StringValue.of(ctx.arg(2)));
                            ctx.touched(ctx.db(), ctx.arg(1));
                            ctx.reply().ok();
                        })));
        reader = ts.client();
        writer = ts.client();
    }

    @AfterEach
    void stop() {
        ts.close();
    }

    private static long id(TestClient c) {
        return c.session.id;
    }

    @Test
    void resp3ClientsGetOneInvalidationPerReadKey() {
        reader.call("hello", "3");
        assertEquals(OK, reader.call("client", "tracking", "on"));
        reader.call("get", "a");
        reader.call("mget", "b", "c");
        assertEquals(OK, writer.call("set", "a", "1"));
        assertEquals(List.of("invalidate", List.of("a")), reader.pending());
        // forgotten after the first invalidation, until read again
        writer.call("set", "a", "2");
        assertNull(reader.pending());
        writer.call("set", "c", "2");
        assertEquals(List.of("invalidate", List.of("c")), reader.pending());
        assertTrue(((String) writer.call("info", "stats")).contains("tracking_total_keys:1\r\n"));
    }

    @Test
    void resp2ClientsRedirectToASubscribedConnection() {
        TestClient sink = ts.client();
        sink.session.subscriptions(1, 0, 0);
        assertEquals(OK, reader.call("client", "tracking", "on", "redirect", Long.toString(id(sink))));
        assertEquals(id(sink), reader.call("client", "getredir"));
        reader.call("get", "k");
        writer.call("set", "k", "v");
        assertEquals(List.of("message", "__redis__:invalidate", List.of("k")), sink.pending());
        String list = (String) writer.call("client", "list");
        assertTrue(list.contains("flags=t ") && list.contains("redir=" + id(sink)), list);
    }

    @Test
    void aBrokenRedirectIsReportedToResp3Clients() {
        TestClient sink = ts.client();
        long sinkId = id(sink);
        reader.call("hello", "3");
        reader.call("client", "tracking", "on", "redirect", Long.toString(sinkId));
        reader.call("get", "k");
        ts.onEngine(() -> sink.session.disconnected());
        writer.call("set", "k", "v");
        assertEquals(List.of("tracking-redir-broken", sinkId), reader.pending());
        Object info = reader.call("client", "trackinginfo");
        assertTrue(info.toString().contains("broken_redirect"), info.toString());
    }

    @Test
    void ownChangesArriveAfterTheReplyAndNoloopSilencesThem() {
        reader.call("hello", "3");
        reader.call("client", "tracking", "on");
        reader.call("get", "k");
        assertEquals(OK, reader.call("set", "k", "v"));
        assertEquals(List.of("invalidate", List.of("k")), reader.pending());

        reader.call("client", "tracking", "on", "noloop");
        reader.call("get", "k");
        reader.call("set", "k", "w");
        assertNull(reader.pending());
    }

    @Test
    void optinTracksOnlyAfterCachingYes() {
        reader.call("hello", "3");
        reader.call("client", "tracking", "on", "optin");
        reader.call("get", "a");
        assertEquals(OK, reader.call("client", "caching", "yes"));
        reader.call("get", "b");
        reader.call("get", "c");
        writer.call("set", "a", "1");
        writer.call("set", "b", "1");
        writer.call("set", "c", "1");
        assertEquals(List.of("invalidate", List.of("b")), reader.pending());
        assertNull(reader.pending());
        assertEquals(new Err("ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode."),
                reader.call("client", "caching", "no"));
    }

    @Test
    void bcastSendsEveryChangeUnderThePrefixesOncePerTask() {
        reader.call("hello", "3");
        assertEquals(OK, reader.call("client", "tracking", "on", "bcast", "prefix", "a:", "prefix", "b:"));
        ts.onEngine(() -> {
            ts.server.touched(ts.server.db(0), Bytes.of("a:2"));
            ts.server.touched(ts.server.db(0), Bytes.of("c:1"));
            ts.server.touched(ts.server.db(0), Bytes.of("a:1"));
        });
        assertEquals(List.of("invalidate", List.of("a:1", "a:2")), reader.pending());
        assertEquals(new Err("ERR Prefix 'a:x' overlaps with an existing prefix 'a:'. Prefixes for a single client"
                + " must not overlap."), reader.call("client", "tracking", "on", "bcast", "prefix", "a:x"));
        assertEquals(new Err("ERR You can't switch BCAST mode on/off before disabling tracking for this client, and"
                + " then re-enabling it with a different mode."), reader.call("client", "tracking", "on"));
        Map<?, ?> info = (Map<?, ?>) reader.call("client", "trackinginfo");
        assertEquals(List.of("a:", "b:"), info.get("prefixes"));
    }

    @Test
    void flushesInvalidateEverything() {
        reader.call("hello", "3");
        reader.call("client", "tracking", "on");
        reader.call("get", "a");
        assertEquals(OK, writer.call("flushall"));
        assertEquals(Arrays.asList("invalidate", null), reader.pending());
        assertTrue(((String) writer.call("info", "stats")).contains("tracking_total_keys:0\r\n"));
    }

    @Test
    void theTableIsKeptUnderItsLimit() {
        ts.addConfigParams(List.of(io.modis.api.ConfigParam.integer("tracking-table-max-keys", 1_000_000, 0,
                Long.MAX_VALUE).build()));
        reader.call("hello", "3");
        reader.call("client", "tracking", "on");
        for (String k : List.of("k1", "k2", "k3", "k4")) {
            assertNull(reader.call("get", k));
        }
        ts.config("tracking-table-max-keys", "2");
        writer.call("get", "x");
        assertTrue(((String) writer.call("info", "stats")).contains("tracking_total_keys:2\r\n"));
        int invalidations = 0;
        while (reader.pending() != null) {
            invalidations++;
        }
        assertEquals(2, invalidations);
    }

    @Test
    void errorsAsRedis() {
        assertEquals(new Err("ERR PREFIX option requires BCAST mode to be enabled"),
                reader.call("client", "tracking", "on", "prefix", "x"));
        assertEquals(new Err("ERR The client ID you want redirect to does not exist"),
                reader.call("client", "tracking", "on", "redirect", "9999"));
        assertEquals(new Err("ERR OPTIN and OPTOUT are not compatible with BCAST"),
                reader.call("client", "tracking", "on", "bcast", "optin"));
        assertEquals(new Err("ERR You can't specify both OPTIN mode and OPTOUT mode"),
                reader.call("client", "tracking", "on", "optin", "optout"));
        assertEquals(new Err("ERR syntax error"), reader.call("client", "tracking", "maybe"));
        assertEquals(new Err("ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or"
                + " OPTOUT mode enabled"), reader.call("client", "caching", "yes"));
        assertEquals(-1L, reader.call("client", "getredir"));
    }
}
