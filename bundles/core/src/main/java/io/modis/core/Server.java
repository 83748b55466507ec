package io.modis.core;

import io.modis.api.BlockedCommand;
import io.modis.api.Bytes;
import io.modis.api.Command;
import io.modis.api.CommandException;
import io.modis.api.CommandFlag;
import io.modis.api.CommandSpec;
import io.modis.api.Connection;
import io.modis.api.DataType;
import io.modis.api.Errors;
import io.modis.api.InfoSection;
import io.modis.api.Keyspace;
import io.modis.api.KeyspaceEventListener;
import io.modis.api.PropagationListener;
import io.modis.api.Reply;
import io.modis.core.config.ConfigRegistry;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The engine's state and its command pipeline (lookup, checks, MULTI queueing, call,
 * propagation, serving blocked clients). Everything here runs on the engine thread.
 */
public final class Server implements Keyspace {
    public final ConfigRegistry config;
    public final ServerLogImpl log;
    public final Stats stats = new Stats();
    final HeapTrimmer heapTrimmer = new HeapTrimmer();
    public final CommandTable commands = new CommandTable();
    /** Operator settings read on the command path (slow log, latency, memory limits). */
    final OpsConfig ops = new OpsConfig();
    final SlowLog slowlog = new SlowLog(this);
    final LatencyMonitor latency = new LatencyMonitor(this);
    final Eviction eviction = new Eviction(this);
    final Blocking blocking = new Blocking();
    /** Keeps values of data types whose bundle left (architecture §4). */
    final TypeSwap typeSwap = new TypeSwap(this);
    final Map<Long, ClientSession> clients = new LinkedHashMap<>();
    public final List<PropagationListener> propagationListeners;
    final List<io.modis.api.ClientListener> clientListeners;
    final List<io.modis.api.InfoFields> infoFields;
    /** The access-control service (the acl bundle), or null: then requirepass is the only password. */
    volatile io.modis.api.AccessControl accessControl;
    /** Client-side caching state (CLIENT TRACKING). */
    final Tracking tracking = new Tracking(this);
    /** The client whose command (or served blocked command) is running, null in timers. */
    private ClientSession executing;
    /** client-output-buffer-limit, as last configured. */
    volatile OutputBufferLimits outputLimits = OutputBufferLimits.DEFAULTS;
    /** Clients with out-of-band messages written since the last flush. */
    /** DEBUG subcommands contributed by bundles, by lower-case name. */
    final Map<String, io.modis.api.DebugSubcommand> debugSubcommands;
    public final List<KeyspaceEventListener> eventListeners;
    public final List<InfoSection> infoSections;
    public final Map<String, DataType> types;
    final ScheduledExecutorService executor;
    public final long startMillis = System.currentTimeMillis();
    public final String runId;
    private Db[] dbs;
    private final Ctx ctx = new Ctx(this);
    /** {db, argv} or, for replicas only, {db, argv, REPLICAS_ONLY}; flushed after each command. */
    private final List<Object[]> pendingPropagation = new ArrayList<>();
    private static final Object REPLICAS_ONLY = new Object();
    private long nextClientId = 1;
    private long cachedNow;
    private int callDepth;
    /** Error replies written by the commands nested in the current call (EXEC's queued commands). */
    long childErrors;
    /** Scripts run so far (ScriptCalls.run): a command that ran one tracks no keys of its own. */
    long scriptRuns;
    /** Redis's pre_command_oom_state: memory was over maxmemory when the client's command started. */
    boolean preCommandOom;
    /** Errors replied by the running command that were counted in errorstats already (scripts). */
    long errorsCounted;
    private boolean activeExpire = true;
    public long dirty;
    /** Absolute path of the config file, or null (CONFIG REWRITE). */
    public String configFile;
    public long lastSave = System.currentTimeMillis() / 1000;
    private long pauseEndMillis;
    private boolean pauseWritesOnly;
    private final List<ClientSession> pausedClients = new ArrayList<>();
    /** Clients in MONITOR mode, fed every command after it runs. */
    final List<ClientSession> monitors = new ArrayList<>();
    private Runnable shutdownAction = () -> { };
    /** LOADING, MISCONF and shutdown steps set by persistence bundles. */
    final PersistenceState persistence = new PersistenceState();
    private String notifyFlags = "";
    public boolean debugPauseCron;
    /** While a script runs past busy-reply-threshold: the client running it (see ScriptCalls). */
    ClientSession busyScript;
    boolean busyScriptIsEval;
    /** While a Lua debugger waits for its client's command: that client (see ScriptCalls.debugReceive). */
    ClientSession debugging;
    /** Clients whose command arrived while a Lua debugger waited: they run after the script. */
    private final List<ClientSession> heldByDebugger = new ArrayList<>();
    /** Processes the engine loop's ready I/O without blocking (set by CoreComponent). */
    public Runnable ioPump = () -> { };
    /** Processes the engine loop's I/O, waiting up to the given nanoseconds for some (set by CoreComponent). */
    public java.util.function.LongConsumer ioWait = nanos -> { };
    /** A signal (SIGTERM, SIGINT) arrived and its shutdown task waits for the engine loop. */
    public volatile boolean signalPending;
    /** DEBUG SET-DISABLE-DENY-SCRIPTS: scripts may call noscript commands (tests). */
    public boolean scriptDenyDisabled;
    /** SHUTDOWN ran while a script was busy: the script must stop. */
    boolean shutdownRequested;
    /** The replication ids INFO shows while no replication bundle answers; DEBUG CHANGE-REPL-ID renews them. */
    public String replId = randomHexId();
    public String replId2 = "0".repeat(40);

