package io.modis.core;

import io.modis.api.Bytes;
import io.modis.api.CommandException;
import io.modis.api.Database;
import io.modis.api.Errors;
import io.modis.api.Value;
import io.modis.api.dict.Dict;

import java.util.function.Consumer;

/**
 * One numbered database: the main dictionary plus a dictionary of the keys that have a TTL
 * (whose values point at the main entries, for active expiry sampling).
 */
public final class Db implements Database {
    private final Server server;
    private final int id;
    private Dict<Value> main = new Dict<>();
    private Dict<Dict.Entry<Value>> expires = new Dict<>();
    /** Keys watched by clients (WATCH), to invalidate their transactions. */
    final Dict<java.util.List<ClientSession.Watch>> watched = new Dict<>();
    /** Keys clients are blocked on, in blocking order. */
    final Dict<java.util.ArrayDeque<Blocking.Waiter>> blocked = new Dict<>();
    public long avgTtlEstimate;
    /** Estimated bytes of this database's keys and values (see {@link Eviction}). */
    long used;

    Db(Server server, int id) {
        this.server = server;
        this.id = id;
    }

    @Override
    public int id() {
        return id;
    }

    /** The live entry, expiring it lazily; null if absent. */
    public Dict.Entry<Value> entry(byte[] key) {
        Dict.Entry<Value> e = main.find(key);
        if (e == null) {
            return null;
        }
        if (e.expireAt >= 0 && e.expireAt <= server.now() && server.expiryAllowed()) {
            expireNow(e.key);
            return null;
        }
        if (e.value instanceof OpaqueValue blob) {
            server.typeSwap.touch(e, blob);
        }
        return e;
    }

    /** Deletes an expired key: propagates DEL, notifies "expired", counts it. */
    void expireNow(byte[] key) {
        removeEntry(key);
        server.stats.expiredKeys++;
        server.keyExpired(this, key);
    }

    @Override
    public Value get(byte[] key) {
        Dict.Entry<Value> e = entry(key);
        if (e == null) {
            server.stats.keyspaceMisses++;
            return null;
        }
        server.stats.keyspaceHits++;
        server.eviction.access(e);
        return e.value;
    }

    /** Looks a key up without counting a hit or miss, or touching its access time. */
    public Value peek(byte[] key) {
        Dict.Entry<Value> e = entry(key);
        return e == null ? null : e.value;
    }

    @Override
    public <T extends Value> T get(byte[] key, Class<T> type) {
        Value v = get(key);
        if (v == null) {
            return null;
        }
        if (!type.isInstance(v)) {
            if (v instanceof OpaqueValue blob) {
                throw new CommandException(blob.missingTypeError());
            }
            throw new CommandException(Errors.WRONGTYPE);
        }
        return type.cast(v);
    }

    @Override
    public boolean exists(byte[] key) {
        return entry(key) != null;
    }

    @Override
    public void set(byte[] key, Value value) {
        Dict.Entry<Value> e = main.addOrFind(key);
        if (e.expireAt >= 0) {
            e.expireAt = -1;
            expires.remove(key);
        }
        store(e, value);
    }

    @Override
    public void setKeepTtl(byte[] key, Value value) {
        store(main.addOrFind(key), value);
    }

    /**
     * A key that did not exist is announced as Redis's dbAdd does: a "new" keyspace event, and a
     * ready signal for clients blocked on it (served after the command).
     */
    private void store(Dict.Entry<Value> e, Value value) {
        boolean added = e.value == null;
        // no blocked client in this database: the old value is not even looked at (a cache miss)
        if (!added && blocked.size() > 0 && wakesWaitersWhenRemoved(e.value)) {
            server.blocking.signal(this, e.key);
        }
        e.value = value;
        server.typeSwap.onStore(this, e.key, value);
        if (added) {
            server.eviction.created(e);
        } else {
            server.eviction.access(e);
        }
        account(e);
        if (added) {
            server.keyAdded(this, e.key);
        }
    }

    @Override
    public void add(byte[] key, Value value) {
        set(key, value);
    }

    @Override
    public boolean delete(byte[] key) {
        if (entry(key) == null) {
            return false;
        }
        removeEntry(key);
        return true;
    }

