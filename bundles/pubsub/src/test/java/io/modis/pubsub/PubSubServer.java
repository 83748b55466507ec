package io.modis.pubsub;

import io.modis.api.Bytes;
import io.modis.api.Command;
import io.modis.api.CommandSpec;
import io.modis.api.StringValue;
import io.modis.core.TestServer;
import java.util.ArrayList;
import java.util.List;

/**
 * A TestServer with this bundle's services registered as the core would register them, the
 * keyspace notifier fed its flags by the test, and two stand-in commands: EMIT raises a keyspace
 * event, SETKEY creates a key (so that the core raises "new").
 */
final class PubSubServer implements AutoCloseable {
    final TestServer ts = new TestServer();
    final PubSub pubsub = new PubSub();
    /** What notify-keyspace-events holds, as the notifier reads it. */
    volatile String notifyFlags = "";

    PubSubServer() {
        ts.addCommands(new PubSubCommands(pubsub).commands());
        ts.addClientListener(new SubscriberCleanup(pubsub));
        ts.addInfoFields(new PubSubStats(pubsub));
        ts.addKeyspaceEventListener(new KeyspaceNotifier(pubsub, () -> notifyFlags));
        ts.addCommands(List.of(
                new Command(CommandSpec.of("emit", 4).build(), ctx -> {
                    ctx.notify((char) ctx.arg(1)[0], Bytes.str(ctx.arg(2)), ctx.arg(3), ctx.db());
                    ctx.reply().ok();
                }),
                new Command(CommandSpec.of("setkey", 3).build(), ctx -> {
                    ctx.db().set(ctx.arg(1), StringValue.of(ctx.arg(2)));
                    ctx.reply().ok();
                })));
    }

    TestServer.TestClient client() {
        return ts.client();
    }

    /** The id of the client connected last (ids grow with each connection). */
    long newestClientId() {
        return ts.onEngine(() -> ts.server.clients().keySet().stream().mapToLong(Long::longValue).max().orElseThrow());
    }

    /** Every message delivered to {@code c} since last asked, oldest first. */
    static List<Object> drain(TestServer.TestClient c) {
        List<Object> out = new ArrayList<>();
        for (Object m = c.pending(); m != null; m = c.pending()) {
            out.add(m);
        }
        return out;
    }

    /** The subscription count the core holds for client {@code id} (drives subscriber mode). */
    int coreSubscriptionCount(long id) {
        return ts.onEngine(() -> ts.server.clients().get(id).subscriptionCount());
    }

    /** Disconnects client {@code id} as the transport would. */
    void disconnect(long id) {
        ts.onEngine(() -> ts.server.clients().get(id).disconnected());
    }

    @Override
    public void close() {
        ts.close();
    }
}
