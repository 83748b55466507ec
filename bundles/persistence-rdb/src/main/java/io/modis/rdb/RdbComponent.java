package io.modis.rdb;

import static io.modis.api.CommandFlag.ADMIN;
import static io.modis.api.CommandFlag.DENYOOM;
import static io.modis.api.CommandFlag.NOSCRIPT;
import static io.modis.api.CommandFlag.NO_ASYNC_LOADING;
import static io.modis.api.CommandFlag.NO_MULTI;
import static io.modis.api.CommandFlag.READONLY;
import static io.modis.api.CommandFlag.WRITE;

import io.modis.api.Bytes;
import io.modis.api.Command;
import io.modis.api.CommandContext;
import io.modis.api.CommandException;
import io.modis.api.CommandProvider;
import io.modis.api.CommandSpec;
import io.modis.api.ConfigParam;
import io.modis.api.ConfigProvider;
import io.modis.api.DataType;
import io.modis.api.DebugSubcommand;
import io.modis.api.Engine;
import io.modis.api.Errors;
import io.modis.api.FunctionStore;
import io.modis.api.InfoFields;
import io.modis.api.InfoSection;
import io.modis.api.KeySpec;
import io.modis.api.RdbImages;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The persistence-rdb bundle's one component: it contributes SAVE, BGSAVE, DUMP and RESTORE,
 * the RDB parameters, the INFO persistence fields and DEBUG RELOAD, loads the dump when the
 * engine starts and saves it at shutdown when save points exist.
 */
@Component(immediate = true, service = {CommandProvider.class, ConfigProvider.class, InfoFields.class,
        RdbImages.class})
