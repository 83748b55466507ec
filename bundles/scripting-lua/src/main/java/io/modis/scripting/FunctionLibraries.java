package io.modis.scripting;

import io.modis.api.Bytes;
import io.modis.api.CommandContext;
import io.modis.api.CommandException;
import io.modis.api.Reply;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.TreeMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaFunction;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * FUNCTION and FCALL: libraries of Lua functions, loaded by running their code once in a
 * sandbox of their own where {@code redis.register_function} is available.
 */
final class FunctionLibraries {
    static final String ENGINE = "LUA";
    /** Redis stops a library's loading code after this long (FUNCTION LOAD timeout). */
    static final long LOAD_TIMEOUT_MS = 500;

    record Function(String name, String description, int flags, LuaFunction callback, Library library) {
    }

    static final class Library {
        final String name;
        /** The whole code given to FUNCTION LOAD, shebang included (FUNCTION LIST WITHCODE, DUMP). */
        final byte[] code;
        final Map<String, Function> functions = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

        Library(String name, byte[] code) {
            this.name = name;
            this.code = code;
        }
    }

    private final ScriptingHost host;
    private LuaEngine engine;
    /** The global table library code sees (see newEngine). */
    private LuaValue env;
    private Map<String, Library> libraries = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private Map<String, Function> functions = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    /** The library whose code runs now (FUNCTION LOAD), else null. */
    private Library loading;
    private long loadStart;

    FunctionLibraries(ScriptingHost host) {
        this.host = host;
        this.engine = newEngine();
    }