    public Server(ConfigRegistry config, ServerLogImpl log, ScheduledExecutorService executor) {
        this(config, log, executor, new Contributions());
    }

    Server(ConfigRegistry config, ServerLogImpl log, ScheduledExecutorService executor, Contributions from) {
        this.propagationListeners = from.propagationListeners;
        this.eventListeners = from.eventListeners;
        this.infoSections = from.infoSections;
        this.types = from.types;
        this.debugSubcommands = from.debugSubcommands;
        this.clientListeners = from.clientListeners;
        this.infoFields = from.infoFields;
        this.config = config;
        this.log = log;
        this.executor = executor;
        ops.onMaxmemoryChange = eviction::maxmemoryChanged;
        for (io.modis.api.ConfigParam p : ops.params()) {
            config.register(p);
        }
        byte[] r = new byte[20];
        new SecureRandom().nextBytes(r);
        StringBuilder sb = new StringBuilder();
        for (byte b : r) {
            sb.append(String.format("%02x", b));
        }
        this.runId = sb.toString();
        this.dbs = new Db[16];
        for (int i = 0; i < dbs.length; i++) {
            dbs[i] = new Db(this, i);
        }
    }

    /** 40 random hex characters, like Redis's run and replication ids. */
    public static String randomHexId() {
        byte[] r = new byte[20];
        new SecureRandom().nextBytes(r);
        StringBuilder sb = new StringBuilder();
        for (byte b : r) {
            sb.append(String.format("%02x", b));
        }
        return sb.toString();
    }

    /** Sets the number of databases (only at startup). */
    public void databases(int n) {
        dbs = new Db[n];
        for (int i = 0; i < n; i++) {
            dbs[i] = new Db(this, i);
        }
    }

    public void onShutdown(Runnable action) {
        this.shutdownAction = action;
    }

    public void notifyFlags(String flags) {
        this.notifyFlags = flags;
    }

    // ---- Keyspace ----

    @Override
    public int databases() {
        return dbs.length;
    }

    @Override
    public Db db(int index) {
        if (index < 0 || index >= dbs.length) {
            throw new CommandException(Errors.DB_INDEX);
        }
        return dbs[index];
    }

    public void swapDbs(int a, int b) {
        touchAll(dbs[a], dbs[b]);
        touchAll(dbs[b], dbs[a]);
        dbs[a].swapWith(dbs[b]);
        for (Db d : new Db[] {dbs[a], dbs[b]}) {
            d.blocked.forEach(e -> blocking.signal(d, e.key));
        }
    }

    // ---- time ----

    public long now() {
        return callDepth > 0 ? cachedNow : System.currentTimeMillis();
    }

    /** Seconds, 24 bits, from the command's cached time (no clock read per key). */
    int lruClock() {
        return (int) ((now() / 1000) & 0xFFFFFF);
    }

    /** Keys are not expired while the dataset loads (Redis's rule: a loaded TTL may be past). */
    boolean expiryAllowed() {
        return !persistence.loading;
    }

    public void activeExpire(boolean on) {
        activeExpire = on;
    }

    // ---- clients ----

    public ClientSession open(Connection conn) {
        long maxClients = config.getLong("maxclients");
        // the transport counts the rejected connection (Engine.rejectedConnection)
        if (clients.size() >= maxClients) {
            throw new CommandException("ERR max number of clients reached");
        }
        ProtectedMode.check(this, conn);
        ClientSession c = new ClientSession(this, conn, nextClientId++, dbs[0]);
        c.authenticated = startsAuthenticated();
        clients.put(c.id, c);
        stats.connectionsReceived++;
        return c;
    }

    /** A session for the AOF loader: authenticated, not in the client table. */
    public ClientSession openLoader(Connection conn) {
        ClientSession c = new ClientSession(this, conn, Long.MAX_VALUE, dbs[0]);
        c.authenticated = true;
        c.loader = true;
        return c;
    }

    /** Whether a new connection (or a RESET one) is authenticated as the default user. */
    boolean startsAuthenticated() {
        io.modis.api.AccessControl ac = accessControl;
        return ac != null ? ac.startsAuthenticated() : requirePass() == null;
    }

    /**
     * The one ACL check of the pipeline: null when {@code c} may run {@code argv}, else why not
     * (already logged). Used at the top level, when EXEC runs a queued command, and by scripts.
     */
    public io.modis.api.AccessControl.Denial checkAccess(ClientSession c, CommandSpec spec, byte[][] argv) {
        io.modis.api.AccessControl ac = accessControl;
        // the AOF loader replays what was already allowed, as Redis's fake client does
        return ac == null || c.loader ? null : ac.check(c, spec, argv);
    }

    /**
     * True when the default user needs a password (requirepass, or the acl bundle's default
     * user without nopass): protected mode then lets remote clients in, as Redis does.
     */
    boolean defaultUserHasPassword() {
        io.modis.api.AccessControl ac = accessControl;
        return ac != null ? !ac.defaultUserNoPass() : requirePass() != null;
    }

    public String requirePass() {
        Object v = config.value("requirepass");
        return v == null || v.toString().isEmpty() ? null : v.toString();
    }

    public Map<Long, ClientSession> clients() {
        return clients;
    }

    void disconnected(ClientSession c) {
        if (clients.remove(c.id) == null) {
            return;
        }
        c.gone = true;
        eviction.clientGone(c);
        if (c.blockedOn != null) {
            blocking.unblock(c.blockedOn);
            c.blockedOn = null;
        }
        unwatchAll(c);
        pausedClients.remove(c);
        heldByDebugger.remove(c);
        monitors.remove(c);
        tracking.disable(c);
        for (io.modis.api.ClientListener l : clientListeners) {
            l.closed(c);
        }
    }

