package io.modis.core;

import io.modis.api.Command;
import io.modis.api.CommandProvider;
import io.modis.api.Config;
import io.modis.api.ConfigParam;
import io.modis.api.ConfigProvider;
import io.modis.api.Connection;
import io.modis.api.DataType;
import io.modis.api.DebugSubcommand;
import io.modis.api.Engine;
import io.modis.api.InfoSection;
import io.modis.api.Keyspace;
import io.modis.api.KeyspaceEventListener;
import io.modis.api.PropagationListener;
import io.modis.api.ServerLog;
import io.modis.api.Session;
import io.modis.core.config.ConfigError;
import io.modis.core.config.ConfigLoader;
import io.modis.core.config.ConfigRegistry;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.FrameworkListener;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Boots the engine once the framework has started every bundle of the distribution (so that
 * all configuration parameters are known), then registers the {@link Engine} service that the
 * transport waits for. Bundles' commands, types, parameters and listeners come and go through
 * the dynamic references below and are applied on the engine thread.
 */
@Component(immediate = true)
public final class CoreComponent {
    public static final String VERSION = "0.1.0";
    public static final String REDIS_VERSION = "7.0.15";
    /** The bundle that handles loadmodule directives (bundles/modules). */
    private static final String MODULES_BUNDLE = "io.modis.modules";

    private final ServerLogImpl log = new ServerLogImpl();
    private final ConfigRegistry config = new ConfigRegistry(ConfigRegistry.redis70Defaults());
    private final List<ProvidedCommands> commandProviders = new CopyOnWriteArrayList<>();
    /** Each provider's parameters as given when it was bound (removal must use the same objects). */
    private final Map<ConfigProvider, List<ConfigParam>> configProviders = new java.util.concurrent.ConcurrentHashMap<>();
    private final Contributions contributions = new Contributions();
    private BundleContext context;
    private FrameworkListener startListener;
    private volatile Server server;
    private EventLoopGroup engineGroup;
    private io.netty.channel.EventLoop executor;
    private ServiceRegistration<Engine> registration;
    private ScheduledFuture<?> cron;
    private volatile boolean started;
    private volatile boolean shuttingDown;
    private String pidfile;
    private volatile io.modis.api.AccessControl accessControl;
    /** Engine.keepState: departed components' state, by name, until their successor takes it. */
    private final Map<String, byte[]> keptStates = new java.util.concurrent.ConcurrentHashMap<>();

    /** Lets go of departed data types once their bundle has fully stopped. */
    private final org.osgi.framework.BundleListener stoppedListener = event -> {
        if (event.getType() == org.osgi.framework.BundleEvent.STOPPED) {
            org.osgi.framework.Bundle gone = event.getBundle();
            onEngine(s -> s.typeSwap.forget(t -> org.osgi.framework.FrameworkUtil.getBundle(t.getClass()) == gone));
        }
    };

    @Activate
    void activate(BundleContext ctx) {
        this.context = ctx;
        ctx.addBundleListener(stoppedListener);
        for (ConfigParam p : CoreParams.create(this)) {
            config.register(p);
        }
        if (ctx.getBundle(0).getState() == org.osgi.framework.Bundle.ACTIVE) {
            start();
        } else {
            startListener = event -> {
                if (event.getType() == FrameworkEvent.STARTED) {
                    start();
                }
            };
            ctx.addFrameworkListener(startListener);
        }
    }

