package io.modis.aof;

import io.modis.api.ServerLog;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * The writer thread: appends what the engine hands over to the current incremental file,
 * fsyncs per the policy, and does every file and manifest operation in queue order, so that a
 * file switch falls exactly between the commands before and after it.
 *
 * <p>With appendfsync always it fsyncs once per batch it drained (group commit) and reports the
 * engine offset now durable to {@code durable}, which releases the replies waiting for it. With
 * everysec and no it reports the offset written to the file after each batch: as in Redis, a
 * reply goes only once its write is in the file (fsync follows within a second, or never).
 */
final class AofWriter {
    enum Policy { ALWAYS, EVERYSEC, NO }

    private record Chunk(byte[] bytes, long endOffset) {
    }

    /** An operation run on the writer thread, in order with the chunks. */
    interface Op {
        void run() throws IOException;
    }

    private final AofFiles files;
    private final ServerLog log;
    private final LongConsumer durable;
    private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean running = true;
    volatile Policy policy = Policy.EVERYSEC;

    // writer-thread state
    private FileChannel incr;
    private long written;
    private long synced;
    private long lastFsyncNanos = System.nanoTime();
    volatile boolean lastWriteOk = true;
    /** Everysec fsyncs that found the previous one still running (never, with one thread): 0. */
    volatile long delayedFsync;

    AofWriter(AofFiles files, ServerLog log, LongConsumer durable) {
        this.files = files;
        this.log = log;
        this.durable = durable;
        this.thread = new Thread(this::loop, "modis-aof-writer");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Appends bytes that end at engine offset {@code endOffset}. */
    void append(byte[] bytes, long endOffset) {
        queue.add(new Chunk(bytes, endOffset));
    }

    void submit(Op op) {
        queue.add(op);
    }

    /** Runs {@code op} on the writer thread and waits for it (engine thread: DEBUG LOADAOF, shutdown). */
    void call(Op op) throws IOException {
        java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();
        queue.add((Op) () -> {
            try {
                op.run();
                done.complete(null);
            } catch (IOException | RuntimeException e) {
                done.completeExceptionally(e);
            }
        });
        try {
            done.get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(e.getCause());
        } catch (InterruptedException | java.util.concurrent.TimeoutException e) {
            throw new IOException("the AOF writer did not answer", e);
        }
    }

    /** Writer thread: appends go to this channel from now on (null: appends are dropped). */
    void target(FileChannel ch) throws IOException {
        if (incr != null) {
            flushAndSync();
            incr.close();
        }
        incr = ch;
    }

    /** Writer thread: fsyncs the current file. */
    void flushAndSync() throws IOException {
        if (incr != null && synced < written) {
            incr.force(false);
        }
        synced = written;
        lastFsyncNanos = System.nanoTime();
        durable.accept(synced);
    }

    /** Writes and fsyncs everything queued before, closes the file and ends the thread. */
    void stop() {
        queue.add((Op) () -> {
            try {
                if (incr != null) {
                    flushAndSync();
                    incr.close();
                    incr = null;
                }
            } finally {
                running = false;
            }
        });
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void loop() {
        List<Object> batch = new ArrayList<>();
        while (running) {
            try {
                Object first = queue.poll(policy == Policy.EVERYSEC ? 1000 : 60_000, TimeUnit.MILLISECONDS);
                if (first != null) {
                    batch.add(first);
                    queue.drainTo(batch);
                }
                boolean wrote = false;
                for (Object o : batch) {
                    if (o instanceof Chunk c) {
                        write(c);
                        wrote = true;
                    } else {
                        if (wrote && policy == Policy.ALWAYS) {
                            flushAndSync();
                            wrote = false;
                        }
                        try {
                            ((Op) o).run();
                        } catch (IOException | RuntimeException e) {
                            log.warning("AOF operation failed: " + e);
                        }
                    }
                }
                batch.clear();
                afterBatch(wrote);
            } catch (InterruptedException e) {
                if (!running) {
                    return;
                }
            } catch (IOException e) {
                writeFailed(e);
            }
        }
    }

    private void write(Chunk c) throws IOException {
        if (incr != null) {
            ByteBuffer b = ByteBuffer.wrap(c.bytes);
            while (b.hasRemaining()) {
                incr.write(b);
            }
            files.incrGrew(c.bytes.length);
        }
        written = c.endOffset;
        if (!lastWriteOk) {
            log.warning("AOF write error looks solved, Redis can write again.");
            lastWriteOk = true;
        }
    }

    private void afterBatch(boolean wrote) throws IOException {
        switch (policy) {
            case ALWAYS -> {
                if (wrote || synced < written) {
                    flushAndSync();
                }
            }
            case EVERYSEC -> {
                if (synced < written && System.nanoTime() - lastFsyncNanos >= 1_000_000_000L) {
                    flushAndSync();
                }
                // replies go once their writes are in the file (Redis writes before it replies;
                // only the fsync waits for the next second)
                durable.accept(written);
            }
            case NO -> {
                synced = written;
                durable.accept(synced);
            }
        }
    }

    private void writeFailed(IOException e) {
        lastWriteOk = false;
        log.warning("Error writing to the AOF file: " + e.getMessage());
        if (policy == Policy.ALWAYS) {
            log.warning("Can't recover from AOF write error when the AOF fsync policy is 'always'. Exiting...");
            Runtime.getRuntime().halt(1);
        }
    }

    /** Opens (creating) a file for appending. */
    static FileChannel openAppend(Path p) throws IOException {
        return FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }

    static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return 0;
        }
    }
}
