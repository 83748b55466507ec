package io.modis.aof;

import io.modis.api.Bytes;
import io.modis.api.Command;
import io.modis.api.CommandContext;
import io.modis.api.CommandException;
import io.modis.api.CommandFlag;
import io.modis.api.CommandProvider;
import io.modis.api.CommandSpec;
import io.modis.api.ConfigParam;
import io.modis.api.ConfigProvider;
import io.modis.api.DebugSubcommand;
import io.modis.api.Engine;
import io.modis.api.FunctionStore;
import io.modis.api.InfoFields;
import io.modis.api.InfoSection;
import io.modis.api.Keyspace;
import io.modis.api.PropagationListener;
import io.modis.api.RdbImages;
import io.modis.api.ServerLog;
import io.modis.api.Session;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The append-only file: Redis 7.0's multi-part AOF (a manifest, a base file, incremental
 * files) fed by the propagation stream, loaded at startup, rewritten by BGREWRITEAOF and
 * automatically, switched with CONFIG SET appendonly.
 *
 * <p>Engine-thread state lives here; files are written by {@link AofWriter}'s thread, bases by
 * a rewrite thread. With appendfsync always, replies wait in {@link #held} until the writer
 * reports the bytes they acknowledge as fsynced (group commit): the engine thread never waits.
 */
@Component(immediate = true, service = {ConfigProvider.class, PropagationListener.class, CommandProvider.class,
        InfoFields.class, DebugSubcommand.class})
public final class AofService implements ConfigProvider, PropagationListener, CommandProvider, InfoFields,
        DebugSubcommand {
    enum State { OFF, LOADING, WAIT_REWRITE, ON }

    private record Held(long needed, Runnable send) {
    }

    /** How long startup waits for the persistence-rdb bundle when the AOF needs it. */
    private static final long RDB_WAIT_NANOS = 10_000_000_000L;

    private final Engine engine;
    private final ServerLog log;
    /** The RDB writer and reader (persistence-rdb), for RDB preambles; null without that bundle. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile RdbImages rdb;
    /** The FUNCTION libraries (scripting-lua), emptied with the keyspace by DEBUG LOADAOF. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile FunctionStore functions;
    /** The RDB image a running rewrite is writing, or null. */
    private RdbImages.Image rewriteImage;
    private AofFiles files;
    private AofWriter writer;
    private ScheduledFuture<?> cron;

    // engine-thread state
    private State state = State.OFF;
    private boolean started;
    private final RespSink pending = new RespSink(1 << 16);
    private long appended;
    private boolean handOffScheduled;
    private int selectedDb = -1;
    private long timestampSeconds;
    private final ArrayDeque<Held> held = new ArrayDeque<>();
    private volatile long durableOffset;
    private boolean rewriting;
    /** A rewrite (or enabling the AOF) waits for the current command or transaction to end. */
    private boolean scheduled;
    /** A rewrite waits for a BGSAVE to end (Redis's aof_rewrite_scheduled). */
    private boolean deferred;
    private boolean enabling;
    private volatile long rewriteToken;
    private long rewriteStartMillis;
    private long lastRewriteSeconds = -1;
    private String lastRewriteStatus = "ok";
    private long rewrites;
    private long consecutiveFailures;
    private long rewriteBaseSize;

    @Activate
    public AofService(@Reference(name = "engine") Engine engine) {
        this.engine = engine;
        this.log = engine.log();
        engine.executor().execute(this::startup);
    }

    @Deactivate
    void deactivate() {
        if (cron != null) {
            cron.cancel(false);
        }
        try {
            engine.executor().submit(this::handOff).get(5, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // the engine is gone: what it had not handed over is lost, as on a crash
        }
        if (writer != null) {
            writer.stop();
        }
    }

    // ---- startup ----

    private void startup() {
        Path dir = Path.of(System.getProperty("modis.dir", ".")).resolve(engine.config().get("appenddirname"));
        files = new AofFiles(dir, engine.config().get("appendfilename"));
        writer = new AofWriter(files, log, this::durable);
        writer.policy = policy(engine.config().get("appendfsync"));
        Manifest manifest = Manifest.empty();
        if (Files.exists(files.manifestPath())) {
            try {
                manifest = Manifest.read(files.manifestPath());
            } catch (IOException e) {
                startupLog.warning("*** FATAL AOF MANIFEST FILE ERROR *** " + e.getMessage());
                exitAfterStartupLog();
                return;
            }
        }
        if (isOn()) {
            manifest = upgradeOldStyle(manifest);
        }
        files.manifest = manifest;
        cron = engine.executor().scheduleAtFixedRate(this::cron, 100, 100, TimeUnit.MILLISECONDS);
        if (!isOn()) {
            started = true;
            return;
        }
        state = State.LOADING;
        engine.loading(true);
        Manifest toLoad = manifest;
        Thread t = new Thread(() -> loadAtStart(toLoad), "modis-aof-loader");
        t.setDaemon(true);
        t.start();
    }

    private boolean isOn() {
        return "yes".equals(engine.config().get("appendonly"));
    }

    private boolean preamble() {
        return "yes".equals(engine.config().get("aof-use-rdb-preamble"));
    }

    /**
     * The RDB bundle, waited for (off the engine thread) at startup: it starts at the same start
     * level as this one and may not be registered yet when the AOF needs it.
     *
     * @throws IOException when it does not come
     */
    private RdbImages awaitRdb() throws IOException {
        long deadline = System.nanoTime() + RDB_WAIT_NANOS;
        RdbImages r;
        while ((r = rdb) == null && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(10_000_000);
        }
        if (r == null) {
            throw new IOException("the persistence-rdb bundle is not active");
        }
        return r;
    }

    /**
     * A Redis before 7.0 kept one appendonly.aof in the server directory: it becomes the base of
     * a manifest in the AOF directory, as Redis 7.0 migrates it (also finishing a migration that
     * stopped between writing the manifest and moving the file).
     */
    private Manifest upgradeOldStyle(Manifest m) {
        Path old = files.dir.getParent().resolve(files.prefix);
        if (!Files.isRegularFile(old)) {
            return m;
        }
        boolean upgrade = !Files.isDirectory(files.dir) || m.isEmpty()
                || (m.base() != null && m.incrs().isEmpty() && m.base().name().equals(files.prefix)
                        && !Files.exists(files.path(files.prefix)));
        if (!upgrade) {
            return m;
        }
        try {
            Files.createDirectories(files.dir);
            Manifest up = new Manifest(new Manifest.Entry(files.prefix, 1, Manifest.BASE), m.history(), m.incrs());
            up.write(files.dir, files.manifestName());
            Files.move(old, files.path(files.prefix));
            log.notice("Successfully migrated an old-style AOF file (" + files.prefix + ") into the AOF directory ("
                    + files.dir.getFileName() + ").");
            return up;
        } catch (IOException e) {
            log.warning("Error trying to move the old AOF file " + files.prefix + " into dir "
                    + files.dir.getFileName() + ": " + e.getMessage());
            Runtime.getRuntime().halt(1);
            return m;
        }
    }

    private void loadAtStart(Manifest manifest) {
        // the modules of loadmodule directives provide types the files may hold: they load first
        engine.startupModules().join();
        long start = System.nanoTime();
        LoaderConnection conn = new LoaderConnection();
        try {
            Session session = engine.executor().submit(() -> engine.openLoader(conn)).get();
            AofLoader loader = new AofLoader(files, startupLog, "yes".equals(engine.config().get("aof-load-truncated")),
                    cmds -> {
                        try {
                            return engine.executor().submit(() -> runAll(session, conn, cmds)).get();
                        } catch (Exception e) {
                            throw new IOException(e);
                        }
                    }, file -> awaitRdb().load(file));
            boolean loaded = loader.load(manifest);
            flushStartupLog();
            if (preamble()) {
                awaitRdb();
            }
            java.util.concurrent.CompletableFuture<Void> opened = new java.util.concurrent.CompletableFuture<>();
            engine.executor().execute(() -> {
                session.disconnected();
                if (loaded) {
                    log.notice(String.format("DB loaded from append only file: %.3f seconds",
                            (System.nanoTime() - start) / 1e9));
                }
                openAtStart(() -> {
                    engine.loading(false);
                    started = true;
                    opened.complete(null);
                });
            });
            opened.get();
        } catch (AofLoader.Failed e) {
            exitAfterStartupLog();
        } catch (Exception e) {
            startupLog.warning("Unrecoverable error reading the append only file: " + e);
            exitAfterStartupLog();
        }
    }

    /**
     * Exits with status 1 after a fatal load error. The core logs its banner (with the PID line
     * that Redis's test suite waits for) just after the Engine appears, which is when loading
     * starts: the exit waits for the core's start so that the banner is out first, as Redis
     * prints it before loading.
     */
    private void exitAfterStartupLog() {
        engine.whenStarted(() -> {
            flushStartupLog();
            Runtime.getRuntime().halt(1);
        });
    }

    /** What the startup load logs, held so that a fatal error is the last line, after the banner. */
    private final List<Object[]> heldLog = new ArrayList<>();
    private final ServerLog startupLog = (level, message) -> {
        synchronized (heldLog) {
            heldLog.add(new Object[] {level, message});
        }
    };

    private void flushStartupLog() {
        synchronized (heldLog) {
            for (Object[] l : heldLog) {
                log.log((ServerLog.Level) l[0], (String) l[1]);
            }
            heldLog.clear();
        }
    }

    private static String runAll(Session session, LoaderConnection conn, List<byte[][]> cmds) {
        for (byte[][] argv : cmds) {
            session.execute(argv);
            if (conn.unknownCommand != null) {
                return conn.unknownCommand;
            }
        }
        return null;
    }

    /**
     * After loading: creates the base and incr files Redis creates on start, opens the incr file,
     * then runs {@code then} (engine thread). An RDB base is written by the RDB bundle's image of
     * the (empty) dataset, so the rest waits for it.
     */
    private void openAtStart(Runnable then) {
        try {
            Files.createDirectories(files.dir);
            Manifest m = files.manifest;
            if (m.isEmpty()) {
                RdbImages images = preamble() ? rdb : null;
                Manifest.Entry base = new Manifest.Entry(files.baseName(1, images != null), 1, Manifest.BASE);
                log.notice("Creating AOF base file " + base.name() + " on server start");
                if (images == null) {
                    writeFile(files.path(base.name()), Snapshot.take(keyspace(), libraries(), timestampsEnabled()).take());
                } else {
                    Path temp = files.dir.resolve("temp-rewriteaof-" + ProcessHandle.current().pid() + ".aof");
                    images.write(temp, true, failure -> {
                        try {
                            if (failure != null) {
                                throw new IOException(failure);
                            }
                            Files.move(temp, files.path(base.name()), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                            openIncrAtStart(base);
                            then.run();
                        } catch (IOException e) {
                            log.warning("Can't open the append-only file: " + e.getMessage());
                            Runtime.getRuntime().halt(1);
                        }
                    });
                    return;
                }
                openIncrAtStart(base);
            } else {
                openIncrAtStart(m.base());
            }
            then.run();
        } catch (IOException e) {
            log.warning("Can't open the append-only file: " + e.getMessage());
            Runtime.getRuntime().halt(1);
        }
    }

    private void openIncrAtStart(Manifest.Entry base) throws IOException {
        Manifest m = files.manifest;
        List<Manifest.Entry> incrs = new ArrayList<>(m.incrs());
        Manifest.Entry incr;
        if (incrs.isEmpty()) {
            incr = new Manifest.Entry(files.incrName(m.lastIncrSeq() + 1), m.lastIncrSeq() + 1, Manifest.INCR);
            incrs.add(incr);
            log.notice("Creating AOF incr file " + incr.name() + " on server start");
        } else {
            incr = incrs.get(incrs.size() - 1);
            log.notice("Opening AOF incr file " + incr.name() + " on server start");
        }
        Manifest now = new Manifest(base, m.history(), List.copyOf(incrs));
        if (!now.equals(m)) {
            now.write(files.dir, files.manifestName());
        }
        files.manifest = now;
        files.baseSize = base == null ? 0 : AofWriter.size(files.path(base.name()));
        long incrSize = 0;
        for (Manifest.Entry e : incrs) {
            incrSize += AofWriter.size(files.path(e.name()));
        }
        files.incrSize = incrSize;
        rewriteBaseSize = files.baseSize;
        FileChannel ch = AofWriter.openAppend(files.path(incr.name()));
        writer.submit(() -> writer.target(ch));
        selectedDb = -1;
        state = State.ON;
    }

    private static void writeFile(Path p, byte[] data) throws IOException {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer b = ByteBuffer.wrap(data);
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        }
    }

    private List<byte[]> libraries() {
        FunctionStore store = functions;
        return store == null ? List.of() : store.libraries();
    }

    private Keyspace keyspace() {
        return engine.keyspace();
    }

    private boolean timestampsEnabled() {
        return "yes".equals(engine.config().get("aof-timestamp-enabled"));
    }

    private static AofWriter.Policy policy(String v) {
        return switch (v == null ? "everysec" : v) {
            case "always" -> AofWriter.Policy.ALWAYS;
            case "no" -> AofWriter.Policy.NO;
            default -> AofWriter.Policy.EVERYSEC;
        };
    }

    // ---- the propagation stream ----

    @Override
    public void propagate(int db, byte[][] argv) {
        if (state != State.ON && state != State.WAIT_REWRITE) {
            return;
        }
        int before = pending.size();
        if (timestampsEnabled()) {
            long now = System.currentTimeMillis() / 1000;
            if (now > timestampSeconds) {
                timestampSeconds = now;
                pending.text("#TS:" + now + "\r\n");
            }
        }
        if (db != selectedDb) {
            pending.command(new byte[][] {Bytes.of("SELECT"), Bytes.fromLong(db)});
            selectedDb = db;
        }
        pending.command(argv);
        appended += pending.size() - before;
        if (!handOffScheduled) {
            handOffScheduled = true;
            engine.executor().execute(this::handOff);
        }
    }

    /** Hands what the engine appended to the writer thread. */
    private void handOff() {
        handOffScheduled = false;
        if (pending.size() > 0 && writer != null) {
            writer.append(pending.take(), appended);
        }
    }

    @Override
    public boolean holdUntilDurable(Runnable send) {
        if (!held.isEmpty()) {
            held.add(new Held(appended, send));
            return true;
        }
        // every policy holds replies until their writes reach the file (always: until fsynced)
        if (writer == null || (state != State.ON && state != State.WAIT_REWRITE) || appended <= durableOffset) {
            return false;
        }
        handOff();
        held.add(new Held(appended, send));
        return true;
    }

    /** Writer thread: everything up to {@code offset} is in the file (fsynced with appendfsync always). */
    private void durable(long offset) {
        durableOffset = offset;
        try {
            engine.executor().execute(this::releaseHeld);
        } catch (RuntimeException e) {
            // the engine is shutting down: nobody waits for replies any more
        }
    }

    private void releaseHeld() {
        long d = durableOffset;
        while (!held.isEmpty() && held.peek().needed() <= d) {
            held.poll().send().run();
        }
    }

    private void releaseAll() {
        while (!held.isEmpty()) {
            held.poll().send().run();
        }
    }

    // ---- switching on and off ----

    private void appendonlyChanged(boolean on) {
        if (!started) {
            return;
        }
        if (on && state == State.OFF && !enabling) {
            // after the current command (or EXEC) has been propagated, so that nothing lands both in
            // the snapshot and in the new incremental file
            enabling = true;
            engine.executor().execute(() -> {
                enabling = false;
                if (state != State.OFF || !"yes".equals(engine.config().get("appendonly"))) {
                    return;
                }
                state = State.WAIT_REWRITE;
                if (rewriting) {
                    log.warning("AOF was enabled but there is already an AOF rewriting in background. Stopping"
                            + " background AOF and starting a rewrite now.");
                    cancelRewrite();
                }
                startRewrite();
            });
        } else if (!on && state != State.OFF && state != State.LOADING) {
            handOff();
            writer.submit(() -> writer.target(null));
            state = State.OFF;
            if (rewriting) {
                log.notice("Killing running AOF rewrite child: " + ProcessHandle.current().pid());
                cancelRewrite();
            }
            releaseAll();
        }
    }

    // ---- rewriting ----

    /** Stops the running rewrite; its files are dropped. */
    private void cancelRewrite() {
        rewriteToken++;
        rewriting = false;
        if (rewriteImage != null) {
            rewriteImage.cancel();
            rewriteImage = null;
        }
    }

    /** True while the RDB bundle writes a snapshot (BGSAVE): a rewrite waits for it, as for a child. */
    private boolean rdbSaving() {
        RdbImages r = rdb;
        return r != null && r.saving();
    }

    private void startRewrite() {
        if (rdbSaving()) {
            deferred = true;
            return;
        }
        RdbImages images = preamble() ? rdb : null;
        if (images != null) {
            startRdbRewrite(images);
            return;
        }
        handOff();
        long start = System.nanoTime();
        byte[] data = Snapshot.take(keyspace(), libraries(), timestampsEnabled()).take();
        long keys = Snapshot.lastKeys;
        handOff();
        selectedDb = -1;
        timestampSeconds = 0;
        rewriting = true;
        rewriteStartMillis = System.currentTimeMillis();
        long token = ++rewriteToken;
        boolean appending = state == State.ON || state == State.WAIT_REWRITE;
        boolean persistNow = state == State.ON;
        log.notice(String.format("Background append only file rewriting started (snapshot of %d bytes in %.3f s)",
                data.length, (System.nanoTime() - start) / 1e9));
        writer.submit(() -> openNewIncr(appending, persistNow));
        Path temp = files.dir.resolve("temp-rewriteaof-bg-" + ProcessHandle.current().pid() + ".aof");
        Thread t = new Thread(() -> {
            try {
                saveDelay(token, keys);
                if (token != rewriteToken) {
                    return;
                }
                Files.createDirectories(files.dir);
                writeFile(temp, data);
                writer.submit(() -> finishRewrite(token, temp, data.length, appending, false));
            } catch (IOException e) {
                log.warning("Write error writing append only file on disk: " + e.getMessage());
                engine.executor().execute(() -> rewriteDone(token, false));
            }
        }, "modis-aof-rewrite");
        t.setDaemon(true);
        t.start();
    }

    /**
     * A rewrite with an RDB base (aof-use-rdb-preamble yes): the RDB bundle writes the image from
     * its fork-less incremental snapshot, taken now, while appends go to a new incremental file
     * from now on; the base is installed when the image is complete.
     */
    private void startRdbRewrite(RdbImages images) {
        handOff();
        long token = rewriteToken + 1;
        boolean appending = state == State.ON || state == State.WAIT_REWRITE;
        boolean persistNow = state == State.ON;
        Path temp = files.dir.resolve("temp-rewriteaof-bg-" + ProcessHandle.current().pid() + ".aof");
        try {
            Files.createDirectories(files.dir);
            rewriteImage = images.write(temp, true, failure -> {
                rewriteImage = null;
                if (token != rewriteToken) {
                    return;
                }
                if (failure != null) {
                    log.warning("Write error writing append only file on disk: " + failure);
                    rewriteDone(token, false);
                    return;
                }
                writer.submit(() -> finishRewrite(token, temp, AofWriter.size(temp), appending, true));
            });
        } catch (IOException | CommandException e) {
            log.warning("Can't rewrite append only file in background: " + e.getMessage());
            lastRewriteStatus = "err";
            consecutiveFailures++;
            return;
        }
        rewriteToken = token;
        selectedDb = -1;
        timestampSeconds = 0;
        rewriting = true;
        rewriteStartMillis = System.currentTimeMillis();
        writer.submit(() -> openNewIncr(appending, persistNow));
        log.notice("Background append only file rewriting started by pid " + ProcessHandle.current().pid());
    }

    /**
     * rdb-key-save-delay (a test knob: microseconds per key written) slows the rewrite thread down
     * the way it slows Redis's child; it ends early when the knob goes back to 0 or the rewrite
     * is cancelled.
     */
    private void saveDelay(long token, long keys) {
        long deadline = System.nanoTime() + number("rdb-key-save-delay") * 1000 * keys;
        while (System.nanoTime() < deadline && token == rewriteToken && number("rdb-key-save-delay") > 0) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Writer thread: from now on appends go to a new incremental file. */
    private void openNewIncr(boolean appending, boolean persist) throws IOException {
        if (!appending) {
            return;
        }
        Files.createDirectories(files.dir);
        Manifest m = files.manifest;
        if (m.isEmpty() && Files.exists(files.manifestPath())) {
            m = Manifest.read(files.manifestPath());
        }
        long seq = m.lastIncrSeq() + 1;
        Manifest.Entry incr = new Manifest.Entry(files.incrName(seq), seq, Manifest.INCR);
        writer.target(AofWriter.openAppend(files.path(incr.name())));
        List<Manifest.Entry> incrs = new ArrayList<>(m.incrs());
        incrs.add(incr);
        Manifest now = new Manifest(m.base(), m.history(), List.copyOf(incrs));
        if (persist) {
            now.write(files.dir, files.manifestName());
        }
        files.manifest = now;
        log.notice("Creating AOF incr file " + incr.name() + " on background rewrite");
    }

    /** Writer thread: the new base is written; it replaces the old base and incr files. */
    private void finishRewrite(long token, Path temp, long baseSize, boolean appending, boolean rdbBase)
            throws IOException {
        if (token != rewriteToken) {
            Files.deleteIfExists(temp);
            return;
        }
        Manifest m = files.manifest;
        long seq = m.baseSeq() + 1;
        Manifest.Entry base = new Manifest.Entry(files.baseName(seq, rdbBase), seq, Manifest.BASE);
        Files.move(temp, files.path(base.name()), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        // newest history first, as Redis lists it: the rewritten incrs, then the old base
        List<Manifest.Entry> history = new ArrayList<>(m.history());
        if (m.base() != null) {
            history.add(0, m.base().as(Manifest.HISTORY));
        }
        List<Manifest.Entry> incrs = new ArrayList<>();
        for (int i = 0; i < m.incrs().size(); i++) {
            Manifest.Entry e = m.incrs().get(i);
            if (appending && i == m.incrs().size() - 1) {
                incrs.add(e);
            } else {
                history.add(0, e.as(Manifest.HISTORY));
            }
        }
        Manifest swapped = new Manifest(base, List.copyOf(history), List.copyOf(incrs));
        swapped.write(files.dir, files.manifestName());
        files.manifest = swapped;
        files.baseSize = baseSize;
        long incrSize = 0;
        for (Manifest.Entry e : incrs) {
            incrSize += AofWriter.size(files.path(e.name()));
        }
        files.incrSize = incrSize;
        if (!"yes".equals(engine.config().get("aof-disable-auto-gc"))) {
            deleteHistory();
        }
        engine.executor().execute(() -> rewriteDone(token, true));
    }

    /** Writer thread: deletes the history files and drops them from the manifest. */
    private void deleteHistory() throws IOException {
        Manifest m = files.manifest;
        if (m.history().isEmpty()) {
            return;
        }
        for (Manifest.Entry h : m.history()) {
            log.notice("Removing the history file " + h.name() + " in the background");
            Files.deleteIfExists(files.path(h.name()));
        }
        Manifest clean = new Manifest(m.base(), List.of(), m.incrs());
        clean.write(files.dir, files.manifestName());
        files.manifest = clean;
    }

    private void rewriteDone(long token, boolean ok) {
        if (token != rewriteToken) {
            return;
        }
        rewriting = false;
        lastRewriteSeconds = (System.currentTimeMillis() - rewriteStartMillis) / 1000;
        if (ok) {
            rewrites++;
            consecutiveFailures = 0;
            lastRewriteStatus = "ok";
            rewriteBaseSize = files.currentSize();
            if (state == State.WAIT_REWRITE) {
                state = State.ON;
                log.notice("Background AOF rewrite terminated with success");
            }
            log.notice("Background AOF rewrite finished successfully");
        } else {
            consecutiveFailures++;
            lastRewriteStatus = "err";
            log.warning("Background AOF rewrite terminated with error");
        }
    }

    private void cron() {
        if (deferred && !rewriting && !rdbSaving()) {
            deferred = false;
            startRewrite();
            return;
        }
        if (state != State.ON || rewriting) {
            return;
        }
        long perc = number("auto-aof-rewrite-percentage");
        long min = number("auto-aof-rewrite-min-size");
        long size = files.currentSize();
        if (perc > 0 && size > min) {
            long base = rewriteBaseSize > 0 ? rewriteBaseSize : 1;
            long growth = (size * 100 / base) - 100;
            if (growth >= perc) {
                log.notice("Starting automatic rewriting of AOF on " + growth + "% growth");
                startRewrite();
            }
        }
    }

    private long number(String param) {
        try {
            return Long.parseLong(engine.config().get(param));
        } catch (RuntimeException e) {
            return 0;
        }
    }

    // ---- commands ----

    @Override
    public List<Command> commands() {
        return List.of(new Command(CommandSpec.of("bgrewriteaof", 1).group("server").since("1.0.0")
                .flags(CommandFlag.NO_ASYNC_LOADING, CommandFlag.ADMIN, CommandFlag.NOSCRIPT)
                .acl("admin", "slow", "dangerous").summary("Asynchronously rewrite the append-only file")
                .complexity("O(1)").build(), this::bgrewriteaof));
    }

    private void bgrewriteaof(CommandContext ctx) {
        if (rewriting) {
            throw new CommandException("ERR Background append only file rewriting already in progress");
        }
        if (ctx.client().inMulti() || ctx.client().inScript()) {
            // the transaction's effects are propagated after it: snapshot once they are
            if (!scheduled) {
                scheduled = true;
                engine.executor().execute(() -> {
                    scheduled = false;
                    if (!rewriting) {
                        startRewrite();
                    }
                });
            }
            ctx.reply().simple("Background append only file rewriting scheduled");
            return;
        }
        if (rdbSaving()) {
            deferred = true;
            consecutiveFailures = 0;
            ctx.reply().simple("Background append only file rewriting scheduled");
            return;
        }
        startRewrite();
        ctx.reply().simple("Background append only file rewriting started");
    }

    // ---- DEBUG LOADAOF ----

    @Override
    public String name() {
        return "loadaof";
    }

    @Override
    public List<String> help() {
        return List.of("LOADAOF", "    Flush the AOF buffers on disk and reload the AOF in memory.");
    }

    @Override
    public void execute(CommandContext ctx) {
        if (state == State.ON) {
            handOff();
            try {
                writer.call(writer::flushAndSync);
            } catch (IOException e) {
                throw new CommandException("ERR Error flushing the append only file: " + e.getMessage());
            }
        }
        Keyspace ks = keyspace();
        for (int i = 0; i < ks.databases(); i++) {
            ks.db(i).clear();
        }
        FunctionStore store = functions;
        if (store != null) {
            store.flush();
        }
        LoaderConnection conn = new LoaderConnection();
        Session session = engine.openLoader(conn);
        engine.loading(true);
        try {
            AofLoader loader = new AofLoader(files, log, "yes".equals(engine.config().get("aof-load-truncated")),
                    cmds -> runAll(session, conn, cmds), file -> {
                        RdbImages r = rdb;
                        if (r == null) {
                            throw new IOException("the persistence-rdb bundle is not active");
                        }
                        return r.load(file);
                    });
            loader.load(files.manifest);
        } catch (AofLoader.Failed | IOException e) {
            throw new CommandException("ERR Error loading the append only file");
        } finally {
            session.disconnected();
            engine.loading(false);
        }
        log.notice("Append only file loaded by DEBUG LOADAOF");
        ctx.reply().ok();
    }

    // ---- INFO persistence ----

    @Override
    public String section() {
        return "persistence";
    }

    @Override
    public void write(InfoSection.InfoWriter out) {
        boolean on = state != State.OFF || enabling;
        out.field("aof_enabled", on ? 1 : 0);
        out.field("aof_rewrite_in_progress", rewriting ? 1 : 0);
        out.field("aof_rewrite_scheduled", scheduled || enabling || deferred ? 1 : 0);
        out.field("aof_last_rewrite_time_sec", lastRewriteSeconds);
        out.field("aof_current_rewrite_time_sec",
                rewriting ? (System.currentTimeMillis() - rewriteStartMillis) / 1000 : -1);
        out.field("aof_last_bgrewrite_status", lastRewriteStatus);
        out.field("aof_rewrites", rewrites);
        out.field("aof_rewrites_consecutive_failures", consecutiveFailures);
        out.field("aof_last_write_status", writer == null || writer.lastWriteOk ? "ok" : "err");
        out.field("aof_last_cow_size", 0);
        if (on && files != null) {
            out.field("aof_current_size", files.currentSize());
            out.field("aof_base_size", rewriteBaseSize);
            out.field("aof_pending_rewrite", 0);
            out.field("aof_buffer_length", pending.size());
            out.field("aof_pending_bio_fsync", 0);
            out.field("aof_delayed_fsync", writer.delayedFsync);
        }
    }

    // ---- configuration ----

    @Override
    public List<ConfigParam> configParams() {
        return List.of(
                ConfigParam.bool("appendonly", false).onChange(v -> appendonlyChanged((Boolean) v)).build(),
                ConfigParam.string("appendfilename", "appendonly.aof").flags(ConfigParam.Flag.IMMUTABLE).build(),
                ConfigParam.string("appenddirname", "appendonlydir").flags(ConfigParam.Flag.IMMUTABLE).build(),
                ConfigParam.enumeration("appendfsync", "everysec", "always", "everysec", "no")
                        .onChange(v -> {
                            if (writer != null) {
                                writer.policy = policy((String) v);
                                releaseAll();
                            }
                        }).build(),
                ConfigParam.integer("auto-aof-rewrite-percentage", 100, 0, Integer.MAX_VALUE).build(),
                ConfigParam.memory("auto-aof-rewrite-min-size", 64L * 1024 * 1024, 0, Long.MAX_VALUE).build(),
                ConfigParam.bool("aof-load-truncated", true).build(),
                ConfigParam.bool("aof-timestamp-enabled", false).build(),
                ConfigParam.bool("aof-use-rdb-preamble", true).build(),
                ConfigParam.bool("aof-rewrite-incremental-fsync", true).build(),
                ConfigParam.bool("no-appendfsync-on-rewrite", false).build(),
                ConfigParam.bool("aof-disable-auto-gc", false).onChange(v -> {
                    if (!(Boolean) v && writer != null) {
                        writer.submit(this::deleteHistory);
                    }
                }).build());
    }
}
