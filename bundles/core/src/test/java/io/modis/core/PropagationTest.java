package io.modis.core;

import io.modis.api.Command;
import io.modis.api.CommandFlag;
import io.modis.api.CommandSpec;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What commands hand to propagation listeners: every listener, or replicas only (PUBLISH). */
class PropagationTest {
    private final TestServer t = new TestServer();

    PropagationTest() {
        // a PUBLISH-like command: no data changed, sent on to replicas only
        t.addCommands(List.of(new Command(CommandSpec.of("announce", 2).flags(CommandFlag.FAST).build(),
                ctx -> {
                    ctx.propagateToReplicas(ctx.args());
                    ctx.reply().integer(0);
                }), new Command(CommandSpec.of("record", 2).flags(CommandFlag.WRITE).build(),
                ctx -> {
                    ctx.propagate(ctx.args());
                    ctx.reply().ok();
                })));
    }

    @AfterEach
    void tearDown() {
        t.close();
    }

    @Test
    void replicaOnlyEffectsReachListenersThroughTheirOwnCallInOrder() {
        TestServer.TestClient c = t.client();
        assertEquals(0L, c.call("ANNOUNCE", "hello"));
        assertEquals(List.of("replicas 0: ANNOUNCE hello"), t.takePropagated());
        c.call("MULTI");
        c.call("RECORD", "a");
        c.call("ANNOUNCE", "b");
        c.call("EXEC");
        assertEquals(List.of("0: MULTI", "0: RECORD a", "replicas 0: ANNOUNCE b", "0: EXEC"), t.takePropagated());
    }
}
