package io.modis.rdb;

import io.modis.api.CommandException;
import io.modis.api.Database;
import io.modis.api.Engine;
import io.modis.api.FunctionStore;
import io.modis.api.InfoSection;
import io.modis.api.Keyspace;
import io.modis.api.RdbImages;
import io.modis.api.Value;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * RDB persistence on the engine thread: SAVE, BGSAVE over a {@link Snapshot}, save points,
 * MISCONF after a failed save, loading at startup with the LOADING state, DEBUG RELOAD, the
 * shutdown save, and the INFO persistence fields. Everything here runs on the engine thread
 * except the snapshot writer and the startup file parser.
 */
final class Persistence implements Engine.ShutdownHook {
    static final String MISCONF = "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to "
            + "persist to disk. Commands that may modify the data set are disabled, because this instance is "
            + "configured to report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error "
            + "option). Please check the Redis logs for details about the RDB error.";
    private static final long BGSAVE_RETRY_DELAY_SECONDS = 5;
    private static final long MAX_BACKLOG = 64L << 20;

    private final Engine engine;
    private final RdbSettings settings;
    private final ValueCodec.Types types;
    private final String redisVersion;
    private final Supplier<FunctionStore> functions;
    /** Libraries of a startup load that found no scripting bundle yet: loaded when one comes. */
    private List<byte[]> pendingLibraries = List.of();

    private Snapshot snapshot;
    private SnapshotFileWriter writer;
    /** Non-null while the running snapshot is an {@link RdbImages} image: whom to tell when it ends. */
    private Consumer<String> image;
    private long snapshotStartMillis;
    private long dirtyAtSnapshotStart;
    private boolean bgsaveScheduled;
    private boolean lastBgsaveOk = true;
    private long lastBgsaveTry;
    private long lastBgsaveSeconds = -1;
    private long lastSaveMillis = System.currentTimeMillis();
    private long saves;
    private long keysLoaded;
    private long keysExpired;
    private volatile boolean loading;
    private volatile long loadingStart;
    private volatile long loadingTotal;
    private volatile long loadingDone;
    private ScheduledFuture<?> cron;
    private final AtomicLong backlog = new AtomicLong();
    /** The most bytes captured and not yet written during the running snapshot (its "COW"). */
    private long backlogPeak;
    private long lastBacklogPeak;
    private long lastCow;

    Persistence(Engine engine, RdbSettings settings, ValueCodec.Types types, String redisVersion,
                Supplier<FunctionStore> functions) {
        this.engine = engine;
        this.settings = settings;
        this.types = types;
        this.redisVersion = redisVersion;
        this.functions = functions;
    }

    /** The function libraries to save (engine thread): none without a scripting bundle. */
    List<byte[]> libraries() {
        FunctionStore store = functions.get();
        List<byte[]> out = store == null ? new ArrayList<>() : new ArrayList<>(store.libraries());
        out.addAll(pendingLibraries);
        return out;
    }

    /** A scripting bundle appeared (engine thread): it gets the libraries a load kept for it. */
    void functionStoreArrived(FunctionStore store) {
        if (pendingLibraries.isEmpty()) {
            return;
        }
        List<byte[]> codes = pendingLibraries;
        pendingLibraries = List.of();
        try {
            store.load(codes, true);
        } catch (CommandException e) {
            engine.log().warning("Failed loading the function libraries of the RDB: " + e.getMessage());
        }
    }

    /**
     * Hands the libraries a load read to the scripting bundle (engine thread), all or none;
     * with {@code replace}, a library of the same name is replaced (DEBUG RELOAD MERGE).
     *
     * @throws CommandException with the scripting bundle's reason when a library fails
     */
    private void loadLibraries(List<byte[]> codes, boolean replace) {
        if (codes.isEmpty()) {
            return;
        }
        FunctionStore store = functions.get();
        if (store == null) {
            pendingLibraries = codes;
            engine.log().warning("The RDB holds " + codes.size() + " function libraries and no scripting bundle "
                    + "is active: they are kept until one is.");
            return;
        }
        store.load(codes, replace);
    }

