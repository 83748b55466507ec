package io.modis.scripting;

import io.modis.api.Bytes;
import io.modis.api.CommandContext;
import io.modis.api.CommandFlag;
import io.modis.api.CommandSpec;
import io.modis.api.Reply;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.luaj.vm2.LoadState;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaFunction;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.compiler.LuaC;
import org.luaj.vm2.lib.BaseLib;
import org.luaj.vm2.lib.CoroutineLib;
import org.luaj.vm2.lib.OneArgFunction;
import org.luaj.vm2.lib.PackageLib;
import org.luaj.vm2.lib.StringLib;
import org.luaj.vm2.lib.TableLib;
import org.luaj.vm2.lib.VarArgFunction;
import org.luaj.vm2.lib.ZeroArgFunction;
import org.luaj.vm2.lib.jse.JseMathLib;

/**
 * One Lua sandbox (Redis keeps one for EVAL scripts and one for FUNCTION libraries): the
 * Lua 5.1 globals scripts rely on, the {@code redis} API and the bundled libraries, all
 * read-only; and the running script's state, through which redis.call reaches the core.
 */
final class LuaEngine {
    static final String REDIS_VERSION = "7.0.15";
    static final int REDIS_VERSION_NUM = 0x07000f;
    /** Nesting depth past which a returned table is answered "reached lua stack limit". */
    static final int MAX_REPLY_DEPTH = 1000;
    static final String OOM = "OOM command not allowed when used memory > 'maxmemory'.";
    /** The field of an error table whose error was counted in errorstats where it arose. */
    private static final LuaValue COUNTED = LuaValue.valueOf("ignore_error_stats_update");

    /** What a running script may do and has done. */
    static final class Run {
        final CommandContext ctx;
        /** The SHA of an EVAL script or the name of a function (error messages). */
        final String name;
        final boolean readOnly;
        final boolean allowOom;
        final boolean evalMode;
        final long startMillis = System.currentTimeMillis();
        /** The command that runs the script (FUNCTION STATS); ctx.args() changes under nested calls. */
        final byte[][] argv;
        int resp = 2;
        boolean wrote;
        boolean killed;
        boolean busy;
        /** The debugger session of this run (SCRIPT DEBUG), or null. */
        LuaDebugger debugger;

        Run(CommandContext ctx, String name, boolean readOnly, boolean allowOom, boolean evalMode) {
            this.ctx = ctx;
            this.name = name;
            this.readOnly = readOnly;
            this.allowOom = allowOom;
            this.evalMode = evalMode;
            this.argv = ctx.args();
        }
    }

    /**
     * Thrown through the interpreter to stop a script (SCRIPT KILL / FUNCTION KILL): an Error, so
     * that neither Lua's pcall nor LuaJ's exception wrapping can catch it.
     */
    static final class Killed extends Error {
        Killed() {
            super("killed", null, false, false);
        }
    }

    final SandboxGlobals globals = new SandboxGlobals();
    final ScriptGuard guard;
    final LuaTable redis;
    Run run;
    /** While a FUNCTION library's code runs: its time limit check. */
    Runnable loadCheck;
    /** Called every few instructions of a running script; the host decides about time limits. */
    private final java.util.function.Consumer<Run> checkpoint;

