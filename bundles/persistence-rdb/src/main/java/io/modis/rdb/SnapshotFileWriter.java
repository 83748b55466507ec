package io.modis.rdb;

import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The background half of BGSAVE: takes the records a {@link Snapshot} captured, encodes them in
 * Redis's encodings (LZF included), keeps the CRC, writes a temporary file, fsyncs it and
 * renames it over the dump. Runs on its own thread; reports the outcome through {@code done}.
 */
final class SnapshotFileWriter implements Snapshot.Sink {
    private static final Object END = new Object();

    private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final AtomicLong backlog;
    private final Path tmp;
    private final Path target;
    private final RdbSettings settings;
    private final ValueCodec.WriteOptions options;
    private final String redisVersion;
    private final long usedMemory;
    private final Consumer<String> done;
    private volatile boolean cancelled;
    /** Keys written to the file so far. */
    final java.util.concurrent.atomic.AtomicLong keysWritten = new java.util.concurrent.atomic.AtomicLong();
    private long[] dbSizes;

    /** @param done called on the writer thread with null on success or the reason of the failure */
    SnapshotFileWriter(AtomicLong backlog, Path tmp, Path target, RdbSettings settings,
                       ValueCodec.WriteOptions options, String redisVersion, long usedMemory, Consumer<String> done) {
        this.backlog = backlog;
        this.tmp = tmp;
        this.target = target;
        this.settings = settings;
        this.options = options;
        this.redisVersion = redisVersion;
        this.usedMemory = usedMemory;
        this.done = done;
    }

    void start(long[] sizes) {
        this.dbSizes = sizes;
        Thread t = new Thread(this::run, "modis-bgsave");
        t.setDaemon(true);
        t.start();
    }

    void cancel() {
        cancelled = true;
        queue.add(END);
    }

    @Override
    public void accept(List<Snapshot.Record> batch, long bytes) {
        queue.add(new Object[] {batch, bytes});
    }

    @Override
    public void abandoned() {
        cancel();
    }

    @Override
    public void end() {
        queue.add(END);
    }

    private void run() {
        String failure = null;
        try (FileOutputStream file = new FileOutputStream(tmp.toFile())) {
            BufferedOutputStream out = new BufferedOutputStream(file, 1 << 16);
            RdbWriter w = new RdbWriter(out, settings.compression);
            RdbFile.header(w, redisVersion, usedMemory);
            int db = -1;
            while (true) {
                Object item = queue.take();
                if (item == END) {
                    break;
                }
                Object[] pair = (Object[]) item;
                @SuppressWarnings("unchecked")
                List<Snapshot.Record> batch = (List<Snapshot.Record>) pair[0];
                for (Snapshot.Record r : batch) {
                    if (r.db() != db) {
                        db = r.db();
                        RdbFile.selectDb(w, db, dbSizes[db], 0);
                    }
                    if (r.expireAt() >= 0) {
                        w.writeByte(RdbFile.OPCODE_EXPIRETIME_MS);
                        w.millis(r.expireAt());
                    }
                    ValueCodec.write(w, r.key(), r.type(), r.encoding(), r.payload(), options);
                    keysWritten.incrementAndGet();
                    long delay = settings.keySaveDelay;
                    if (delay > 0) {
                        w.flush();
                        LockSupport.parkNanos(delay * 1000);
                    }
                    if (cancelled) {
                        break;
                    }
                }
                backlog.addAndGet(-(Long) pair[1]);
                if (cancelled) {
                    break;
                }
            }
            if (cancelled) {
                failure = "cancelled";
            } else {
                RdbFile.footer(w, settings.checksum);
                w.flush();
                out.flush();
                file.getFD().sync();
            }
        } catch (IOException | RuntimeException | InterruptedException e) {
            failure = e.getMessage() == null ? e.toString() : e.getMessage();
        }
        if (failure == null) {
            try {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                failure = "failed renaming the temp file: " + e.getMessage();
            }
        }
        if (failure != null) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the failure is what gets reported
            }
        }
        done.accept(failure);
    }
}
