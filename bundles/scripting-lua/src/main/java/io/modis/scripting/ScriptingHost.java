package io.modis.scripting;

import static io.modis.api.CommandFlag.ALLOW_BUSY;
import static io.modis.api.CommandFlag.DENYOOM;
import static io.modis.api.CommandFlag.MAY_REPLICATE;
import static io.modis.api.CommandFlag.NOSCRIPT;
import static io.modis.api.CommandFlag.NO_MANDATORY_KEYS;
import static io.modis.api.CommandFlag.READONLY;
import static io.modis.api.CommandFlag.SKIP_MONITOR;
import static io.modis.api.CommandFlag.STALE;
import static io.modis.api.CommandFlag.WRITE;

import io.modis.api.Bytes;
import io.modis.api.Command;
import io.modis.api.CommandContext;
import io.modis.api.CommandException;
import io.modis.api.CommandFlag;
import io.modis.api.CommandHandler;
import io.modis.api.CommandProvider;
import io.modis.api.CommandSpec;
import io.modis.api.ConfigParam;
import io.modis.api.ConfigProvider;
import io.modis.api.DynamicFlags;
import io.modis.api.Errors;
import io.modis.api.FunctionStore;
import io.modis.api.InfoFields;
import io.modis.api.InfoSection;
import io.modis.api.KeySpec;
import io.modis.api.Reply;
import io.modis.api.Engine;
import io.modis.api.ServerLog;
import java.util.List;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The scripting bundle: EVAL/EVALSHA/EVAL_RO/EVALSHA_RO and SCRIPT on one Lua sandbox,
 * FUNCTION/FCALL/FCALL_RO on another, the busy-reply-threshold parameter, and the state of the
 * script running now (SCRIPT KILL, FUNCTION KILL, FUNCTION STATS).
 */
@Component(service = {CommandProvider.class, ConfigProvider.class, FunctionStore.class, InfoFields.class})
public final class ScriptingHost implements CommandProvider, ConfigProvider, FunctionStore, InfoFields {
    static final String NOTBUSY = "NOTBUSY No scripts in execution right now.";
    static final String BUSY_EVAL = "BUSY Redis is busy running a script. You can only call SCRIPT KILL or "
            + "SHUTDOWN NOSAVE.";
    static final String BUSY_FUNCTION = "BUSY Redis is busy running a script. You can only call FUNCTION KILL or "
            + "SHUTDOWN NOSAVE.";

    private final EvalScripts eval = new EvalScripts(this);
    private final FunctionLibraries functions = new FunctionLibraries(this);
    /** SCRIPT DEBUG: the Lua debugger. */
    final ScriptDebug debug = new ScriptDebug();
    /** The script running now, or null. */
    private LuaEngine.Run current;
    private volatile long busyThresholdMillis = 5000;

    private final List<Command> commands = List.of(
            command(scriptSpec("eval", -3, "2.6.0", NOSCRIPT, SKIP_MONITOR, MAY_REPLICATE, NO_MANDATORY_KEYS, STALE)
                    .keySpec(KeySpec.keynum(2, 0, 1, 1, "RW", "ACCESS", "UPDATE"))
                    .summary("Execute a Lua script server side")
                    .complexity("Depends on the script that is executed."),
                    scriptCommand(ctx -> eval.eval(ctx, false, false), argv -> eval.flagsOf(argv[1], false))),
            command(scriptSpec("evalsha", -3, "2.6.0", NOSCRIPT, SKIP_MONITOR, MAY_REPLICATE, NO_MANDATORY_KEYS, STALE)
                    .keySpec(KeySpec.keynum(2, 0, 1, 1, "RW", "ACCESS", "UPDATE"))
                    .summary("Execute a Lua script server side")
                    .complexity("Depends on the script that is executed."),
                    scriptCommand(ctx -> eval.eval(ctx, true, false), argv -> eval.flagsOf(argv[1], true))),
            command(scriptSpec("eval_ro", -3, "7.0.0", NOSCRIPT, SKIP_MONITOR, NO_MANDATORY_KEYS, STALE, READONLY)
                    .keySpec(KeySpec.keynum(2, 0, 1, 1, "RO", "ACCESS"))
                    .summary("Execute a read-only Lua script server side")
                    .complexity("Depends on the script that is executed."),
                    scriptCommand(ctx -> eval.eval(ctx, false, true), argv -> eval.flagsOf(argv[1], false))),
            command(scriptSpec("evalsha_ro", -3, "7.0.0", NOSCRIPT, SKIP_MONITOR, NO_MANDATORY_KEYS, STALE, READONLY)
                    .keySpec(KeySpec.keynum(2, 0, 1, 1, "RO", "ACCESS"))
                    .summary("Execute a read-only Lua script server side")
                    .complexity("Depends on the script that is executed."),
                    scriptCommand(ctx -> eval.eval(ctx, true, true), argv -> eval.flagsOf(argv[1], true))),
            command(scriptSpec("fcall", -3, "7.0.0", NOSCRIPT, SKIP_MONITOR, MAY_REPLICATE, NO_MANDATORY_KEYS, STALE)
                    .keySpec(KeySpec.keynum(2, 0, 1, 1, "RW", "ACCESS", "UPDATE"))
                    .summary("Invoke a function")
                    .complexity("Depends on the function that is executed."),
                    scriptCommand(ctx -> functions.fcall(ctx, false), argv -> functions.flagsOf(argv[1]))),
            command(scriptSpec("fcall_ro", -3, "7.0.0", NOSCRIPT, SKIP_MONITOR, NO_MANDATORY_KEYS, STALE, READONLY)
                    .keySpec(KeySpec.keynum(2, 0, 1, 1, "RO", "ACCESS"))
                    .summary("Invoke a read-only function")
                    .complexity("Depends on the function that is executed."),
                    scriptCommand(ctx -> functions.fcall(ctx, true), argv -> functions.flagsOf(argv[1]))),
            scriptContainer(),
            functionContainer());

