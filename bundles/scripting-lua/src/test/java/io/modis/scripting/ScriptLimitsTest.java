package io.modis.scripting;

import static io.modis.api.CommandFlag.DENYOOM;
import static io.modis.api.CommandFlag.READONLY;
import static io.modis.api.CommandFlag.WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modis.api.Command;
import io.modis.api.CommandSpec;
import io.modis.api.StringValue;
import io.modis.api.Value;
import io.modis.core.TestServer;
import io.modis.core.TestServer.Err;
import io.modis.core.TestServer.TestClient;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What scripts may do over maxmemory, how their errors count in INFO errorstats and
 * commandstats, the script caches in INFO memory, shebang parsing and redis.acl_check_cmd: in the
 * real core (TestServer) with its CONFIG and INFO.
 */
class ScriptLimitsTest {
    private static final String OOM = "OOM command not allowed when used memory > 'maxmemory'.";

    private TestServer t;
    private TestClient c;

    /** A deny-oom write ("put key value") and a read ("peek key"), so no type bundle is needed. */
    static List<Command> keyCommands() {
        Command put = new Command(CommandSpec.of("put", 3).flags(WRITE, DENYOOM).keys(1, 1, 1).build(), ctx -> {
            ctx.db().set(ctx.arg(1), StringValue.of(ctx.arg(2)));
            ctx.touched(ctx.db(), ctx.arg(1));
            ctx.dirty(1);
            ctx.reply().ok();
        });
        Command peek = new Command(CommandSpec.of("peek", 2).flags(READONLY).keys(1, 1, 1).build(), ctx -> {
            Value v = ctx.db().get(ctx.arg(1));
            if (v == null) {
                ctx.reply().nil();
            } else {
                ctx.reply().bulk(((StringValue) v).bytes());
            }
        });
        return List.of(put, peek);
    }

    @BeforeEach
    void start() {
        t = new TestServer();
        ScriptingHost host = new ScriptingHost();
        t.addServerCommands();
        t.addCommands(keyCommands());
        t.addCommands(host.commands());
        t.addConfigParams(host.configParams());
        t.addInfoFields(host);
        c = t.client();
    }

    @AfterEach
    void stop() {
        t.close();
    }

    private String err(Object reply) {
        return assertInstanceOf(Err.class, reply).message();
    }

    private String info(String section) {
        return (String) c.call("info", section);
    }

    @Test
    void overMaxmemoryScriptsMayNotStartWriting() {
        c.call("put", "x", "123");
        c.call("function", "load", "#!lua name=lib\n"
                + "redis.register_function('w', function() return redis.call('put', 'x', '2') end)\n"
                + "redis.register_function{function_name='r', callback=function() return 'hello' end, flags={'no-writes'}}");
        c.call("config", "set", "maxmemory", "1");
        // no shebang: refused at the first deny-oom command, reads are fine
        assertTrue(err(c.call("eval", "redis.call('put', 'x', '1') return 1", "1", "x")).startsWith(OOM + " script: "));
        assertEquals("123", c.call("eval", "return redis.call('peek', 'x')", "1", "x"));
        assertEquals(OOM, c.call("eval", "return redis.pcall('put', 'x', '1')['err']", "1", "x"));
        // with a shebang: refused before running unless allow-oom or no-writes
        assertEquals(OOM, err(c.call("eval", "#!lua flags=\nreturn 1", "0")));
        assertEquals(1L, c.call("eval", "#!lua flags=allow-oom\nredis.call('put', 'x', '1') return 1", "1", "x"));
        assertEquals("1", c.call("eval", "#!lua flags=no-writes\nreturn redis.call('peek', 'x')", "0"));
        assertEquals("1", c.call("eval_ro", "#!lua flags=no-writes\nreturn redis.call('peek', 'x')", "1", "x"));
        assertEquals(OOM, err(c.call("function", "load", "#!lua name=lib2\n"
                + "redis.register_function('w2', function() return 1 end)")));
        assertEquals(OOM, err(c.call("fcall", "w", "0")));
        assertEquals("hello", c.call("fcall", "r", "0"));
        assertEquals("hello", c.call("fcall_ro", "r", "0"));
        c.call("config", "set", "maxmemory", "0");
        assertEquals(new TestServer.Status("OK"), c.call("fcall", "w", "0"));
        assertEquals("2", c.call("peek", "x"));
    }

