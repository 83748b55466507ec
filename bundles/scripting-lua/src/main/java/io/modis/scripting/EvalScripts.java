package io.modis.scripting;

import io.modis.api.Bytes;
import io.modis.api.CommandContext;
import io.modis.api.CommandException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaFunction;
import org.luaj.vm2.LuaValue;

/** EVAL, EVALSHA, their _RO variants and SCRIPT: the script cache (by SHA1) and one Lua sandbox. */
final class EvalScripts {
    static final String NOSCRIPT = "NOSCRIPT No matching script. Please use EVAL.";
    private static final org.luaj.vm2.LuaValue KEYS = org.luaj.vm2.LuaValue.valueOf("KEYS");
    private static final org.luaj.vm2.LuaValue ARGV = org.luaj.vm2.LuaValue.valueOf("ARGV");

    /** A cached script: its source, compiled function and shebang flags. */
    record Script(byte[] body, LuaFunction function, int flags) {
    }

    private final ScriptingHost host;
    private LuaEngine engine;
    private final Map<String, Script> scripts = new HashMap<>();
    /** Bodies the previous revision of this bundle handed over, by SHA: compiled on first use. */
    private final Map<String, byte[]> handedOver = new HashMap<>();
    private long cacheBytes;

    EvalScripts(ScriptingHost host) {
        this.host = host;
        this.engine = newEngine();
    }

    private LuaEngine newEngine() {
        return new LuaEngine(host::checkpoint);
    }

    int count() {
        return scripts.size() + handedOver.size();
    }

    long cacheBytes() {
        return cacheBytes;
    }

    /** Compiles and caches a script if new; returns its SHA, or throws the compile error. */
    String load(byte[] body) {
        String sha = LuaEngine.sha1hex(body);
        if (scripts.containsKey(sha)) {
            return sha;
        }
        ScriptFlags.Parsed shebang = ScriptFlags.parseEvalShebang(body);
        LuaFunction fn;
        try {
            fn = engine.compile(body, shebang.length(), "@user_script");
        } catch (LuaError e) {
            throw new CommandException("ERR Error compiling script (new function): " + oneLine(e.getMessage()));
        }
        scripts.put(sha, new Script(body, fn, shebang.flags()));
        if (handedOver.remove(sha) == null) {
            cacheBytes += body.length + 40;
        }
        return sha;
    }

    /** Caches a handed-over script without compiling it (the swap's pause stays short). */
    void adopt(byte[] body) {
        String sha = LuaEngine.sha1hex(body);
        if (!scripts.containsKey(sha) && handedOver.putIfAbsent(sha, body) == null) {
            cacheBytes += body.length + 40;
        }
    }

    /** The cached script of {@code sha}, compiled now if it was handed over; null if none. */
    private Script cached(String sha) {
        Script s = scripts.get(sha);
        byte[] body = s == null ? handedOver.get(sha) : null;
        return body == null ? s : scripts.get(load(body));
    }

    static String oneLine(String s) {
        return s == null ? "" : s.replace('\r', ' ').replace('\n', ' ');
    }

    void eval(CommandContext ctx, boolean bySha, boolean readOnlyCommand) {
        if (host.debug.enabled(ctx.client())) {
            if (bySha) {
                throw new CommandException(ctx.arg(1).length != 40 ? NOSCRIPT
                        : "ERR Please use EVAL instead of EVALSHA for debugging");
            }
            LuaDebugger debugger = host.debug.start(ctx, engine, host.debugTimeLimitMillis());
            try {
                eval(ctx, false, readOnlyCommand, debugger);
            } finally {
                debugger.end();
            }
            return;
        }
        eval(ctx, bySha, readOnlyCommand, null);
    }

    private void eval(CommandContext ctx, boolean bySha, boolean readOnlyCommand, LuaDebugger debugger) {
        long numkeys = ctx.argLong(2);
        if (numkeys > ctx.argc() - 3) {
            throw new CommandException("ERR Number of keys can't be greater than number of args");
        } else if (numkeys < 0) {
            throw new CommandException("ERR Number of keys can't be negative");
        }
        Script s;
        String sha;
        if (bySha) {
            sha = Bytes.lower(ctx.arg(1));
            s = sha.length() == 40 ? cached(sha) : null;
            if (s == null) {
                throw new CommandException(NOSCRIPT);
            }
        } else {
            sha = load(ctx.arg(1));
            s = scripts.get(sha);
        }
        int flags = s.flags();
        boolean compat = (flags & ScriptFlags.EVAL_COMPAT_MODE) != 0;
        if (!host.mayRun(ctx, flags, readOnlyCommand)) {
            return;
        }
        boolean readOnly = readOnlyCommand || (!compat && (flags & ScriptFlags.NO_WRITES) != 0);
        int n = (int) numkeys;
        byte[][] argv = ctx.args();
        engine.globals.setProtected(KEYS, LuaEngine.array(argv, 3, n));
        engine.globals.setProtected(ARGV, LuaEngine.array(argv, 3 + n, argv.length - 3 - n));
        LuaEngine.Run run = new LuaEngine.Run(ctx, sha, readOnly, (flags & ScriptFlags.ALLOW_OOM) != 0, true);
        if (debugger != null) {
            run.debugger = debugger;
            debugger.run = run;
        }
        LuaEngine e = engine;
        host.run(ctx, run, () -> e.invoke(run, s.function(), LuaValue.NONE));
    }

    /**
     * The flags of the script an EVAL ({@code bySha} false: the body) or EVALSHA names: cached,
     * else (EVAL) read from its shebang; -1 when unknown.
     */
    int flagsOf(byte[] bodyOrSha, boolean bySha) {
        if (bySha) {
            Script s = bodyOrSha.length == 40 ? scripts.get(Bytes.lower(bodyOrSha)) : null;
            return s == null ? -1 : s.flags();
        }
        Script s = scripts.get(LuaEngine.sha1hex(bodyOrSha));
        if (s != null) {
            return s.flags();
        }
        try {
            return ScriptFlags.parseEvalShebang(bodyOrSha).flags();
        } catch (CommandException e) {
            return -1;
        }
    }

    void scriptLoad(CommandContext ctx) {
        ctx.reply().bulk(Bytes.of(load(ctx.arg(2))));
    }

    void scriptExists(CommandContext ctx) {
        ctx.reply().array(ctx.argc() - 2);
        for (int i = 2; i < ctx.argc(); i++) {
            String sha = Bytes.lower(ctx.arg(i));
            ctx.reply().integer(scripts.containsKey(sha) || handedOver.containsKey(sha) ? 1 : 0);
        }
    }

    void scriptFlush(CommandContext ctx) {
        if (ctx.argc() > 3) {
            throw new CommandException("ERR SCRIPT FLUSH only support SYNC|ASYNC option");
        }
        if (ctx.argc() == 3) {
            String mode = ctx.argLower(2);
            if (!mode.equals("sync") && !mode.equals("async")) {
                throw new CommandException("ERR SCRIPT FLUSH only support SYNC|ASYNC option");
            }
        }
        flush();
        ctx.reply().ok();
    }

    /** Every cached script's body (the state handed to the next revision of this bundle). */
    List<byte[]> bodies() {
        List<byte[]> out = new ArrayList<>(count());
        for (Script s : scripts.values()) {
            out.add(s.body());
        }
        out.addAll(handedOver.values());
        return out;
    }

    void flush() {
        scripts.clear();
        handedOver.clear();
        cacheBytes = 0;
        engine = newEngine();
    }
}