public final class RdbComponent implements CommandProvider, ConfigProvider, InfoFields, ValueCodec.Types,
        RdbImages {
    private static final String REDIS_VERSION = "7.0.15";

    private final Map<String, DataType> byName = new ConcurrentHashMap<>();
    private final Map<Long, DataType> byModuleId = new ConcurrentHashMap<>();
    private final RdbSettings settings = new RdbSettings();
    private final List<ConfigParam> params = settings.params();
    private Engine engine;
    private volatile FunctionStore functions;
    private Persistence persistence;
    private DumpCommands dump;
    private MigrateCommand migrate;
    private java.util.concurrent.ScheduledFuture<?> migrateCron;
    private ServerRegistrations registrations;
    private volatile Thread engineThread;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addDataType(DataType t) {
        if (t.moduleName() != null) {
            try {
                byModuleId.put(ValueCodec.moduleId(t.moduleName(), t.encodingVersion()), t);
            } catch (IllegalArgumentException e) {
                // a name that cannot be encoded: such values cannot be saved either
            }
        } else {
            byName.put(t.name(), t);
        }
    }

    void removeDataType(DataType t) {
        byName.remove(t.name(), t);
        byModuleId.values().remove(t);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setFunctions(FunctionStore store) {
        functions = store;
        Persistence p = persistence;
        if (p != null) {
            engine.executor().execute(() -> p.functionStoreArrived(store));
        }
    }

    void unsetFunctions(FunctionStore store) {
        if (functions == store) {
            functions = null;
        }
    }

    @Reference
    void setEngine(Engine e) {
        this.engine = e;
    }

    @Activate
    void activate(BundleContext context) {
        settings.readFrom(engine.config());
        persistence = new Persistence(engine, settings, this, REDIS_VERSION, () -> functions);
        dump = new DumpCommands(settings, this, persistence::writeOptions);
        migrate = new MigrateCommand(dump);
        migrateCron = engine.executor().scheduleAtFixedRate(migrate::closeIdle, 1, 1,
                java.util.concurrent.TimeUnit.SECONDS);
        registrations = new ServerRegistrations(context);
        engine.executor().execute(() -> engineThread = Thread.currentThread());
        engine.addShutdownHook(persistence);
        persistence.loadAtStartup();
        persistence.startCron();
    }

    @Deactivate
    void deactivate() {
        migrateCron.cancel(false);
        MigrateCommand m = migrate;
        if (!engine.executor().isShutdown()) {
            engine.executor().execute(m::closeAll);
        }
        engine.removeShutdownHook(persistence);
        persistence.stop();
        registrations.close();
    }

    @Override
    public boolean saving() {
        return persistence.snapshotInProgress();
    }

    @Override
    public Image write(Path file, boolean aofBase, Consumer<String> done) {
        return persistence.startImage(file, aofBase, done);
    }

    @Override
    public long load(Path file) throws IOException {
        return persistence.loadImage(file, Thread.currentThread() == engineThread);
    }

    @Override
    public DataType byName(String name) {
        return byName.get(name);
    }

    @Override
    public DataType byModuleId(long id) {
        return byModuleId.get(id);
    }

    @Override
    public List<ConfigParam> configParams() {
        return params;
    }

    @Override
    public String section() {
        return "persistence";
    }

    @Override
    public void write(InfoSection.InfoWriter out) {
        if (persistence != null) {
            persistence.info(out);
        }
    }

    @Override
    public List<Command> commands() {
        return List.of(saveCommand(), bgsaveCommand(), dumpCommand(ctx -> dump.dump(ctx)),
                restoreCommand(ctx -> dump.restore(ctx)), migrateCommand());
    }

    private Command migrateCommand() {
        return new Command(CommandSpec.of("migrate", -6).group("generic").since("2.6.0").flags(WRITE)
                .acl("keyspace", "write", "slow", "dangerous")
                .keySpec(KeySpec.range(3, 0, 1, "RW", "ACCESS", "DELETE"))
                .keySpec(KeySpec.keyword("KEYS", -2, -1, 1, "RW", "ACCESS", "DELETE", "INCOMPLETE"))
                .keyFinder(MigrateCommand.KEYS)
                .summary("Atomically transfer a key from a Redis instance to another one.")
                .complexity("This command actually executes a DUMP+DEL in the source instance, and a RESTORE in the "
                        + "target instance. See the pages of these commands for time complexity. Also an O(N) data "
                        + "transfer between the two instances is performed.").build(), ctx -> migrate.migrate(ctx));
    }

    private Command saveCommand() {
        return new Command(CommandSpec.of("save", 1).group("server").since("1.0.0")
                        .flags(NOSCRIPT, NO_ASYNC_LOADING, ADMIN, NO_MULTI).acl("admin", "slow", "dangerous")
                        .summary("Synchronously saves the database(s) to disk.").complexity("O(N) where N is the "
                                + "total number of keys in all databases").build(), this::save);
    }

    private Command bgsaveCommand() {
        return new Command(CommandSpec.of("bgsave", -1).group("server").since("1.0.0")
                        .flags(NOSCRIPT, NO_ASYNC_LOADING, ADMIN).acl("admin", "slow", "dangerous")
                        .summary("Asynchronously saves the database(s) to disk.").complexity("O(1)").build(),
                        this::bgsave);
    }

    static Command dumpCommand(io.modis.api.CommandHandler handler) {
        return new Command(CommandSpec.of("dump", 2).group("generic").since("2.6.0").flags(READONLY)
                        .acl("keyspace", "read", "slow").keys(1, 1, 1).keySpec(KeySpec.range(1, 0, 1, "RO", "ACCESS"))
                        .summary("Returns a serialized representation of the value stored at a key.")
                        .complexity("O(1) to access the key and additional O(N*M) to serialize it").build(),
                        handler);
    }

    static Command restoreCommand(io.modis.api.CommandHandler handler) {
        return new Command(CommandSpec.of("restore", -4).group("generic").since("2.6.0").flags(WRITE, DENYOOM)
                        .acl("keyspace", "write", "slow", "dangerous").keys(1, 1, 1)
                        .keySpec(KeySpec.range(1, 0, 1, "OW", "UPDATE"))
                        .summary("Creates a key from the serialized representation of a value.")
                        .complexity("O(1) to create the new key and additional O(N*M) to reconstruct the "
                                + "serialized value").build(), handler);
    }

    private void save(CommandContext ctx) {
        if (persistence.bgsaveInProgress()) {
            throw new CommandException("ERR Background save already in progress");
        }
        try {
            persistence.saveNow();
        } catch (IOException e) {
            throw new CommandException("ERR");
        }
        ctx.reply().ok();
    }

    private void bgsave(CommandContext ctx) {
        boolean schedule = false;
        if (ctx.argc() > 1) {
            if (ctx.argc() == 2 && ctx.argLower(1).equals("schedule")) {
                schedule = true;
            } else {
                throw Errors.syntax();
            }
        }
        if (schedule) {
            if (persistence.bgsaveSchedule()) {
                ctx.reply().simple("Background saving started");
            } else {
                ctx.reply().simple("Background saving scheduled");
            }
            return;
        }
        if (persistence.bgsaveInProgress()) {
            throw new CommandException("ERR Background save already in progress");
        }
        persistence.bgsave();
        ctx.reply().simple("Background saving started");
    }

    /** Services registered by hand: the DEBUG subcommands (two of one interface), the migrate INFO field. */
    private final class ServerRegistrations {
        private final List<ServiceRegistration<?>> regs;

        ServerRegistrations(BundleContext context) {
            regs = List.of(context.registerService(DebugSubcommand.class, new Reload(), null),
                    context.registerService(DebugSubcommand.class, new SkipChecksum(), null),
                    context.registerService(InfoFields.class, migrate, null));
        }

        void close() {
            for (ServiceRegistration<?> r : regs) {
                try {
                    r.unregister();
                } catch (IllegalStateException ignored) {
                    // already gone with the bundle
                }
            }
        }
    }

    private final class Reload implements DebugSubcommand {
        @Override
        public String name() {
            return "reload";
        }

        @Override
        public void execute(CommandContext ctx) {
            boolean save = true;
            boolean flush = true;
            boolean merge = false;
            for (int i = 2; i < ctx.argc(); i++) {
                switch (ctx.argLower(i)) {
                    case "merge" -> merge = true;
                    case "noflush" -> flush = false;
                    case "nosave" -> save = false;
                    default -> throw new CommandException(
                            "ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.");
                }
            }
            try {
                persistence.reload(save, flush, merge);
            } catch (IOException e) {
                throw new CommandException(save && e.getMessage() != null && e.getMessage().startsWith("save")
                        ? "ERR Error trying to save the RDB dump, check server logs."
                        : "ERR Error trying to load the RDB dump, check server logs.");
            }
            ctx.reply().ok();
        }
    }

    private final class SkipChecksum implements DebugSubcommand {
        @Override
        public String name() {
            return "set-skip-checksum-validation";
        }

        @Override
        public void execute(CommandContext ctx) {
            if (ctx.argc() != 3) {
                throw new CommandException("ERR unknown subcommand or wrong number of arguments for '"
                        + Bytes.str(ctx.arg(1)) + "'. Try DEBUG HELP.");
            }
            settings.skipChecksumValidation = !Bytes.str(ctx.arg(2)).trim().equals("0");
            ctx.reply().ok();
        }
    }
}
