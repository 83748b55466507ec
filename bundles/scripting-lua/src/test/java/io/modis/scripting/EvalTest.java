package io.modis.scripting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modis.core.TestServer;
import io.modis.core.TestServer.Err;
import io.modis.core.TestServer.TestClient;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** EVAL and friends in the real core (TestServer), with the core's own commands. */
class EvalTest {
    private TestServer t;
    private TestClient c;
    private ScriptingHost host;

    @BeforeEach
    void start() {
        t = new TestServer();
        host = new ScriptingHost();
        t.addCommands(host.commands());
        t.addConfigParams(host.configParams());
        c = t.client();
    }

    @AfterEach
    void stop() {
        t.close();
    }

    private Object eval(String script, String... args) {
        String[] argv = new String[args.length + 2];
        argv[0] = "eval";
        argv[1] = script;
        System.arraycopy(args, 0, argv, 2, args.length);
        return c.call(argv);
    }

    private static String err(Object reply) {
        return assertInstanceOf(Err.class, reply).message();
    }

    @Test
    void convertsLuaValuesToReplies() {
        assertEquals("hello", eval("return 'hello'", "0"));
        assertEquals(100L, eval("return 100.5", "0"));
        assertEquals(1L, eval("return true", "0"));
        assertEquals(null, eval("return false", "0"));
        assertEquals(new TestServer.Status("fine"), eval("return {ok='fine'}", "0"));
        assertEquals("ERR this is an error", err(eval("return {err='ERR this is an error'}", "0")));
        assertEquals(Arrays.asList(1L, 2L, 3L, "ciao", List.of(1L, 2L)), eval("return {1,2,3,'ciao',{1,2}}", "0"));
        assertEquals(List.of(1L, 2L), eval("return {1,2,nil,4}", "0"));
        assertEquals(List.of("a", "b", "c", "d"), eval("return {KEYS[1],KEYS[2],ARGV[1],ARGV[2]}", "2", "a", "b", "c", "d"));
        assertEquals("0.0003 -5000 1023.2", eval("return tostring(0.0003) .. ' ' .. tostring(-5e3) .. ' ' .. tostring(1023.2)", "0"));
    }

    @Test
    void callsCommandsAndConvertsTheirReplies() {
        assertEquals(List.of("string", "hi"), eval("local r = redis.call('echo', 'hi'); return {type(r), r}", "0"));
        assertEquals(List.of("table", "PONG"), eval("local r = redis.call('ping'); return {type(r), r['ok']}", "0"));
        assertEquals(List.of("number", 0L), eval("local r = redis.call('exists', KEYS[1]); return {type(r), r}", "1", "k"));
        assertEquals("ERR Unknown Redis command called from script script: "
                + LuaEngine.sha1hex("redis.call('nosuchcommand')".getBytes()) + ", on @user_script:1.",
                err(eval("redis.call('nosuchcommand')", "0")));
        assertTrue(err(eval("redis.call('echo','a','b')", "0")).startsWith("ERR Wrong number of args calling Redis command from script"));
        assertTrue(err(eval("return redis.call()", "0")).contains("one argument"));
        assertTrue(err(eval("return redis.call('multi')", "0")).startsWith("ERR This Redis command is not allowed from script"));
        assertEquals("ERR Unknown Redis command called from script",
                eval("return redis.pcall('nosuch')['err']", "0"));
    }

    @Test
    void sandboxRefusesGlobalsAndUnsafeFunctions() {
        assertTrue(err(eval("return a", "0")).matches("ERR user_script:1: Script attempted to access nonexistent global variable 'a' script: .*, on @user_script:1\\."),
                () -> err(eval("return a", "0")));
        assertTrue(err(eval("a=10", "0")).contains("Attempt to modify a readonly table"));
        assertTrue(err(eval("redis.call = function() return 1 end", "0")).contains("Attempt to modify a readonly table"));
        assertTrue(err(eval("setmetatable(_G, {})", "0")).contains("Attempt to modify a readonly table"));
        assertTrue(err(eval("local g = getmetatable(_G); g.__index = {}", "0")).contains("Attempt to modify a readonly table"));
        assertTrue(err(eval("loadfile('x')", "0")).contains("nonexistent global variable 'loadfile'"));
        assertTrue(err(eval("print('x')", "0")).contains("nonexistent global variable 'print'"));
        String dumped = err(eval("return loadstring(string.dump(function() return 1 end))()", "0"));
        assertTrue(dumped.contains("attempt to call a nil value"), dumped);
        assertEquals(3L, eval("return unpack({1,2,3}) + 2", "0"));
    }