    @Override
    public List<Command> commands() {
        return commands;
    }

    @Override
    public List<ConfigParam> configParams() {
        return List.of(ConfigParam.integer("busy-reply-threshold", 5000, 0, Long.MAX_VALUE).alias("lua-time-limit")
                .onChange(v -> busyThresholdMillis = (Long) v).build());
    }

    // ---------------------------------------------------------------- FunctionStore

    @Override
    public List<byte[]> libraries() {
        return functions.codes();
    }

    @Override
    public void load(List<byte[]> codes, boolean replace) {
        functions.loadAll(codes, replace);
    }

    @Override
    public void flush() {
        functions.flush();
    }

    // ---------------------------------------------------------------- state across updates

    /** The core, which keeps this component's state while the bundle is updated or stopped. */
    private volatile Engine engine;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setEngine(Engine e) {
        engine = e;
    }

    void unsetEngine(Engine e) {
        if (engine == e) {
            engine = null;
        }
    }

    /**
     * Takes the script cache and the libraries the previous revision of this bundle (or this
     * bundle before a stop) handed to the core. It runs before the core binds this component's
     * commands, so no EVALSHA or FCALL sees them missing.
     */
    @Activate
    void activate() {
        Engine e = engine;
        byte[] kept = e == null ? null : e.takeState(ScriptingState.NAME);
        if (kept != null) {
            restore(kept, e.log());
        }
    }

    /**
     * Hands the script cache and the libraries to the core for the next revision. The core reads
     * them on the engine thread after the commands still queued for this code (and a script
     * running now) are done. Not when the whole server stops.
     */
    @Deactivate
    void deactivate(BundleContext context) {
        Engine e = engine;
        if (e != null && context.getBundle(0).getState() != Bundle.STOPPING) {
            e.keepState(ScriptingState.NAME, this::state);
        }
    }

    /** The state to hand over (engine thread). */
    byte[] state() {
        return ScriptingState.write(new ScriptingState.Contents(eval.bodies(), functions.codes()));
    }

    /** Loads a handed-over state; what cannot be loaded is logged and left out. */
    void restore(byte[] kept, ServerLog log) {
        ScriptingState.Contents contents;
        try {
            contents = ScriptingState.read(kept);
        } catch (IllegalArgumentException ex) {
            log.warning("The scripting state handed over could not be read, scripts and functions are lost: "
                    + ex.getMessage());
            return;
        }
        long start = System.nanoTime();
        for (byte[] body : contents.scripts()) {
            eval.adopt(body);
        }
        int failed = 0;
        try {
            functions.loadAll(contents.libraries(), false);
        } catch (CommandException all) {
            for (byte[] code : contents.libraries()) {
                try {
                    functions.loadAll(List.of(code), false);
                } catch (CommandException ex) {
                    failed++;
                    log.warning("A function library handed over failed to load: " + ex.getMessage());
                }
            }
        }
        log.notice("Scripting state taken over in " + (System.nanoTime() - start) / 1_000_000 + " ms: "
                + contents.scripts().size() + " cached scripts (compiled on first use), " + contents.libraries().size()
                + " function libraries" + (failed == 0 ? "" : ", " + failed + " failed"));
    }

