package io.modis.core;

import io.modis.api.DataType;
import io.modis.api.Value;
import io.modis.api.dict.Dict;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Keeps a data type's values alive across the departure and return of the bundle providing it
 * (architecture §4). Runs on the engine thread only, between commands.
 *
 * <ul>
 * <li>Departure: every live value of the departing {@link DataType} (compared by identity) is
 * serialized by that type, while its bundle's classes are still loaded, into an
 * {@link OpaqueValue}. A value of that type stored later (a straggling command of the departing
 * bundle) is turned into a blob once that bundle has stopped.</li>
 * <li>Return: a blob is revived with the new provider's {@code restore} when a command first
 * touches its key, and meanwhile a background walk revives the rest in short slices.</li>
 * </ul>
 */
final class TypeSwap {
    /** Budget of one background revival slice. */
    private static final long SLICE_NANOS = 1_000_000;

    private final Server server;
    /** Types that left; values of them stored from now on become blobs. */
    private final Set<DataType> departed = Collections.newSetFromMap(new IdentityHashMap<>());
    /** Names of types that came back while blobs of them may exist. */
    private final Set<String> reviving = new LinkedHashSet<>();
    private int walkDb;
    private long walkCursor;
    private boolean walking;
    /** Type names whose restore failed once (logged once, the blobs stay). */
    private final Set<String> failedRestore = new LinkedHashSet<>();
    long blobsMade;
    long blobsRevived;

    TypeSwap(Server server) {
        this.server = server;
    }

    /** The type is going away: turns its values into blobs. */
    void departed(DataType type) {
        departed.add(type);
        long start = System.nanoTime();
        long n = 0;
        for (int i = 0; i < server.databases(); i++) {
            Db db = server.db(i);
            long[] count = new long[1];
            db.forEachEntry(e -> {
                if (e.value != null && e.value.type() == type) {
                    Value blob = blobOf(e.value);
                    if (blob != e.value) {
                        e.value = blob;
                        count[0]++;
                    }
                }
            });
            n += count[0];
        }
        if (n > 0) {
            server.log.notice("Data type '" + type.name() + "' left: " + n + " values kept serialized until it returns ("
                    + (System.nanoTime() - start) / 1_000_000 + " ms)");
        }
    }

    /**
     * The bundle that provided these types has stopped: nothing of it can store values any more,
     * so the values its commands stored after its type left are serialized now (not when stored:
     * a command may change a value after storing it).
     */
    void forget(java.util.function.Predicate<DataType> ofBundle) {
        if (departed.isEmpty()) {
            return;
        }
        for (Straggler st : stragglers) {
            Dict.Entry<Value> e = st.db.rawEntry(st.key);
            if (e != null && e.value != null && departed.contains(e.value.type()) && ofBundle.test(e.value.type())) {
                e.value = blobOf(e.value);
            }
        }
        stragglers.clear();
        departed.removeIf(ofBundle);
    }

    private record Straggler(Db db, byte[] key) {
    }

    private final java.util.List<Straggler> stragglers = new java.util.ArrayList<>();

    /** A provider of the type arrived: revive its blobs in the background (and on touch). */
    void arrived(DataType type) {
        departed.removeIf(t -> t.name().equals(type.name()) && t != type);
        failedRestore.remove(type.name());
        reviving.add(type.name());
        if (!walking) {
            walking = true;
            walkDb = 0;
            walkCursor = 0;
            afterPendingIo(this::reviveSlice);
        }
    }

    /** Notes a value of a departed type being stored (by a command of the departing bundle). */
    void onStore(Db db, byte[] key, Value v) {
        if (!departed.isEmpty() && v != null && departed.contains(v.type())) {
            stragglers.add(new Straggler(db, key));
        }
    }

    private Value blobOf(Value v) {
        try {
            OpaqueValue blob = OpaqueValue.of(v);
            blobsMade++;
            return blob;
        } catch (RuntimeException | LinkageError e) {
            server.log.warning("Data type '" + v.type().name() + "' could not serialize a value as it left ("
                    + e + "); the value keeps the old code until it is deleted");
            return v;
        }
    }

    /** Revives the blob in this entry if its type is present again (first touch). */
    void touch(Dict.Entry<Value> e, OpaqueValue blob) {
        OpaqueValue.OpaqueType t = blob.type();
        DataType provider = server.types.get(t.name());
        if (provider == null || failedRestore.contains(t.name())) {
            return;
        }
        try {
            Value v = provider.restore(t.rdbType(), blob.payload(), t.encodingVersion());
            if (v != null) {
                e.value = v;
                blobsRevived++;
            }
        } catch (RuntimeException | LinkageError ex) {
            failedRestore.add(t.name());
            server.log.warning("Data type '" + t.name() + "' could not restore a value kept while it was away ("
                    + ex + "); its values stay serialized");
        }
    }

    /** As Engine.afterPendingIo: the next slice waits for the clients' ready input. */
    private void afterPendingIo(Runnable slice) {
        server.executor.schedule(slice, 0, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    /** One background slice: walks the keyspace reviving blobs, then yields to clients. */
    private void reviveSlice() {
        if (reviving.isEmpty()) {
            walking = false;
            return;
        }
        long end = System.nanoTime() + SLICE_NANOS;
        while (System.nanoTime() < end) {
            if (walkDb >= server.databases()) {
                reviving.clear();
                walking = false;
                return;
            }
            Db db = server.db(walkDb);
            walkCursor = db.scan(walkCursor, 64, key -> {
                Dict.Entry<Value> e = db.rawEntry(key);
                if (e != null && e.value instanceof OpaqueValue blob && reviving.contains(blob.type().name())) {
                    touch(e, blob);
                }
            });
            if (walkCursor == 0) {
                walkDb++;
            }
        }
        afterPendingIo(this::reviveSlice);
    }
}