    @Deactivate
    void deactivate() {
        try {
            context.removeBundleListener(stoppedListener);
        } catch (IllegalStateException ignored) {
            // the framework is going down
        }
        if (startListener != null) {
            context.removeFrameworkListener(startListener);
        }
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException ignored) {
                // already gone with the bundle
            }
        }
        if (cron != null) {
            cron.cancel(false);
        }
        if (engineGroup != null) {
            // wait, so that no engine task runs once the libraries' bundles stop
            engineGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        removePidfile();
    }

    private synchronized void start() {
        if (started) {
            return;
        }
        started = true;
        for (List<ConfigParam> params : configProviders.values()) {
            registerParams(params);
        }
        ConfigLoader loader = new ConfigLoader(config);
        String argv = context.getProperty("modis.argv");
        String[] args = argv == null || argv.isEmpty() ? new String[0] : argv.split("\u0000", -1);
        try {
            loader.load(args);
            config.directives(loader.extraDirectives().stream().map(ConfigLoader.Directive::args).toList());
        } catch (ConfigError e) {
            System.err.print(e.report());
            System.err.flush();
            Runtime.getRuntime().halt(1);
            return;
        }
        try {
            log.file(config.get("logfile"));
        } catch (IOException e) {
            System.err.println("Can't open the log file: " + e.getMessage());
            Runtime.getRuntime().halt(1);
        }
        log.raw(ServerLog.Level.WARNING, "oO0OoO0OoO0Oo Modis is starting oO0OoO0OoO0Oo");
        log.raw(ServerLog.Level.WARNING, "Modis version=" + VERSION + " (Redis " + REDIS_VERSION
                + " compatible), bits=64, pid=" + log.pid() + ", just started");
        if (loader.configFile() == null) {
            log.raw(ServerLog.Level.WARNING, "Warning: no config file specified, using the default config. "
                    + "In order to specify a config file use modis-server /path/to/modis.conf");
        } else {
            log.raw(ServerLog.Level.WARNING, "Configuration loaded");
        }
        log.role('M');
        changeDir();
        ScriptCalls.EngineIo io = new ScriptCalls.EngineIo(
                Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        engineGroup = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("modis-engine", true), io);
        executor = engineGroup.next();
        Server s = new Server(config, log, executor, contributions);
        s.databases((int) config.getLong("databases"));
        s.notifyFlags(config.get("notify-keyspace-events"));
        s.outputLimits = outputBufferLimits;
        s.onShutdown(this::exitProcess);
        s.ioPump = io;
        s.ioWait = io::runWaiting;
        s.configFile = loader.configFile();
        for (ConfigLoader.Directive d : loader.extraDirectives()) {
            if (d.args().get(0).equalsIgnoreCase("rename-command")) {
                s.commands.rename(d.args().get(1), d.args().get(2));
            }
        }
        executor.submit(() -> {
            server = s;
            s.addCommands(new CoreCommands(s).commands());
            for (ProvidedCommands p : commandProviders) {
                s.addCommands(p.commands());
            }
            io.modis.api.AccessControl ac = accessControl;
            if (ac != null) {
                try {
                    AccessHost.attach(s, ac, config.directives());
                } catch (IllegalArgumentException e) {
                    log.warning(e.getMessage());
                    System.err.println(e.getMessage());
                    Runtime.getRuntime().halt(1);
                }
            }
        }).syncUninterruptibly();
        writePidfile();
        Signals.install(this);
        log.notice("Server initialized");
        hz((int) Math.max(1, Math.min(500, config.getLong("hz"))));
        if (!loadsModules(context, config.directives())) {
            s.persistence.startupModules.complete(null);
        }
        registration = context.registerService(Engine.class, new EngineService(), null);
        // after the transport has bound its port (it starts when the Engine appears): Redis's test
        // suite takes the logo's PID line as the sign that the server accepts connections
        banner();
        // every component waiting for the engine is active now (SCR binds them as it registers);
        // the loaders among them have said so, in this task's queue or before it. After the
        // banner, so that what waits for the start (a fatal load error's exit) comes after it.
        server.executor.execute(server.persistence::started);
    }

    /**
     * True when loadmodule directives are given and a bundle that handles them is installed:
     * the dataset loaders then wait until it reports them loaded (Engine.startupModules).
     */
    private static boolean loadsModules(BundleContext context, List<List<String>> directives) {
        boolean directive = directives.stream().anyMatch(d -> d.get(0).equalsIgnoreCase("loadmodule"));
        return directive && java.util.Arrays.stream(context.getBundles())
                .anyMatch(b -> MODULES_BUNDLE.equals(b.getSymbolicName()));
    }

    private void changeDir() {
        String dir = config.get("dir");
        Path p = Path.of(dir).toAbsolutePath().normalize();
        if (!Files.isDirectory(p)) {
            log.warning("Can't chdir to '" + dir + "': No such file or directory");
            Runtime.getRuntime().halt(1);
        }
        // The JVM cannot chdir; files are resolved against this directory instead.
        System.setProperty("modis.dir", p.toString());
    }

    private void banner() {
        String port = config.get("port");
        if (config.getBool("always-show-logo")) {
            log.text("\n"
                    + "                 _ _\n"
                    + "  _ __  ___  __| (_)___    Modis " + VERSION + " (Redis " + REDIS_VERSION + " compatible) 64 bit\n"
                    + " | '  \\/ _ \\/ _` | (_-<\n"
                    + " |_|_|_\\___/\\__,_|_/__/    Running in standalone mode\n"
                    + "                           Port: " + port + "\n"
                    + "                           PID: " + log.pid() + "\n\n");
        } else {
            log.notice("Running mode=standalone, port=" + port + ".");
        }
    }

    private void writePidfile() {
        String pf = config.get("pidfile");
        if (pf == null || pf.isEmpty()) {
            return;
        }
        try {
            Files.writeString(Path.of(pf), log.pid() + "\n");
            pidfile = pf;
        } catch (IOException e) {
            log.warning("Failed to write PID file: " + e.getMessage());
        }
    }

    private void removePidfile() {
        if (pidfile != null) {
            try {
                Files.deleteIfExists(Path.of(pidfile));
            } catch (IOException ignored) {
                // nothing more to do at exit
            }
            pidfile = null;
        }
    }

    void hz(int hz) {
        if (executor == null) {
            return;
        }
        if (cron != null) {
            cron.cancel(false);
        }
        long period = Math.max(1, 1000 / hz);
        cron = executor.scheduleAtFixedRate(() -> {
            Server s = server;
            if (s != null) {
                s.cron();
            }
        }, period, period, TimeUnit.MILLISECONDS);
    }

    private volatile OutputBufferLimits outputBufferLimits = OutputBufferLimits.DEFAULTS;

    OutputBufferLimits outputBufferLimits() {
        return outputBufferLimits;
    }

    void outputBufferLimits(OutputBufferLimits limits) {
        outputBufferLimits = limits;
        Server s = server;
        if (s != null) {
            s.outputLimits = limits;
        }
    }

    void requirepassChanged(Object value) {
        // new connections pick the password up when they open; existing ones keep their state.
        // With the acl bundle, requirepass is the default user's password.
        Server s = server;
        io.modis.api.AccessControl ac = s == null ? null : s.accessControl;
        if (ac != null) {
            ac.requirePass(value == null ? "" : value.toString());
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void setAccessControl(io.modis.api.AccessControl ac) {
        accessControl = ac;
        onEngine(s -> AccessHost.attach(s, ac, config.directives()));
    }

    void unsetAccessControl(io.modis.api.AccessControl ac) {
        if (accessControl == ac) {
            accessControl = null;
        }
        // a volatile write, not an engine task: the engine may already be stopping
        Server s = server;
        if (s != null && s.accessControl == ac) {
            s.accessControl = null;
        }
    }

    ServerLogImpl log() {
        return log;
    }

    /** The running server, or null before start. */
    Server server() {
        return server;
    }

    public ConfigRegistry config() {
        return config;
    }

    /** Called on a signal (from the signal thread). */
    void signal(String name) {
        if (executor == null) {
            Runtime.getRuntime().halt(0);
        }
        if (server != null) {
            server.signalPending = true;
        }
        executor.execute(() -> {
            server.signalPending = false;
            if (shuttingDown) {
                log.warning("You insist... exiting now.");
                removePidfile();
                Runtime.getRuntime().halt(1);
            }
            log.warning("Received " + name + " scheduling shutdown...");
            server.shutdown();
        });
    }

    /**
     * The last steps of SHUTDOWN and of a signal: log, remove the pidfile, stop the framework
     * (the launcher then exits with status 0).
     */
    private void exitProcess() {
        shuttingDown = true;
        log.warning("User requested shutdown...");
        removePidfile();
        log.warning("Modis is now ready to exit, bye bye...");
        Thread stopper = new Thread(() -> {
            try {
                context.getBundle(0).stop();
            } catch (BundleException | IllegalStateException e) {
                Runtime.getRuntime().halt(0);
            }
        }, "modis-shutdown");
        stopper.start();
    }

    // ---- dynamic contributions ----

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addCommandProvider(CommandProvider p) {
        ProvidedCommands provided = new ProvidedCommands(p, p.commands());
        commandProviders.add(provided);
        onEngine(s -> s.addCommands(provided.commands()));
    }

    void removeCommandProvider(CommandProvider p) {
        for (ProvidedCommands provided : commandProviders) {
            if (provided.provider() == p) {
                commandProviders.remove(provided);
                onEngine(s -> s.removeCommands(provided.commands()));
            }
        }
    }

    /**
     * A provider's commands as taken when it was bound. The table removes commands by identity,
     * and a provider may build new Command objects on each call to commands().
     */
    private record ProvidedCommands(CommandProvider provider, List<Command> commands) {
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addConfigProvider(ConfigProvider p) {
        List<ConfigParam> params = List.copyOf(p.configParams());
        configProviders.put(p, params);
        if (started) {
            onEngine(s -> registerParams(params));
        }
    }

    void removeConfigProvider(ConfigProvider p) {
        List<ConfigParam> params = configProviders.remove(p);
        if (params == null) {
            return;
        }
        onEngine(s -> {
            for (ConfigParam c : params) {
                config.unregister(c);
            }
        });
    }

    private void registerParams(List<ConfigParam> params) {
        for (ConfigParam c : params) {
            config.register(c);
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addInfoSection(InfoSection i) {
        contributions.infoSections.add(i);
    }

    void removeInfoSection(InfoSection i) {
        contributions.infoSections.remove(i);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addPropagationListener(PropagationListener l) {
        contributions.propagationListeners.add(l);
    }

    void removePropagationListener(PropagationListener l) {
        contributions.propagationListeners.remove(l);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addKeyspaceEventListener(KeyspaceEventListener l) {
        contributions.eventListeners.add(l);
    }

    void removeKeyspaceEventListener(KeyspaceEventListener l) {
        contributions.eventListeners.remove(l);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addDataType(DataType t) {
        contributions.types.put(t.name(), t);
        onEngine(s -> s.typeSwap.arrived(t));
    }

    /**
     * Waits until the engine has serialized the departing type's values: the type's bundle is
     * still loaded now, and may not be once this returns.
     */
    void removeDataType(DataType t) {
        contributions.types.remove(t.name(), t);
        if (context.getBundle(0).getState() == org.osgi.framework.Bundle.STOPPING) {
            return;
        }
        onEngineAndWait(s -> s.typeSwap.departed(t));
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addClientListener(io.modis.api.ClientListener l) {
        contributions.clientListeners.add(l);
    }

    void removeClientListener(io.modis.api.ClientListener l) {
        contributions.clientListeners.remove(l);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addInfoFields(io.modis.api.InfoFields f) {
        contributions.infoFields.add(f);
    }

    void removeInfoFields(io.modis.api.InfoFields f) {
        contributions.infoFields.remove(f);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addDebugSubcommand(DebugSubcommand d) {
        contributions.debugSubcommands.put(d.name(), d);
    }

    void removeDebugSubcommand(DebugSubcommand d) {
        contributions.debugSubcommands.remove(d.name(), d);
    }

    /** Runs the action on the engine thread: now if this is the engine thread, else queued. */
    private void onEngine(java.util.function.Consumer<Server> action) {
        io.netty.channel.EventLoop ex = executor;
        // an engine shutting down (the core stops) has no table left to change: providers that
        // leave after it are ignored, not refused with an exception in the log
        if (ex == null || ex.isShuttingDown()) {
            return;
        }
        if (ex.inEventLoop()) {
            Server s = server;
            if (s != null) {
                action.accept(s);
            }
            return;
        }
        try {
            ex.execute(() -> {
                Server s = server;
                if (s != null) {
                    action.accept(s);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException shutDownMeanwhile) {
            // as above: the engine stopped between the check and now
        }
    }

    /** Runs the action on the engine thread and waits for it (from a framework thread). */
    private void onEngineAndWait(java.util.function.Consumer<Server> action) {
        onEngineAndWait(action, 60);
    }

    private void onEngineAndWait(java.util.function.Consumer<Server> action, long timeoutSeconds) {
        io.netty.channel.EventLoop ex = executor;
        if (ex == null || ex.isShuttingDown()) {
            return;
        }
        if (ex.inEventLoop()) {
            onEngine(action);
            return;
        }
        try {
            ex.submit(() -> {
                Server s = server;
                if (s != null) {
                    action.accept(s);
                }
            }).get(timeoutSeconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException
                 | java.util.concurrent.RejectedExecutionException e) {
            log.warning("Engine task during a bundle change failed: " + e);
        }
    }

    /** The Engine service the transport uses. */
    private final class EngineService implements Engine {
        @Override
        public ScheduledExecutorService executor() {
            return executor;
        }

        @Override
        public Session open(Connection connection) {
            return server.open(connection);
        }

        @Override
        public Config config() {
            return config;
        }

        @Override
        public ServerLog log() {
            return log;
        }

        @Override
        public void rejectedConnection() {
            server.stats.rejectedConnections++;
        }

        @Override
        public void loading(boolean on) {
            server.persistence.loading(on);
            if (!on) {
                server.executor.execute(server.persistence::runReadyActions);
            }
        }

        @Override
        public void whenReady(Runnable action) {
            server.executor.execute(() -> server.persistence.whenReady(action));
        }

        @Override
        public java.util.concurrent.CompletableFuture<Void> startupModules() {
            return server.persistence.startupModules.copy();
        }

        @Override
        public void startupModulesLoaded() {
            server.persistence.startupModules.complete(null);
        }

        @Override
        public void whenStarted(Runnable action) {
            server.executor.execute(() -> server.persistence.whenStarted(action));
        }

        @Override
        public Keyspace keyspace() {
            return server;
        }

        @Override
        public long dirty() {
            return server.dirty;
        }

        @Override
        public void saved(long dirtyAtStart, long unixSeconds) {
            server.dirty = Math.max(0, server.dirty - dirtyAtStart);
            server.lastSave = unixSeconds;
        }

        @Override
        public void refuseWrites(String error) {
            server.persistence.refuseWrites = error;
        }

        @Override
        public void writeBarrier(WriteBarrier barrier) {
            if (barrier != null && server.persistence.writeBarrier == null) {
                server.persistence.snapshotsStarted++;
            }
            server.persistence.writeBarrier = barrier;
        }

        @Override
        public void addShutdownHook(ShutdownHook hook) {
            server.persistence.shutdownHooks.add(hook);
        }

        @Override
        public void removeShutdownHook(ShutdownHook hook) {
            server.persistence.shutdownHooks.remove(hook);
        }

        /**
         * Waits up to five minutes: a script running now delays the engine task until it ends (or
         * is killed), and the departing component's state must be read after it.
         */
        @Override
        public void keepState(String name, java.util.function.Supplier<byte[]> state) {
            onEngineAndWait(s -> {
                byte[] bytes = state.get();
                if (bytes == null) {
                    keptStates.remove(name);
                } else {
                    keptStates.put(name, bytes);
                }
            }, 300);
        }

        @Override
        public byte[] takeState(String name) {
            return keptStates.remove(name);
        }

        @Override
        public Session openLoader(Connection connection) {
            return server.openLoader(connection);
        }

        @Override
        public void whenDurable(Runnable send) {
            for (PropagationListener l : contributions.propagationListeners) {
                if (l.holdUntilDurable(send)) {
                    return;
                }
            }
            send.run();
        }
    }

}