    @Test
    void validatesArguments() {
        assertEquals("ERR Number of keys can't be negative", err(eval("return 1", "-12")));
        assertEquals("ERR Number of keys can't be greater than number of args", err(eval("return 1", "2", "a")));
        assertEquals("ERR value is not an integer or out of range", err(eval("return 1", "x")));
        assertTrue(err(eval("return x = ", "0")).startsWith("ERR Error compiling script (new function): user_script:1: "));
        assertTrue(err(c.call("evalsha", "ffd632c7d33e571e9f24556ebed26c3479a87130", "0")).startsWith("NOSCRIPT"));
    }

    @Test
    void cachesScriptsBySha() {
        Object sha = c.call("script", "load", "return ARGV[1]");
        assertEquals(LuaEngine.sha1hex("return ARGV[1]".getBytes()), sha);
        assertEquals("x", c.call("evalsha", ((String) sha).toUpperCase(), "0", "x"));
        assertEquals(List.of(1L, 0L), c.call("script", "exists", (String) sha, "abc"));
        assertEquals(TestServer.OK, c.call("script", "flush"));
        assertEquals(List.of(0L), c.call("script", "exists", (String) sha));
    }

    @Test
    void readOnlyScriptsRefuseWrites() {
        assertEquals("ERR Write commands are not allowed from read-only scripts. script: "
                + LuaEngine.sha1hex("redis.call('del', KEYS[1])".getBytes()) + ", on @user_script:1.",
                err(c.call("eval_ro", "redis.call('del', KEYS[1])", "1", "k")));
        assertEquals("ERR Can not execute a script with write flag using *_ro command.",
                err(c.call("eval_ro", "#!lua\nreturn 1", "0")));
        assertEquals(1L, c.call("eval_ro", "#!lua flags=no-writes\nreturn 1", "0"));
        assertTrue(err(eval("#!lua flags=no-writes\nreturn redis.call('del', 'k')", "0")).startsWith("ERR Write commands are not allowed"));
        assertEquals("ERR Unexpected flag in script shebang: bad", err(eval("#!lua flags=bad\nreturn 1", "0")));
    }

    @Test
    void scriptEffectsArePropagatedInMultiExec() {
        t.takePropagated();
        eval("redis.call('select', '1'); redis.call('del', 'a'); return 1", "0");
        assertEquals(TestServer.OK, c.call("select", "0"));
        t.takePropagated();
        assertEquals(0L, eval("return redis.call('del', 'nokey')", "0"));
        assertEquals(List.of(), t.takePropagated());
    }

    @Test
    void functionsLoadAndRun() {
        assertEquals("mylib", c.call("function", "load",
                "#!lua name=mylib\nredis.register_function('hello', function(keys, args) return 'hi ' .. args[1] end)"));
        assertEquals("hi you", c.call("fcall", "hello", "0", "you"));
        assertEquals("hi you", c.call("fcall", "HELLO", "0", "you"));
        assertEquals("ERR Library 'MyLib' already exists", err(c.call("function", "load",
                "#!lua name=MyLib\nredis.register_function('x', function() return 1 end)")));
        assertEquals("ERR Library 'mylib' already exists", err(c.call("function", "load",
                "#!lua name=mylib\nredis.register_function('hello', function(keys, args) return 1 end)")));
        assertEquals("ERR Function not found", err(c.call("fcall", "nope", "0")));
        Object dump = c.call("function", "dump");
        assertEquals(TestServer.OK, c.call("function", "flush"));
        assertEquals(List.of(), c.call("function", "list"));
    }

