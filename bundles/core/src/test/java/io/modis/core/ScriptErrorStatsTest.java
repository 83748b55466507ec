package io.modis.core;

import io.modis.api.Command;
import io.modis.api.CommandSpec;
import io.modis.core.TestServer.TestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** errorstats: an error of a command a script runs counts once, caught or passed on. */
class ScriptErrorStatsTest {
    private final TestServer t = new TestServer();

    ScriptErrorStatsTest() {
        t.addServerCommands();
        t.addCommands(List.of(
                new Command(CommandSpec.of("boom", 1).build(), ctx -> ctx.reply().error("ERR boom")),
                new Command(CommandSpec.of("catching", 1).build(), ctx -> ctx.runScript(() -> {
                    ctx.callFromScript(TestServer.argv("BOOM"), new DiscardingReply(ctx.reply()));
                    ctx.reply().ok();
                })),
                new Command(CommandSpec.of("passing", 1).build(), ctx -> ctx.runScript(() -> {
                    DiscardingReply inner = new DiscardingReply(ctx.reply());
                    ctx.callFromScript(TestServer.argv("BOOM"), inner);
                    // a script engine passes the error on as already counted (CommandContext.replyCountedError)
                    ctx.replyCountedError(inner.lastError() + " script: 1234, on @user_script:1.");
                })),
                new Command(CommandSpec.of("raising", 1).build(), ctx -> ctx.runScript(
                        () -> ctx.reply().error("ERR raised by the script itself")))));
    }

    @AfterEach
    void tearDown() {
        t.close();
    }

    private Map<String, Long> errors() {
        return t.onEngine(() -> Map.copyOf(t.server.stats.errors));
    }

    @Test
    void aCaughtErrorCountsOnce() {
        TestClient c = t.client();
        assertEquals(TestServer.OK, c.call("CATCHING"));
        assertEquals(Map.of("ERR", 1L), errors());
        assertEquals(1L, (long) t.onEngine(() -> t.server.stats.errorReplies));
    }

    @Test
    void anErrorPassedOnByTheScriptCountsOnce() {
        TestClient c = t.client();
        c.call("PASSING");
        assertEquals(Map.of("ERR", 1L), errors());
        assertEquals(1L, (long) t.onEngine(() -> t.server.stats.errorReplies));
    }

    @Test
    void theScriptsOwnErrorCounts() {
        TestClient c = t.client();
        c.call("CATCHING");
        c.call("RAISING");
        assertEquals(Map.of("ERR", 2L), errors());
    }
}