    /** RESET: bundles forget what the client set up with them. */
    void clientReset(ClientSession c) {
        tracking.disable(c);
        for (io.modis.api.ClientListener l : clientListeners) {
            l.reset(c);
        }
    }

    /**
     * Disconnects {@code c} if its unsent replies passed its class's client-output-buffer-limit
     * (pub/sub subscribers are the "pubsub" class).
     */
    void checkOutputBuffer(ClientSession c) {
        OutputBufferLimits.Limit l = c.subscriptionCount() > 0 ? outputLimits.pubsub() : outputLimits.normal();
        if (c.closing || (l.hard() == 0 && l.soft() == 0)) {
            return;
        }
        if (OutputBufferLimits.exceeded(l, c.conn.outputBufferSize(), c, System::currentTimeMillis)) {
            log.warning("Client id=" + c.id + " addr=" + c.conn.remoteAddress() + " name="
                    + (c.name == null ? "" : c.name) + " scheduled to be closed ASAP for overcoming of output buffer"
                    + " limits.");
            c.closing = true;
            c.conn.abort();
        }
    }

    /** Closes a client's connection after its pending replies (QUIT, CLIENT KILL). */
    public void close(ClientSession c) {
        c.closing = true;
        c.conn.close();
    }

    // ---- the command pipeline ----

    boolean execute(ClientSession c, byte[][] argv) {
        if (c.closing) {
            return false;
        }
        if (debugging != null && c != debugging) {
            // as in Redis's synchronous debugging session, everyone else waits for the script
            if (heldByDebugger.isEmpty()) {
                executor.execute(this::resumeHeldByDebugger);
            }
            c.pausedCommand = argv;
            heldByDebugger.add(c);
            return false;
        }
        if (busyScript != null) {
            return ScriptCalls.executeWhileBusy(this, c, argv);
        }
        long now = System.currentTimeMillis();
        c.lastInteraction = now;
        if (pauseEndMillis > 0 && isPaused(c, argv)) {
            c.pausedCommand = argv;
            pausedClients.add(c);
            return false;
        }
        cachedNow = now;
        Reply reply = replyFor(c);
        long errorsBefore = reply.errors();
        // a command may run a session's commands itself (DEBUG LOADAOF replays the AOF): the
        // command around them keeps its client, and blocked clients are served once it ends
        boolean nested = callDepth > 0;
        ClientSession outer = executing;
        long outerErrorsCounted = errorsCounted;
        executing = c;
        errorsCounted = 0;
        processCommand(c, argv, reply);
        long newErrors = reply.errors() - errorsBefore - errorsCounted;
        for (long i = 0; i < newErrors; i++) {
            stats.error(reply.lastError());
        }
        if (nested) {
            flushPropagation();
        } else {
            afterCommand();
        }
        executing = outer;
        errorsCounted = outerErrorsCounted;
        tracking.afterCommand();
        Tracking.commandDone(c, c.lastCommand);
        checkOutputBuffer(c);
        if (c.replyMode == ClientSession.ReplyMode.SKIP_NEXT) {
            c.replyMode = ClientSession.ReplyMode.SKIP;
        } else if (c.replyMode == ClientSession.ReplyMode.SKIP) {
            c.replyMode = ClientSession.ReplyMode.ON;
        }
        return !c.closing && c.blockedOn == null && c.pausedCommand == null;
    }

    private Reply replyFor(ClientSession c) {
        return c.replyMode == ClientSession.ReplyMode.ON ? c.conn.reply() : new DiscardingReply(c.conn.reply());
    }

    private void afterCommand() {
        flushPropagation();
        if (blocking.hasReady()) {
            callDepth++;
            try {
                blocking.serveReady(this);
            } finally {
                callDepth--;
            }
            flushPropagation();
        }
    }

    /**
     * A handler failed with an unexpected exception (a bug, or a bundle built against another
     * api): the client gets an error and the log the stack trace, and the server goes on.
     */
    private String internalError(String command, Throwable e) {
        java.io.StringWriter trace = new java.io.StringWriter();
        e.printStackTrace(new java.io.PrintWriter(trace));
        log.warning("Command '" + command + "' failed: " + trace);
        String detail = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        return "ERR internal error running '" + command + "': " + detail.replace('\r', ' ').replace('\n', ' ');
    }

    /** True while a command runs (its handler, or a served blocked command); false between commands. */
    boolean inCommand() {
        return callDepth > 0;
    }

    /** The client whose command is running, or null outside commands. */
    ClientSession currentClient() {
        return executing;
    }

    private long trackingMaxKeys() {
        return config.value("tracking-table-max-keys") instanceof Long max ? max : 1_000_000L;
    }

