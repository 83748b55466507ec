package io.modis.aof;

import io.modis.api.Bytes;
import io.modis.api.ServerLog;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Replays the files a manifest lists (base, then each incremental file) through a command
 * runner, as Redis's loadAppendOnlyFiles does: a torn tail of the last file is cut off when
 * aof-load-truncated allows it; anything else wrong stops the load with Redis's log message,
 * naming the file and the offset.
 */
final class AofLoader {
    /** Commands per hand-over to the engine. */
    static final int BATCH = 1024;

    /** Runs commands on the engine; returns the name of an unknown command met, or null. */
    interface Runner {
        String run(List<byte[][]> commands) throws IOException;
    }

    /** The load failed; the reason is logged already. */
    static final class Failed extends Exception {
        Failed(String message) {
            super(message);
        }
    }

    private final AofFiles files;
    private final ServerLog log;
    private final boolean loadTruncated;
    private final Runner runner;
    /** Loads an RDB preamble (null without the persistence-rdb bundle). */
    private final RdbLoad rdb;
    long loadedCommands;
    long lastTimestamp = -1;

    /** Loads the RDB image at the start of a file into the keyspace; returns the bytes it took. */
    interface RdbLoad {
        long load(Path file) throws IOException;
    }

    AofLoader(AofFiles files, ServerLog log, boolean loadTruncated, Runner runner, RdbLoad rdb) {
        this.files = files;
        this.log = log;
        this.loadTruncated = loadTruncated;
        this.runner = runner;
        this.rdb = rdb;
    }

    /** Loads every file of {@code m}; returns false if there was nothing to load. */
    boolean load(Manifest m) throws Failed, IOException {
        List<Manifest.Entry> all = new ArrayList<>();
        if (m.base() != null) {
            all.add(m.base());
        }
        all.addAll(m.incrs());
        if (all.isEmpty()) {
            return false;
        }
        long total = 0;
        for (Manifest.Entry e : all) {
            Path p = files.path(e.name());
            if (!Files.exists(p)) {
                log.warning("The append log file " + e.name() + " doesn't exist: No such file or directory");
                throw new Failed("missing " + e.name());
            }
            total += Files.size(p);
        }
        if (total == 0) {
            return false;
        }
        for (int i = 0; i < all.size(); i++) {
            Manifest.Entry e = all.get(i);
            boolean last = i == all.size() - 1;
            long start = System.nanoTime();
            boolean truncated = loadFile(e.name(), last);
            if (truncated && !last) {
                log.warning("Fatal error: the truncated file is not the last file");
                throw new Failed("truncated");
            }
            String kind = e.type() == Manifest.BASE ? "base" : "incr";
            log.notice(String.format("DB loaded from %s file %s: %.3f seconds", kind, e.name(),
                    (System.nanoTime() - start) / 1e9));
        }
        return true;
    }

    /** Returns true if the file was truncated (and that was allowed). */
    private boolean loadFile(String name, boolean last) throws Failed, IOException {
        Path p = files.path(name);
        long size;
        try {
            size = Files.size(p);
        } catch (NoSuchFileException e) {
            log.warning("The append log file " + name + " doesn't exist: No such file or directory");
            throw new Failed("missing " + name);
        }
        if (size == 0) {
            return false;
        }
        try (InputStream in = new BufferedInputStream(Files.newInputStream(p), 1 << 16)) {
            in.mark(8);
            byte[] sig = in.readNBytes(5);
            in.reset();
            long start = 0;
            if (sig.length == 5 && new String(sig, java.nio.charset.StandardCharsets.US_ASCII).equals("REDIS")) {
                start = loadRdb(p, name);
                in.skipNBytes(start);
                if (start == size) {
                    return false;
                }
            }
            return loadCommands(in, p, name, last, start);
        }
    }

    /** Loads a file's RDB preamble; returns the bytes it took. */
    private long loadRdb(Path p, String name) throws Failed {
        if (rdb == null) {
            log.warning("Error reading the RDB base file " + name + ", AOF loading aborted: an RDB preamble"
                    + " needs the persistence-rdb bundle");
            throw new Failed("rdb preamble");
        }
        try {
            return rdb.load(p);
        } catch (IOException e) {
            log.warning("Error reading the RDB base file " + name + ", AOF loading aborted");
            throw new Failed("rdb preamble");
        }
    }

    /** Replays the commands from {@code in}, which starts at offset {@code start} of the file. */
    private boolean loadCommands(InputStream in, Path p, String name, boolean last, long start)
            throws Failed, IOException {
        AofReader reader = new AofReader(in);
        List<byte[][]> batch = new ArrayList<>(BATCH);
        boolean inMulti = false;
        long validBeforeMulti = 0;
        try {
            byte[][] argv;
            long before = reader.validUpTo();
            while ((argv = reader.next()) != null) {
                if (Bytes.is(argv[0], "multi")) {
                    inMulti = true;
                    validBeforeMulti = before;
                } else if (Bytes.is(argv[0], "exec")) {
                    inMulti = false;
                }
                batch.add(argv);
                if (batch.size() >= BATCH) {
                    flush(batch, name);
                }
                before = reader.validUpTo();
            }
            lastTimestamp = Math.max(lastTimestamp, reader.lastTimestamp);
            if (inMulti) {
                batch.add(new byte[][] {Bytes.of("DISCARD")});
                flush(batch, name);
                log.warning("Revert incomplete MULTI/EXEC transaction in AOF file " + name);
                return truncate(p, name, start + validBeforeMulti, last);
            }
            flush(batch, name);
            return false;
        } catch (AofReader.Truncated t) {
            if (inMulti) {
                batch.add(new byte[][] {Bytes.of("DISCARD")});
            }
            flush(batch, name);
            return truncate(p, name, start + (inMulti ? validBeforeMulti : t.validUpTo), last);
        } catch (AofReader.BadFormat b) {
            flush(batch, name);
            log.warning("Bad file format reading the append only file " + name + " at offset " + (start + b.offset)
                    + ": make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>");
            throw new Failed("bad format");
        }
    }

    private boolean truncate(Path p, String name, long validUpTo, boolean last) throws Failed, IOException {
        if (loadTruncated && last) {
            log.warning("!!! Warning: short read while loading the AOF file " + name + "!!!");
            log.warning("!!! Truncating the AOF " + name + " at offset " + validUpTo + " !!!");
            try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
                ch.truncate(validUpTo);
                ch.force(true);
            }
            log.warning("AOF " + name + " loaded anyway because aof-load-truncated is enabled");
            return true;
        }
        if (loadTruncated) {
            // a torn file that is not the last one: the caller reports it
            return true;
        }
        log.warning("Unexpected end of file reading the append only file " + name + " at offset " + validUpTo
                + ". You can: 1) Make a backup of your AOF file, then use ./redis-check-aof --fix "
                + "<filename.manifest>. 2) Alternatively you can set the 'aof-load-truncated' configuration option "
                + "to yes and restart the server.");
        throw new Failed("truncated");
    }

    private void flush(List<byte[][]> batch, String file) throws Failed, IOException {
        if (batch.isEmpty()) {
            return;
        }
        String unknown = runner.run(batch);
        loadedCommands += batch.size();
        batch.clear();
        if (unknown != null) {
            log.warning("Unknown command '" + unknown + "' reading the append only file " + file);
            throw new Failed("unknown command");
        }
    }
}
