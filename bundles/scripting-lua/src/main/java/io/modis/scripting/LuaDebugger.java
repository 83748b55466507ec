package io.modis.scripting;

import io.modis.api.Bytes;
import io.modis.api.CommandContext;
import io.modis.api.Reply;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.luaj.vm2.LuaClosure;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaFunction;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Prototype;
import org.luaj.vm2.Varargs;

/**
 * One Lua debugger session (SCRIPT DEBUG YES|SYNC then EVAL), Redis's LDB protocol: while the
 * script is stopped the client's commands go to the debugger (step, continue, list, print,
 * break, eval, redis, ...), and its output goes to the client at once as an array of simple
 * strings, the lines tagged {@code <value>}, {@code <redis>}, {@code <reply>}, {@code <error>},
 * {@code <debug>} ...; the session ends with {@code <endsession>}, then the EVAL's reply, then the
 * connection closes. The script runs on the engine thread: while it is stopped the core serves
 * the engine's I/O ({@link CommandContext#scriptDebugReceive}).
 */
final class LuaDebugger {
    static final int MAX_BREAKPOINTS = 64;
    static final int DEFAULT_MAXLEN = 256;
    /** Nesting depth at which a value's text stops (Redis: LUA_MINSTACK / 2). */
    private static final int MAX_VALUE_DEPTH = 10;
    private static final LuaString SCRIPT_SOURCE = LuaValue.valueOf("@user_script");
    private static final LuaString EVAL_SOURCE = LuaValue.valueOf("@ldb_eval");

    private final CommandContext ctx;
    private final LuaEngine engine;
    private final long timeLimitMillis;
    final DebugGuard guard = new DebugGuard(this);
    private final String[] source;
    private final List<String> logs = new ArrayList<>();
    private final List<Integer> breakpoints = new ArrayList<>();
    /** Stop at the next line whatever the breakpoints (also: log the script's commands). */
    private boolean step = true;
    /** redis.breakpoint() was called: stop at the next line. */
    private boolean luaBreakpoint;
    private int currentLine;
    private int maxlen = DEFAULT_MAXLEN;
    private boolean maxlenHintSent;
    /** The client hung up or the server stops: the script runs on without stopping. */
    private boolean detached;
    private boolean ended;
    private long lastStopMillis = System.currentTimeMillis();
    LuaEngine.Run run;

    /**
     * @param body the EVAL's script, as the debugger lists it
     * @param timeLimitMillis after this long without a stop the script is stopped ("timeout reached")
     */
    LuaDebugger(CommandContext ctx, LuaEngine engine, byte[] body, long timeLimitMillis) {
        this.ctx = ctx;
        this.engine = engine;
        this.timeLimitMillis = timeLimitMillis;
        int end = body.length;
        while (end > 0 && (body[end - 1] == '\n' || body[end - 1] == '\r')) {
            end--;
        }
        this.source = end == 0 ? new String[0] : new String(body, 0, end, StandardCharsets.UTF_8).split("\n", -1);
    }

    static boolean isScript(Prototype p) {
        return p.source == SCRIPT_SOURCE || SCRIPT_SOURCE.raweq(p.source);
    }

    /** True while the script steps: its redis.call commands and replies are logged. */
    boolean logging() {
        return step && !ended;
    }

    // ---------------------------------------------------------------- output

    void log(String line) {
        logs.add(line);
    }

    /** Logs {@code line} cut at maxlen, with a hint the first time. */
    void logTrimmed(String line) {
        if (maxlen > 0 && line.length() > maxlen) {
            logs.add(line.substring(0, maxlen) + " ...");
            if (!maxlenHintSent) {
                maxlenHintSent = true;
                logs.add("<hint> The above reply was trimmed. Use 'maxlen 0' to disable trimming.");
            }
        } else {
            logs.add(line);
        }
    }

