package io.modis.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Lua debugger (SCRIPT DEBUG, Redis's LDB protocol) over real sockets against
 * bin/modis-server: what a debugging client sends while its EVAL is stopped, and the exact
 * lines it gets back.
 */
@Timeout(120)
class LuaDebuggerTest {
    private static final Duration READY = Duration.ofSeconds(60);
    private static final String SCRIPT = "local a = 5\n"
            + "local t = {1, 'two', {x = 3}}\n"
            + "redis.call('set', KEYS[1], ARGV[1])\n"
            + "redis.debug('a is', a)\n"
            + "a = a + 1\n"
            + "return redis.call('get', KEYS[1])\n";

    @TempDir
    static Path dir;
    static ServerProcess server;

    @BeforeAll
    static void start() throws Exception {
        server = ServerProcess.start(dir);
        assertTrue(server.awaitLog("Ready to accept connections", READY), "not ready\n" + server.output());
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (server != null) {
            server.close();
        }
    }

    private static String lines(String... lines) {
        StringBuilder sb = new StringBuilder("*").append(lines.length).append("\r\n");
        for (String l : lines) {
            sb.append('+').append(l).append("\r\n");
        }
        return sb.toString();
    }

    private static RawConnection debugging(String script, String... keysAndArgs) throws Exception {
        RawConnection c = new RawConnection(server.port());
        assertEquals("+OK\r\n", c.call("script", "debug", "sync"));
        String[] eval = new String[2 + keysAndArgs.length];
        eval[0] = "eval";
        eval[1] = script;
        System.arraycopy(keysAndArgs, 0, eval, 2, keysAndArgs.length);
        return c.send(RawConnection.command(eval));
    }

    @Test
    void stepsPrintsAndLogsCommandsAndReplies() throws Exception {
        try (RawConnection c = debugging(SCRIPT, "1", "dbg:k", "v1")) {
            assertEquals(lines("* Stopped at 1, stop reason = step over", "-> 1   local a = 5"), c.reply());
            assertEquals(lines("* Stopped at 2, stop reason = step over", "-> 2   local t = {1, 'two', {x = 3}}"),
                    c.call("step"));
            assertEquals(lines("<value> a = 5"), c.call("print"));
            assertEquals(lines("* Stopped at 3, stop reason = step over", "-> 3   redis.call('set', KEYS[1], ARGV[1])"),
                    c.call("next"));
            assertEquals(lines("<value> {1; \"two\"; {[\"x\"]=3}}"), c.call("print", "t"));
            assertEquals(lines("<value> {\"dbg:k\"}"), c.call("p", "KEYS"));
            assertEquals(lines("No such variable."), c.call("p", "nosuch"));
            assertEquals(lines("<redis> set dbg:k v1", "<reply> \"+OK\"",
                    "* Stopped at 4, stop reason = step over", "-> 4   redis.debug('a is', a)"), c.call("s"));
            assertEquals(lines("<debug> line 4: \"a is\", 5", "* Stopped at 5, stop reason = step over",
                    "-> 5   a = a + 1"), c.call("s"));
            assertEquals(lines("<retval> 10"), c.call("eval", "2", "*", "5"));
            assertEquals(lines("<redis> get dbg:k", "<reply> \"v1\""), c.call("redis", "get", "dbg:k"));
            assertEquals(lines("In top level:", "-> 5   a = a + 1"), c.call("trace"));
            assertEquals(lines("   4   redis.debug('a is', a)", "-> 5   a = a + 1", "   6   return redis.call('get', KEYS[1])"),
                    c.call("list", "5", "1"));
            // continue: the rest runs without logging; the session ends, then the EVAL's reply, then the close
            assertEquals(lines("<endsession>"), c.call("continue"));
            assertEquals("$2\r\nv1\r\n", c.reply());
            assertTrue(c.closedByServer(Duration.ofSeconds(10)));
        }
        try (RawConnection other = new RawConnection(server.port())) {
            assertEquals("$2\r\nv1\r\n", other.call("get", "dbg:k"));
        }
    }

    @Test
    void breakpointsWholeMaxlenAndRedisBreakpoint() throws Exception {
        String script = "local s = string.rep('x', 100)\n"
                + "redis.breakpoint()\n"
                + "local n = 1\n"
                + "n = n + 1\n"
                + "return n\n";
        try (RawConnection c = debugging(script, "0")) {
            assertEquals(lines("* Stopped at 1, stop reason = step over", "-> 1   local s = string.rep('x', 100)"),
                    c.reply());
            assertEquals(lines("No breakpoints set. Use 'b <line>' to add one."), c.call("break"));
            assertEquals(lines("   3   local n = 1", "  #4   n = n + 1", "   5   return n"), c.call("b", "4"));
            assertEquals(lines("Wrong line number."), c.call("b", "99"));
            assertEquals(lines("Invalid argument:'x'"), c.call("b", "x"));
            assertEquals(lines("1 breakpoints set:", "  #4   n = n + 1"), c.call("b"));
            assertEquals(lines("-> 1   local s = string.rep('x', 100)", "   2   redis.breakpoint()", "   3   local n = 1",
                    "  #4   n = n + 1", "   5   return n"), c.call("whole"));
            // redis.breakpoint() stops at the next line
            assertEquals(lines("* Stopped at 3, stop reason = redis.breakpoint() called", "-> 3   local n = 1"),
                    c.call("c"));
            assertEquals(lines("<value> replies are truncated at 256 bytes."), c.call("maxlen"));
            assertEquals(lines("<value> replies are truncated at 60 bytes."), c.call("maxlen", "10"));
            assertEquals(lines("<value> \"" + "x".repeat(51) + " ..."), c.call("print", "s"));
            assertEquals(lines("* Stopped at 4, stop reason = break point", "->#4   n = n + 1"), c.call("c"));
            assertEquals(lines("Breakpoint removed."), c.call("b", "-4"));
            assertEquals(lines("No breakpoint in the specified line."), c.call("b", "-4"));
            assertEquals(lines("<endsession>"), c.call("c"));
            assertEquals(":2\r\n", c.reply());
        }
    }

    @Test
    void abortStopsTheScriptWithAnError() throws Exception {
        try (RawConnection c = debugging("local x = 1\nreturn x\n", "0")) {
            c.reply();
            assertEquals(lines("<endsession>"), c.call("abort"));
            assertTrue(c.reply().startsWith("-ERR script aborted for user request"));
        }
    }

    @Test
    void unknownCommandsAndBadRedisInvocations() throws Exception {
        try (RawConnection c = debugging("return 'hello'", "0")) {
            c.reply();
            String unknown = lines("<error> Unknown Redis Lua debugger command or wrong number of arguments.");
            assertEquals(unknown, c.call("'hello\0world'"));
            assertEquals(unknown, c.call("\0hello\0"));
            assertEquals(unknown, c.call("redis"));
            String[] many = new String[101];
            many[0] = "redis";
            java.util.Arrays.fill(many, 1, 101, "test");
            String reply = c.call(many);
            assertTrue(reply.contains("<redis> test test test test test test test test test test ... (89 more)"), reply);
            assertTrue(reply.contains("<error> ERR Unknown Redis command called from script"), reply);
            // compile errors of the eval command are shown, the session goes on
            assertTrue(c.call("eval", "return", "+").startsWith("*1\r\n+<error> "));
        }
        try (RawConnection c = new RawConnection(server.port())) {
            assertEquals("+PONG\r\n", c.call("ping"));
        }
    }

    @Test
    void otherClientsWaitWhileStoppedAndAreServedOnceTheDebuggerHangsUp() throws Exception {
        RawConnection c = debugging("local x = 1\nreturn redis.call('incr', 'dbg:n')\n", "0");
        try (RawConnection other = new RawConnection(server.port())) {
            c.reply();
            // held while the script is stopped, as Redis's synchronous session holds everyone
            other.send(RawConnection.command("get", "dbg:n"));
            c.close();
            // the script runs to its end without the debugger, then the held command runs
            assertEquals("$1\r\n1\r\n", other.reply());
            assertEquals("+PONG\r\n", other.call("ping"));
        }
    }

    @Test
    void debugModeRulesAndTheDebuggerFunctionsWithoutASession() throws Exception {
        try (RawConnection c = new RawConnection(server.port())) {
            assertEquals("-ERR Use SCRIPT DEBUG YES/SYNC/NO\r\n", c.call("script", "debug", "maybe"));
            assertEquals("$-1\r\n", c.call("eval", "return redis.breakpoint()", "0"));
            assertEquals("$-1\r\n", c.call("eval", "return redis.debug('x')", "0"));
            assertEquals("+OK\r\n", c.call("script", "debug", "yes"));
            assertEquals("-NOSCRIPT No matching script. Please use EVAL.\r\n", c.call("evalsha", "abc", "0"));
            assertEquals("-ERR Please use EVAL instead of EVALSHA for debugging\r\n",
                    c.call("evalsha", "a".repeat(40), "0"));
            assertEquals("+OK\r\n", c.call("script", "debug", "no"));
            assertEquals(":1\r\n", c.call("eval", "return 1", "0"));
        }
        // a script that does not compile ends the session at once, before its error
        try (RawConnection c = debugging("return +", "0")) {
            assertEquals(lines("<endsession>"), c.reply());
            assertTrue(c.reply().startsWith("-ERR Error compiling script"));
            assertTrue(c.closedByServer(Duration.ofSeconds(10)));
        }
    }
}