    /** Refreshes a key's memory estimate after its value or TTL changed. */
    void account(Dict.Entry<Value> e) {
        int size = Eviction.entrySize(e);
        used += size - e.size;
        e.size = size;
    }

    /** A key was modified in place (the command signalled it): its estimate is refreshed. */
    void reaccount(byte[] key) {
        Dict.Entry<Value> e = main.find(key);
        if (e != null && e.value != null) {
            account(e);
        }
    }

    /** Eviction: removes a key whether or not it is past its TTL. */
    void removeRaw(byte[] key) {
        removeEntry(key);
    }

    /** One random key for the random eviction policies, from every key or only keys with a TTL. */
    Dict.Entry<Value> randomForEviction(boolean allKeys) {
        if (allKeys) {
            return main.randomEntry();
        }
        Dict.Entry<Dict.Entry<Value>> e = expires.randomEntry();
        return e == null ? null : e.value;
    }

    /** Samples keys for the eviction pool (Redis's dictGetSomeKeys on the main or the expires table). */
    void sampleForEviction(boolean allKeys, int count, Consumer<Dict.Entry<Value>> out) {
        if (allKeys) {
            main.sample(count, out);
        } else {
            expires.sample(count, e -> out.accept(e.value));
        }
    }

    private void removeEntry(byte[] key) {
        Dict.Entry<Value> e = main.remove(key);
        if (e != null) {
            used -= e.size;
        }
        if (e != null && e.expireAt >= 0) {
            expires.remove(key);
        }
        if (e != null && blocked.size() > 0 && wakesWaitersWhenRemoved(e.value)) {
            server.blocking.signal(this, key);
        }
    }

    /**
     * A value whose type says so (a stream) wakes the clients blocked on its key when it is
     * deleted or replaced (Redis's signalDeletedKeyAsReady), so that a blocked XREADGROUP learns
     * its stream is gone; other types' waiters only care about keys that appear.
     */
    static boolean wakesWaitersWhenRemoved(Value v) {
        return v != null && v.type() != null && v.type().wakesWaitersWhenRemoved();
    }

    /** FLUSHDB/FLUSHALL: the streams clients are blocked on are about to go. */
    void signalStreamsBeforeFlush() {
        if (blocked.size() == 0) {
            return;
        }
        java.util.List<byte[]> keys = new java.util.ArrayList<>();
        blocked.forEach(e -> keys.add(e.key));
        for (byte[] k : keys) {
            Dict.Entry<Value> e = main.find(k);
            if (e != null && wakesWaitersWhenRemoved(e.value)) {
                server.blocking.signal(this, k);
            }
        }
    }

    @Override
    public long expireAt(byte[] key) {
        Dict.Entry<Value> e = entry(key);
        if (e == null) {
            return -2;
        }
        return e.expireAt;
    }

    @Override
    public void setExpireAt(byte[] key, long unixMillis) {
        Dict.Entry<Value> e = main.find(key);
        if (e == null) {
            throw new IllegalStateException("setExpireAt on a missing key");
        }
        if (e.expireAt < 0) {
            expires.put(e.key, e);
        }
        e.expireAt = unixMillis;
        account(e);
    }

    @Override
    public boolean persist(byte[] key) {
        Dict.Entry<Value> e = entry(key);
        if (e == null || e.expireAt < 0) {
            return false;
        }
        e.expireAt = -1;
        expires.remove(key);
        account(e);
        return true;
    }

    @Override
    public long size() {
        return main.size();
    }

    @Override
    public long expiresSize() {
        return expires.size();
    }

    @Override
    public byte[] randomKey() {
        for (int tries = 0; tries < 100; tries++) {
            Dict.Entry<Value> e = main.randomEntry();
            if (e == null) {
                return null;
            }
            if (e.expireAt >= 0 && e.expireAt <= server.now()) {
                if (expires.size() == main.size() && tries > 90) {
                    // all keys have a TTL and we keep drawing expired ones: return one anyway, as Redis does
                    return e.key;
                }
                if (server.expiryAllowed()) {
                    expireNow(e.key);
                }
                continue;
            }
            return e.key;
        }
        Dict.Entry<Value> e = main.randomEntry();
        return e == null ? null : e.key;
    }

