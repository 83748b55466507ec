package io.modis.rdb;

import io.modis.api.DataType;
import io.modis.api.Database;
import io.modis.api.Engine;
import io.modis.api.Keyspace;
import io.modis.api.Value;
import io.modis.api.dict.Dict;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A point-in-time snapshot of the keyspace taken without fork (architecture §5). On the engine
 * thread, the keyspace is walked a slice at a time between other work, each entry captured as
 * its type's payload and marked with this snapshot's number. A write barrier runs before every
 * write command: a key it names that was not captured yet is captured first, with its old
 * contents; keys it names are marked after it ran, so that keys it creates stay out. Commands
 * whose keys cannot be known (FLUSHALL, SWAPDB, MOVE ...) make the walk finish at once.
 * Captured records go to {@link Sink} (a writer thread encodes, compresses and writes them).
 *
 * <p>Known limit: a key evicted by maxmemory before the walk reached it is missing from the
 * snapshot (expired keys would be skipped at load anyway).
 */
final class Snapshot implements Engine.WriteBarrier {
    /** One captured key. */
    record Record(int db, byte[] key, DataType type, String encoding, byte[] payload, long expireAt) {
    }

    /** Receives batches of records, then the end. Called on the engine thread. */
    interface Sink {
        void accept(List<Record> batch, long bytes);

        void end();

        /** The snapshot was dropped (FLUSHALL/FLUSHDB ran during it, as they kill Redis's child). */
        void abandoned();
    }

    private static int lastMark;
    /** Capture time per slice: what a client's command may wait behind the walk. */
    private static final long SLICE_NANOS = 500_000;

    private final Engine engine;
    private final Keyspace keyspace;
    private final Sink sink;
    private final int mark;
    private final long[] dbSizes;
    private final List<Database> pendingDbs = new ArrayList<>();
    private final List<byte[]> pendingKeys = new ArrayList<>();
    private final AtomicLong backlog;
    private final long maxBacklog;
    private int db;
    private long cursor;
    private boolean done;
    private long keysCaptured;
    /** Bytes captured early because a write was about to change them: what fork's COW would cost. */
    private long barrierBytes;
    private List<Record> batch = new ArrayList<>();
    private long batchBytes;

    /**
     * @param backlog bytes handed to the sink and not yet written (the sink lowers it); the walk
     *     pauses while it is above {@code maxBacklog}, the barrier never does
     */
    Snapshot(Engine engine, Sink sink, AtomicLong backlog, long maxBacklog) {
        this.engine = engine;
        this.keyspace = engine.keyspace();
        this.sink = sink;
        this.backlog = backlog;
        this.maxBacklog = maxBacklog;
        this.mark = ++lastMark == 0 ? ++lastMark : lastMark;
        this.dbSizes = new long[keyspace.databases()];
        for (int i = 0; i < dbSizes.length; i++) {
            dbSizes[i] = keyspace.db(i).size();
        }
    }

    long[] dbSizes() {
        return dbSizes;
    }

    long keysTotal() {
        long n = 0;
        for (long s : dbSizes) {
            n += s;
        }
        return n;
    }

    long keysCaptured() {
        return keysCaptured;
    }

    long barrierBytes() {
        return barrierBytes;
    }

    boolean done() {
        return done;
    }

    /** Installs the barrier and starts walking (engine thread). */
    void start() {
        engine.writeBarrier(this);
        engine.afterPendingIo(this::slice);
    }

    /** Stops early (the save was abandoned); nothing more reaches the sink. */
    void abort() {
        if (!done) {
            done = true;
            engine.writeBarrier(null);
        }
    }

    /**
     * One slice of the walk: about half a millisecond of capturing, then the clients' ready input
     * (the next slice waits for the event loop's next turn: at most one slice per turn).
     */
    private void slice() {
        if (done) {
            return;
        }
        stampPending();
        if (backlog.get() > maxBacklog) {
            engine.executor().schedule(this::slice, 1, java.util.concurrent.TimeUnit.MILLISECONDS);
            return;
        }
        long deadline = System.nanoTime() + SLICE_NANOS;
        while (!done && System.nanoTime() < deadline) {
            step(64);
        }
        flushBatch();
        if (!done) {
            engine.afterPendingIo(this::slice);
        }
    }

    /** Walks the whole rest of the keyspace now. */
    void finishNow() {
        stampPending();
        while (!done) {
            step(1024);
        }
        flushBatch();
    }

    private void step(int buckets) {
        if (db >= dbSizes.length) {
            complete();
            return;
        }
        Database d = keyspace.db(db);
        int id = db;
        Consumer<Dict.Entry<Value>> capture = e -> {
            if (e.snapshotMark != mark) {
                capture(id, e);
            }
        };
        cursor = d.scanEntries(cursor, buckets, capture);
        if (cursor == 0) {
            db++;
        }
    }

    private void complete() {
        done = true;
        engine.writeBarrier(null);
        flushBatch();
        sink.end();
    }

    private void capture(int dbId, Dict.Entry<Value> e) {
        e.snapshotMark = mark;
        Value v = e.value;
        DataType type = v.type();
        byte[] payload = type.serialize(v);
        batch.add(new Record(dbId, e.key, type, v.encoding(), payload, e.expireAt));
        batchBytes += payload.length + e.key.length + 48;
        keysCaptured++;
        if (batchBytes > (1 << 16)) {
            flushBatch();
        }
    }

    private void flushBatch() {
        if (!batch.isEmpty()) {
            backlog.addAndGet(batchBytes);
            sink.accept(batch, batchBytes);
            batch = new ArrayList<>();
            batchBytes = 0;
        }
    }

    /** Marks the keys the last write command named: what they hold now is not the snapshot's. */
    private void stampPending() {
        for (int i = 0; i < pendingKeys.size(); i++) {
            Dict.Entry<Value> e = pendingDbs.get(i).raw(pendingKeys.get(i));
            if (e != null) {
                e.snapshotMark = mark;
            }
        }
        pendingKeys.clear();
        pendingDbs.clear();
    }

    @Override
    public void beforeWrite(Database database, byte[][] argv, List<byte[]> keys) {
        if (done) {
            return;
        }
        stampPending();
        if (keys == null) {
            String name = io.modis.api.Bytes.lower(argv[0]);
            if (name.equals("flushall") || name.equals("flushdb")) {
                abort();
                sink.abandoned();
                return;
            }
            finishNow();
            return;
        }
        for (byte[] key : keys) {
            Dict.Entry<Value> e = database.raw(key);
            if (e != null && e.snapshotMark != mark) {
                long before = batchBytes;
                capture(database.id(), e);
                barrierBytes += Math.max(0, batchBytes - before);
            }
            pendingDbs.add(database);
            pendingKeys.add(key);
        }
        flushBatch();
    }
}
