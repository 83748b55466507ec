package io.modis.core;

import io.modis.api.Command;
import io.modis.api.CommandSpec;
import io.modis.core.TestServer.TestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A long reply stops once its client went over the output buffer limit mid-command. */
class ReplyAbandonedTest {
    private final TestServer t = new TestServer();
    private long written;

    ReplyAbandonedTest() {
        t.addServerCommands();
        t.addCommands(List.of(new Command(CommandSpec.of("longreply", 1).build(), ctx -> {
            written = 0;
            for (long i = 0; i < 1_000_000; i++) {
                written++;
                if ((i & 1023) == 1023 && ctx.replyAbandoned()) {
                    return;
                }
            }
            ctx.reply().ok();
        })));
    }

    @AfterEach
    void tearDown() {
        t.close();
    }

    @Test
    void aClientOverItsHardLimitIsDisconnectedMidReply() {
        TestClient c = t.client();
        t.onEngine(() -> t.server.outputLimits = OutputBufferLimits.parse("normal 1000 0 0", OutputBufferLimits.DEFAULTS));
        c.conn.outputBytes = 5000;
        c.call("LONGREPLY");
        assertTrue(c.conn.closed);
        assertEquals(1024, written, "stopped at the first check");
    }

    @Test
    void withinTheLimitTheReplyIsWhole() {
        TestClient c = t.client();
        assertEquals(TestServer.OK, c.call("LONGREPLY"));
        assertFalse(c.conn.closed);
        assertEquals(1_000_000, written);
    }
}