    void startCron() {
        cron = engine.executor().scheduleAtFixedRate(this::cronTick, 100, 100, TimeUnit.MILLISECONDS);
    }

    void stop() {
        if (cron != null) {
            cron.cancel(false);
        }
        if (engine.executor().isShutdown()) {
            return;
        }
        engine.executor().execute(() -> {
            if (snapshot != null) {
                snapshot.abort();
                writer.cancel();
            }
            engine.refuseWrites(null);
        });
    }

    Path file() {
        return dir().resolve(settings.dbfilename);
    }

    private Path dir() {
        String dir = engine.config().get("dir");
        return Path.of(dir == null ? "." : dir).toAbsolutePath().normalize();
    }

    boolean bgsaveInProgress() {
        return snapshot != null && image == null;
    }

    /** A BGSAVE or an image is being written. */
    boolean snapshotInProgress() {
        return snapshot != null;
    }

    // ---------------------------------------------------------------- saving

    /** SAVE: the whole dataset, now, on the engine thread. */
    void saveNow() throws IOException {
        long dirtyBefore = engine.dirty();
        Path target = file();
        Path tmp = dir().resolve("temp-" + ProcessHandle.current().pid() + ".rdb");
        try (FileOutputStream file = new FileOutputStream(tmp.toFile())) {
            BufferedOutputStream out = new BufferedOutputStream(file, 1 << 16);
            RdbWriter w = new RdbWriter(out, settings.compression);
            writeDataset(w);
            w.flush();
            out.flush();
            file.getFD().sync();
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            engine.log().warning("Failed opening the temp RDB file " + tmp.getFileName() + " (in server root dir "
                    + dir() + ") for saving: " + e.getMessage());
            lastBgsaveOk = false;
            updateWriteRefusal();
            throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
        }
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        engine.log().notice("DB saved on disk");
        savedAt(dirtyBefore);
        lastBgsaveOk = true;
        updateWriteRefusal();
    }

    /** The dataset as one RDB stream (SAVE, DEBUG RELOAD, shutdown). */
    void writeDataset(RdbWriter w) {
        ValueCodec.WriteOptions o = writeOptions();
        RdbFile.header(w, redisVersion, Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory());
        for (byte[] library : libraries()) {
            RdbFile.function(w, library);
        }
        Keyspace ks = engine.keyspace();
        for (int i = 0; i < ks.databases(); i++) {
            Database db = ks.db(i);
            if (db.size() == 0) {
                continue;
            }
            RdbFile.selectDb(w, i, db.size(), db.expiresSize());
            db.forEachEntry((key, value, expireAt) -> RdbFile.entry(w, key, value, expireAt, o));
        }
        RdbFile.footer(w, settings.checksum);
    }

    ValueCodec.WriteOptions writeOptions() {
        return new ValueCodec.WriteOptions(configLong("list-max-listpack-size", -2),
                configLong("stream-node-max-entries", 100), configLong("stream-node-max-bytes", 4096));
    }

