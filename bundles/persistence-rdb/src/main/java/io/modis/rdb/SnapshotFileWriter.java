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
    private final Header header;
    private final Consumer<String> done;
    private volatile boolean cancelled;
    /** Keys written to the file so far. */
    final java.util.concurrent.atomic.AtomicLong keysWritten = new java.util.concurrent.atomic.AtomicLong();
    private long[] dbSizes;

    /** What precedes the keys: aux fields and the function libraries as they were at the start. */
    record Header(String redisVersion, long usedMemory, boolean aofBase, List<byte[]> libraries) {
        void write(RdbWriter w) {
            RdbFile.header(w, redisVersion, usedMemory, aofBase);
            for (byte[] library : libraries) {
                RdbFile.function(w, library);
            }
        }
    }

    /**
     * @param target the file {@code tmp} is renamed to once complete, or null to keep {@code tmp}
     * @param done called on the writer thread with null on success or the reason of the failure
     */
    SnapshotFileWriter(AtomicLong backlog, Path tmp, Path target, RdbSettings settings,
                       ValueCodec.WriteOptions options, Header header, Consumer<String> done) {
        this.backlog = backlog;
        this.tmp = tmp;
        this.target = target;
        this.settings = settings;
        this.options = options;
        this.header = header;
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

    /**
     * rdb-key-save-delay: pauses after a key, in short slices so that setting the knob back to 0
     * or cancelling ends the pause, as a killed or re-configured child would stop waiting.
     */
    private void keySaveDelay() {
        long deadline = System.nanoTime() + settings.keySaveDelay * 1000;
        long left;
        while (!cancelled && settings.keySaveDelay > 0 && (left = deadline - System.nanoTime()) > 0) {
            LockSupport.parkNanos(Math.min(left, 10_000_000L));
        }
    }

    private void run() {
        String failure = null;
        try (FileOutputStream file = new FileOutputStream(tmp.toFile())) {
            BufferedOutputStream out = new BufferedOutputStream(file, 1 << 16);
            RdbWriter w = new RdbWriter(out, settings.compression);
            header.write(w);
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
                    if (settings.keySaveDelay > 0) {
                        w.flush();
                        keySaveDelay();
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
        if (failure == null && target != null) {
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