    /** Sends the pending log lines to the client now, as one array of simple strings. */
    private void send() {
        if (detached) {
            logs.clear();
            return;
        }
        Reply out = ctx.reply();
        out.array(logs.size());
        for (String l : logs) {
            out.simple(l.replace('\r', ' ').replace('\n', ' '));
        }
        logs.clear();
        ctx.scriptDebugSend();
    }

    /**
     * Ends the session before the EVAL replies (once): the last lines and {@code <endsession>},
     * then the connection closes after the reply.
     */
    void end() {
        if (ended) {
            return;
        }
        ended = true;
        log("<endsession>");
        send();
        ctx.log().warning("Redis synchronous debugging eval session ended");
        ctx.client().kill();
    }

    // ---------------------------------------------------------------- the script's side

    /** A command the script calls, while stepping. */
    void logCommand(byte[][] argv) {
        StringBuilder sb = new StringBuilder("<redis>");
        for (int i = 0; i < argv.length; i++) {
            if (i == 10) {
                sb.append(" ... (").append(argv.length - i - 1).append(" more)");
                break;
            }
            sb.append(' ').append(new String(argv[i], StandardCharsets.UTF_8));
        }
        log(sb.toString());
    }

    /** A command's reply to the script, while stepping ({@code error} when it failed). */
    void logReply(LuaValue value, String error, int resp) {
        if (error != null) {
            log("<error> -" + error);
            logTrimmed("<reply> " + repr(Bytes.of("-" + error)));
        } else {
            logTrimmed("<reply> " + human(value, resp));
        }
    }

    /** A script check refused a command, while stepping. */
    void logError(String error) {
        log("<error> " + error);
    }

    /** redis.debug(...). */
    void debug(Varargs args) {
        StringBuilder sb = new StringBuilder("<debug> line ").append(currentLine).append(": ");
        for (int i = 1; i <= args.narg(); i++) {
            if (i > 1) {
                sb.append(", ");
            }
            value(sb, args.arg(i), 0);
        }
        log(sb.toString());
    }

    /** redis.breakpoint(). */
    void breakpoint() {
        luaBreakpoint = true;
    }

    /** The hook: a line event and/or a count event of the script's code, at {@code line}. */
    void hook(int line, boolean lineEvent, boolean countEvent) {
        currentLine = line;
        boolean bp = breakpoints.contains(line) || luaBreakpoint;
        boolean timeout = false;
        if (countEvent && !step && !bp) {
            if (System.currentTimeMillis() - lastStopMillis < timeLimitMillis) {
                if (!lineEvent) {
                    return;
                }
            } else {
                timeout = true;
                step = true;
            }
        }
        if (!lineEvent && !timeout || !(step || bp)) {
            return;
        }
        String reason = bp ? (luaBreakpoint ? "redis.breakpoint() called" : "break point")
                : timeout ? "timeout reached, infinite loop?" : "step over";
        step = false;
        luaBreakpoint = false;
        log("* Stopped at " + line + ", stop reason = " + reason);
        logSourceLine(line);
        send();
        boolean attached = repl();
        if (run != null && run.killed) {
            throw new LuaEngine.Killed();
        }
        if (!attached && timeout) {
            throw new LuaError(LuaEngine.errorTable("ERR timeout during Lua debugging with client closing connection"));
        }
        lastStopMillis = System.currentTimeMillis();
    }

    // ---------------------------------------------------------------- the debugger's commands