    @Test
    void overMaxmemoryScriptsWithFlagsAreRejectedCallsBeforeRunning() {
        c.call("function", "load", "#!lua name=lib\n"
                + "redis.register_function('w', function() return 1 end)\n"
                + "redis.register_function{function_name='r', callback=function() return 2 end, flags={'no-writes'}}");
        String sha = (String) c.call("script", "load", "#!lua\nreturn 3");
        c.call("config", "set", "maxmemory", "1");
        c.call("config", "resetstat");
        assertEquals(OOM, err(c.call("eval", "#!lua\nreturn 1", "0")));
        assertEquals(OOM, err(c.call("evalsha", sha, "0")));
        assertEquals(OOM, err(c.call("fcall", "w", "0")));
        assertEquals(2L, c.call("fcall", "r", "0"));
        // refused before running, as Redis's command flags derived from the script: rejected calls
        String stats = info("commandstats");
        assertTrue(stats.matches("(?s).*cmdstat_eval:calls=0,.*rejected_calls=1,failed_calls=0.*"), stats);
        assertTrue(stats.matches("(?s).*cmdstat_evalsha:calls=0,.*rejected_calls=1,failed_calls=0.*"), stats);
        assertTrue(stats.matches("(?s).*cmdstat_fcall:calls=1,.*rejected_calls=1,failed_calls=0.*"), stats);
        assertTrue(info("errorstats").contains("errorstat_OOM:count=3"));
        // a script without flags is refused only when it calls a deny-oom command (a failed call)
        assertEquals(1L, c.call("eval", "return 1", "0"));
        // an EXEC holding such a script is refused as a whole, with the OOM error
        c.call("config", "set", "maxmemory", "0");
        assertEquals(TestServer.OK, c.call("multi"));
        assertEquals(new TestServer.Status("QUEUED"), c.call("fcall", "w", "0"));
        t.client().call("config", "set", "maxmemory", "1");
        assertEquals("EXECABORT Transaction discarded because of: " + OOM, err(c.call("exec")));
    }

    @Test
    void errorsOfCommandsInScriptsCountOnce() {
        c.call("config", "set", "maxmemory", "1");
        c.call("config", "resetstat");
        err(c.call("eval", "return redis.call('put', 'x', 'y')", "1", "x"));
        assertStats("errorstat_OOM:count=1", "total_error_replies:1", "cmdstat_put:calls=0,", "rejected_calls=1,failed_calls=0",
                "cmdstat_eval:calls=1,");
        assertTrue(info("commandstats").matches("(?s).*cmdstat_eval:calls=1,.*rejected_calls=0,failed_calls=1.*"));

        // pcall: the error is the command's, counted once; the script succeeds
        c.call("config", "resetstat");
        assertEquals(1L, c.call("eval", "local t = redis.pcall('put', 'x', 'y') return t['err'] == \"" + OOM
                + "\" and 1 or 0", "1", "x"));
        assertStats("errorstat_OOM:count=1", "total_error_replies:1");
        assertTrue(info("commandstats").matches("(?s).*cmdstat_eval:calls=1,.*rejected_calls=0,failed_calls=0.*"));

        // the error table returned as the reply is not counted again
        c.call("config", "resetstat");
        assertEquals(OOM, err(c.call("eval", "return redis.pcall('put', 'x', 'y')", "1", "x")));
        assertStats("errorstat_OOM:count=1", "total_error_replies:1");
        assertTrue(info("commandstats").matches("(?s).*cmdstat_eval:calls=1,.*rejected_calls=0,failed_calls=1.*"));

        // a command's own error, raised by redis.call
        c.call("config", "set", "maxmemory", "0");
        c.call("config", "resetstat");
        assertTrue(err(c.call("eval", "return redis.call('select', 99)", "0")).startsWith("ERR DB index is out of range"));
        assertStats("errorstat_ERR:count=1", "total_error_replies:1");
        assertTrue(info("commandstats").matches("(?s).*cmdstat_select:calls=1,.*rejected_calls=0,failed_calls=1.*"));
        assertTrue(info("commandstats").matches("(?s).*cmdstat_eval:calls=1,.*rejected_calls=0,failed_calls=1.*"));

        // refused by the script checks (a write in a read-only script)
        c.call("config", "resetstat");
        assertEquals("ERR Write commands are not allowed from read-only scripts.",
                c.call("eval_ro", "return redis.pcall('put', 'x', 'y')['err']", "1", "x"));
        assertStats("errorstat_ERR:count=1", "total_error_replies:1");
        assertTrue(info("commandstats").matches("(?s).*cmdstat_put:calls=0,.*rejected_calls=1,failed_calls=0.*"));

        // an error of the script itself counts when it is replied
        c.call("config", "resetstat");
        err(c.call("eval", "return redis.call()", "0"));
        assertStats("errorstat_ERR:count=1", "total_error_replies:1");
    }

