package io.modis.lists;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.fail;

import io.modis.api.Bytes;
import io.modis.api.Command;
import io.modis.api.CommandSpec;
import io.modis.api.StringValue;
import io.modis.core.TestServer;
import io.modis.core.TestServer.Err;
import io.modis.core.TestServer.TestClient;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A real core with this bundle's commands, parameters and DEBUG subcommand registered, and a
 * {@link #run} that records what a command did: the dirty count, propagation, keyspace events.
 */
abstract class ListTestSupport {
    static final Err WRONGTYPE = new Err("WRONGTYPE Operation against a key holding the wrong kind of value");

    TestServer t;
    TestClient c;

    long dirty;
    List<String> propagated;
    List<String> events;

    @BeforeEach
    void start() {
        t = new TestServer();
        t.addCommands(new ListCommands().commands());
        t.addCommands(new PopCommands().commands());
        t.addCommands(new MoveCommands().commands());
        t.addConfigParams(new ListConfig().configParams());
        PackedThresholdDebug threshold = new PackedThresholdDebug();
        t.addDebugSubcommand(threshold);
        // the core's DEBUG lives with its server commands; this stand-in only dispatches to ours
        t.addCommands(List.of(new Command(CommandSpec.of("debug", -2).build(), threshold::execute)));
        c = t.client();
    }

    @AfterEach
    void stop() {
        t.close();
        ListTuning.plainThreshold(0);
        ListTuning.fill(ListTuning.DEFAULT_FILL);
    }

    /** Runs one command as {@link #c} and records what it did; returns its one reply. */
    Object run(String... words) {
        t.takePropagated();
        t.takeEvents();
        long dirtyBefore = t.onEngine(() -> t.server.dirty);
        Object reply = c.call(words);
        dirty = t.onEngine(() -> t.server.dirty) - dirtyBefore;
        propagated = t.takePropagated();
        events = t.takeEvents();
        return reply;
    }

    static Err err(String message) {
        return new Err(message);
    }

    void setString(String key, String value) {
        t.onEngine(() -> t.server.db(0).set(Bytes.of(key), StringValue.of(Bytes.of(value))));
    }

    ListValue list(String key) {
        return t.onEngine(() -> (ListValue) t.server.db(0).get(Bytes.of(key)));
    }

    /** The reply {@code client} gets later (once served or timed out), waiting up to 5 s. */
    Object awaitReply(TestClient client) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadline) {
            Object r = client.pending();
            if (r != null) {
                return r;
            }
            Thread.yield();
        }
        return fail("no reply in time");
    }

    int blockedClients() {
        return t.onEngine(() -> t.server.blockedClients());
    }

    /** Waits up to 5 s for no client to be blocked (a null reply cannot be told from none). */
    void awaitNoBlockedClient() {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (blockedClients() > 0) {
            if (System.nanoTime() > deadline) {
                fail("still blocked");
            }
            Thread.yield();
        }
    }

    void assertStillBlocked(TestClient client) {
        assertNull(client.pending(), "the client should still be blocked");
    }
}
