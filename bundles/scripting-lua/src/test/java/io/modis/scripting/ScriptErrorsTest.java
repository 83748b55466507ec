package io.modis.scripting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.modis.core.TestServer;
import io.modis.core.TestServer.Err;
import io.modis.core.TestServer.TestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Script error messages and number text as Lua 5.1 (Redis) gives them: {@link ScriptErrors} on
 * its own, then through EVAL in the real core.
 */
class ScriptErrorsTest {
    private static final String TB = "\n" + ScriptErrors.NO_TRACEBACK;

    private TestServer t;
    private TestClient c;

    @BeforeEach
    void start() {
        t = new TestServer();
        ScriptingHost host = new ScriptingHost();
        t.addCommands(host.commands());
        t.addConfigParams(host.configParams());
        c = t.client();
    }

    @AfterEach
    void stop() {
        t.close();
    }

    private Object eval(String script) {
        return c.call("eval", script, "0");
    }

    private String err(String script) {
        return assertInstanceOf(Err.class, eval(script)).message();
    }

    private static String sha(String script) {
        return LuaEngine.sha1hex(script.getBytes());
    }

    @Test
    void normalizesLuajPositionsWordingAndTraceback() {
        assertEquals("user_script:3: boom", ScriptErrors.normalize("@user_script:3 boom" + TB));
        assertEquals("user_function:1: attempt to call a nil value",
                ScriptErrors.normalize("@user_function:1 attempt to call nil" + TB));
        assertEquals("(load):2: attempt to index a table value",
                ScriptErrors.normalize("=(load):2 attempt to index ? (a table value)" + TB));
        assertEquals("[string \"chunk\"]:?: x", ScriptErrors.normalize("chunk:? x" + TB));
        // FUNCTION code: LuaJ adds no traceback there
        assertEquals("user_function:3: boom", ScriptErrors.normalize("@user_function:3 boom"));
        // a message LuaJ did not position is left alone, bar the wording of a type error
        assertEquals("(load):3 boom", ScriptErrors.normalize("(load):3 boom"));
        assertEquals("attempt to get length of a nil value", ScriptErrors.normalize("attempt to get length of nil"));
        assertEquals("user_script:3: boom", ScriptErrors.normalize(ScriptErrors.normalize("@user_script:3 boom" + TB)));
        // error(nil)
        assertNull(ScriptErrors.normalize("null" + TB));
        assertEquals("user_script:1: null", ScriptErrors.normalize("@user_script:1 null" + TB));
        // a newline inside the message stays
        assertEquals("user_script:1: a\nb\n", ScriptErrors.normalize("@user_script:1 a\nb\n" + TB));
    }

    @Test
    void namesWhatACallOrIndexFailedOnAsLua51() {
        assertEquals("user_script:1: attempt to call field 'nofunc' (a nil value)",
                eval("local ok, e = pcall(function() local t = {} t.nofunc() end) return e"));
        assertEquals("user_script:1: attempt to call field 'nosuch' (a nil value)",
                eval("local ok, e = pcall(function() redis.nosuch() end) return e"));
        assertEquals("user_script:1: attempt to call method 'nosuch' (a nil value)",
                eval("local ok, e = pcall(function() local t = {} t:nosuch() end) return e"));
        assertEquals("user_script:1: attempt to call upvalue 'u' (a nil value)",
                eval("local u local ok, e = pcall(function() u() end) return e"));
        assertEquals("user_script:1: attempt to index field 'b' (a nil value)",
                eval("local ok, e = pcall(function() local t = {} return t.b.c end) return e"));
        assertEquals("user_script:1: attempt to index local 't' (a number value)",
                eval("local ok, e = pcall(function() local t = 1 t.x = 2 end) return e"));
        // a value with no name (a call's result) keeps the nameless form
        assertEquals("user_script:1: attempt to call a nil value",
                eval("local ok, e = pcall(function() local f = function() end f()() end) return e"));
        assertEquals("user_function:1: attempt to call field 'x' (a nil value)",
                ScriptErrors.normalize("@user_function:1 attempt to call nil" + TB + "\tcall field 'x'"));
        // the name is for the failing call or index only
        assertEquals("user_function:1: boom", ScriptErrors.normalize("@user_function:1 boom" + TB + "\tcall field 'x'"));
    }

    @Test
    void rewordsTypeErrorsAsLua51() {
        assertEquals("attempt to call a nil value", ScriptErrors.reword("attempt to call nil"));
        assertEquals("attempt to index a boolean value", ScriptErrors.reword("attempt to index ? (a boolean value)"));
        assertEquals("attempt to index a number value", ScriptErrors.reword("index expected, got number"));
        assertEquals("attempt to perform arithmetic on a table value", ScriptErrors.reword("attempt to perform arithmetic on table"));
        assertEquals("attempt to perform arithmetic on a nil value",
                ScriptErrors.reword("attempt to perform arithmetic __add on number and nil"));
        assertEquals("attempt to perform arithmetic on a table value",
                ScriptErrors.reword("attempt to perform arithmetic __mul on table and number"));
        assertEquals("attempt to concatenate a nil value", ScriptErrors.reword("attempt to concatenate string and nil"));
        assertEquals("attempt to call nil values", ScriptErrors.reword("attempt to call nil values"));
        assertEquals("attempt to compare number with nil", ScriptErrors.reword("attempt to compare number with nil"));
    }

    @Test
    void findsWhereLuajRaisedTheError() {
        assertEquals(new ScriptErrors.Where("@user_script", "12"), ScriptErrors.where("@user_script:12 table: 1f2e" + TB));
        assertEquals(new ScriptErrors.Where("@user_function", "2"), ScriptErrors.where("@user_function:2 boom"));
        assertNull(ScriptErrors.where("=(load):12 boom"));
        assertNull(ScriptErrors.where(null));
    }

