package io.modis.core;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** MONITOR: every command other clients run, after it runs, in Redis's line format. */
class MonitorTest {
    private final TestServer t = new TestServer();

    MonitorTest() {
        t.addCommands(new ServerCommands(t.server).commands());
    }

    @AfterEach
    void tearDown() {
        t.close();
    }

    private static String line(TestServer.TestClient monitor) {
        return ((TestServer.Status) monitor.pending()).text();
    }

    @Test
    void feedsCommandsWithQuotedArguments() {
        TestServer.TestClient monitor = t.client();
        TestServer.TestClient other = t.client();
        assertEquals(TestServer.OK, monitor.call("MONITOR"));
        other.call("SELECT", "3");
        other.call("DEL", "a\"b\n");
        String first = line(monitor);
        String second = line(monitor);
        // fed after the command ran, so SELECT already shows the database it selected (as Redis 7.0)
        assertTrue(first.matches("\\d+\\.\\d{6} \\[3 127\\.0\\.0\\.1:\\d+\\] \"SELECT\" \"3\""), first);
        assertTrue(second.endsWith("] \"DEL\" \"a\\\"b\\n\""), second);
    }

    @Test
    void hidesAdminCommandsAndPasswords() {
        TestServer.TestClient monitor = t.client();
        TestServer.TestClient other = t.client();
        monitor.call("MONITOR");
        other.call("CONFIG", "GET", "port");
        assertNull(monitor.pending(), "admin commands are not shown");
        other.call("AUTH", "secret");
        assertTrue(line(monitor).endsWith("\"AUTH\" \"(redacted)\""));
    }

    @Test
    void migratePasswordsAreRedacted() {
        // a stand-in with MIGRATE's name (its bundle is not part of the core): only the feed is tested
        t.addCommands(java.util.List.of(new io.modis.api.Command(
                io.modis.api.CommandSpec.of("migrate", -6).build(), ctx -> ctx.reply().ok())));
        TestServer.TestClient monitor = t.client();
        TestServer.TestClient other = t.client();
        monitor.call("MONITOR");
        other.call("MIGRATE", "127.0.0.1", "6379", "key", "9", "5000", "AUTH", "pw");
        assertTrue(line(monitor).endsWith("\"key\" \"9\" \"5000\" \"AUTH\" \"(redacted)\""));
        other.call("MIGRATE", "127.0.0.1", "6379", "", "9", "5000", "COPY", "AUTH2", "user", "pw", "KEYS", "a");
        assertTrue(line(monitor).endsWith("\"COPY\" \"AUTH2\" \"(redacted)\" \"(redacted)\" \"KEYS\" \"a\""));
    }

    @Test
    void resetAndDisconnectEndMonitoring() {
        TestServer.TestClient monitor = t.client();
        TestServer.TestClient other = t.client();
        monitor.call("MONITOR");
        monitor.call("RESET");
        other.call("PING");
        assertNull(monitor.pending());
    }

    @Test
    void aScriptRunnerIsShownBeforeTheCommandsItRuns() {
        t.addCommands(java.util.List.of(
                new io.modis.api.Command(io.modis.api.CommandSpec.of("runscript", 1)
                        .flags(io.modis.api.CommandFlag.SKIP_MONITOR).build(),
                        ctx -> ctx.runScript(() -> ctx.callFromScript(TestServer.argv("SET", "foo", "bar"), ctx.reply()))),
                new io.modis.api.Command(io.modis.api.CommandSpec.of("set", 3).flags(io.modis.api.CommandFlag.WRITE)
                        .keys(1, 1, 1).build(), ctx -> ctx.reply().ok())));
        TestServer.TestClient monitor = t.client();
        TestServer.TestClient other = t.client();
        monitor.call("MONITOR");
        other.call("RUNSCRIPT");
        String first = line(monitor);
        String second = line(monitor);
        assertTrue(first.matches("\\d+\\.\\d{6} \\[0 127\\.0\\.0\\.1:\\d+\\] \"RUNSCRIPT\""), first);
        assertTrue(second.matches("\\d+\\.\\d{6} \\[0 lua\\] \"SET\" \"foo\" \"bar\""), second);
        assertNull(monitor.pending(), "the runner is shown once");
    }
}
