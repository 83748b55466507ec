package io.modis.core;

import static io.modis.api.CommandFlag.BLOCKING;
import static io.modis.api.CommandFlag.WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.modis.api.BlockedCommand;
import io.modis.api.Command;
import io.modis.api.CommandContext;
import io.modis.api.CommandSpec;
import io.modis.api.Session;
import io.modis.core.TestServer.Status;
import io.modis.core.TestServer.TestClient;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A command that runs commands through a session of its own, as DEBUG LOADAOF replays the AOF
 * through the loader's: the commands it runs may make keys ready, and a client blocked on them is
 * served once the outer command has ended, which keeps its reply and its client.
 */
class NestedSessionTest {
    private TestServer ts;
    private final List<String> servedWhile = new ArrayList<>();
    private boolean replaying;

    /** tblock key: blocks until the key is signalled ready, then replies SERVED. */
    private Command blockingCommand() {
        return new Command(CommandSpec.of("tblock", 2).flags(BLOCKING).build(), ctx ->
                ctx.block(List.of(ctx.arg(1)), 0, new BlockedCommand() {
                    @Override
                    public boolean serve(CommandContext c) {
                        servedWhile.add(replaying ? "replaying" : "after");
                        c.reply().simple("SERVED");
                        return true;
                    }
                }));
    }

    /** tready key: signals the key ready, as a write to it does. */
    private static Command readyCommand() {
        return new Command(CommandSpec.of("tready", 2).flags(WRITE).build(), ctx -> {
            ctx.keyReady(ctx.db(), ctx.arg(1));
            ctx.reply().ok();
        });
    }

    /** treplay key: runs "tready key" through a loader session, then replies REPLAYED. */
    private Command replayCommand() {
        return new Command(CommandSpec.of("treplay", 2).build(), ctx -> {
            Session loader = ts.server.openLoader(new TestServer.TestConnection());
            replaying = true;
            loader.execute(new byte[][] {io.modis.api.Bytes.of("tready"), ctx.arg(1)});
            replaying = false;
            loader.disconnected();
            ctx.reply().simple("REPLAYED");
        });
    }

    @BeforeEach
    void start() {
        ts = new TestServer();
        ts.addCommands(List.of(blockingCommand(), readyCommand(), replayCommand()));
    }

    @AfterEach
    void stop() {
        ts.close();
    }

    @Test
    void theOuterCommandKeepsItsReplyAndBlockedClientsAreServedAfterIt() {
        TestClient blocked = ts.client();
        TestClient debug = ts.client();
        assertNull(blocked.call("tblock", "k"));
        assertEquals(new Status("REPLAYED"), debug.call("treplay", "k"));
        assertEquals(new Status("SERVED"), blocked.pending());
        assertNull(blocked.pending());
        assertEquals(List.of("after"), servedWhile);
    }
}