    // ---------------------------------------------------------------- INFO memory

    @Override
    public String section() {
        return "memory";
    }

    /**
     * The script caches' part of INFO memory. The Lua heaps (used_memory_vm_*) are the JVM's and
     * not measured per sandbox; they stay as the core writes them.
     */
    @Override
    public void write(InfoSection.InfoWriter out) {
        long evalBytes = eval.cacheBytes();
        long functionBytes = functions.memory();
        out.field("used_memory_scripts_eval", evalBytes);
        out.field("number_of_cached_scripts", eval.count());
        out.field("number_of_functions", functions.functionCount());
        out.field("number_of_libraries", functions.libraries().size());
        out.field("used_memory_functions", functionBytes);
        out.field("used_memory_scripts", evalBytes + functionBytes);
        out.field("used_memory_scripts_human", human(evalBytes + functionBytes));
    }

    /** Bytes as INFO writes them for people: 512B, 1.50K, 2.00M ... */
    static String human(long n) {
        if (n < 1024) {
            return n + "B";
        }
        int unit = Math.min(5, (63 - Long.numberOfLeadingZeros(n)) / 10);
        return String.format(java.util.Locale.ROOT, "%.2f%c", n / Math.pow(1024, unit), "BKMGTP".charAt(unit));
    }

    // ---------------------------------------------------------------- running scripts

    /**
     * Redis's checks before running a script with {@code flags} (scriptPrepareForRun); replies
     * the error and returns false to refuse.
     */
    boolean mayRun(CommandContext ctx, int flags, boolean readOnlyCommand) {
        if ((flags & ScriptFlags.EVAL_COMPAT_MODE) != 0) {
            return true;
        }
        if ((flags & ScriptFlags.NO_WRITES) == 0 && readOnlyCommand) {
            ctx.reply().error("ERR Can not execute a script with write flag using *_ro command.");
            return false;
        }
        // Redis refuses such a script (deny-oom by its flags) before running it, with this error
        if ((flags & (ScriptFlags.ALLOW_OOM | ScriptFlags.NO_WRITES)) == 0 && ctx.scriptOutOfMemory()) {
            ctx.reply().error(LuaEngine.OOM);
            return false;
        }
        return true;
    }

    void run(CommandContext ctx, LuaEngine.Run run, Runnable body) {
        LuaEngine.Run outer = current;
        current = run;
        try {
            ctx.runScript(body);
        } finally {
            current = outer;
        }
    }

    /** The time after which a debugged script that did not stop is stopped ("timeout reached"). */
    long debugTimeLimitMillis() {
        long threshold = busyThresholdMillis;
        return threshold > 0 ? threshold : 5000;
    }

    /** Tests: told of every checkpoint. */
    java.util.function.Consumer<LuaEngine.Run> checkpointObserver = run -> { };

    void checkpoint(LuaEngine.Run run) {
        checkpointObserver.accept(run);
        long threshold = busyThresholdMillis;
        if (!run.busy && threshold > 0 && System.currentTimeMillis() - run.startMillis >= threshold) {
            run.busy = true;
            run.ctx.log().warning("Slow script detected: still in execution after "
                    + (System.currentTimeMillis() - run.startMillis) + " milliseconds. You can try killing the script "
                    + "using the " + (run.evalMode ? "SCRIPT KILL" : "FUNCTION KILL") + " command. Script name is: "
                    + run.name + ".");
        }
        if (run.busy && run.ctx.scriptBusy(run.evalMode)) {
            run.killed = true;
        }
    }

    void writeRunningScript(Reply r) {
        LuaEngine.Run run = current;
        if (run == null) {
            r.nil();
            return;
        }
        r.map(3);
        r.bulk("name");
        r.bulk(run.name);
        r.bulk("command");
        byte[][] argv = run.argv;
        r.array(argv.length);
        for (byte[] a : argv) {
            r.bulk(a);
        }
        r.bulk("duration_ms");
        r.integer(System.currentTimeMillis() - run.startMillis);
    }