    private long configLong(String name, long fallback) {
        String v = engine.config().get(name);
        if (v == null) {
            return fallback;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private void savedAt(long dirtyBefore) {
        lastSaveMillis = System.currentTimeMillis();
        engine.saved(dirtyBefore, lastSaveMillis / 1000);
        saves++;
    }

    /** BGSAVE: starts a snapshot; throws with Redis's error if one is running. */
    void bgsave() {
        if (snapshot != null && image == null) {
            throw new CommandException("ERR Background save already in progress");
        }
        if (snapshot != null) {
            throw new CommandException("ERR Another child process is active (AOF?): can't BGSAVE right now. "
                    + "Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible.");
        }
        startSnapshot();
    }

    /** BGSAVE SCHEDULE: runs it now or once the running one ends; true if it started now. */
    boolean bgsaveSchedule() {
        if (snapshot != null) {
            bgsaveScheduled = true;
            return false;
        }
        startSnapshot();
        return true;
    }

    private void startSnapshot() {
        lastBgsaveTry = System.currentTimeMillis();
        dirtyAtSnapshotStart = engine.dirty();
        Path tmp = dir().resolve("temp-" + ProcessHandle.current().pid() + "-bg.rdb");
        startSnapshot(tmp, file(), false, null);
        engine.log().notice("Background saving started");
    }

    /**
     * An RDB image for another bundle (the AOF rewrite's preamble): the same snapshot as BGSAVE,
     * written to {@code file}, not counted as a save.
     */
    RdbImages.Image startImage(Path file, boolean aofBase, Consumer<String> done) {
        if (snapshot != null) {
            throw new CommandException("ERR Background save already in progress");
        }
        SnapshotFileWriter w = startSnapshot(file, null, aofBase, done);
        return () -> {
            if (writer == w) {
                snapshot.abort();
                w.cancel();
                snapshot = null;
                writer = null;
                image = null;
                backlog.set(0);
            }
        };
    }

    private SnapshotFileWriter startSnapshot(Path tmp, Path target, boolean aofBase, Consumer<String> imageDone) {
        snapshotStartMillis = System.currentTimeMillis();
        SnapshotFileWriter[] self = new SnapshotFileWriter[1];
        SnapshotFileWriter w = new SnapshotFileWriter(backlog, tmp, target, settings, writeOptions(),
                new SnapshotFileWriter.Header(redisVersion,
                        Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory(), aofBase, libraries()),
                failure -> engine.executor().execute(() -> snapshotEnded(self[0], failure)));
        self[0] = w;
        // with rdb-key-save-delay (tests) the walk keeps pace with the slow writer, as a child would
        Snapshot s = new Snapshot(engine, w, backlog, settings.keySaveDelay > 0 ? 1 << 16 : MAX_BACKLOG);
        backlogPeak = 0;
        snapshot = s;
        writer = w;
        image = imageDone;
        w.start(s.dbSizes());
        s.start();
        return w;
    }

    private void snapshotEnded(SnapshotFileWriter ended, String failure) {
        if (snapshot == null || writer != ended) {
            return;
        }
        if (image != null) {
            Consumer<String> done = image;
            snapshot.abort();
            snapshot = null;
            writer = null;
            image = null;
            backlog.set(0);
            if (!"cancelled".equals(failure)) {
                done.accept(failure);
            }
            if (bgsaveScheduled && snapshot == null) {
                bgsaveScheduled = false;
                startSnapshot();
            }
            return;
        }
        if ("cancelled".equals(failure)) {
            // killed on purpose (FLUSHALL, shutdown): neither a success nor an error
            engine.log().warning("Background saving terminated by signal 10");
            snapshot = null;
            writer = null;
            backlog.set(0);
            return;
        }
        snapshot.abort();
        lastCow = snapshot.barrierBytes();
        snapshot = null;
        writer = null;
        backlog.set(0);
        long millis = System.currentTimeMillis() - snapshotStartMillis;
        lastBgsaveSeconds = millis / 1000;
        lastBacklogPeak = backlogPeak;
        if (failure == null) {
            engine.log().notice("Background saving terminated with success");
            long bytes = fileSize();
            engine.log().notice(String.format(java.util.Locale.ROOT,
                    "BGSAVE wrote %d bytes in %d ms (%.1f MB/s); at most %d bytes waited for the writer; "
                            + "%d bytes saved early before writes", bytes, millis,
                    millis == 0 ? 0.0 : bytes / 1e6 / (millis / 1e3), lastBacklogPeak, lastCow));
            savedAt(dirtyAtSnapshotStart);
            lastBgsaveOk = true;
        } else {
            engine.log().warning("Background saving error: " + failure);
            lastBgsaveOk = false;
        }
        updateWriteRefusal();
        if (bgsaveScheduled) {
            bgsaveScheduled = false;
            startSnapshot();
        }
    }

    private long fileSize() {
        try {
            return Files.size(file());
        } catch (IOException e) {
            return 0;
        }
    }

    private void updateWriteRefusal() {
        boolean refuse = !lastBgsaveOk && settings.stopWritesOnError && !settings.savePoints.isEmpty();
        engine.refuseWrites(refuse ? MISCONF : null);
    }

    private void cronTick() {
        updateWriteRefusal();
        if (snapshot != null) {
            backlogPeak = Math.max(backlogPeak, backlog.get());
        }
        if (snapshot != null || loading) {
            return;
        }
        if (bgsaveScheduled) {
            bgsaveScheduled = false;
            startSnapshot();
            return;
        }
        long now = System.currentTimeMillis();
        long dirty = engine.dirty();
        for (RdbSettings.SavePoint p : settings.savePoints) {
            boolean due = dirty >= p.changes() && now - lastSaveMillis > p.seconds() * 1000
                    && (lastBgsaveOk || now - lastBgsaveTry > BGSAVE_RETRY_DELAY_SECONDS * 1000);
            if (due) {
                engine.log().notice(p.changes() + " changes in " + p.seconds() + " seconds. Saving...");
                startSnapshot();
                return;
            }
        }
    }

    // ---------------------------------------------------------------- shutdown

    @Override
    public String beforeExit(boolean save, boolean nosave) {
        if (snapshot != null) {
            engine.log().warning(image == null ? "There is a child saving an .rdb. Killing it!"
                    : "There is a child rewriting the AOF. Killing it!");
            snapshot.abort();
            writer.cancel();
            snapshot = null;
            writer = null;
            image = null;
        }
        if (nosave || (!save && settings.savePoints.isEmpty())) {
            return null;
        }
        engine.log().notice("Saving the final RDB snapshot before exiting.");
        try {
            saveNow();
        } catch (IOException e) {
            engine.log().warning("Error trying to save the DB, can't exit.");
            return "Error trying to save the DB, can't exit.";
        }
        return null;
    }

    // ---------------------------------------------------------------- loading

    /**
     * Starts loading the dump: parsing on a loader thread (once loadmodule's modules are in),
     * keys added on the engine thread in batches, in the LOADING state from now on.
     */
    void loadAtStartup() {
        Path path = file();
        if (!Files.exists(path) || "yes".equals(engine.config().get("appendonly"))) {
            return; // with appendonly yes Redis loads only the AOF (its base holds the RDB image)
        }
        loading = true;
        engine.loading(true);
        loadingStart = System.currentTimeMillis();
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CompletableFuture<Void> modules = engine.startupModules();
        // On a thread of its own, as Redis loads after printing its logo: the core's start (its
        // banner, which test harnesses wait for) does not wait for the load, and clients that
        // connect meanwhile get -LOADING. loadmodule's modules provide types the dump may hold:
        // they load first, through this activation's thread and the engine's.
        Thread t = new Thread(() -> {
            modules.join();
            load(path, done);
        }, "modis-rdb-loader");
        t.setDaemon(true);
        t.start();
    }

    private void load(Path path, java.util.concurrent.CountDownLatch finished) {
        long started = System.nanoTime();
        List<Object[]> batch = new ArrayList<>();
        List<byte[]> libraries = new ArrayList<>();
        long[] counts = new long[2];
        Image image;
        try {
            loadingTotal = Files.size(path);
            image = parse(path, libraries, (entry, offset) -> {
                batch.add(entry);
                loadingDone = offset;
                long delay = settings.keyLoadDelay;
                if (delay > 0) {
                    java.util.concurrent.locks.LockSupport.parkNanos(delay * 1000);
                }
                if (batch.size() >= 1024 || delay > 0) {
                    handOver(new ArrayList<>(batch), counts);
                    batch.clear();
                }
            });
        } catch (CorruptImage e) {
            List<String> lines = new ArrayList<>(e.lines);
            lines.add("Terminating server after rdb file reading failure.");
            exitAfterBanner(lines.toArray(new String[0]));
            finished.countDown();
            return;
        } catch (IOException | java.io.UncheckedIOException e) {
            exitAfterBanner("Fatal error loading the DB: " + reason(e) + ". Exiting.");
            finished.countDown();
            return;
        }
        List<Object[]> last = new ArrayList<>(batch);
        engine.executor().execute(() -> {
            try {
                loadLibraries(libraries, false);
            } catch (CommandException e) {
                exitAfterBanner("Failed loading library: " + e.getMessage(),
                        "Fatal error loading the DB: Invalid argument. Exiting.");
                finished.countDown();
                return;
            }
            apply(last, counts);
            loaded(counts, image);
            loading = false;
            engine.loading(false);
            engine.log().notice(String.format(java.util.Locale.ROOT, "DB loaded from disk: %.3f seconds",
                    (System.nanoTime() - started) / 1e9));
            finished.countDown();
        });
    }

    private void handOver(List<Object[]> entries, long[] counts) {
        engine.executor().execute(() -> apply(entries, counts));
    }

    private void apply(List<Object[]> entries, long[] counts) {
        long now = System.currentTimeMillis();
        Keyspace ks = engine.keyspace();
        for (Object[] e : entries) {
            Database db = ks.db((Integer) e[0]);
            byte[] key = (byte[]) e[1];
            long expireAt = (Long) e[3];
            if (expireAt >= 0 && expireAt < now) {
                counts[1]++;
                continue;
            }
            if (db.raw(key) != null) {
                db.delete(key);
            }
            db.add(key, (Value) e[2]);
            if (expireAt >= 0) {
                db.setExpireAt(key, expireAt);
            }
            db.setAccess(key, (Long) e[4], (Integer) e[5]);
            counts[0]++;
        }
    }

    /** Records and logs (as Redis does) how a load ended: keys loaded, expired, and empty ones skipped. */
    private void loaded(long[] counts, Image image) {
        keysLoaded = counts[0];
        keysExpired = counts[1];
        if (image.emptyKeys() > 0) {
            engine.log().warning(String.format("Done loading RDB, keys loaded: %d, keys expired: %d, "
                    + "empty keys skipped: %d.", counts[0], counts[1], image.emptyKeys()));
        } else {
            engine.log().notice(String.format("Done loading RDB, keys loaded: %d, keys expired: %d.",
                    counts[0], counts[1]));
        }
    }

    private static String reason(Exception e) {
        Throwable t = e instanceof java.io.UncheckedIOException u ? u.getCause() : e;
        if (t instanceof java.nio.file.AccessDeniedException) {
            return "Permission denied";
        }
        if (t instanceof NoSuchFileException) {
            return "No such file or directory";
        }
        return t.getMessage();
    }

    /**
     * Logs a fatal load error and exits with status 1 once the core has logged its banner (the
     * PID line Redis's test suite waits for; Redis prints its logo before loading), or after 5
     * seconds should the core's start never come. The caller lets the bundle's activation end
     * (the core may be waiting for it to log the banner); the LOADING state stays on meanwhile,
     * so no command sees the half-loaded dataset.
     */
    private void exitAfterBanner(String... lines) {
        Runnable exit = () -> {
            for (String line : lines) {
                engine.log().warning(line);
            }
            Runtime.getRuntime().halt(1);
        };
        engine.whenStarted(exit);
        engine.executor().schedule(exit, 5, java.util.concurrent.TimeUnit.SECONDS);
    }

    /**
     * DEBUG RELOAD: saves (unless NOSAVE), empties the keyspace (unless NOFLUSH) and loads the
     * file again, all on the engine thread. MERGE lets loaded keys replace existing ones.
     */
    void reload(boolean save, boolean flush, boolean merge) throws IOException {
        if (save) {
            try {
                saveNow();
            } catch (IOException e) {
                throw new IOException("save: " + e.getMessage(), e);
            }
        }
        Path path = file();
        if (flush) {
            Keyspace ks = engine.keyspace();
            for (int i = 0; i < ks.databases(); i++) {
                ks.db(i).clear();
            }
            FunctionStore store = functions.get();
            if (store != null) {
                store.flush();
            }
        }
        long[] counts = new long[2];
        List<Object[]> all = new ArrayList<>();
        List<byte[]> libraries = new ArrayList<>();
        Image image;
        try {
            image = parseLogged(path, libraries, (entry, offset) -> all.add(entry));
        } catch (NoSuchFileException e) {
            throw new IOException("no dump file");
        }
        try {
            loadLibraries(libraries, merge);
        } catch (CommandException e) {
            engine.log().warning("Failed loading library: " + e.getMessage());
            throw new IOException(e.getMessage());
        }
        apply(all, counts);
        loaded(counts, image);
        engine.log().notice("DB reloaded by DEBUG RELOAD");
    }

    /** Where {@link #parse} hands each key ({db, key, value, expireAt, idle, freq}) and the offset after it. */
    private interface Entries {
        void accept(Object[] entry, long offset);
    }

    /** What {@link #parse} read: the bytes the RDB image took, and how many empty keys it skipped. */
    private record Image(long bytes, long emptyKeys) {
    }

    /** A malformed RDB image, with the lines that tell where and why (Redis's error line, then its report). */
    private static final class CorruptImage extends IOException {
        final List<String> lines;

        CorruptImage(String reason, List<String> lines) {
            super(reason);
            this.lines = lines;
        }
    }

    /**
     * Parses the RDB image at the start of {@code path}: libraries into {@code libraries}, keys
     * to {@code entries}, in file order; empty keys are skipped and logged (the first 10), as Redis
     * does.
     *
     * @throws CorruptImage when the image is malformed
     * @throws IOException for an unreadable file
     */
    private Image parse(Path path, List<byte[]> libraries, Entries entries) throws IOException {
        long size = Files.size(path);
        try (InputStream in = new BufferedInputStream(Files.newInputStream(path), 1 << 16)) {
            RdbReader r = new RdbReader(in, size);
            long[] emptyKeys = {0};
            try {
                RdbFile.load(r, types, new RdbFile.Sink() {
                    @Override
                    public void aux(byte[] key, byte[] value) {
                    }

                    @Override
                    public void function(byte[] code) {
                        libraries.add(code);
                    }

                    @Override
                    public void entry(int db, byte[] key, Value value, long expireAt, long idle, int freq) {
                        entries.accept(new Object[] {db, key, value, expireAt, idle, freq}, r.offset());
                    }

                    @Override
                    public void emptyKey(int db, byte[] key) {
                        if (emptyKeys[0]++ < 10) {
                            engine.log().warning("rdbLoadObject skipping empty key: " + io.modis.api.Bytes.str(key));
                        }
                    }
                }, settings.checksum && !settings.skipChecksumValidation, engine.keyspace().databases());
                return new Image(r.offset(), emptyKeys[0]);
            } catch (RdbFormatException e) {
                throw new CorruptImage(e.getMessage(), report(path, r.offset(), e));
            }
        }
    }

    /** {@link #parse}, logging a malformed image's lines (DEBUG RELOAD, an AOF's preamble). */
    private Image parseLogged(Path path, List<byte[]> libraries, Entries entries) throws IOException {
        try {
            return parse(path, libraries, entries);
        } catch (CorruptImage e) {
            e.lines.forEach(engine.log()::warning);
            throw e;
        }
    }

    /**
     * Redis's error line for a malformed RDB file, then the report its loader prints (redis-check-rdb's
     * error block): the offset and reason again, and the key and type being read.
     */
    private static List<String> report(Path path, long offset, RdbFormatException e) {
        List<String> lines = new ArrayList<>();
        lines.add("Internal error in RDB reading offset " + offset + ", file " + path + " -> " + e.getMessage());
        lines.add("--- RDB ERROR DETECTED ---");
        lines.add("[offset " + offset + "] " + e.getMessage());
        if (e.key() != null) {
            lines.add("[additional info] While doing: read-object-value");
            lines.add("[additional info] Reading key '" + io.modis.api.Bytes.str(e.key()) + "'");
            lines.add("[additional info] Reading type " + e.type() + " (" + ValueCodec.typeName(e.type()) + ")");
        }
        return lines;
    }

    /**
     * {@link RdbImages#load}: on the engine thread all at once; on another thread parsed there
     * and applied on the engine thread in batches of 1024 keys.
     */
    long loadImage(Path path, boolean onEngine) throws IOException {
        long[] counts = new long[2];
        List<byte[]> libraries = new ArrayList<>();
        if (onEngine) {
            List<Object[]> all = new ArrayList<>();
            Image image = parseLogged(path, libraries, (entry, offset) -> all.add(entry));
            try {
                loadLibraries(libraries, true);
            } catch (CommandException e) {
                throw new IOException("Failed loading library: " + e.getMessage());
            }
            apply(all, counts);
            loaded(counts, image);
            return image.bytes();
        }
        List<Object[]> batch = new ArrayList<>();
        Image image = parseLogged(path, libraries, (entry, offset) -> {
            batch.add(entry);
            if (batch.size() >= 1024) {
                handOver(new ArrayList<>(batch), counts);
                batch.clear();
            }
        });
        try {
            String failure = engine.executor().submit(() -> {
                apply(batch, counts);
                try {
                    loadLibraries(libraries, true);
                } catch (CommandException e) {
                    return "Failed loading library: " + e.getMessage();
                }
                loaded(counts, image);
                return null;
            }).get();
            if (failure != null) {
                throw new IOException(failure);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IOException(e.getCause());
        }
        return image.bytes();
    }

    // ---------------------------------------------------------------- INFO

    void info(InfoSection.InfoWriter out) {
        boolean inProgress = bgsaveInProgress();
        out.field("loading", loading ? 1 : 0);
        out.field("async_loading", 0);
        long cow = inProgress ? snapshot.barrierBytes() : 0;
        out.field("current_cow_peak", cow);
        out.field("current_cow_size", cow);
        out.field("current_cow_size_age", 0);
        long total = inProgress ? snapshot.keysTotal() : 0;
        long written = inProgress ? writer.keysWritten.get() : 0;
        out.field("current_fork_perc", String.format(java.util.Locale.ROOT, "%.2f",
                total == 0 ? 0.0 : Math.min(100.0, written * 100.0 / total)));
        out.field("current_save_keys_processed", written);
        out.field("current_save_keys_total", total);
        out.field("rdb_bgsave_in_progress", inProgress ? 1 : 0);
        out.field("rdb_last_bgsave_status", lastBgsaveOk ? "ok" : "err");
        out.field("rdb_last_bgsave_time_sec", lastBgsaveSeconds);
        out.field("rdb_current_bgsave_time_sec",
                inProgress ? (System.currentTimeMillis() - snapshotStartMillis) / 1000 : -1);
        out.field("rdb_saves", saves);
        out.field("rdb_last_cow_size", lastCow);
        out.field("rdb_last_load_keys_expired", keysExpired);
        out.field("rdb_last_load_keys_loaded", keysLoaded);
        if (loading) {
            long fileBytes = loadingTotal;
            long done = loadingDone;
            out.field("loading_start_time", loadingStart / 1000);
            out.field("loading_total_bytes", fileBytes);
            out.field("loading_rdb_used_mem", 0);
            out.field("loading_loaded_bytes", done);
            out.field("loading_loaded_perc", String.format(java.util.Locale.ROOT, "%.2f",
                    fileBytes == 0 ? 0.0 : done * 100.0 / fileBytes));
            long elapsed = (System.currentTimeMillis() - loadingStart) / 1000;
            out.field("loading_eta_seconds", done == 0 ? 1 : Math.max(0, (fileBytes - done) * elapsed / done));
        }
    }
}
