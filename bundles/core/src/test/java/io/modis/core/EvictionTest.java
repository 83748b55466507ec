package io.modis.core;

import io.modis.api.Bytes;
import io.modis.api.Command;
import io.modis.api.CommandSpec;
import io.modis.api.KeySpec;
import io.modis.api.StringValue;
import io.modis.core.TestServer.Err;
import io.modis.core.TestServer.TestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.modis.api.CommandFlag.DENYOOM;
import static io.modis.api.CommandFlag.WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EvictionTest {
    private TestServer ts;
    private TestClient c;

    /** "tset key value [EX seconds]": a deny-oom write like SET, so the test needs no type bundle. */
    static Command tset() {
        return new Command(CommandSpec.of("tset", -3).flags(WRITE, DENYOOM).keys(1, 1, 1)
                .keySpec(KeySpec.range(1, 0, 1, "OW", "UPDATE")).group("string").build(), ctx -> {
                    var db = ctx.db();
                    db.set(ctx.arg(1), StringValue.of(ctx.arg(2)));
                    if (ctx.argc() == 5) {
                        db.setExpireAt(ctx.arg(1), System.currentTimeMillis() + ctx.argLong(4) * 1000);
                    }
                    ctx.touched(db, ctx.arg(1));
                    ctx.dirty(1);
                    ctx.reply().ok();
                });
    }

    @BeforeEach
    void setUp() {
        ts = new TestServer();
        ts.addServerCommands();
        ts.addCommands(List.of(tset()));
        c = ts.client();
    }

    @AfterEach
    void tearDown() {
        ts.close();
    }

    private long used() {
        return ts.onEngine(() -> ts.server.eviction.usedMemory());
    }

    private long dataset() {
        return ts.onEngine(() -> ts.server.eviction.datasetMemory());
    }

    @Test
    void accountingFollowsSetsChangesTtlsAndDeletes() {
        assertEquals(0L, dataset());
        c.call("tset", "key", "v");
        long one = dataset();
        assertTrue(one > 0);
        c.call("tset", "key", "v".repeat(1000));
        assertTrue(dataset() >= one + 900, "a larger value costs more");
        c.call("tset", "key", "v");
        assertEquals(one, dataset());
        c.call("expire", "key", "100");
        assertEquals(one + Eviction.TTL_OVERHEAD, dataset());
        c.call("persist", "key");
        assertEquals(one, dataset());
        c.call("del", "key");
        assertEquals(0L, dataset());
        c.call("tset", "a", "1");
        c.call("flushall");
        assertEquals(0L, dataset());
    }

    @Test
    void noevictionRefusesDenyOomCommandsWordForWord() {
        c.call("tset", "a", "x".repeat(100));
        c.call("config", "set", "maxmemory", "1");
        assertEquals(new Err("OOM command not allowed when used memory > 'maxmemory'."), c.call("tset", "b", "x"));
        assertEquals(1L, c.call("dbsize"), "commands that are not deny-oom run");
        assertEquals(1L, c.call("del", "a"));
        c.call("multi");
        assertEquals(new Err("OOM command not allowed when used memory > 'maxmemory'."), c.call("dbsize"));
        assertEquals(new Err("EXECABORT Transaction discarded because of previous errors."), c.call("exec"));
    }

    @Test
    void anExecHoldingADenyOomCommandIsAbortedWithTheReason() {
        c.call("tset", "a", "x".repeat(100));
        c.call("multi");
        assertEquals(new TestServer.Status("QUEUED"), c.call("tset", "b", "x"));
        TestClient other = ts.client();
        other.call("config", "set", "maxmemory", "1");
        assertEquals(new Err("EXECABORT Transaction discarded because of: OOM command not allowed when used memory > "
                + "'maxmemory'."), c.call("exec"));
        other.call("config", "set", "maxmemory", "0");
        assertEquals(new Err("ERR EXEC without MULTI"), c.call("exec"), "the transaction is gone");
        assertEquals(1L, c.call("dbsize"));
    }

    @Test
    void allkeysLruEvictsTheLeastRecentlyUsedAndCounts() {
        c.call("config", "set", "maxmemory-policy", "allkeys-lru");
        for (int i = 0; i < 200; i++) {
            c.call("tset", "k" + i, "x".repeat(100));
        }
        long limit = used() - 50 * 150;
        c.call("config", "set", "maxmemory", Long.toString(limit));
        c.call("dbsize");
        assertTrue(used() <= limit, "eviction brought used memory under maxmemory");
        long evicted = 200 - (Long) c.call("dbsize");
        assertTrue(evicted > 0);
        String info = (String) c.call("info", "stats");
        assertTrue(info.contains("evicted_keys:" + evicted + "\r\n"), info);
        List<String> events = ts.takeEvents();
        assertTrue(events.stream().anyMatch(e -> e.startsWith("e:evicted:k")), events.toString());
        assertTrue(ts.takePropagated().stream().anyMatch(p -> p.contains("DEL k")));
    }

    @Test
    void volatilePoliciesEvictOnlyKeysWithATtl() {
        for (String policy : List.of("volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl")) {
            c.call("flushall");
            c.call("config", "set", "maxmemory", "0");
            c.call("config", "set", "maxmemory-policy", policy);
            for (int i = 0; i < 100; i++) {
                c.call("tset", "p" + i, "x".repeat(100));
                c.call("tset", "v" + i, "x".repeat(100), "EX", Integer.toString(1000 + i));
            }
            long limit = used() - 30 * 200;
            c.call("config", "set", "maxmemory", Long.toString(limit));
            c.call("dbsize");
            assertTrue(used() <= limit, policy);
            for (int i = 0; i < 100; i++) {
                assertEquals(1L, c.call("exists", "p" + i), policy + " kept the key without TTL");
            }
        }
    }

    @Test
    void volatileTtlEvictsTheSoonestToExpireFirst() {
        c.call("config", "set", "maxmemory-policy", "volatile-ttl");
        c.call("config", "set", "maxmemory-samples", "64");
        for (int i = 0; i < 20; i++) {
            c.call("tset", "v" + i, "x".repeat(100), "EX", Integer.toString(1000 + i * 100));
        }
        long limit = used() - 100;
        c.call("config", "set", "maxmemory", Long.toString(limit));
        c.call("dbsize");
        assertEquals(0L, c.call("exists", "v0"));
        assertEquals(1L, c.call("exists", "v19"));
    }

    @Test
    void lfuCountersGrowWithAccessAndObjectFreqReadsThem() {
        c.call("config", "set", "maxmemory-policy", "allkeys-lfu");
        c.call("tset", "hot", "x");
        assertEquals(5L, c.call("object", "freq", "hot"));
        ts.onEngine(() -> {
            for (int i = 0; i < 1000; i++) {
                ts.server.db(0).get(Bytes.of("hot"));
            }
        });
        assertTrue((Long) c.call("object", "freq", "hot") > 5L);
        Object idle = c.call("object", "idletime", "hot");
        assertTrue(idle instanceof Err e && e.message().startsWith("ERR An LFU maxmemory policy is selected"));
    }
}