    private void kill(CommandContext ctx, boolean evalKill) {
        LuaEngine.Run run = current;
        if (run == null) {
            throw new CommandException(NOTBUSY);
        }
        if (run.wrote) {
            throw new CommandException("UNKILLABLE Sorry the script already executed write commands against the "
                    + "dataset. You can either wait the script termination or kill the server in a hard way using "
                    + "the SHUTDOWN NOSAVE command.");
        }
        if (run.evalMode != evalKill) {
            throw new CommandException(run.evalMode ? BUSY_EVAL : BUSY_FUNCTION);
        }
        run.killed = true;
        ctx.reply().ok();
    }

    // ---------------------------------------------------------------- SCRIPT and FUNCTION

    private Command scriptContainer() {
        CommandSpec spec = CommandSpec.of("script", -2).group("scripting").since("2.6.0")
                .summary("A container for Lua scripts management commands").complexity("Depends on subcommand.")
                .subcommand(command(scriptSpec("script|load", 3, "2.6.0", NOSCRIPT, STALE)
                        .summary("Load the specified Lua script into the script cache.")
                        .complexity("O(N) with N being the length in bytes of the script body."),
                        eval::scriptLoad))
                .subcommand(command(scriptSpec("script|exists", -3, "2.6.0", NOSCRIPT)
                        .summary("Check existence of scripts in the script cache.")
                        .complexity("O(N) with N being the number of scripts to check (so checking a single script is"
                                + " an O(1) operation)."),
                        eval::scriptExists))
                .subcommand(command(scriptSpec("script|flush", -2, "2.6.0", NOSCRIPT)
                        .summary("Remove all the scripts from the script cache.")
                        .complexity("O(N) with N being the number of scripts in cache"),
                        eval::scriptFlush))
                .subcommand(command(scriptSpec("script|kill", 2, "2.6.0", NOSCRIPT, ALLOW_BUSY)
                        .summary("Kill the script currently in execution.").complexity("O(1)"),
                        ctx -> kill(ctx, true)))
                .subcommand(command(scriptSpec("script|debug", 3, "3.2.0", NOSCRIPT)
                        .summary("Set the debug mode for executed scripts.").complexity("O(1)"),
                        debug::scriptDebug))
                .subcommand(command(scriptSpec("script|help", 2, "5.0.0", CommandFlag.LOADING, STALE)
                        .summary("Show helpful text about the different subcommands").complexity("O(1)"),
                        ctx -> help(ctx, "SCRIPT", SCRIPT_HELP)))
                .build();
        return new Command(spec, ctx -> {
            throw Errors.unknownSubcommand(ctx.argLower(1), "script");
        });
    }

    private Command functionContainer() {
        CommandSpec spec = CommandSpec.of("function", -2).group("scripting").since("7.0.0")
                .summary("A container for function commands").complexity("Depends on subcommand.")
                .subcommand(command(scriptSpec("function|load", -3, "7.0.0", NOSCRIPT, WRITE, DENYOOM)
                        .summary("Create a function with the given arguments (name, code, description)")
                        .complexity("O(1) (considering compilation time is redundant)"),
                        functions::functionLoad))
                .subcommand(command(scriptSpec("function|delete", 3, "7.0.0", NOSCRIPT, WRITE)
                        .summary("Delete a function by name").complexity("O(1)"),
                        functions::functionDelete))
                .subcommand(command(scriptSpec("function|flush", -2, "7.0.0", NOSCRIPT, WRITE)
                        .summary("Deleting all functions").complexity("O(N) where N is the number of functions deleted"),
                        functions::functionFlush))
                .subcommand(command(scriptSpec("function|list", -2, "7.0.0", NOSCRIPT)
                        .summary("List information about all the functions")
                        .complexity("O(N) where N is the number of functions"),
                        functions::functionList))
                .subcommand(command(scriptSpec("function|dump", 2, "7.0.0", NOSCRIPT)
                        .summary("Dump all functions into a serialized binary payload")
                        .complexity("O(N) where N is the number of functions"),
                        functions::functionDump))
                .subcommand(command(scriptSpec("function|restore", -3, "7.0.0", NOSCRIPT, WRITE, DENYOOM)
                        .summary("Restore all the functions on the given payload")
                        .complexity("O(N) where N is the number of functions on the payload"),
                        functions::functionRestore))
                .subcommand(command(scriptSpec("function|stats", 2, "7.0.0", NOSCRIPT, ALLOW_BUSY)
                        .summary("Return information about the function currently running (name, description, "
                                + "duration)").complexity("O(1)"),
                        this::functionStats))
                .subcommand(command(scriptSpec("function|kill", 2, "7.0.0", NOSCRIPT, ALLOW_BUSY)
                        .summary("Kill the function currently in execution.").complexity("O(1)"),
                        ctx -> kill(ctx, false)))
                .subcommand(command(scriptSpec("function|help", 2, "7.0.0", CommandFlag.LOADING, STALE)
                        .summary("Show helpful text about the different subcommands").complexity("O(1)"),
                        ctx -> help(ctx, "FUNCTION", FUNCTION_HELP)))
                .build();
        return new Command(spec, ctx -> {
            throw Errors.unknownSubcommand(ctx.argLower(1), "function");
        });
    }