    private void processCommand(ClientSession c, byte[][] argv, Reply reply) {
        if (tracking.clients() > 0) {
            tracking.limitTable(trackingMaxKeys());
        }
        if (Bytes.is(argv[0], "quit")) {
            reply.ok();
            close(c);
            return;
        }
        if (Bytes.is(argv[0], "host:") || Bytes.is(argv[0], "post")) {
            log.warning("Possible SECURITY ATTACK detected. It looks like somebody is sending POST or Host: "
                    + "commands to Redis. This is likely due to an attacker attempting to use Cross Protocol "
                    + "Scripting to compromise your Redis instance. Connection aborted.");
            close(c);
            return;
        }
        CommandTable.Entry entry = commands.lookup(argv[0]);
        if (entry != null && entry.isContainer() && argv.length > 1) {
            CommandTable.Entry sub = entry.subcommand(argv[1]);
            if (sub == null) {
                reject(c, reply, null, "ERR unknown subcommand '" + clip(argv[1]) + "'. Try "
                        + Bytes.str(argv[0]).toUpperCase(java.util.Locale.ROOT) + " HELP.");
                return;
            }
            entry = sub;
        }
        if (entry == null) {
            StringBuilder args = new StringBuilder();
            for (int i = 1; i < argv.length && args.length() < 128; i++) {
                String a = Bytes.str(argv[i]);
                int room = 128 - args.length();
                args.append('\'').append(a, 0, Math.min(a.length(), room)).append("' ");
            }
            reject(c, reply, null, "ERR unknown command '" + clip(argv[0]) + "', with args beginning with: " + args);
            return;
        }
        CommandSpec spec = entry.command.spec();
        if (!spec.arityAccepts(argv.length)) {
            reject(c, reply, entry, "ERR wrong number of arguments for '" + spec.name() + "' command");
            return;
        }
        if (persistence.loading && !c.loader && !spec.has(CommandFlag.LOADING)) {
            reject(c, reply, entry, PersistenceState.LOADING_ERROR);
            return;
        }
        if (spec.has(CommandFlag.PROTECTED) && !c.loader && !protectedAllowed(c, spec)) {
            String what = spec.name().startsWith("debug") ? "DEBUG" : "MODULE";
            String opt = what.equals("DEBUG") ? "enable-debug-command" : "enable-module-command";
            reject(c, reply, entry, "ERR " + what + " command not allowed. If the " + opt
                    + " option is set to \"local\", you can run it from a local connection, otherwise you need to "
                    + "set this option in the configuration file, and then restart the server.");
            return;
        }
        if (!c.authenticated && !spec.has(CommandFlag.NO_AUTH)) {
            reject(c, reply, entry, "NOAUTH Authentication required.");
            return;
        }
        io.modis.api.AccessControl.Denial denied = checkAccess(c, spec, argv);
        if (denied != null) {
            reject(c, reply, entry, denied.error());
            return;
        }
        if (c.inSubscriberMode() && !allowedToSubscriber(spec.name())) {
            reject(c, reply, entry, "ERR Can't execute '" + spec.name() + "': only (P|S)SUBSCRIBE / "
                    + "(P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context");
            return;
        }
        if (ops.maxmemory > 0 && outOfMemory(c, entry, argv)) {
            reject(c, reply, entry, "OOM command not allowed when used memory > 'maxmemory'.");
            return;
        }
        String misconf = c.loader ? null : persistence.denial(spec);
        if (misconf != null) {
            reject(c, reply, entry, misconf);
            return;
        }
        if (c.inMulti && spec.has(CommandFlag.NO_MULTI)) {
            reject(c, reply, entry, "ERR Command not allowed inside a transaction");
            return;
        }
        if (c.inMulti && !isTransactionControl(spec.name())) {
            c.queued.add(argv);
            reply.simple("QUEUED");
            return;
        }
        call(c, entry, argv, reply);
    }

    /**
     * maxmemory: evicts what the policy allows, and says whether the command must be refused
     * (deny-oom commands, EXEC of a transaction holding one, anything queued in MULTI).
     */
    private boolean outOfMemory(ClientSession c, CommandTable.Entry entry, byte[][] argv) {
        preCommandOom = eviction.performEvictions() == Eviction.Result.FAIL;
        if (!preCommandOom) {
            return false;
        }
        CommandSpec spec = entry.command.spec();
        String name = spec.name();
        boolean deny = denyOom(entry, argv);
        if (!deny && c.inMulti && name.equals("exec")) {
            for (byte[][] q : c.queued) {
                CommandTable.Entry qe = commands.lookup(q[0]);
                if (qe != null && denyOom(qe, q)) {
                    deny = true;
                    break;
                }
            }
        } else if (c.inMulti && !name.equals("exec") && !name.equals("discard") && !name.equals("quit")
                && !name.equals("reset")) {
            deny = true;
        }
        return deny;
    }

    /** The command is deny-oom: by its flags, or by its arguments (EVAL and FCALL by their script's flags). */
    private static boolean denyOom(CommandTable.Entry e, byte[][] argv) {
        return e.command.spec().has(CommandFlag.DENYOOM)
                || (e.command.handler() instanceof io.modis.api.DynamicFlags d && d.denyOom(argv));
    }

    /** A key was evicted: replicas and the AOF delete it, "evicted" is notified, watchers see it change. */
    void evicted(Db db, byte[] key) {
        propagate(db.id(), new byte[][] {Bytes.of("DEL"), key});
        notifyEvent('e', "evicted", key, db.id());
        touched(db, key);
        if (callDepth == 0) {
            flushPropagation();
        }
    }

    private static boolean allowedToSubscriber(String name) {
        return switch (name) {
            case "ping", "subscribe", "ssubscribe", "unsubscribe", "sunsubscribe", "psubscribe", "punsubscribe",
                 "quit", "reset" -> true;
            default -> false;
        };
    }

    private static boolean isTransactionControl(String name) {
        return switch (name) {
            case "exec", "discard", "multi", "watch", "quit", "reset" -> true;
            default -> false;
        };
    }

    private boolean protectedAllowed(ClientSession c, CommandSpec spec) {
        String opt = spec.name().startsWith("debug") ? "enable-debug-command" : "enable-module-command";
        String v = config.get(opt);
        if (v == null || v.equals("yes")) {
            return true;
        }
        if (v.equals("local")) {
            String a = c.conn.remoteAddress();
            return c.conn.unixSocket() || a.startsWith("127.") || a.startsWith("[::1]") || a.startsWith("::1");
        }
        return false;
    }