    @Test
    void bitLibrary() {
        assertEquals(List.of(-1L, 8L, 255L, -2L), eval("return {bit.tobit(0xffffffff), bit.lshift(1, 3), bit.band(0x1ff, 0xff), bit.bnot(1)}", "0"));
        assertEquals("000000ff", eval("return bit.tohex(255)", "0"));
    }

    @Test
    void libraryCodeSeesOnlyTheLibraryApiWhileLoading() {
        assertTrue(err(c.call("function", "load", "#!lua name=l\nreturn math.random()"))
                .contains("attempted to access nonexistent global variable 'math'"));
        assertTrue(err(c.call("function", "load", "#!lua name=l\nreturn redis.call('ping')"))
                .contains("attempted to access nonexistent global variable 'call'"));
        assertTrue(err(c.call("function", "load", "#!lua name=l\na = 1")).contains("Attempt to modify a readonly table"));
        assertTrue(err(c.call("function", "load", "#!lua name=l\nreturn 1")).contains("No functions registered"));
        assertEquals("l", c.call("function", "load",
                "#!lua name=l\nlocal lib = redis\nredis.register_function('f1', function() lib.math = math end)\n"
                + "redis.register_function{function_name='f2', callback=function() return math.floor(2.5) end, flags={'no-writes'}}"));
        assertTrue(err(c.call("fcall", "f1", "0")).contains("Attempt to modify a readonly table"));
        assertEquals(2L, c.call("fcall_ro", "f2", "0"));
        assertEquals("ERR Can not execute a script with write flag using *_ro command.", err(c.call("fcall_ro", "f1", "0")));
    }

    @Test
    void functionDumpUsesRedisPayloadFormat() {
        assertEquals(0xe9c6d914c4b8d9caL, FunctionDump.crc64("123456789".getBytes(), 0, 9));
        FunctionLibraries.Library lib = new FunctionLibraries.Library("l1", "#!lua name=l1\nx".getBytes());
        byte[] payload = FunctionDump.dump(List.of(lib));
        assertEquals(245, payload[0] & 0xff);
        assertEquals(10, payload[payload.length - 10]);
        assertEquals("#!lua name=l1\nx", new String(FunctionDump.parse(payload).get(0)));
        payload[3] ^= 1;
        byte[] corrupt = payload;
        assertEquals("ERR DUMP payload version or checksum are wrong",
                org.junit.jupiter.api.Assertions.assertThrows(io.modis.api.CommandException.class,
                        () -> FunctionDump.parse(corrupt)).getMessage());
        assertTrue(err(c.call("function", "restore", "garbage")).contains("payload version or checksum are wrong"));
    }

    @Test
    void cjsonAndCmsgpack() {
        assertEquals("0 -5000 -1 0.0003 1023.2 0",
                eval("return table.concat(cjson.decode('[0.0, -5e3, -1, 0.3e-3, 1023.2, 0e10]'), ' ')", "0"));
        assertEquals(List.of("a", "b"), eval("local d = cjson.decode('{\"keya\": \"a\", \"keyb\": \"b\"}') return {d.keya, d.keyb}", "0"));
        assertEquals("[1,2,\"x\"]", eval("return cjson.encode({1,2,'x'})", "0"));
        assertEquals("{\"a\":1}", eval("return cjson.encode({a=1})", "0"));
        assertEquals("cb3fb999999999999a", eval("local e = cmsgpack.pack(0.1) local h = '' for i = 1, #e do h = h .. string.format('%02x', string.byte(e, i)) end return h", "0"));
        assertEquals("d3ffffff0000000000", eval("local e = cmsgpack.pack(-1099511627776) local h = '' for i = 1, #e do h = h .. string.format('%02x', string.byte(e, i)) end return h", "0"));
        assertEquals(List.of(1L, "x", 3L), eval("return cmsgpack.unpack(cmsgpack.pack({1, 'x', 3}))", "0"));
    }