    /**
     * A sandbox for libraries, as Redis 7.0 arranges it: library code sees an empty read-only
     * global table whose missing names are looked up in the library API while the code loads
     * ({@code redis.register_function}, {@code redis.log} and the version only) and in the full
     * globals when its functions run.
     */
    private LuaEngine newEngine() {
        LuaEngine e = new LuaEngine(this::checkpoint);
        ReadonlyTable libRedis = new ReadonlyTable();
        libRedis.rawset("register_function", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                register(args);
                return LuaValue.NONE;
            }
        });
        for (String name : new String[] {"log", "LOG_DEBUG", "LOG_VERBOSE", "LOG_NOTICE", "LOG_WARNING",
                "REDIS_VERSION", "REDIS_VERSION_NUM"}) {
            libRedis.rawset(name, e.redis.get(name));
        }
        libRedis.setmetatable(LuaEngine.missingGlobalError());
        libRedis.freeze();
        ReadonlyTable libraryApi = new ReadonlyTable();
        libraryApi.rawset("redis", libRedis);
        libraryApi.setmetatable(LuaEngine.missingGlobalError());
        libraryApi.freeze();
        LuaValue runtime = e.globals;
        ReadonlyTable meta = new ReadonlyTable();
        meta.rawset("__index", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                return (loading != null ? libraryApi : runtime).get(args.arg(2));
            }
        });
        meta.freeze();
        // a Globals, so that the closures of library code run the instruction hook (LuaJ calls
        // the debug library of a closure's environment only when that environment is a Globals)
        SandboxGlobals env = new SandboxGlobals();
        env.setmetatable(meta);
        env.debuglib = e.guard;
        env.freeze();
        this.env = env;
        return e;
    }

    private void checkpoint(LuaEngine.Run run) {
        host.checkpoint(run);
    }

    private void checkLoadTime() {
        if (loading != null && System.currentTimeMillis() - loadStart > LOAD_TIMEOUT_MS) {
            throw new LuaError(LuaEngine.errorTable("ERR FUNCTION LOAD timeout"));
        }
    }

    Map<String, Library> libraries() {
        return libraries;
    }

    int functionCount() {
        return functions.size();
    }

    /** An estimate of the libraries' memory: their code, names and per-entry overhead. */
    long memory() {
        long bytes = 0;
        for (Library lib : libraries.values()) {
            bytes += lib.code.length + lib.name.length() + 64;
            for (Function f : lib.functions.values()) {
                bytes += f.name().length() + (f.description() == null ? 0 : f.description().length()) + 96;
            }
        }
        return bytes;
    }

    private void register(Varargs args) {
        if (loading == null) {
            throw new LuaError(LuaEngine.errorTable(
                    "ERR redis.register_function can only be called on FUNCTION LOAD command"));
        }
        int n = args.narg();
        if (n < 1 || n > 2) {
            throw new LuaError(LuaEngine.errorTable("ERR wrong number of arguments to redis.register_function"));
        }
        String name;
        String desc = null;
        LuaValue callback;
        int flags = 0;
        if (n == 1) {
            if (!args.arg1().istable()) {
                throw regError("calling redis.register_function with a single argument is only applicable to Lua "
                        + "table (representing named arguments).");
            }
            LuaTable t = (LuaTable) args.arg1();
            name = null;
            callback = null;
            LuaValue k = LuaValue.NIL;
            while (true) {
                Varargs e = t.next(k);
                if ((k = e.arg1()).isnil()) {
                    break;
                }
                LuaValue v = e.arg(2);
                if (!k.isstring()) {
                    throw regError("named argument key given to redis.register_function is not a string");
                }
                String key = k.tojstring().toLowerCase(Locale.ROOT);
                switch (key) {
                    case "function_name" -> {
                        if (!v.isstring()) {
                            throw regError("function_name argument given to redis.register_function must be a string");
                        }
                        name = v.tojstring();
                    }
                    case "description" -> {
                        if (!v.isstring()) {
                            throw regError("description argument given to redis.register_function must be a string");
                        }
                        desc = v.tojstring();
                    }
                    case "callback" -> {
                        if (!v.isfunction()) {
                            throw regError("callback argument given to redis.register_function must be a function");
                        }
                        callback = v;
                    }
                    case "flags" -> {
                        if (!v.istable()) {
                            throw regError("flags argument to redis.register_function must be a table representing "
                                    + "function flags");
                        }
                        LuaTable ft = (LuaTable) v;
                        for (int i = 1; !ft.rawget(i).isnil(); i++) {
                            LuaValue f = ft.rawget(i);
                            int bit = f.isstring() ? ScriptFlags.flag(f.tojstring()) : 0;
                            if (bit == 0) {
                                throw regError("unknown flag given");
                            }
                            flags |= bit;
                        }
                    }
                    default -> throw regError("unknown argument given to redis.register_function");
                }
            }
            if (name == null) {
                throw regError("redis.register_function must get a function name argument");
            }
            if (callback == null) {
                throw regError("redis.register_function must get a callback argument");
            }
        } else {
            if (!args.arg1().isstring()) {
                throw regError("first argument to redis.register_function must be a string");
            }
            if (!args.arg(2).isfunction()) {
                throw regError("second argument to redis.register_function must be a function");
            }
            name = args.arg1().tojstring();
            callback = args.arg(2);
        }
        if (!validName(name)) {
            throw regError("Library names can only contain letters, numbers, or underscores(_) and must be at least "
                    + "one character long");
        }
        if (loading.functions.containsKey(name)) {
            throw regError("Function already exists in the library");
        }
        loading.functions.put(name, new Function(name, desc, flags, (LuaFunction) callback, loading));
    }

    private static LuaError regError(String message) {
        return new LuaError(LuaEngine.errorTable("ERR " + message));
    }

    static boolean validName(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) {
                return false;
            }
        }
        return true;
    }

    /** Creates a library from its code (shebang included), not yet linked. */
    Library create(byte[] code, long timeoutMillis) {
        String text = new String(code, StandardCharsets.ISO_8859_1);
        if (!text.startsWith("#!")) {
            throw new CommandException("ERR Missing library metadata");
        }
        int nl = text.indexOf('\n');
        if (nl < 0) {
            throw new CommandException("ERR Invalid library metadata");
        }
        List<String> parts = ScriptFlags.words(text.substring(0, nl));
        if (parts == null || parts.isEmpty()) {
            throw new CommandException("ERR Invalid library metadata");
        }
        String engineName = parts.get(0).substring(2);
        String name = null;
        for (String part : parts.subList(1, parts.size())) {
            if (part.regionMatches(true, 0, "name=", 0, 5)) {
                if (name != null) {
                    throw new CommandException(
                            "ERR Invalid metadata value, name argument was given multiple times");
                }
                name = part.substring(5);
                continue;
            }
            throw new CommandException("ERR Invalid metadata value given: " + part);
        }
        if (name == null) {
            throw new CommandException("ERR Library name was not given");
        }
        if (!validName(name)) {
            throw new CommandException("ERR Library names can only contain letters, numbers, or underscores(_) and "
                    + "must be at least one character long");
        }
        if (!engineName.equalsIgnoreCase(ENGINE)) {
            throw new CommandException("ERR Engine '" + engineName + "' not found");
        }
        Library lib = new Library(name, code);
        LuaFunction body;
        try {
            body = engine.compile(code, nl, "@user_function", env);
        } catch (LuaError e) {
            throw new CommandException("ERR Error compiling function: " + EvalScripts.oneLine(e.getMessage()));
        }
        Library outer = loading;
        loading = lib;
        loadStart = timeoutMillis > 0 ? System.currentTimeMillis() : Long.MAX_VALUE / 2;
        LuaEngine.Run loadRun = engine.run;
        engine.run = null;
        try {
            engine.loadCheck = this::checkLoadTime;
            body.call();
        } catch (LuaError e) {
            LuaValue obj = ScriptErrors.normalize(e.getMessageObject());
            String msg;
            if (obj != null && obj.istable() && obj.get("err").isstring()) {
                msg = obj.get("err").tojstring();
            } else {
                msg = "ERR " + (obj.isnil() ? "nil" : obj.tojstring());
            }
            throw new CommandException("ERR Error registering functions: " + EvalScripts.oneLine(msg));
        } catch (StackOverflowError e) {
            throw new CommandException("ERR Error registering functions: stack overflow");
        } finally {
            engine.loadCheck = null;
            loading = outer;
            engine.run = loadRun;
        }
        if (lib.functions.isEmpty()) {
            throw new CommandException("ERR No functions registered");
        }
        return lib;
    }

    /** FUNCTION LOAD's work: returns the library name or throws its error. */
    String load(byte[] code, boolean replace) {
        String text = new String(code, StandardCharsets.ISO_8859_1);
        Library lib = create(code, LOAD_TIMEOUT_MS);
        Library old = libraries.get(lib.name);
        if (old != null && !replace) {
            throw new CommandException("ERR Library '" + lib.name + "' already exists");
        }
        for (String f : lib.functions.keySet()) {
            Function existing = functions.get(f);
            if (existing != null && existing.library() != old) {
                throw new CommandException("ERR Function " + f + " already exists");
            }
        }
        if (old != null) {
            unlink(old);
        }
        link(lib);
        return lib.name;
    }

    private void link(Library lib) {
        libraries.put(lib.name, lib);
        for (Function f : lib.functions.values()) {
            functions.put(f.name(), f);
        }
    }

    private void unlink(Library lib) {
        libraries.remove(lib.name);
        for (String f : lib.functions.keySet()) {
            functions.remove(f);
        }
    }

    // ---------------------------------------------------------------- commands

    void functionLoad(CommandContext ctx) {
        boolean replace = false;
        int pos = 2;
        while (pos < ctx.argc() - 1) {
            String opt = ctx.argLower(pos++);
            if (opt.equals("replace")) {
                replace = true;
                continue;
            }
            throw new CommandException("ERR Unknown option given: " + Bytes.str(ctx.arg(pos - 1)));
        }
        if (pos >= ctx.argc()) {
            throw new CommandException("ERR Function code is missing");
        }
        String name = load(ctx.arg(pos), replace);
        ctx.dirty(1);
        ctx.reply().bulk(Bytes.of(name));
    }

    void functionDelete(CommandContext ctx) {
        Library lib = libraries.get(Bytes.str(ctx.arg(2)));
        if (lib == null) {
            throw new CommandException("ERR Library not found");
        }
        unlink(lib);
        ctx.dirty(1);
        ctx.reply().ok();
    }

    void functionFlush(CommandContext ctx) {
        if (ctx.argc() > 3) {
            throw new CommandException("ERR unknown subcommand or wrong number of arguments for 'flush'. Try "
                    + "FUNCTION HELP.");
        }
        if (ctx.argc() == 3) {
            String mode = ctx.argLower(2);
            if (!mode.equals("sync") && !mode.equals("async")) {
                throw new CommandException("ERR FUNCTION FLUSH only supports SYNC|ASYNC option");
            }
        }
        flush();
        ctx.dirty(1);
        ctx.reply().ok();
    }

    void flush() {
        libraries = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        functions = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        engine = newEngine();
    }

    void functionList(CommandContext ctx) {
        boolean withCode = false;
        String pattern = null;
        for (int i = 2; i < ctx.argc(); i++) {
            String a = ctx.argLower(i);
            if (!withCode && a.equals("withcode")) {
                withCode = true;
                continue;
            }
            if (pattern == null && a.equals("libraryname")) {
                if (i >= ctx.argc() - 1) {
                    throw new CommandException("ERR library name argument was not given");
                }
                pattern = Bytes.str(ctx.arg(++i));
                continue;
            }
            throw new CommandException("ERR Unknown argument " + Bytes.str(ctx.arg(i)));
        }
        List<Library> selected = new ArrayList<>();
        for (Library lib : libraries.values()) {
            if (pattern == null || Bytes.globMatch(Bytes.of(pattern), Bytes.of(lib.name), false)) {
                selected.add(lib);
            }
        }
        Reply r = ctx.reply();
        r.array(selected.size());
        for (Library lib : selected) {
            r.map(withCode ? 4 : 3);
            r.bulk("library_name");
            r.bulk(lib.name);
            r.bulk("engine");
            r.bulk(ENGINE);
            r.bulk("functions");
            r.array(lib.functions.size());
            for (Function f : lib.functions.values()) {
                r.map(3);
                r.bulk("name");
                r.bulk(f.name());
                r.bulk("description");
                if (f.description() == null) {
                    r.nil();
                } else {
                    r.bulk(f.description());
                }
                r.bulk("flags");
                List<String> names = ScriptFlags.names(f.flags());
                r.set(names.size());
                for (String n : names) {
                    r.simple(n);
                }
            }
            if (withCode) {
                r.bulk("library_code");
                r.bulk(lib.code);
            }
        }
    }

    void functionDump(CommandContext ctx) {
        ctx.reply().bulk(FunctionDump.dump(libraries.values()));
    }

    void functionRestore(CommandContext ctx) {
        if (ctx.argc() > 4) {
            throw new CommandException("ERR unknown subcommand or wrong number of arguments for 'restore'. Try "
                    + "FUNCTION HELP.");
        }
        String policy = ctx.argc() == 4 ? ctx.argLower(3) : "append";
        if (!policy.equals("append") && !policy.equals("replace") && !policy.equals("flush")) {
            throw new CommandException("ERR Wrong restore policy given, value should be either FLUSH, APPEND or "
                    + "REPLACE.");
        }
        List<byte[]> codes = FunctionDump.parse(ctx.arg(2));
        Map<String, Library> loaded = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (byte[] code : codes) {
            Library lib = create(code, 0);
            if (loaded.containsKey(lib.name)) {
                throw new CommandException("ERR Library " + lib.name + " already exists");
            }
            loaded.put(lib.name, lib);
        }
        if (policy.equals("flush")) {
            libraries = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            functions = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            for (Library lib : loaded.values()) {
                link(lib);
            }
        } else {
            join(loaded, policy.equals("replace"));
        }
        ctx.dirty(1);
        ctx.reply().ok();
    }

    /** Adds {@code loaded} to the current libraries; on a collision nothing changes. */
    private void join(Map<String, Library> loaded, boolean replace) {
        List<Library> replaced = new ArrayList<>();
        for (Library lib : loaded.values()) {
            Library old = libraries.get(lib.name);
            if (old != null) {
                if (!replace) {
                    throw new CommandException("ERR Library " + lib.name + " already exists");
                }
                replaced.add(old);
            }
        }
        for (Library old : replaced) {
            unlink(old);
        }
        for (Library lib : loaded.values()) {
            for (String f : lib.functions.keySet()) {
                if (functions.containsKey(f)) {
                    for (Library old : replaced) {
                        link(old);
                    }
                    throw new CommandException("ERR Function " + f + " already exists");
                }
            }
        }
        for (Library lib : loaded.values()) {
            link(lib);
        }
    }

    /** FunctionStore: every library's code. */
    List<byte[]> codes() {
        List<byte[]> out = new ArrayList<>();
        for (Library lib : libraries.values()) {
            out.add(lib.code);
        }
        return out;
    }

    /** FunctionStore: loads all of {@code codes} or none. */
    void loadAll(List<byte[]> codes, boolean replace) {
        Map<String, Library> loaded = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (byte[] code : codes) {
            Library lib = create(code, 0);
            if (loaded.containsKey(lib.name)) {
                throw new CommandException("ERR Library " + lib.name + " already exists");
            }
            loaded.put(lib.name, lib);
        }
        join(loaded, replace);
    }

    void functionStats(CommandContext ctx) {
        Reply r = ctx.reply();
        r.map(2);
        r.bulk("running_script");
        host.writeRunningScript(r);
        r.bulk("engines");
        r.map(1);
        r.bulk(ENGINE);
        r.map(2);
        r.bulk("libraries_count");
        r.integer(libraries.size());
        r.bulk("functions_count");
        r.integer(functions.size());
    }

    /** The flags of the function named {@code name}, or -1 when there is none. */
    int flagsOf(byte[] name) {
        Function f = functions.get(Bytes.str(name));
        return f == null ? -1 : f.flags();
    }

    void fcall(CommandContext ctx, boolean readOnlyCommand) {
        Function f = functions.get(Bytes.str(ctx.arg(1)));
        if (f == null) {
            throw new CommandException("ERR Function not found");
        }
        long numkeys;
        try {
            numkeys = Bytes.parseLong(ctx.arg(2));
        } catch (NumberFormatException e) {
            throw new CommandException("ERR Bad number of keys provided");
        }
        if (numkeys > ctx.argc() - 3) {
            throw new CommandException("ERR Number of keys can't be greater than number of args");
        } else if (numkeys < 0) {
            throw new CommandException("ERR Number of keys can't be negative");
        }
        if (!host.mayRun(ctx, f.flags(), readOnlyCommand)) {
            return;
        }
        boolean readOnly = readOnlyCommand || (f.flags() & ScriptFlags.NO_WRITES) != 0;
        int n = (int) numkeys;
        byte[][] argv = ctx.args();
        LuaTable keys = LuaEngine.array(argv, 3, n);
        LuaTable args = LuaEngine.array(argv, 3 + n, argv.length - 3 - n);
        LuaEngine.Run run = new LuaEngine.Run(ctx, f.name(), readOnly, (f.flags() & ScriptFlags.ALLOW_OOM) != 0,
                false);
        LuaEngine e = engine;
        host.run(ctx, run, () -> e.invoke(run, f.callback(), LuaValue.varargsOf(keys, args)));
    }
}