    private static String clip(byte[] b) {
        String s = Bytes.str(b);
        return s.length() > 128 ? s.substring(0, 128) : s;
    }

    private void reject(ClientSession c, Reply reply, CommandTable.Entry entry, String error) {
        if (entry != null) {
            entry.rejectedCalls++;
        }
        String text = error.replace('\r', ' ').replace('\n', ' ');
        if (c.inMulti && entry != null && entry.command.spec().name().equals("exec")) {
            // EXEC itself refused (OOM, MISCONF, ...): the transaction is discarded, with the reason
            discard(c);
            reply.error("EXECABORT Transaction discarded because of: " + text);
            return;
        }
        if (c.inMulti) {
            c.multiError = true;
        }
        reply.error(text);
    }

    /** Runs one command now (top level, inside EXEC, or from a script). */
    public void call(ClientSession c, CommandTable.Entry entry, byte[][] argv, Reply reply) {
        CommandSpec spec = entry.command.spec();
        ClientSession sc = ctx.client;
        CommandSpec ss = ctx.spec;
        byte[][] sa = ctx.argv;
        Reply sr = ctx.reply;
        long sd = ctx.dirty;
        boolean se = ctx.explicitPropagation;
        boolean nested = callDepth > 0;
        callDepth++;
        ctx.reset(c, spec, argv, reply);
        long errorsBefore = reply.errors();
        long outerChildErrors = childErrors;
        childErrors = 0;
        long start = System.nanoTime();
        long scriptsBefore = scriptRuns;
        if (persistence.writeBarrier != null) {
            persistence.beforeWrite(c.db, spec, argv);
        }
        if (!monitors.isEmpty() && spec.has(CommandFlag.SKIP_MONITOR) && !spec.has(CommandFlag.ADMIN)) {
            // the script runners (EVAL, FCALL) are shown before the commands they run
            feedMonitors(c, argv);
        }
        try {
            entry.command.handler().execute(ctx);
        } catch (CommandException e) {
            reply.error(e.getMessage());
        } catch (RuntimeException | LinkageError | StackOverflowError e) {
            reply.error(internalError(spec.name(), e));
        } finally {
            callDepth--;
        }
        if (c.tracking != null) {
            // as Redis: a script's read command tracks the keys the script command declared; the
            // script command itself (EVAL_RO, FCALL_RO) tracks nothing of its own
            if (c.inScript) {
                if (nested && spec.has(CommandFlag.READONLY)) {
                    tracking.rememberKeys(c, ss, sa);
                }
            } else if (scriptRuns == scriptsBefore) {
                tracking.remember(c, spec, argv);
            }
        }
        long nanos = System.nanoTime() - start;
        long micros = nanos / 1000;
        boolean blocked = c.blockedOn != null;
        if (!blocked) {
            slowlog.commandDone(c, spec, argv, micros);
        }
        latency.commandDone(entry, nanos, !blocked);
        entry.calls++;
        entry.micros += micros;
        long errors = reply.errors() - errorsBefore;
        // errors of commands run inside this one (EXEC) are theirs, not this command's
        if (errors > childErrors) {
            entry.failedCalls++;
        }
        childErrors = outerChildErrors + errors;
        if (!monitors.isEmpty() && !spec.has(CommandFlag.SKIP_MONITOR) && !spec.has(CommandFlag.ADMIN)) {
            feedMonitors(c, argv);
        }
        stats.commandsProcessed++;
        c.lastCommand = spec.name();
        if (ctx.dirty > 0) {
            dirty += ctx.dirty;
            if (!ctx.explicitPropagation && spec.has(CommandFlag.WRITE)) {
                propagate(c.db.id(), argv);
            }
        }
        if (nested) {
            ctx.client = sc;
            ctx.spec = ss;
            ctx.argv = sa;
            ctx.reply = sr;
            ctx.dirty = sd;
            ctx.explicitPropagation = se;
        }
    }

    // ---- MONITOR ----

    /** MONITOR: from now on the client receives every command other clients run. */
    public void monitor(ClientSession c) {
        if (!monitors.contains(c)) {
            monitors.add(c);
        }
    }

    public void unmonitor(ClientSession c) {
        monitors.remove(c);
    }

    public boolean isMonitor(ClientSession c) {
        return monitors.contains(c);
    }

    /** One MONITOR line: time, database and peer, then the arguments quoted as Redis does. */
    private void feedMonitors(ClientSession c, byte[][] argv) {
        java.time.Instant t = java.time.Instant.now();
        StringBuilder line = new StringBuilder(64);
        line.append(t.getEpochSecond()).append('.').append(String.format("%06d", t.getNano() / 1000)).append(" [")
                .append(c.db.id()).append(' ');
        if (c.inScript) {
            line.append("lua");
        } else if (c.conn.unixSocket()) {
            line.append("unix:").append(config.get("unixsocket"));
        } else {
            line.append(c.conn.remoteAddress());
        }
        line.append(']');
        boolean redactAll = Bytes.is(argv[0], "auth");
        boolean migrate = Bytes.is(argv[0], "migrate");
        for (int i = 0; i < argv.length; i++) {
            line.append(' ');
            boolean redact = (redactAll && i > 0) || (Bytes.is(argv[0], "hello") && i >= 2 && isHelloAuthArg(argv, i))
                    || (migrate && SlowLog.migrateSecret(argv, i));
            line.append(redact ? "\"(redacted)\"" : io.modis.core.config.ConfigLoader.repr(argv[i]));
        }
        String text = line.toString();
        for (ClientSession m : monitors) {
            if (clients.containsKey(m.id)) {
                m.conn.reply().simple(text);
            }
        }
    }