    @Test
    void errorRepliesReadAsRedis() {
        String s = "local x\nreturn x.y";
        assertEquals("ERR user_script:2: attempt to index local 'x' (a nil value) script: " + sha(s)
                + ", on @user_script:2.", err(s));
        s = "local x; x()";
        assertEquals("ERR user_script:1: attempt to call local 'x' (a nil value) script: " + sha(s)
                + ", on @user_script:1.", err(s));
        s = "local x; return 1 + x";
        assertEquals("ERR user_script:1: attempt to perform arithmetic on a nil value script: " + sha(s)
                + ", on @user_script:1.", err(s));
        s = "local x; return #x";
        assertEquals("ERR user_script:1: attempt to get length of a nil value script: " + sha(s)
                + ", on @user_script:1.", err(s));
        s = "return {} .. 'x'";
        assertEquals("ERR user_script:1: attempt to concatenate a table value script: " + sha(s)
                + ", on @user_script:1.", err(s));
        s = "error('my error')";
        assertEquals("ERR user_script:1: my error script: " + sha(s) + ", on @user_script:1.", err(s));
        s = "\n\nredis.call('nosuchcommand')";
        assertEquals("ERR Unknown Redis command called from script script: " + sha(s) + ", on @user_script:3.", err(s));
        s = "error({err='MY custom'})";
        assertEquals("MY custom script: " + sha(s) + ", on @user_script:1.", err(s));
    }

    @Test
    void pcallXpcallAndCoroutinesSeeLua51Messages() {
        assertEquals("user_script:1: attempt to index local 'x' (a nil value)",
                eval("local ok, e = pcall(function() local x; return x.y end) return e"));
        assertEquals("user_script:1: boom", eval("local ok, e = pcall(function() error('boom') end) return e"));
        assertEquals("boom", eval("local ok, e = pcall(error, 'boom') return e"));
        assertEquals("nil", eval("local ok, e = pcall(error) return type(e)"));
        assertEquals("ERR Unknown Redis command called from script",
                eval("local ok, e = pcall(function() redis.call('nosuch') end) return e.err"));
        assertEquals("H:user_script:1: boom",
                eval("local ok, e = xpcall(function() error('boom') end, function(m) return 'H:' .. m end) return e"));
        assertEquals("user_script:1: boom",
                eval("local co = coroutine.create(function() error('boom') end) local ok, e = coroutine.resume(co) return e"));
        assertEquals("user_script:1: boom",
                eval("local f = coroutine.wrap(function() error('boom') end) local ok, e = pcall(f) return e"));
        assertEquals(java.util.List.of(1L, 2L),
                eval("local f = coroutine.wrap(function(a) local b = coroutine.yield(a) return b end) return {f(1), f(2)}"));
        String s = "local f = coroutine.wrap(function() error('boom') end)\nf()";
        assertEquals("ERR user_script:1: boom script: " + sha(s) + ", on @user_script:2.", err(s));
    }

    @Test
    void functionErrorsReadAsRedis() {
        assertEquals("lib", c.call("function", "load", "#!lua name=lib\n"
                + "redis.register_function('f', function() local x; return x + 1 end)\n"
                + "redis.register_function('g', function() local r = redis.call('nosuch') return r end)\n"
                + "redis.register_function('h', function() local ok, e = pcall(function() local t; return t.x end) return e end)"));
        assertEquals("ERR user_function:2: attempt to perform arithmetic on a nil value script: f, on @user_function:2.",
                assertInstanceOf(Err.class, c.call("fcall", "f", "0")).message());
        assertEquals("ERR Unknown Redis command called from script script: g, on @user_function:3.",
                assertInstanceOf(Err.class, c.call("fcall", "g", "0")).message());
        assertEquals("user_function:4: attempt to index local 't' (a nil value)", c.call("fcall", "h", "0"));
        assertEquals("ERR Error registering functions: ERR user_function:3: Script attempted to access nonexistent global variable 'error'",
                assertInstanceOf(Err.class, c.call("function", "load", "#!lua name=lib2\n\nerror('boom')")).message());
    }

    @Test
    void numbersReadAsLua51() {
        assertEquals("0.33333333333333 1e+20 -0.5 100 9.007199254741e+15 1e-05 inf -inf",
                eval("return tostring(1/3) .. ' ' .. tostring(1e20) .. ' ' .. tostring(-0.5) .. ' ' .. tostring(100)"
                        + " .. ' ' .. tostring(2^53) .. ' ' .. tostring(0.00001) .. ' ' .. tostring(1/0)"
                        + " .. ' ' .. tostring(-1/0)"));
        assertEquals("1,0.5,x,0.33333333333333", eval("return table.concat({1, 0.5, 'x', 1/3}, ',')"));
        assertEquals("b-c", eval("return table.concat({'a', 'b', 'c'}, '-', 2)"));
        assertEquals("a", eval("return table.concat({'a', 'b', 'c'}, '-', 1, 1)"));
        assertEquals("", eval("return table.concat({})"));
        assertEquals("user_script:1: invalid value (at index 2) in table for 'concat'",
                eval("local ok, e = pcall(function() local r = table.concat({1, {}}) return r end) return e"));
        assertEquals("user_script:1: bad argument #1 to 'concat' (table expected, got nil)",
                eval("local ok, e = pcall(function() local r = table.concat(nil) return r end) return e"));
        assertEquals("table", eval("return tostring({}):sub(1, 5)"));
        assertEquals(sha("0.33333333333333"), eval("return redis.sha1hex(1/3)"));
    }
}