    @Test
    void resp3RepliesBecomeLuaTablesAndBack() {
        t.addCommands(List.of(new io.modis.api.Command(io.modis.api.CommandSpec.of("testmap", 1).build(), ctx -> {
            ctx.reply().map(1);
            ctx.reply().bulk("maxmemory");
            ctx.reply().bulk("0");
        })));
        c.call("hello", "3");
        assertEquals(java.util.Map.of("a", "b"),
                eval("redis.setresp(3); return {map={a='b'}}", "0"));
        assertEquals(List.of("table", "0"),
                eval("redis.setresp(3); local r = redis.call('testmap'); return {type(r.map), r.map.maxmemory}", "0"));
        assertEquals(3.5, eval("return {double=3.5}", "0"));
        assertEquals(true, eval("redis.setresp(3); return true", "0"));
    }

    @Test
    void structLibrary() {
        assertEquals(List.of(1L, -2L, "ab", 300L, 10L), eval(
                "local s = struct.pack('>bhc2I', 1, -2, 'ab', 300) return {struct.unpack('>bhc2I', s)}", "0"));
        assertEquals(List.of(7L, 4L), eval("return {struct.size('<bhI'), #struct.pack('<d', 1.5) - 4}", "0"));
        assertEquals(List.of("hi", 4L), eval("return {struct.unpack('s', struct.pack('s', 'hi'))}", "0"));
    }

    @Test
    void numbersBecomeTextAsInC() {
        assertEquals("0.10000000000000001", LuaEngine.format17g(0.1));
        assertEquals("2.5", LuaEngine.format17g(2.5));
        assertEquals("1e+20", LuaEngine.format17g(1e20));
        assertEquals("-1.4999999999999999e-07", LuaEngine.format17g(-1.5e-7));
        assertEquals("0.1 1e+15 -3 1.5e-07 123456.789", eval(
                "return tostring(0.1) .. ' ' .. tostring(1e15) .. ' ' .. tostring(-3) .. ' ' .. tostring(1.5e-7) .. ' ' .. tostring(123456.789)", "0"));
    }

    @Test
    void functionStoreGivesAndLoadsLibraryCode() {
        c.call("function", "load", "#!lua name=l1\nredis.register_function('a', function() return 1 end)");
        List<byte[]> codes = t.onEngine(host::libraries);
        assertEquals("#!lua name=l1\nredis.register_function('a', function() return 1 end)", new String(codes.get(0)));
        t.onEngine(host::flush);
        assertEquals(List.of(), c.call("function", "list"));
        t.onEngine(() -> host.load(codes, false));
        assertEquals(1L, c.call("fcall", "a", "0"));
        assertTrue(org.junit.jupiter.api.Assertions.assertThrows(io.modis.api.CommandException.class,
                () -> t.onEngine(() -> host.load(codes, false))).getMessage().contains("already exists"));
    }

    @Test
    void callErrorsUseLua51Wording() {
        // LuaJ words it "attempt to call nil"; the bundle names the called expression as 5.1 does
        assertTrue(err(eval("local t = {} t.nofunc()", "0")).contains("attempt to call field 'nofunc' (a nil value)"));
        assertTrue(err(eval("local x x()", "0")).contains("attempt to call local 'x' (a nil value)"));
        String field = err(eval("redis.nosuch()", "0"));
        assertTrue(field.contains("attempt to call field 'nosuch' (a nil value)"), field);
        c.call("function", "load", "#!lua name=lib\nredis.register_function('f1', function()\n"
                + "  redis.register_function('f2', function() return 2 end)\n  return 1\nend)");
        String inside = err(c.call("fcall", "f1", "0"));
        assertTrue(inside.contains("attempt to call field 'register_function' (a nil value)"), inside);
    }

    @Test
    void functionsRunTheInstructionHook() {
        c.call("function", "load", "#!lua name=loop\nredis.register_function('spin', function() local i = 0 while i < 300000 do i = i + 1 end return i end)");
        int[] checks = {0};
        host.checkpointObserver = run -> checks[0]++;
        assertEquals(300000L, c.call("fcall", "spin", "0"));
        assertTrue(checks[0] > 0, "the hook ran " + checks[0] + " times");
        checks[0] = 0;
        assertEquals(300000L, eval("local i = 0 while i < 300000 do i = i + 1 end return i", "0"));
        assertTrue(checks[0] > 0, "the hook ran " + checks[0] + " times");
    }
}