    /** HELLO [ver] AUTH user pass: the two values after AUTH are not shown. */
    private static boolean isHelloAuthArg(byte[][] argv, int i) {
        return (i >= 1 && Bytes.is(argv[i - 1], "auth")) || (i >= 2 && Bytes.is(argv[i - 2], "auth"));
    }

    // ---- transactions ----

    /** EXEC: runs the queued commands as one unit, propagated inside MULTI/EXEC. */
    public void exec(ClientSession c, Reply reply) {
        List<byte[][]> queued = c.queued;
        boolean aborted = c.multiError;
        boolean dirtyCas = c.watchDirty;
        c.inMulti = false;
        c.queued = null;
        c.multiError = false;
        unwatchAll(c);
        if (aborted) {
            reply.error("EXECABORT Transaction discarded because of previous errors.");
            return;
        }
        if (dirtyCas) {
            reply.nilArray();
            return;
        }
        int mark = pendingPropagation.size();
        reply.array(queued.size());
        c.executingExec = true;
        try {
            for (byte[][] argv : queued) {
                CommandTable.Entry e = commands.lookup(argv[0]);
                if (e != null && e.isContainer() && argv.length > 1) {
                    e = e.subcommand(argv[1]);
                }
                if (e == null) {
                    reply.error("ERR unknown command");
                    continue;
                }
                io.modis.api.AccessControl.Denial denied = checkAccess(c, e.command.spec(), argv);
                if (denied != null) {
                    reply.error(denied.execError());
                    continue;
                }
                call(c, e, argv, reply);
            }
        } finally {
            c.executingExec = false;
        }
        wrapEffects(mark);
    }

    /** Where the effects of a unit (EXEC, a script) start in the pending propagation. */
    int effectsMark() {
        return pendingPropagation.size();
    }

    /** Wraps the effects propagated since {@code mark} in MULTI/EXEC when there are several. */
    void wrapEffects(int mark) {
        if (pendingPropagation.size() - mark > 1) {
            Object first = pendingPropagation.get(mark)[0];
            Object last = pendingPropagation.get(pendingPropagation.size() - 1)[0];
            pendingPropagation.add(mark, new Object[] {first, new byte[][] {Bytes.of("MULTI")}});
            pendingPropagation.add(new Object[] {last, new byte[][] {Bytes.of("EXEC")}});
        }
    }

    public void multi(ClientSession c) {
        c.inMulti = true;
        c.queued = new ArrayList<>();
        c.multiError = false;
    }

    public void discard(ClientSession c) {
        c.inMulti = false;
        c.queued = null;
        c.multiError = false;
        unwatchAll(c);
    }

    public void watch(ClientSession c, byte[] key) {
        for (ClientSession.Watch w : c.watches) {
            if (w.db == c.db && Bytes.equal(w.key, key)) {
                return;
            }
        }
        ClientSession.Watch w = new ClientSession.Watch(c, c.db, key, c.db.isLogicallyExpired(key));
        c.watches.add(w);
        var e = c.db.watched.addOrFind(key);
        if (e.value == null) {
            e.value = new ArrayList<>();
        }
        e.value.add(w);
    }

    public void unwatchAll(ClientSession c) {
        for (ClientSession.Watch w : c.watches) {
            var e = w.db.watched.find(w.key);
            if (e != null) {
                e.value.remove(w);
                if (e.value.isEmpty()) {
                    w.db.watched.remove(w.key);
                }
            }
        }
        c.watches.clear();
        c.watchDirty = false;
    }

    /**
     * A key changed: transactions watching it will fail. A key that was already expired when
     * watched and is now gone changed nothing logically (Redis 7.0's rule).
     */
    void touched(Db db, byte[] key) {
        db.reaccount(key);
        tracking.invalidate(key, executing, true);
        if (db.watched.size() == 0) {
            return;
        }
        var e = db.watched.find(key);
        if (e == null) {
            return;
        }
        for (ClientSession.Watch w : e.value) {
            if (w.expired) {
                if (!db.containsRaw(key)) {
                    w.expired = false;
                    continue;
                }
                break;
            }
            w.client.watchDirty = true;
        }
    }

    /**
     * FLUSHDB/FLUSHALL ({@code replacedWith} null) and SWAPDB: watched keys that exist in the
     * emptied database, or will exist after the swap, are touched; stale keys follow Redis's rules.
     */
    public void touchAll(Db emptied, Db replacedWith) {
        emptied.watched.forEach(e -> {
            byte[] key = e.key;
            boolean inEmptied = emptied.containsRaw(key);
            boolean inReplacement = replacedWith != null && replacedWith.containsRaw(key);
            if (!inEmptied && !inReplacement) {
                return;
            }
            for (ClientSession.Watch w : e.value) {
                if (w.expired) {
                    if (!inReplacement) {
                        w.expired = false;
                        continue;
                    } else if (replacedWith.isLogicallyExpired(key)) {
                        continue;
                    }
                } else if (!inEmptied && replacedWith.isLogicallyExpired(key)) {
                    w.expired = true;
                    continue;
                }
                w.client.watchDirty = true;
            }
        });
    }

    /** At EXEC: a watched key that expired since it was watched fails the transaction. */
    public void checkExpiredWatches(ClientSession c) {
        for (ClientSession.Watch w : c.watches) {
            if (!w.expired && w.db.isLogicallyExpired(w.key)) {
                c.watchDirty = true;
            }
        }
    }