    LuaEngine(java.util.function.Consumer<Run> checkpoint) {
        this.checkpoint = checkpoint;
        this.guard = new ScriptGuard(this::checkpoint);
        globals.load(new BaseLib());
        globals.load(new PackageLib());
        globals.load(new TableLib());
        globals.load(new StringLib());
        globals.load(new CoroutineLib());
        globals.load(new JseMathLib());
        LoadState.install(globals);
        LuaC.install(globals);
        for (String denied : new String[] {"dofile", "loadfile", "print", "rawlen", "require", "module", "package"}) {
            globals.rawset(denied, LuaValue.NIL);
        }
        LuaTable table = (LuaTable) globals.get("table");
        LuaValue unpack = table.get("unpack");
        globals.rawset("unpack", unpack);
        table.rawset("getn", new OneArgFunction() {
            @Override
            public LuaValue call(LuaValue t) {
                return LuaValue.valueOf(t.checktable().length());
            }
        });
        table.rawset("maxn", new OneArgFunction() {
            @Override
            public LuaValue call(LuaValue t) {
                double max = 0;
                LuaValue k = LuaValue.NIL;
                LuaTable tt = t.checktable();
                while (true) {
                    Varargs n = tt.next(k);
                    if ((k = n.arg1()).isnil()) {
                        break;
                    }
                    if (k.type() == LuaValue.TNUMBER && k.todouble() > max) {
                        max = k.todouble();
                    }
                }
                return LuaValue.valueOf(max);
            }
        });
        LuaValue load = globals.get("load");
        globals.rawset("load", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                return loadText(load, args);
            }
        });
        globals.rawset("loadstring", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                return loadText(load, args);
            }
        });
        globals.rawset("gcinfo", new ZeroArgFunction() {
            @Override
            public LuaValue call() {
                Runtime rt = Runtime.getRuntime();
                return LuaValue.valueOf((int) ((rt.totalMemory() - rt.freeMemory()) / 1024));
            }
        });
        globals.rawset("getfenv", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                return globals;
            }
        });
        globals.rawset("setfenv", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                throw new LuaError("setfenv is not supported");
            }
        });
        Lua51Base.install(globals);
        globals.rawset("bit", LuaBit.library());
        globals.rawset("cjson", LuaCjson.library());
        globals.rawset("cmsgpack", LuaMsgPack.library());
        globals.rawset("struct", LuaStruct.library());
        globals.rawset("redis", redisApi());
        // every library table becomes read-only, as Redis protects everything reachable from _G
        for (String lib : new String[] {"string", "table", "math", "coroutine", "bit", "cjson", "cmsgpack", "struct",
                "redis"}) {
            LuaValue t = globals.get(lib);
            if (t.istable()) {
                ReadonlyTable copy = ReadonlyTable.copyOf((LuaTable) t);
                globals.rawset(lib, copy);
            }
        }
        redis = (LuaTable) globals.get("redis");
        globals.setmetatable(missingGlobalError());
        globals.debuglib = guard;
        globals.freeze();
    }

    /** A read-only metatable whose __index raises Redis's error for a missing global. */
    static ReadonlyTable missingGlobalError() {
        ReadonlyTable meta = new ReadonlyTable();
        meta.rawset("__index", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                throw new LuaError("Script attempted to access nonexistent global variable '"
                        + args.arg(2).tojstring() + "'");
            }
        });
        return meta.freeze();
    }

    /** load/loadstring for text only: a binary chunk gives nil and a message, as Redis 7.0. */
    private Varargs loadText(LuaValue load, Varargs args) {
        LuaValue chunk = args.arg1();
        if (chunk.isstring()) {
            LuaString s = chunk.checkstring();
            if (s.length() > 0 && s.luaByte(0) == 27) {
                return LuaValue.varargsOf(LuaValue.NIL, LuaValue.valueOf("attempt to load a binary chunk"));
            }
            return load.invoke(LuaValue.varargsOf(new LuaValue[] {chunk, args.arg(2).isnil()
                    ? LuaValue.valueOf("=(load)") : args.arg(2), LuaValue.valueOf("t")}));
        }
        return load.invoke(LuaValue.varargsOf(new LuaValue[] {chunk, args.arg(2), LuaValue.valueOf("t")}));
    }

    private void checkpoint() {
        Run r = run;
        if (r == null) {
            if (loadCheck != null) {
                loadCheck.run();
            }
            return;
        }
        if (r.killed) {
            throw new Killed();
        }
        checkpoint.accept(r);
        if (r.killed) {
            throw new Killed();
        }
    }

    /** Compiles a script body (after its shebang line, keeping line numbers) into a function. */
    LuaFunction compile(byte[] body, int offset, String chunkName) {
        return compile(body, offset, chunkName, globals);
    }

    /** Compiles with {@code env} as the chunk's globals. */
    LuaFunction compile(byte[] body, int offset, String chunkName, LuaValue env) {
        return (LuaFunction) globals.load(new ByteArrayInputStream(body, offset, body.length - offset), chunkName,
                "t", env);
    }

    // ---------------------------------------------------------------- the redis table

    private LuaTable redisApi() {
        LuaTable r = new LuaTable();
        r.rawset("call", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                return command(args, true);
            }
        });
        r.rawset("pcall", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                return command(args, false);
            }
        });
        r.rawset("error_reply", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                if (args.narg() != 1 || !args.arg1().isstring()) {
                    throw new LuaError(errorTable("ERR wrong number or type of arguments"));
                }
                String e = args.arg1().tojstring();
                return errorTable(normalizeError(e.startsWith("-") ? e : "-" + e));
            }
        });
        r.rawset("status_reply", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                if (args.narg() != 1 || !args.arg1().isstring()) {
                    throw new LuaError(errorTable("ERR wrong number or type of arguments"));
                }
                return LuaValue.tableOf(new LuaValue[] {LuaValue.valueOf("ok"), args.arg1()});
            }
        });
        r.rawset("sha1hex", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                if (args.narg() != 1) {
                    throw new LuaError(errorTable("ERR wrong number of arguments"));
                }
                return LuaValue.valueOf(sha1hex(bytes(args.arg1())));
            }
        });
        r.rawset("log", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                log(args);
                return LuaValue.NONE;
            }
        });
        r.rawset("setresp", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                if (args.narg() != 1) {
                    throw new LuaError(errorTable("ERR redis.setresp() requires one argument."));
                }
                int v = args.arg1().optint(0);
                if (v != 2 && v != 3) {
                    throw new LuaError(errorTable("ERR RESP version must be 2 or 3."));
                }
                Run current = requireRun("redis.setresp");
                current.resp = v;
                return LuaValue.NONE;
            }
        });
        r.rawset("set_repl", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                requireRun("redis.set_repl");
                if (args.narg() != 1) {
                    throw new LuaError(errorTable("ERR redis.set_repl() requires one argument."));
                }
                int flags = args.arg1().optint(-1);
                if ((flags & ~3) != 0) {
                    throw new LuaError(errorTable(
                            "ERR Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE."));
                }
                return LuaValue.NONE;
            }
        });
        r.rawset("replicate_commands", new ZeroArgFunction() {
            @Override
            public LuaValue call() {
                return LuaValue.TRUE;
            }
        });
        r.rawset("breakpoint", new ZeroArgFunction() {
            @Override
            public LuaValue call() {
                Run current = run;
                if (current == null || current.debugger == null) {
                    return LuaValue.FALSE;
                }
                current.debugger.breakpoint();
                return LuaValue.TRUE;
            }
        });
        r.rawset("debug", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                Run current = run;
                if (current != null && current.debugger != null) {
                    current.debugger.debug(args);
                }
                return LuaValue.NONE;
            }
        });
        r.rawset("acl_check_cmd", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                Run current = requireRun("redis.acl_check_cmd");
                if (args.narg() == 0) {
                    throw new LuaError(errorTable("ERR Please specify at least one argument for this redis lib call"));
                }
                byte[][] argv = argv(args);
                if (argv == null) {
                    throw new LuaError(errorTable("ERR Lua redis lib command arguments must be strings or integers"));
                }
                CommandSpec spec = current.ctx.lookupCommand(argv);
                if (spec == null) {
                    throw new LuaError(errorTable("ERR Invalid command passed to redis.acl_check_cmd()"));
                }
                return LuaValue.valueOf(current.ctx.aclPermits(argv));
            }
        });
        r.rawset("REPL_NONE", LuaValue.valueOf(0));
        r.rawset("REPL_AOF", LuaValue.valueOf(1));
        r.rawset("REPL_SLAVE", LuaValue.valueOf(2));
        r.rawset("REPL_REPLICA", LuaValue.valueOf(2));
        r.rawset("REPL_ALL", LuaValue.valueOf(3));
        r.rawset("LOG_DEBUG", LuaValue.valueOf(0));
        r.rawset("LOG_VERBOSE", LuaValue.valueOf(1));
        r.rawset("LOG_NOTICE", LuaValue.valueOf(2));
        r.rawset("LOG_WARNING", LuaValue.valueOf(3));
        r.rawset("REDIS_VERSION", LuaValue.valueOf(REDIS_VERSION));
        r.rawset("REDIS_VERSION_NUM", LuaValue.valueOf(REDIS_VERSION_NUM));
        return r;
    }

    private Run requireRun(String what) {
        Run r = run;
        if (r == null) {
            throw new LuaError(errorTable("ERR " + what + " can only be called inside a script invocation"));
        }
        return r;
    }

    private void log(Varargs args) {
        if (args.narg() < 2) {
            throw new LuaError(errorTable("ERR redis.log() requires two arguments or more."));
        }
        if (args.arg1().type() != LuaValue.TNUMBER) {
            throw new LuaError(errorTable("ERR First argument must be a number (log level)."));
        }
        int level = args.arg1().toint();
        if (level < 0 || level > 3) {
            throw new LuaError(errorTable("ERR Invalid debug level."));
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 2; i <= args.narg(); i++) {
            if (i > 2) {
                sb.append(' ');
            }
            LuaValue a = args.arg(i);
            sb.append(a.type() == LuaValue.TNUMBER ? Lua51Base.tostring(a.todouble()) : a.tojstring());
        }
        Run r = run;
        if (r == null) {
            return;
        }
        switch (level) {
            case 0 -> r.ctx.log().debug(sb.toString());
            case 1 -> r.ctx.log().verbose(sb.toString());
            case 2 -> r.ctx.log().notice(sb.toString());
            default -> r.ctx.log().warning(sb.toString());
        }
    }

    /** redis.call / redis.pcall: Redis's script checks, then the command through the core. */
    private Varargs command(Varargs args, boolean raise) {
        Run r = run;
        if (r == null) {
            return fail(raise, "ERR redis.call/pcall can only be called inside a script invocation");
        }
        if (args.narg() == 0) {
            return fail(raise, "ERR Please specify at least one argument for this redis lib call");
        }
        byte[][] argv = argv(args);
        if (argv == null) {
            return fail(raise, "ERR Lua redis lib command arguments must be strings or integers");
        }
        CommandContext ctx = r.ctx;
        LuaDebugger debugger = r.debugger != null && r.debugger.logging() ? r.debugger : null;
        if (debugger != null) {
            debugger.logCommand(argv);
        }
        String refused = refusal(r, ctx.lookupCommand(argv), argv.length);
        if (refused != null) {
            if (debugger != null) {
                debugger.logError(refused);
            }
            ctx.scriptCallRejected(argv, refused);
            LuaTable e = counted(errorTable(refused));
            if (raise) {
                throw new LuaError(e);
            }
            return e;
        }
        LuaReply reply = new LuaReply(r.resp);
        ctx.callFromScript(argv, reply);
        if (debugger != null) {
            debugger.logReply(reply.value(), reply.error(), r.resp);
        }
        if (raise && reply.error() != null) {
            throw new LuaError(counted(errorTable(reply.error())));
        }
        return reply.value();
    }

    /**
     * Redis's script checks of a command a script calls (scriptCall): the error refusing it, or
     * null to run it. A command that may write marks the script as having written.
     */
    private static String refusal(Run r, CommandSpec spec, int argc) {
        if (spec == null) {
            return "ERR Unknown Redis command called from script";
        }
        if (!spec.arityAccepts(argc)) {
            return "ERR Wrong number of args calling Redis command from script";
        }
        if (spec.has(CommandFlag.NOSCRIPT) && !r.ctx.scriptDenyDisabled()) {
            return "ERR This Redis command is not allowed from script";
        }
        if (r.readOnly && (spec.has(CommandFlag.WRITE) || spec.has(CommandFlag.MAY_REPLICATE))) {
            return "ERR Write commands are not allowed from read-only scripts.";
        }
        // over maxmemory, only until the script's first write: a script is never stopped halfway
        if (!r.allowOom && !r.wrote && spec.has(CommandFlag.DENYOOM) && r.ctx.scriptOutOfMemory()) {
            return OOM;
        }
        if (spec.has(CommandFlag.WRITE)) {
            r.wrote = true;
        }
        return null;
    }

    /** Marks an error table as counted in errorstats already (the script's reply of it is not). */
    private static LuaTable counted(LuaTable e) {
        e.rawset(COUNTED, LuaValue.TRUE);
        return e;
    }

    private static Varargs fail(boolean raise, String message) {
        LuaTable e = errorTable(message);
        if (raise) {
            throw new LuaError(e);
        }
        return e;
    }

    static LuaTable errorTable(String message) {
        LuaTable t = new LuaTable();
        t.rawset("err", LuaValue.valueOf(message));
        return t;
    }

    /** "-CODE message" to "CODE message"; a bare "-message" gets the ERR code (luaPushErrorBuff). */
    static String normalizeError(String e) {
        String body = e.substring(1);
        int sp = body.indexOf(' ');
        String code;
        String msg;
        if (sp < 0) {
            code = "ERR";
            msg = body;
        } else {
            code = body.substring(0, sp);
            msg = body.substring(sp + 1);
        }
        msg = msg.replaceAll("[\r\n]+$", "").replaceAll("^[\r\n]+", "");
        return code + " " + msg;
    }

    /** The command's arguments, or null if one is neither a string nor a number. */
    private static byte[][] argv(Varargs args) {
        int n = args.narg();
        byte[][] argv = new byte[n][];
        for (int i = 0; i < n; i++) {
            LuaValue a = args.arg(i + 1);
            if (a.type() == LuaValue.TNUMBER) {
                double d = a.todouble();
                // the common integral case without a String in between (format17g's first branch)
                argv[i] = d == Math.rint(d) && Math.abs(d) < 1e17 ? Bytes.fromLong((long) d) : Bytes.of(format17g(d));
            } else if (a.type() == LuaValue.TSTRING) {
                argv[i] = bytes(a);
            } else {
                return null;
            }
        }
        return argv;
    }

    /** A string's bytes; a number's text as Lua 5.1 writes it. */
    static byte[] bytes(LuaValue v) {
        if (v.type() == LuaValue.TNUMBER) {
            return Bytes.of(Lua51Base.tostring(v.todouble()));
        }
        LuaString s = v.checkstring();
        byte[] b = new byte[s.m_length];
        System.arraycopy(s.m_bytes, s.m_offset, b, 0, s.m_length);
        return b;
    }

    /** C's "%.17g" (how Redis turns a Lua number argument into a string). */
    static String format17g(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e17) {
            return Long.toString((long) d);
        }
        if (Double.isNaN(d)) {
            return d > 0 ? "nan" : "-nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        return Lua51Base.formatG(d, 17);
    }

    static String sha1hex(byte[] data) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-1").digest(data);
            StringBuilder sb = new StringBuilder(40);
            for (byte b : d) {
                sb.append(Character.forDigit((b >> 4) & 15, 16)).append(Character.forDigit(b & 15, 16));
            }
            return sb.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static LuaTable array(byte[][] items, int from, int count) {
        LuaTable t = new LuaTable(count, 0);
        for (int i = 0; i < count; i++) {
            t.rawset(i + 1, LuaValue.valueOf(items[from + i]));
        }
        return t;
    }

    // ---------------------------------------------------------------- running and replying

    /**
     * Calls {@code fn} as the running script {@code r} and writes its result (or error) to
     * {@code out} as Redis converts a script's return value.
     */
    void invoke(Run r, LuaFunction fn, Varargs args) {
        CommandContext ctx = r.ctx;
        Reply out = ctx.reply();
        Run outer = run;
        run = r;
        guard.reset();
        LuaDebugger debugger = r.debugger;
        if (debugger != null) {
            globals.debuglib = debugger.guard;
        }
        LuaValue result = null;
        String error = null;
        boolean counted = false;
        try {
            result = fn.invoke(args).arg1();
        } catch (LuaError e) {
            LuaValue obj = e.getMessageObject();
            counted = obj != null && obj.istable() && obj.get(COUNTED).toboolean();
            error = errorMessage(e, r.name);
        } catch (Killed e) {
            error = "ERR Script killed by user with SCRIPT KILL...";
        } catch (StackOverflowError e) {
            error = "ERR Error running script " + r.name + ", stack overflow";
        } finally {
            run = outer;
            if (debugger != null) {
                globals.debuglib = guard;
            }
        }
        if (debugger != null) {
            debugger.end(); // its last lines go before the reply
        }
        if (error == null) {
            writeReply(ctx, result, r.resp, 0);
        } else if (counted) {
            ctx.replyCountedError(error);
        } else {
            out.error(error);
        }
    }

    /** The error reply for a script that raised {@code e} (Redis's error handler + luaCallFunction). */
    static String errorMessage(LuaError e, String name) {
        LuaValue obj = e.getMessageObject();
        String msg;
        if (obj != null && obj.istable()) {
            LuaValue err = obj.get("err");
            msg = err.isstring() ? err.tojstring() : "ERR unknown error";
        } else {
            obj = ScriptErrors.normalize(obj);
            msg = "ERR " + (obj.isnil() ? "nil" : obj.tojstring());
        }
        ScriptErrors.Where where = ScriptErrors.where(e.getMessage());
        if (where != null) {
            msg = msg + " script: " + name + ", on " + where.source() + ":" + where.line() + ".";
        }
        return msg.replace('\r', ' ').replace('\n', ' ');
    }

    /** A script's return value as the command's reply (luaReplyToRedisReply). */
    static void writeReply(CommandContext ctx, LuaValue v, int scriptResp, int depth) {
        Reply out = ctx.reply();
        if (depth > MAX_REPLY_DEPTH) {
            out.error("ERR reached lua stack limit");
            return;
        }
        switch (v.type()) {
            case LuaValue.TSTRING -> out.bulk(bytes(v));
            case LuaValue.TBOOLEAN -> {
                if (scriptResp == 2) {
                    if (v.toboolean()) {
                        out.integer(1);
                    } else {
                        out.nil();
                    }
                } else {
                    out.bool(v.toboolean());
                }
            }
            case LuaValue.TNUMBER -> out.integer((long) v.todouble());
            case LuaValue.TTABLE -> writeTable(ctx, (LuaTable) v, scriptResp, depth);
            default -> out.nil();
        }
    }

    private static void writeTable(CommandContext ctx, LuaTable t, int scriptResp, int depth) {
        Reply out = ctx.reply();
        LuaValue err = t.rawget("err");
        if (err.type() == LuaValue.TSTRING) {
            String e = err.tojstring().replace('\r', ' ').replace('\n', ' ');
            if (t.rawget(COUNTED).toboolean()) {
                ctx.replyCountedError(e);
            } else {
                out.error(e);
            }
            return;
        }
        LuaValue ok = t.rawget("ok");
        if (ok.type() == LuaValue.TSTRING) {
            out.simple(ok.tojstring().replace('\r', ' ').replace('\n', ' '));
            return;
        }
        LuaValue dbl = t.rawget("double");
        if (dbl.type() == LuaValue.TNUMBER) {
            out.dbl(dbl.todouble());
            return;
        }
        LuaValue big = t.rawget("big_number");
        if (big.type() == LuaValue.TSTRING) {
            out.bigNumber(big.tojstring().replace('\r', ' ').replace('\n', ' '));
            return;
        }
        LuaValue verbatim = t.rawget("verbatim_string");
        if (verbatim.istable()) {
            LuaValue format = verbatim.rawget("format");
            LuaValue text = verbatim.rawget("string");
            if (format.type() == LuaValue.TSTRING && text.type() == LuaValue.TSTRING) {
                out.verbatim(format.tojstring(), bytes(text));
                return;
            }
        }
        LuaValue map = t.rawget("map");
        if (map.istable()) {
            LuaTable m = (LuaTable) map;
            int n = 0;
            LuaValue k = LuaValue.NIL;
            while (true) {
                Varargs e = m.next(k);
                if ((k = e.arg1()).isnil()) {
                    break;
                }
                n++;
            }
            out.map(n);
            k = LuaValue.NIL;
            while (true) {
                Varargs e = m.next(k);
                if ((k = e.arg1()).isnil()) {
                    break;
                }
                writeReply(ctx, k, scriptResp, depth + 1);
                writeReply(ctx, e.arg(2), scriptResp, depth + 1);
            }
            return;
        }
        LuaValue set = t.rawget("set");
        if (set.istable()) {
            LuaTable s = (LuaTable) set;
            int n = 0;
            LuaValue k = LuaValue.NIL;
            while (true) {
                Varargs e = s.next(k);
                if ((k = e.arg1()).isnil()) {
                    break;
                }
                n++;
            }
            out.set(n);
            k = LuaValue.NIL;
            while (true) {
                Varargs e = s.next(k);
                if ((k = e.arg1()).isnil()) {
                    break;
                }
                writeReply(ctx, k, scriptResp, depth + 1);
            }
            return;
        }
        int n = 0;
        while (!t.rawget(n + 1).isnil()) {
            n++;
        }
        out.array(n);
        for (int i = 1; i <= n; i++) {
            writeReply(ctx, t.rawget(i), scriptResp, depth + 1);
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
