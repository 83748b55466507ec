package io.modis.core;

import io.modis.api.Bytes;
import io.modis.api.Value;
import io.modis.api.dict.Dict;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Memory accounting and maxmemory eviction.
 *
 * <p>Accounting: each key costs what its value estimates ({@link Value#memoryUsage()}) plus the
 * keyspace's own share (the table entry, the key array, a bucket slot, and a second entry when
 * the key has a TTL). The figure is kept per key in {@link Dict.Entry#size} and summed per
 * database; it is refreshed
 * when a key is stored, changed ({@code touched}), given or cleared a TTL, or removed.
 * {@code used_memory} is that sum plus the clients' buffers plus a fixed startup figure.
 *
 * <p>Eviction follows Redis's evict.c: before each command, while used memory is above
 * maxmemory, the policy picks a key: LRU, LFU and volatile-ttl sample maxmemory-samples keys per
 * database into a 16-slot pool kept sorted by "idle" score and evict the best; the random
 * policies pick random keys, a database at a time. A round is bounded in time by
 * maxmemory-eviction-tenacity; an unfinished round continues on a timer.
 */
final class Eviction {
    /** Startup memory reported as used_memory_startup (the engine without data or clients). */
    static final long STARTUP_BYTES = 1024 * 1024;
    /** Table entry (48 bytes with compressed oops, docs/keyspace.md) + key array header (16) + bucket slot (8). */
    static final int KEY_OVERHEAD = 48 + 16 + 8;
    /** The expires table's entry and bucket slot for a key with a TTL. */
    static final int TTL_OVERHEAD = 48 + 8;
    static final int LFU_INIT_VAL = 5;
    static final int LRU_CLOCK_MAX = (1 << 24) - 1;
    private static final int POOL_SIZE = 16;

    enum Result { OK, RUNNING, FAIL }

    private final Server server;
    private final long[] poolIdle = new long[POOL_SIZE];
    private final byte[][] poolKey = new byte[POOL_SIZE][];
    private final int[] poolDb = new int[POOL_SIZE];
    private int nextRandomDb;
    /** Clients' buffers as last summed by the cron (summing them per command would cost O(clients)). */
    long clientsMemory;
    private boolean timerPending;

    Eviction(Server server) {
        this.server = server;
    }

    static int entrySize(Dict.Entry<Value> e) {
        long v = e.value == null ? 0 : e.value.memoryUsage();
        long s = KEY_OVERHEAD + ((e.key.length + 7L) & ~7L) + v + (e.expireAt >= 0 ? TTL_OVERHEAD : 0);
        return (int) Math.min(Integer.MAX_VALUE, s);
    }

    /** The data set's estimate over every database. */
    long datasetMemory() {
        long sum = 0;
        for (int i = 0; i < server.databases(); i++) {
            sum += server.db(i).used;
        }
        return sum;
    }

    long usedMemory() {
        return STARTUP_BYTES + datasetMemory() + clientsMemory;
    }

    /** INFO: sums the clients' buffers and query buffers. */
    void sampleClients() {
        long sum = 0;
        for (ClientSession c : server.clients().values()) {
            c.memory = ClientCommands.totalMemory(c, null);
            sum += c.memory;
        }
        clientsMemory = sum;
        // a fresh sum must not reach key eviction before client eviction had its turn
        evictClients();
    }

    /**
     * Cron: sums the clients' memory, and applies client-output-buffer-limit to clients whose
     * replies wait unsent (a soft limit must expire even when no new reply is written).
     */
    void clientsCron() {
        long sum = 0;
        List<ClientSession> pending = null;
        for (ClientSession c : server.clients().values()) {
            c.conn.trimQueryBuffer();
            c.memory = ClientCommands.totalMemory(c, null);
            sum += c.memory;
            if (c.conn.outputBufferSize() > 0) {
                if (pending == null) {
                    pending = new ArrayList<>();
                }
                pending.add(c);
            }
        }
        clientsMemory = sum;
        if (pending != null) {
            for (ClientSession c : pending) {
                server.checkOutputBuffer(c);
            }
        }
        evictClients();
    }

    /** A client went: its memory leaves used_memory at once, not at the next cron. */
    void clientGone(ClientSession c) {
        clientsMemory = Math.max(0, clientsMemory - c.memory);
        c.memory = 0;
    }

    /**
     * Client eviction (maxmemory-clients): while the clients together use at least the limit,
     * the largest client not protected by CLIENT NO-EVICT is disconnected, as Redis does from
     * its largest memory bucket down.
     */
    void evictClients() {
        long limit = server.ops.clientEvictionLimit();
        if (limit == 0 || clientsMemory < limit) {
            return;
        }
        List<ClientSession> candidates = new ArrayList<>();
        for (ClientSession c : server.clients().values()) {
            if (!c.noEvict && !c.closing && !c.gone) {
                candidates.add(c);
            }
        }
        candidates.sort((a, b) -> Long.compare(b.memory, a.memory));
        for (ClientSession c : candidates) {
            if (clientsMemory < limit) {
                return;
            }
            server.log.log(io.modis.api.ServerLog.Level.NOTICE, "Evicting client: " + ClientCommands.infoLine(c, null));
            clientGone(c);
            server.stats.evictedClients++;
            c.closing = true;
            c.conn.abort();
        }
        if (clientsMemory >= limit) {
            server.log.log(io.modis.api.ServerLog.Level.WARNING, "Over client maxmemory after evicting all evictable clients");
        }
    }

    // ---- access clock: LRU seconds, or LFU minutes + logarithmic counter ----

    /** A key was read or written: its LRU time, or its LFU counter (decayed, then maybe incremented). */
    void access(Dict.Entry<Value> e) {
        if (server.ops.policy.lfu) {
            int counter = lfuDecrAndReturn(e.lru);
            counter = lfuLogIncr(counter);
            e.lru = (lfuMinutes() << 8) | counter;
        } else {
            e.lru = server.lruClock();
        }
    }

    /** A new key: LRU now, or the LFU starting counter. */
    void created(Dict.Entry<Value> e) {
        e.lru = server.ops.policy.lfu ? (lfuMinutes() << 8) | LFU_INIT_VAL : server.lruClock();
    }

    static int lfuMinutes() {
        return (int) ((System.currentTimeMillis() / 60_000) & 0xFFFF);
    }

    int lfuDecrAndReturn(int lru) {
        int ldt = (lru >>> 8) & 0xFFFF;
        int counter = lru & 0xFF;
        int decay = server.ops.lfuDecayTime;
        int now = lfuMinutes();
        int elapsed = now >= ldt ? now - ldt : 0xFFFF - ldt + now;
        int periods = decay > 0 ? elapsed / decay : 0;
        if (periods > 0) {
            counter = periods > counter ? 0 : counter - periods;
        }
        return counter;
    }

    private int lfuLogIncr(int counter) {
        if (counter == 255) {
            return 255;
        }
        double r = ThreadLocalRandom.current().nextDouble();
        double base = Math.max(0, counter - LFU_INIT_VAL);
        double p = 1.0 / (base * server.ops.lfuLogFactor + 1);
        return r < p ? counter + 1 : counter;
    }

    /** Milliseconds since the key's last access by the LRU clock. */
    long idleMillis(int lru) {
        int clock = server.lruClock();
        long idle = clock >= lru ? clock - lru : clock + (LRU_CLOCK_MAX - lru);
        return idle * 1000;
    }

    // ---- eviction ----

    /** Before a command: frees memory while above maxmemory, as the policy allows. */
    Result performEvictions() {
        evictClients(); // clients over maxmemory-clients go before keys, as in Redis
        long max = server.ops.maxmemory;
        if (max == 0) {
            return Result.OK;
        }
        long used = usedMemory();
        if (used <= max) {
            return Result.OK;
        }
        EvictionPolicy policy = server.ops.policy;
        if (policy == EvictionPolicy.NOEVICTION) {
            return Result.FAIL;
        }
        long toFree = used - max;
        long freed = 0;
        long start = System.nanoTime();
        long limitNanos = timeLimitMicros() * 1000;
        int keysFreed = 0;
        Result result = Result.OK;
        while (freed < toFree) {
            Db db = null;
            byte[] best = policy.random() ? randomKey(policy) : pooledKey(policy);
            if (best != null) {
                db = server.db(poolPickDb);
            }
            if (best == null) {
                result = Result.FAIL;
                break;
            }
            long before = db.used;
            long t0 = System.nanoTime();
            evict(db, best);
            server.latency.sample("eviction-del", (System.nanoTime() - t0) / 1_000_000);
            freed += before - db.used;
            keysFreed++;
            if (keysFreed % 16 == 0 && limitNanos > 0 && System.nanoTime() - start > limitNanos) {
                if (usedMemory() > max) {
                    startTimer();
                    result = Result.RUNNING;
                }
                break;
            }
        }
        server.latency.sample("eviction-cycle", (System.nanoTime() - start) / 1_000_000);
        if (result == Result.FAIL && keysFreed > 0 && usedMemory() <= max) {
            return Result.OK;
        }
        return result;
    }

    /** maxmemory-eviction-tenacity: 10 gives Redis's default 500 us; 100 means no limit (0 here). */
    long timeLimitMicros() {
        int t = server.ops.tenacity;
        if (t <= 10) {
            return 50L * t;
        }
        if (t < 100) {
            return (long) (500.0 * Math.pow(1.15, t - 10));
        }
        return 0;
    }

    /** CONFIG SET maxmemory below the memory in use: eviction starts now, not at the next command. */
    void maxmemoryChanged() {
        if (server.ops.maxmemory > 0) {
            startTimer();
        }
    }

    private void startTimer() {
        if (timerPending) {
            return;
        }
        timerPending = true;
        server.executor.schedule(() -> {
            timerPending = false;
            if (performEvictions() == Result.RUNNING) {
                startTimer();
            }
        }, 0, TimeUnit.MILLISECONDS);
    }

    private void evict(Db db, byte[] key) {
        db.removeRaw(key);
        server.stats.evictedKeys++;
        server.evicted(db, key);
    }

    private int poolPickDb;

    private byte[] randomKey(EvictionPolicy policy) {
        int n = server.databases();
        for (int i = 0; i < n; i++) {
            int id = nextRandomDb++ % n;
            Db db = server.db(id);
            Dict.Entry<Value> e = db.randomForEviction(policy.allKeys);
            if (e != null) {
                poolPickDb = id;
                return e.key;
            }
        }
        return null;
    }

    private byte[] pooledKey(EvictionPolicy policy) {
        while (true) {
            long total = 0;
            for (int i = 0; i < server.databases(); i++) {
                Db db = server.db(i);
                long size = policy.allKeys ? db.size() : db.expiresSize();
                if (size > 0) {
                    int id = i;
                    db.sampleForEviction(policy.allKeys, server.ops.samples, e -> poolInsert(id, e, policy));
                    total += size;
                }
            }
            if (total == 0) {
                return null;
            }
            for (int k = POOL_SIZE - 1; k >= 0; k--) {
                if (poolKey[k] == null) {
                    continue;
                }
                byte[] key = poolKey[k];
                int id = poolDb[k];
                poolRemove(k);
                Dict.Entry<Value> e = server.db(id).rawEntry(key);
                if (e != null && (policy.allKeys || e.expireAt >= 0)) {
                    poolPickDb = id;
                    return key;
                }
            }
        }
    }

    private void poolInsert(int db, Dict.Entry<Value> e, EvictionPolicy policy) {
        long idle;
        if (policy.lru) {
            idle = idleMillis(e.lru);
        } else if (policy.lfu) {
            idle = 255 - lfuDecrAndReturn(e.lru);
        } else {
            idle = Long.MAX_VALUE - e.expireAt;
        }
        for (int j = 0; j < POOL_SIZE; j++) {
            if (poolKey[j] != null && poolDb[j] == db && Bytes.equal(poolKey[j], e.key)) {
                return;
            }
        }
        int k = 0;
        while (k < POOL_SIZE && poolKey[k] != null && Long.compareUnsigned(poolIdle[k], idle) < 0) {
            k++;
        }
        if (k == 0 && poolKey[POOL_SIZE - 1] != null) {
            return;
        } else if (k < POOL_SIZE && poolKey[k] == null) {
            // an empty slot: insert here
        } else if (poolKey[POOL_SIZE - 1] == null) {
            System.arraycopy(poolIdle, k, poolIdle, k + 1, POOL_SIZE - k - 1);
            System.arraycopy(poolKey, k, poolKey, k + 1, POOL_SIZE - k - 1);
            System.arraycopy(poolDb, k, poolDb, k + 1, POOL_SIZE - k - 1);
        } else {
            k--;
            System.arraycopy(poolIdle, 1, poolIdle, 0, k);
            System.arraycopy(poolKey, 1, poolKey, 0, k);
            System.arraycopy(poolDb, 1, poolDb, 0, k);
        }
        poolIdle[k] = idle;
        poolKey[k] = e.key;
        poolDb[k] = db;
    }

    private void poolRemove(int k) {
        poolKey[k] = null;
        poolIdle[k] = 0;
    }

    /** FLUSHALL and database swaps leave stale keys in the pool; they are skipped as ghosts anyway. */
    void clearPool() {
        java.util.Arrays.fill(poolKey, null);
    }
}