    /** Runs the client's commands until one resumes the script; false when the client is gone. */
    private boolean repl() {
        while (true) {
            if (detached) {
                return false;
            }
            byte[][] argv = ctx.scriptDebugReceive();
            if (argv == null) {
                detached = true;
                step = false;
                breakpoints.clear();
                logs.clear();
                return false;
            }
            if (argv.length > 1024) {
                throw new LuaError(LuaEngine.errorTable("ERR protocol error"));
            }
            for (byte[] a : argv) {
                if (a.length == 0 || a.length > 1024) {
                    throw new LuaError(LuaEngine.errorTable("ERR protocol error"));
                }
            }
            String[] args = new String[argv.length];
            for (int i = 0; i < argv.length; i++) {
                args[i] = new String(argv[i], StandardCharsets.UTF_8);
            }
            switch (args[0].toLowerCase(Locale.ROOT)) {
                case "h", "help" -> help();
                case "s", "step", "n", "next" -> {
                    step = true;
                    return true;
                }
                case "c", "continue" -> {
                    return true;
                }
                case "t", "trace" -> trace();
                case "m", "maxlen" -> maxlen(args);
                case "b", "break" -> breakCommand(args);
                case "e", "eval" -> eval(args);
                case "a", "abort" -> throw new LuaError(LuaEngine.errorTable("ERR script aborted for user request"));
                case "r", "redis" -> {
                    if (args.length > 1) {
                        redis(argv);
                    } else {
                        unknown();
                    }
                }
                case "p", "print" -> {
                    if (args.length == 2) {
                        print(args[1]);
                    } else {
                        printAll();
                    }
                }
                case "l", "list" -> {
                    int around = currentLine;
                    int context = 5;
                    if (args.length > 1) {
                        int n = atoi(args[1]);
                        if (n > 0) {
                            around = n;
                        }
                    }
                    if (args.length > 2) {
                        context = atoi(args[2]);
                    }
                    list(around, context);
                }
                case "w", "whole" -> list(1, 1_000_000);
                default -> unknown();
            }
            send();
        }
    }

    private void unknown() {
        log("<error> Unknown Redis Lua debugger command or wrong number of arguments.");
    }

    private void help() {
        String[] lines = {
            "Redis Lua debugger help:",
            "[h]elp               This help.",
            "[s]tep               Run the current line, then stop.",
            "[n]ext               Same as step.",
            "[c]ontinue           Run until the next breakpoint.",
            "[l]ist               Show the source around the current line.",
            "[l]ist [line]        Show the source around [line].",
            "                     line 0 is the current line.",
            "[l]ist [line] [ctx]  Show [ctx] lines before and after [line].",
            "[w]hole              Show the whole source ('list 1 1000000').",
            "[p]rint              Show the local variables.",
            "[p]rint <var>        Show one variable (also the globals KEYS and ARGV).",
            "[b]reak              Show the breakpoints.",
            "[b]reak <line>       Set a breakpoint at <line>.",
            "[b]reak -<line>      Remove the breakpoint at <line>.",
            "[b]reak 0            Remove every breakpoint.",
            "[t]race              Show the call stack.",
            "[e]val <code>        Run Lua code (in its own call frame).",
            "[r]edis <cmd>        Run a Redis command.",
            "[m]axlen [len]       Cut logged replies and values at len bytes.",
            "                     0 means no limit.",
            "[a]bort              Stop the script. Its writes so far stay",
            "                     (this server has no forked sessions: YES runs as SYNC).",
            "",
            "Debugger functions for scripts:",
            "redis.debug()        Log its arguments in the debugger console.",
            "redis.breakpoint()   Stop at the next line as at a breakpoint.",
        };
        for (String l : lines) {
            log(l);
        }
    }

