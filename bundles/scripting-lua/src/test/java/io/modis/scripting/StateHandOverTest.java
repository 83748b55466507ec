package io.modis.scripting;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.modis.core.TestServer;
import io.modis.core.TestServer.TestClient;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The state one scripting component hands to the next (a bundle update, or a stop and a later
 * start): the script cache and the function libraries arrive whole, and the new component runs
 * them with its own code.
 */
class StateHandOverTest {
    private static final String LIBRARY = "#!lua name=keys\n"
            + "redis.register_function('store', function(keys, args) return redis.call('put', keys[1], args[1]) end)\n"
            + "redis.register_function{function_name='peek', callback=function(keys) return redis.call('peek', keys[1]) end,"
            + " flags={'no-writes'}, description='reads a key'}\n";

    private final TestServer before = server();
    private final TestServer after = server();

    @AfterEach
    void stop() {
        before.close();
        after.close();
    }

    private static TestServer server() {
        TestServer t = new TestServer();
        t.addServerCommands();
        t.addCommands(ScriptLimitsTest.keyCommands());
        return t;
    }

    private static ScriptingHost host(TestServer t) {
        ScriptingHost host = new ScriptingHost();
        t.addCommands(host.commands());
        t.addConfigParams(host.configParams());
        return host;
    }

    @Test
    void scriptsAndLibrariesSurviveAndRunOnTheNewComponent() {
        ScriptingHost old = host(before);
        TestClient c = before.client();
        Object sha1 = c.call("script", "load", "return {KEYS[1], ARGV[1]}");
        c.call("eval", "#!lua flags=no-writes\nreturn 7", "0");
        String sha2 = LuaEngine.sha1hex("#!lua flags=no-writes\nreturn 7".getBytes(StandardCharsets.UTF_8));
        assertEquals("keys", c.call("function", "load", LIBRARY));
        Object libraries = c.call("function", "list", "withcode");

        byte[] state = before.onEngine(old::state);
        ScriptingHost successor = new ScriptingHost();
        after.onEngine(() -> successor.restore(state, after.server.log));
        after.addCommands(successor.commands());
        TestClient d = after.client();

        assertEquals(List.of(1L, 1L, 0L), d.call("script", "exists", (String) sha1, sha2, "0".repeat(40)));
        assertEquals(List.of("k", "v"), d.call("evalsha", (String) sha1, "1", "k", "v"));
        assertEquals(7L, d.call("evalsha_ro", sha2, "0"));
        assertEquals(libraries, d.call("function", "list", "withcode"));
        assertEquals(TestServer.OK, d.call("fcall", "store", "1", "n", "5"));
        assertEquals("5", d.call("fcall_ro", "peek", "1", "n"));
        assertEquals(before.onEngine(old::state).length, after.onEngine(successor::state).length);
    }

    @Test
    void handedOverScriptsAreCountedOnceWhetherCompiledYetOrNot() {
        ScriptingHost old = host(before);
        before.addInfoFields(old);
        TestClient c = before.client();
        c.call("script", "load", "return 1");
        c.call("script", "load", "return 2");
        String memory = scriptMemory(c);

        byte[] state = before.onEngine(old::state);
        ScriptingHost successor = host(after);
        after.addInfoFields(successor);
        after.onEngine(() -> successor.restore(state, after.server.log));
        TestClient d = after.client();
        assertEquals(memory, scriptMemory(d));
        assertEquals(1L, d.call("eval", "return 1", "0"));
        assertEquals(2L, d.call("evalsha", LuaEngine.sha1hex("return 2".getBytes(StandardCharsets.UTF_8)), "0"));
        assertEquals(memory, scriptMemory(d));
    }

    /** INFO memory's script cache lines. */
    private static String scriptMemory(TestClient c) {
        return ((String) c.call("info", "memory")).lines()
                .filter(l -> l.startsWith("used_memory_scripts_eval:") || l.startsWith("number_of_cached_scripts:"))
                .reduce("", (a, b) -> a + b + "\n");
    }

    @Test
    void anEmptyStateLeavesAnEmptyComponent() {
        byte[] state = before.onEngine(host(before)::state);
        ScriptingHost successor = host(after);
        after.onEngine(() -> successor.restore(state, after.server.log));
        TestClient d = after.client();
        assertEquals(List.of(), d.call("function", "list"));
        assertEquals(new TestServer.Err("NOSCRIPT No matching script. Please use EVAL."),
                d.call("evalsha", "0".repeat(40), "0"));
    }

    @Test
    void aStateOfAnUnknownFormatIsLeftOutAndLogged() {
        ScriptingHost successor = host(after);
        after.onEngine(() -> successor.restore(new byte[] {0, 0, 0, 9}, after.server.log));
        assertEquals(List.of(), after.client().call("function", "list"));
    }
}