    private void assertStats(String... fields) {
        String all = info("errorstats") + info("stats") + info("commandstats");
        for (String f : fields) {
            assertTrue(all.contains(f), f + " in\n" + all);
        }
    }

    @Test
    void infoMemoryCountsCachedScriptsAndLibraries() {
        for (int i = 0; i < 100; i++) {
            c.call("script", "load", "return " + i);
        }
        assertTrue(info("memory").contains("number_of_cached_scripts:100\r\n"), info("memory"));
        c.call("function", "load", "#!lua name=lib\nredis.register_function('a', function() return 1 end)\n"
                + "redis.register_function('b', function() return 2 end)");
        String memory = info("memory");
        assertTrue(memory.contains("number_of_functions:2\r\n"), memory);
        assertTrue(memory.contains("number_of_libraries:1\r\n"), memory);
        assertTrue(memory.matches("(?s).*used_memory_scripts:[1-9][0-9]*\r\n.*"), memory);
        c.call("script", "flush", "async");
        c.call("function", "flush");
        memory = info("memory");
        assertTrue(memory.contains("number_of_cached_scripts:0\r\n"), memory);
        assertTrue(memory.contains("number_of_functions:0\r\n"), memory);
        assertTrue(memory.contains("used_memory_scripts:0\r\n"), memory);
    }

    @Test
    void shebangsAreSplitAsRedisSplitsArguments() {
        assertEquals("foo", c.call("function", "load", "replace", "#!lua name=\"foo\"\n"
                + "redis.register_function('foo', function() return 1 end)"));
        assertEquals("bar", c.call("function", "load", "#!lua  'name=bar'\t\n"
                + "redis.register_function('bar', function() return 1 end)"));
        assertEquals("ERR Engine '' not found", err(c.call("function", "load", "#! name=test\n"
                + "redis.register_function('x', function() return 1 end)")));
        assertEquals("ERR Invalid library metadata", err(c.call("function", "load", "#!lua name=\"foo\n"
                + "redis.register_function('x', function() return 1 end)")));
        assertEquals("ERR Invalid metadata value given: foo=bar", err(c.call("function", "load", "#!lua name=t foo=bar\n"
                + "redis.register_function('x', function() return 1 end)")));
        assertEquals(1L, c.call("eval", "#!lua flags=\"no-writes,allow-oom\"\nreturn 1", "0"));
        assertEquals("ERR Invalid engine in script shebang", err(c.call("eval", "#!lua 'x\nreturn 1", "0")));
        assertEquals(List.of("#!lua", "a b", "c\n", "it's"), ScriptFlags.words(" #!lua \"a b\" \"c\\n\" 'it\\'s'"));
        assertEquals(List.of("\u00ff"), ScriptFlags.words("\"\\xff\""));
        assertEquals(null, ScriptFlags.words("\"a\"b"));
    }

    @Test
    void aclCheckWithoutAnAclBundleAllowsEveryCommand() {
        assertEquals(1L, c.call("eval", "return redis.acl_check_cmd('put', 'x', 1)", "0"));
        assertTrue(err(c.call("eval", "return redis.acl_check_cmd('nosuch')", "0"))
                .startsWith("ERR Invalid command passed to redis.acl_check_cmd()"));
    }
}