    // ---- propagation and events ----

    void propagate(int db, byte[][] argv) {
        if (propagationListeners.isEmpty() || persistence.loading) {
            return;
        }
        pendingPropagation.add(new Object[] {db, argv});
    }

    /** As {@link #propagate}, for replicas only (PUBLISH): the AOF does not get it. */
    void propagateToReplicas(int db, byte[][] argv) {
        if (propagationListeners.isEmpty() || persistence.loading) {
            return;
        }
        pendingPropagation.add(new Object[] {db, argv, REPLICAS_ONLY});
    }

    private void flushPropagation() {
        if (pendingPropagation.isEmpty()) {
            return;
        }
        for (int i = 0; i < pendingPropagation.size(); i++) {
            Object[] p = pendingPropagation.get(i);
            boolean replicasOnly = p.length > 2;
            for (PropagationListener l : propagationListeners) {
                if (replicasOnly) {
                    l.propagateToReplicas((Integer) p[0], (byte[][]) p[1]);
                } else {
                    l.propagate((Integer) p[0], (byte[][]) p[1]);
                }
            }
        }
        pendingPropagation.clear();
    }

    void keyExpired(Db db, byte[] key) {
        propagate(db.id(), new byte[][] {Bytes.of("DEL"), key});
        notifyEvent('x', "expired", key, db.id());
        touched(db, key);
        if (callDepth == 0) {
            flushPropagation();
        }
    }

    /** A key was added to {@code db}: "new" event, and clients blocked on it may be served. */
    void keyAdded(Db db, byte[] key) {
        blocking.signal(db, key);
        notifyEvent('n', "new", key, db.id());
    }

    void notifyEvent(char type, String event, byte[] key, int db) {
        if (eventListeners.isEmpty() || notifyFlags.isEmpty()) {
            return;
        }
        for (KeyspaceEventListener l : eventListeners) {
            l.event(type, event, key, db);
        }
    }

    // ---- blocking ----

    void block(ClientSession c, List<byte[]> keys, long timeoutMillis, BlockedCommand command, CommandSpec spec,
            byte[][] argv) {
        // a key given twice (BLPOP k k 0) is waited on once
        List<byte[]> unique = new ArrayList<>(keys.size());
        java.util.Set<java.nio.ByteBuffer> seen = new java.util.HashSet<>();
        for (byte[] k : keys) {
            if (seen.add(java.nio.ByteBuffer.wrap(k))) {
                unique.add(k);
            }
        }
        Blocking.Waiter w = new Blocking.Waiter(c, c.db, List.copyOf(unique), command, spec, argv);
        c.blockedOn = w;
        blocking.block(w);
        if (timeoutMillis > 0) {
            long delay = Math.max(0, timeoutMillis - System.currentTimeMillis());
            w.timeout = executor.schedule(() -> timeoutBlocked(w), delay, TimeUnit.MILLISECONDS);
        }
    }

    private void timeoutBlocked(Blocking.Waiter w) {
        if (w.client.blockedOn != w) {
            return;
        }
        blocking.unblock(w);
        w.client.blockedOn = null;
        w.command.timeout(w.client.conn.reply());
        resumeClient(w.client);
    }

    /** CLIENT UNBLOCK: true if the client was blocked. */
    public boolean unblock(ClientSession c, boolean withError) {
        Blocking.Waiter w = c.blockedOn;
        if (w == null) {
            return false;
        }
        blocking.unblock(w);
        c.blockedOn = null;
        if (withError) {
            c.conn.reply().error("UNBLOCKED client unblocked via CLIENT UNBLOCK");
        } else {
            w.command.timeout(c.conn.reply());
        }
        resumeClient(c);
        return true;
    }

    boolean serveBlocked(Blocking.Waiter w, byte[] readyKey) {
        ClientSession c = w.client;
        Db saved = c.db;
        ClientSession savedExecuting = executing;
        executing = c;
        c.db = w.db;
        Reply reply = c.conn.reply();
        ctx.reset(c, w.spec, w.argv, reply);
        long errorsBefore = reply.errors();
        boolean served;
        if (persistence.writeBarrier != null) {
            persistence.beforeWrite(w.db, w.spec, w.argv);
        }
        long start = System.nanoTime();
        try {
            served = w.command.serve(ctx, readyKey);
        } catch (CommandException e) {
            c.conn.reply().error(e.getMessage());
            served = true;
        } catch (RuntimeException | LinkageError | StackOverflowError e) {
            c.conn.reply().error(internalError(w.spec.name(), e));
            served = true;
        } finally {
            c.db = saved;
            executing = savedExecuting;
        }
        if (served && ctx.dirty > 0) {
            dirty += ctx.dirty;
        }
        if (served) {
            servedStats(c, w, System.nanoTime() - start);
        }
        // an error a served client gets counts in errorstats and the command's failed calls
        long errors = reply.errors() - errorsBefore;
        for (long i = 0; i < errors; i++) {
            stats.error(reply.lastError());
        }
        if (errors > 0) {
            CommandTable.Entry entry = commands.lookup(Bytes.of(w.spec.name()));
            if (entry != null) {
                entry.failedCalls++;
            }
        }
        return served;
    }

    /** A blocked command completed: the slow log and its latency histogram see it now (as Redis). */
    private void servedStats(ClientSession c, Blocking.Waiter w, long nanos) {
        slowlog.commandDone(c, w.spec, w.argv, nanos / 1000);
        CommandTable.Entry entry = commands.lookup(Bytes.of(w.spec.name()));
        if (entry != null && ops.latencyTracking) {
            LatencyMonitor.record(entry, nanos);
        }
    }