    @Override
    public long scan(long cursor, int count, Consumer<byte[]> out) {
        long c = cursor;
        int visited = 0;
        int maxIterations = count * 10;
        java.util.ArrayList<byte[]> found = new java.util.ArrayList<>();
        do {
            c = main.scan(c, e -> found.add(e.key));
            visited++;
        } while (c != 0 && found.size() < count && visited < maxIterations);
        for (byte[] k : found) {
            out.accept(k);
        }
        return c;
    }

    @Override
    public void forEachKey(Consumer<byte[]> out) {
        main.forEach(e -> out.accept(e.key));
    }

    @Override
    public void forEachEntry(EntryVisitor visitor) {
        main.forEach(e -> visitor.visit(e.key, e.value, e.expireAt));
    }

    @Override
    public long scanEntries(long cursor, int count, Consumer<Dict.Entry<Value>> out) {
        long c = cursor;
        int steps = 0;
        do {
            c = main.scan(c, out);
            steps++;
        } while (c != 0 && steps < count);
        return c;
    }

    @Override
    public Dict.Entry<Value> raw(byte[] key) {
        return main.find(key);
    }

    @Override
    public void setAccess(byte[] key, long idleSeconds, int freq) {
        Dict.Entry<Value> e = main.find(key);
        if (e == null) {
            return;
        }
        if (freq >= 0) {
            int minutes = (int) ((System.currentTimeMillis() / 60_000) & 0xFFFF);
            e.lru = (minutes << 8) | Math.min(255, freq);
        } else if (idleSeconds >= 0) {
            int max = (1 << 24) - 1;
            long clock = server.lruClock();
            long idle = Math.min(idleSeconds, max);
            e.lru = (int) (clock >= idle ? clock - idle : max - (idle - clock));
        }
    }

    /** Visits every live entry (DEBUG DIGEST, persistence). */
    public void forEachEntry(Consumer<Dict.Entry<Value>> out) {
        main.forEach(out);
    }

    @Override
    public void clear() {
        main = new Dict<>();
        expires = new Dict<>();
        used = 0;
    }

    /** SWAPDB: exchanges contents (not watchers or blocked clients) with another database. */
    void swapWith(Db other) {
        Dict<Value> m = main;
        main = other.main;
        other.main = m;
        Dict<Dict.Entry<Value>> x = expires;
        expires = other.expires;
        other.expires = x;
        long u = used;
        used = other.used;
        other.used = u;
    }

    /**
     * One active-expiry step: samples keys with a TTL and deletes the expired ones.
     * Returns how many of the sampled keys had expired.
     */
    int activeExpireStep(int sample, long now) {
        if (expires.size() == 0) {
            return 0;
        }
        java.util.ArrayList<byte[]> expired = new java.util.ArrayList<>();
        expires.sample(sample, e -> {
            if (e.value.expireAt >= 0 && e.value.expireAt <= now) {
                expired.add(e.key);
            }
        });
        for (byte[] k : expired) {
            Dict.Entry<Value> e = main.find(k);
            if (e != null && e.expireAt >= 0 && e.expireAt <= now) {
                expireNow(k);
            }
        }
        return expired.size();
    }

    /** Incremental rehash work for the cron. */
    void rehash(long nanos) {
        main.rehashFor(nanos);
        expires.rehashFor(nanos);
    }

    void resizeIfNeeded() {
        main.resizeIfNeeded();
        expires.resizeIfNeeded();
    }

    public String htStats() {
        return "[Dictionary HT]\n" + main.stats() + "[Expires HT]\n" + expires.stats();
    }

    /** Whether the key is present in the dictionary but past its expiry time. */
    boolean isLogicallyExpired(byte[] key) {
        Dict.Entry<Value> e = main.find(key);
        return e != null && e.expireAt >= 0 && e.expireAt <= server.now();
    }

    /** Whether the key is in the dictionary at all, expired or not. */
    boolean containsRaw(byte[] key) {
        return main.find(key) != null;
    }

    /** Whether the key exists without expiring it (for KEYS-like scans that check TTL themselves). */
    boolean isExpired(Dict.Entry<Value> e) {
        return e.expireAt >= 0 && e.expireAt <= server.now();
    }

    public Dict.Entry<Value> rawEntry(byte[] key) {
        return main.find(key);
    }

}