    private static int atoi(String s) {
        int i = 0;
        int n = s.length();
        while (i < n && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        boolean neg = false;
        if (i < n && (s.charAt(i) == '-' || s.charAt(i) == '+')) {
            neg = s.charAt(i) == '-';
            i++;
        }
        long v = 0;
        while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9' && v < Integer.MAX_VALUE) {
            v = v * 10 + (s.charAt(i++) - '0');
        }
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, neg ? -v : v));
    }

    private String sourceLine(int line) {
        return line < 1 || line > source.length ? "<out of range source code line>" : source[line - 1];
    }

    private void logSourceLine(int line) {
        boolean bp = breakpoints.contains(line);
        boolean current = line == currentLine;
        String prefix = current && bp ? "->#" : current ? "-> " : bp ? "  #" : "   ";
        log(prefix + String.format(Locale.ROOT, "%-3d", line) + " " + sourceLine(line));
    }

    private void list(int around, int context) {
        for (int l = 1; l <= source.length; l++) {
            if (around != 0 && Math.abs(around - l) > context) {
                continue;
            }
            logSourceLine(l);
        }
    }

    private void breakCommand(String[] args) {
        if (args.length == 1) {
            if (breakpoints.isEmpty()) {
                log("No breakpoints set. Use 'b <line>' to add one.");
                return;
            }
            log(breakpoints.size() + " breakpoints set:");
            for (int l : breakpoints) {
                logSourceLine(l);
            }
            return;
        }
        for (int i = 1; i < args.length; i++) {
            long line;
            try {
                line = Long.parseLong(args[i]);
            } catch (NumberFormatException e) {
                log("Invalid argument:'" + args[i] + "'");
                continue;
            }
            if (line == 0) {
                breakpoints.clear();
                log("All breakpoints removed.");
            } else if (line > 0) {
                if (breakpoints.size() == MAX_BREAKPOINTS) {
                    log("Too many breakpoints set.");
                } else if (line <= source.length && !breakpoints.contains((int) line)) {
                    breakpoints.add((int) line);
                    list((int) line, 1);
                } else {
                    log("Wrong line number.");
                }
            } else if (breakpoints.remove(Integer.valueOf((int) -line))) {
                log("Breakpoint removed.");
            } else {
                log("No breakpoint in the specified line.");
            }
        }
    }

    private void maxlen(String[] args) {
        if (args.length == 2) {
            int n = atoi(args[1]);
            maxlenHintSent = true;
            if (n != 0 && n <= 60) {
                n = 60;
            }
            maxlen = n;
        }
        log(maxlen != 0 ? "<value> replies are truncated at " + maxlen + " bytes." : "<value> replies are unlimited.");
    }

    /** Runs Lua code given as the command's arguments: as an expression, else as statements. */
    private void eval(String[] args) {
        String code = String.join(" ", java.util.Arrays.copyOfRange(args, 1, args.length));
        LuaFunction fn;
        try {
            fn = engine.compile(LuaEngine.utf8("return " + code), 0, EVAL_SOURCE.tojstring());
        } catch (LuaError e) {
            try {
                fn = engine.compile(LuaEngine.utf8(code), 0, EVAL_SOURCE.tojstring());
            } catch (LuaError e2) {
                log("<error> " + message(e2));
                return;
            }
        }
        try {
            LuaValue v = fn.call();
            StringBuilder sb = new StringBuilder("<retval> ");
            value(sb, v, 0);
            logTrimmed(sb.toString());
        } catch (LuaError e) {
            log("<error> " + message(e));
        }
    }

    private static String message(LuaError e) {
        LuaValue obj = e.getMessageObject();
        if (obj != null && obj.istable()) {
            StringBuilder sb = new StringBuilder();
            value(sb, obj, 0);
            return sb.toString();
        }
        LuaValue m = ScriptErrors.normalize(obj == null ? LuaValue.valueOf(String.valueOf(e.getMessage())) : obj);
        return m.isnil() ? "nil" : m.tojstring();
    }

    /** redis.call with the command's arguments, logged as the script's commands are when stepping. */
    private void redis(byte[][] argv) {
        LuaValue[] args = new LuaValue[argv.length - 1];
        for (int i = 1; i < argv.length; i++) {
            args[i - 1] = LuaValue.valueOf(argv[i]);
        }
        boolean was = step;
        step = true;
        try {
            engine.redis.get("call").invoke(LuaValue.varargsOf(args));
        } catch (LuaError e) {
            // logged by the call itself
        } finally {
            step = was;
        }
    }

    private void print(String name) {
        for (int d = guard.depth() - 1; d >= 0; d--) {
            LuaClosure c = guard.closure(d);
            LuaValue[] stack = guard.stack(d);
            if (c == null || stack == null) {
                continue;
            }
            int pc = guard.pcOf(d);
            for (int i = 1; ; i++) {
                LuaString local = c.p.getlocalname(i, pc);
                if (local == null) {
                    break;
                }
                if (local.tojstring().equals(name)) {
                    StringBuilder sb = new StringBuilder("<value> ");
                    value(sb, i - 1 < stack.length ? stack[i - 1] : LuaValue.NIL, 0);
                    logTrimmed(sb.toString());
                    return;
                }
            }
        }
        if (name.equals("KEYS") || name.equals("ARGV")) {
            StringBuilder sb = new StringBuilder("<value> ");
            value(sb, engine.globals.rawget(name), 0);
            logTrimmed(sb.toString());
        } else {
            log("No such variable.");
        }
    }

    private void printAll() {
        int vars = 0;
        int d = innermostScriptCall();
        if (d >= 0) {
            LuaClosure c = guard.closure(d);
            LuaValue[] stack = guard.stack(d);
            int pc = guard.pcOf(d);
            for (int i = 1; ; i++) {
                LuaString local = c.p.getlocalname(i, pc);
                if (local == null) {
                    break;
                }
                String name = local.tojstring();
                if (!name.contains("(*temporary)")) {
                    StringBuilder sb = new StringBuilder("<value> ").append(name).append(" = ");
                    value(sb, i - 1 < stack.length ? stack[i - 1] : LuaValue.NIL, 0);
                    logTrimmed(sb.toString());
                    vars++;
                }
            }
        }
        if (vars == 0) {
            log("No local variables in the current context.");
        }
    }

    private int innermostScriptCall() {
        int d = guard.depth() - 1;
        return d >= 0 && guard.closure(d) != null && guard.stack(d) != null ? d : -1;
    }

    private void trace() {
        int level = 0;
        for (int d = guard.depth() - 1; d >= 0; d--, level++) {
            LuaClosure c = guard.closure(d);
            if (c == null || !isScript(c.p)) {
                continue;
            }
            String name = null;
            if (d > 0 && guard.closure(d - 1) != null) {
                LuaClosure caller = guard.closure(d - 1);
                int callPc = guard.pcOf(d - 1);
                if (callPc >= 0 && callPc < caller.p.code.length) {
                    String[] n = ScriptGuard.objname(caller.p, callPc,
                            org.luaj.vm2.Lua.GETARG_A(caller.p.code[callPc]));
                    name = n == null ? null : n[1];
                }
            }
            log((level == 0 ? "In" : "From") + " " + (name == null ? "top level" : name) + ":");
            int line = DebugGuard.line(c.p, guard.pcOf(d));
            int saved = currentLine;
            logSourceLine(line);
            currentLine = saved;
        }
        if (level == 0) {
            log("<error> Can't retrieve Lua stack.");
        }
    }

    // ---------------------------------------------------------------- value text

    /** A value as the debugger shows it: strings quoted and escaped, tables as {..}. */
    static void value(StringBuilder sb, LuaValue v, int level) {
        if (level == MAX_VALUE_DEPTH) {
            sb.append("<max recursion level reached! Nested table?>");
            return;
        }
        switch (v.type()) {
            case LuaValue.TSTRING -> sb.append(repr(LuaEngine.bytes(v)));
            case LuaValue.TBOOLEAN -> sb.append(v.toboolean() ? "true" : "false");
            case LuaValue.TNUMBER -> sb.append(Lua51Base.formatG(v.todouble(), 6));
            case LuaValue.TNIL -> sb.append("nil");
            case LuaValue.TTABLE -> table(sb, (LuaTable) v, level + 1);
            default -> sb.append('"').append(v.typename()).append("@0x")
                    .append(Integer.toHexString(System.identityHashCode(v))).append('"');
        }
    }

    private static void table(StringBuilder sb, LuaTable t, int level) {
        StringBuilder array = new StringBuilder();
        StringBuilder full = new StringBuilder();
        boolean isArray = true;
        int expected = 1;
        LuaValue k = LuaValue.NIL;
        while (true) {
            Varargs e = t.next(k);
            if ((k = e.arg1()).isnil()) {
                break;
            }
            LuaValue val = e.arg(2);
            if (isArray && (k.type() != LuaValue.TNUMBER || k.todouble() != expected)) {
                isArray = false;
            }
            value(array, val, level);
            array.append("; ");
            full.append('[');
            value(full, k, level);
            full.append("]=");
            value(full, val, level);
            full.append("; ");
            expected++;
        }
        StringBuilder chosen = isArray ? array : full;
        if (chosen.length() > 0) {
            chosen.setLength(chosen.length() - 2);
        }
        sb.append('{').append(chosen).append('}');
    }

    /** Bytes quoted, with \\ \" \n \r \t \a \b escaped and other unprintable bytes as \xhh. */
    static String repr(byte[] b) {
        StringBuilder sb = new StringBuilder(b.length + 2).append('"');
        for (byte x : b) {
            int c = x & 0xff;
            switch (c) {
                case '\\', '"' -> sb.append('\\').append((char) c);
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case 7 -> sb.append("\\a");
                case '\b' -> sb.append("\\b");
                default -> {
                    if (c >= 32 && c < 127) {
                        sb.append((char) c);
                    } else {
                        sb.append(String.format("\\x%02x", c));
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    /**
     * A command's reply to a script as the debugger shows replies, from the Lua value the script
     * got: bulk strings quoted, statuses and errors quoted with their +/-, integers bare, a RESP2
     * null as NULL, arrays [a,b], and in RESP3 maps {k => v}, sets ~(a,b), (double) n, #true, (null).
     */
    static String human(LuaValue v, int resp) {
        StringBuilder sb = new StringBuilder();
        human(sb, v, resp);
        return sb.toString();
    }

    private static void human(StringBuilder sb, LuaValue v, int resp) {
        switch (v.type()) {
            case LuaValue.TSTRING -> sb.append(repr(LuaEngine.bytes(v)));
            case LuaValue.TNUMBER -> sb.append((long) v.todouble());
            case LuaValue.TBOOLEAN -> sb.append(resp == 2 ? (v.toboolean() ? "1" : "NULL")
                    : v.toboolean() ? "#true" : "#false");
            case LuaValue.TTABLE -> humanTable(sb, (LuaTable) v, resp);
            default -> sb.append(resp == 2 ? "NULL" : "(null)");
        }
    }

    private static void humanTable(StringBuilder sb, LuaTable t, int resp) {
        LuaValue ok = t.rawget("ok");
        if (ok.isstring()) {
            sb.append(repr(Bytes.of("+" + ok.tojstring())));
            return;
        }
        LuaValue err = t.rawget("err");
        if (err.isstring()) {
            sb.append(repr(Bytes.of("-" + err.tojstring())));
            return;
        }
        LuaValue dbl = t.rawget("double");
        if (dbl.type() == LuaValue.TNUMBER) {
            sb.append("(double) ").append(Lua51Base.formatG(dbl.todouble(), 17));
            return;
        }
        LuaValue map = t.rawget("map");
        LuaValue set = t.rawget("set");
        if (map.istable() || set.istable()) {
            boolean isMap = map.istable();
            sb.append(isMap ? "{" : "~(");
            LuaTable m = (LuaTable) (isMap ? map : set);
            LuaValue k = LuaValue.NIL;
            boolean first = true;
            while (true) {
                Varargs e = m.next(k);
                if ((k = e.arg1()).isnil()) {
                    break;
                }
                if (!first) {
                    sb.append(',');
                }
                first = false;
                human(sb, k, resp);
                if (isMap) {
                    sb.append(" => ");
                    human(sb, e.arg(2), resp);
                }
            }
            sb.append(isMap ? "}" : ")");
            return;
        }
        if (t.rawget("big_number").isstring() || t.rawget("verbatim_string").istable()) {
            return;
        }
        sb.append('[');
        for (int i = 1; !t.rawget(i).isnil(); i++) {
            if (i > 1) {
                sb.append(',');
            }
            human(sb, t.rawget(i), resp);
        }
        sb.append(']');
    }
}