    private void functionStats(CommandContext ctx) {
        LuaEngine.Run run = current;
        if (run != null && run.evalMode) {
            throw new CommandException(BUSY_EVAL);
        }
        functions.functionStats(ctx);
    }

    private static final String[] SCRIPT_HELP = {
        "EXISTS <sha1> [<sha1> ...]",
        "    For each SHA1 given, 1 if a script with that SHA1 is cached, else 0.",
        "FLUSH [ASYNC|SYNC]",
        "    Empty the script cache.",
        "KILL",
        "    Stop the running script if it has not written yet.",
        "LOAD <script>",
        "    Compile and cache the script, replying its SHA1 for EVALSHA.",
        "DEBUG YES|SYNC|NO",
        "    The Lua debugger for the next EVAL of this connection (YES runs as SYNC here).",
    };

    private static final String[] FUNCTION_HELP = {
        "LOAD [REPLACE] <FUNCTION CODE>",
        "    Load a library from its code; REPLACE lets it replace a library of the same name.",
        "DELETE <LIBRARY NAME>",
        "    Remove a library and its functions.",
        "LIST [LIBRARYNAME <PATTERN>] [WITHCODE]",
        "    The libraries (optionally those whose name matches PATTERN): name, engine, functions, code.",
        "STATS",
        "    The running function (name, command, duration) and the number of libraries and functions.",
        "KILL",
        "    Stop the running function if it has not written yet.",
        "FLUSH [ASYNC|SYNC]",
        "    Remove all libraries.",
        "DUMP",
        "    A payload holding every library, for FUNCTION RESTORE.",
        "RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]",
        "    Load the libraries of a payload: FLUSH removes the current ones first, APPEND (default) fails",
        "    on a name collision, REPLACE replaces the libraries of the same names.",
    };

    private static void help(CommandContext ctx, String command, String[] lines) {
        Reply r = ctx.reply();
        r.array(lines.length + 3);
        r.simple(command + " <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
        for (String l : lines) {
            r.simple(l);
        }
        r.simple("HELP");
        r.simple("    Print this help.");
    }

    // ---------------------------------------------------------------- metadata helpers

    private static CommandSpec.Builder scriptSpec(String name, int arity, String since, CommandFlag... flags) {
        return CommandSpec.of(name, arity).group("scripting").since(since).flags(flags).acl("scripting");
    }

    /**
     * EVAL/FCALL's handler, deny-oom by the script's flags as Redis's getCommandFlags: a script
     * with flags (a shebang, a function) lacking allow-oom and no-writes is refused over
     * maxmemory before it runs; {@code flags} gives them, or -1 when unknown (then the command's
     * own flags hold).
     */
    private record ScriptCommand(CommandHandler handler, java.util.function.ToIntFunction<byte[][]> flags)
            implements CommandHandler, DynamicFlags {
        @Override
        public void execute(CommandContext ctx) {
            handler.execute(ctx);
        }

        @Override
        public boolean denyOom(byte[][] argv) {
            int f = argv.length > 1 ? flags.applyAsInt(argv) : -1;
            return f >= 0 && (f & ScriptFlags.EVAL_COMPAT_MODE) == 0
                    && (f & (ScriptFlags.ALLOW_OOM | ScriptFlags.NO_WRITES)) == 0;
        }
    }

    private static CommandHandler scriptCommand(CommandHandler handler, java.util.function.ToIntFunction<byte[][]> flags) {
        return new ScriptCommand(handler, flags);
    }

    private static Command command(CommandSpec.Builder spec, CommandHandler handler) {
        return new Command(spec.build(), handler);
    }

    static String str(byte[] b) {
        return Bytes.str(b);
    }
}