    void resumeClient(ClientSession c) {
        c.conn.flush();
        executor.execute(() -> {
            if (clients.containsKey(c.id)) {
                c.conn.resume();
            }
        });
    }

    /** Clients blocked on keys plus clients held by CLIENT PAUSE (Redis counts both). */
    public int blockedClients() {
        return blocking.blockedClients + pausedClients.size();
    }

    // ---- CLIENT PAUSE ----

    public void pause(long untilMillis, boolean writesOnly) {
        pauseEndMillis = Math.max(pauseEndMillis, untilMillis);
        pauseWritesOnly = writesOnly;
        long delay = Math.max(0, pauseEndMillis - System.currentTimeMillis());
        executor.schedule(this::checkPauseEnd, delay + 1, TimeUnit.MILLISECONDS);
    }

    public void unpause() {
        pauseEndMillis = 0;
        runHeld(pausedClients);
    }

    /** Runs the held command of each client of {@code held} (emptied), and lets them go on. */
    private void runHeld(List<ClientSession> held) {
        List<ClientSession> waiting = new ArrayList<>(held);
        held.clear();
        for (ClientSession c : waiting) {
            byte[][] argv = c.pausedCommand;
            c.pausedCommand = null;
            if (clients.containsKey(c.id) && execute(c, argv)) {
                c.conn.flush();
                c.conn.resume();
            } else {
                c.conn.flush();
            }
        }
    }

    /** After the debugged script: the commands that waited for it run. */
    private void resumeHeldByDebugger() {
        runHeld(heldByDebugger);
    }

    private void checkPauseEnd() {
        if (pauseEndMillis > 0 && System.currentTimeMillis() >= pauseEndMillis) {
            unpause();
        }
    }

    private boolean isPaused(ClientSession c, byte[][] argv) {
        if (System.currentTimeMillis() >= pauseEndMillis) {
            unpause();
            return false;
        }
        if (!pauseWritesOnly) {
            return true;
        }
        CommandTable.Entry e = commands.lookup(argv[0]);
        if (e == null) {
            return false;
        }
        CommandSpec s = e.command.spec();
        if (c.inMulti && Bytes.is(argv[0], "exec")) {
            for (byte[][] q : c.queued) {
                CommandTable.Entry qe = commands.lookup(q[0]);
                if (qe != null && (qe.command.spec().has(CommandFlag.WRITE)
                        || qe.command.spec().has(CommandFlag.MAY_REPLICATE))) {
                    return true;
                }
            }
            return false;
        }
        if (c.inMulti) {
            return false;
        }
        return s.has(CommandFlag.WRITE) || s.has(CommandFlag.MAY_REPLICATE);
    }

    public boolean paused() {
        return pauseEndMillis > System.currentTimeMillis();
    }

    // ---- cron ----

    /** Runs every 1000/hz ms: active expiry, incremental rehash, client timeouts. */
    public void cron() {
        if (debugPauseCron) {
            return;
        }
        stats.sampleInstantaneous(System.currentTimeMillis());
        eviction.clientsCron();
        stats.peakMemory(eviction.usedMemory());
        cachedNow = System.currentTimeMillis();
        heapTrimmer.tick(stats.commandsProcessed, cachedNow);
        callDepth++;
        try {
            if (activeExpire && !persistence.loading) {
                long t0 = System.nanoTime();
                activeExpireCycle(cachedNow);
                latency.sample("expire-cycle", (System.nanoTime() - t0) / 1_000_000);
            }
            for (Db d : dbs) {
                d.resizeIfNeeded();
                if (config.getBool("activerehashing")) {
                    d.rehash(1_000_000);
                }
            }
        } finally {
            callDepth--;
        }
        flushPropagation();
        if (tracking.clients() > 0) {
            tracking.limitTable(trackingMaxKeys());
        }
        long timeout = config.getLong("timeout");
        if (timeout > 0) {
            long limit = System.currentTimeMillis() - timeout * 1000;
            for (ClientSession c : new ArrayList<>(clients.values())) {
                if (c.lastInteraction < limit && c.blockedOn == null) {
                    log.verbose("Closing idle client");
                    close(c);
                }
            }
        }
    }

    /** Redis's sampling loop: up to 20 keys per database, again while over 10% were expired, time-bounded. */
    private void activeExpireCycle(long now) {
        long deadline = System.nanoTime() + 25_000_000L / Math.max(1, config.getLong("hz") / 10);
        for (Db d : dbs) {
            int rounds = 0;
            while (d.expiresSize() > 0) {
                int expired = d.activeExpireStep(20, now);
                rounds++;
                if (expired <= 20 / 10 || System.nanoTime() > deadline || rounds > 1000) {
                    break;
                }
            }
        }
    }

    // ---- shutdown ----

    public void shutdown() {
        shutdown(false, false);
    }

    /**
     * Runs the persistence bundles' shutdown steps, then exits; returns the reason (already
     * logged) when a step failed and the server stays up.
     */
    public String shutdown(boolean save, boolean nosave) {
        String reason = persistence.beforeExit(save, nosave);
        if (reason != null) {
            log.warning("Errors trying to shut down the server: " + reason);
            return reason;
        }
        shutdownRequested = true;
        shutdownAction.run();
        return null;
    }

    /** Registers or removes a command bundle's commands. */
    public void addCommands(List<Command> list) {
        for (Command c : list) {
            commands.add(c);
        }
    }

    public void removeCommands(List<Command> list) {
        for (Command c : list) {
            commands.remove(c);
        }
    }

}
