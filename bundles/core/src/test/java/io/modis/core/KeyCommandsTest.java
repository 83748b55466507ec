package io.modis.core;

import io.modis.api.BlockedCommand;
import io.modis.api.Bytes;
import io.modis.api.Command;
import io.modis.api.CommandContext;
import io.modis.api.CommandSpec;
import io.modis.api.DataType;
import io.modis.api.Digest;
import io.modis.api.KeySpec;
import io.modis.api.StringValue;
import io.modis.api.Value;
import io.modis.core.TestServer.Err;
import io.modis.core.TestServer.Status;
import io.modis.core.TestServer.TestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static io.modis.core.TestServer.OK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeyCommandsTest {
    private TestServer t;
    private TestClient c;

    @BeforeEach
    void start() {
        t = new TestServer();
        c = t.client();
    }

    @AfterEach
    void stop() {
        t.close();
    }

    // ---- helpers ----

    private void set(String key, String value) {
        set(0, key, value);
    }

    /** Stores a key as a setup step: its "new" keyspace event is not part of what a test checks. */
    private void set(int db, String key, String value) {
        t.onEngine(() -> t.server.db(db).set(Bytes.of(key), StringValue.of(Bytes.of(value))));
        t.takeEvents();
    }

    private void setList(String key, String... items) {
        t.onEngine(() -> t.server.db(0).set(Bytes.of(key), new TestList(new ArrayList<>(List.of(items)))));
    }

    /** The string at key in db, read without going through a command. */
    private String get(int db, String key) {
        return t.onEngine(() -> {
            Value v = t.server.db(db).peek(Bytes.of(key));
            return v == null ? null : v.toString();
        });
    }

    private long expireAt(int db, String key) {
        return t.onEngine(() -> t.server.db(db).expireAt(Bytes.of(key)));
    }

    /** Gives key an expiry in the past without deleting it, as if it had just lapsed. */
    private void lapse(String key) {
        t.onEngine(() -> t.server.db(0).setExpireAt(Bytes.of(key), System.currentTimeMillis() - 1000));
    }

    private static Err err(String message) {
        return new Err(message);
    }

    private static long now() {
        return System.currentTimeMillis();
    }

    /** A stand-in collection type, to check TYPE, deep copies and WRONGTYPE-free generic commands. */
    static final class TestList implements Value {
        static final DataType TYPE = new DataType() {
            @Override
            public String name() {
                return "list";
            }

            @Override
            public int rdbType() {
                return 18;
            }

            @Override
            public byte[] serialize(Value value) {
                return Bytes.EMPTY;
            }

            @Override
            public Value restore(byte[] payload, int encodingVersion) {
                return new TestList(new ArrayList<>());
            }
        };

        final List<String> items;

        TestList(List<String> items) {
            this.items = items;
        }

        @Override
        public DataType type() {
            return TYPE;
        }

        @Override
        public String encoding() {
            return "listpack";
        }

        @Override
        public long memoryUsage() {
            return 16L * items.size();
        }

        @Override
        public Value copy() {
            return new TestList(new ArrayList<>(items));
        }

        @Override
        public void digest(Digest d) {
        }

        @Override
        public String toString() {
            return items.toString();
        }
    }

    // ---- DEL UNLINK EXISTS TYPE TOUCH ----

    @Nested
    class DelAndExists {
        @Test
        void delCountsKeysThatExisted() {
            set("a", "1");
            set("b", "2");
            assertEquals(2L, c.call("DEL", "a", "b", "nokey", "a"));
            assertNull(get(0, "a"));
            assertEquals(List.of("0: DEL a b nokey a"), t.takePropagated());
            assertEquals(List.of("g:del:a@0", "g:del:b@0"), t.takeEvents());
        }

        @Test
        void delOfNothingChangesNothing() {
            assertEquals(0L, c.call("del", "x"));
            assertEquals(List.of(), t.takePropagated());
            assertEquals(err("ERR wrong number of arguments for 'del' command"), c.call("del"));
        }

        @Test
        void delDoesNotCountAKeyThatHadExpired() {
            set("a", "1");
            lapse("a");
            assertEquals(0L, c.call("DEL", "a"));
            assertEquals(List.of("0: DEL a"), t.takePropagated());
            assertEquals(List.of("x:expired:a@0"), t.takeEvents());
        }

        @Test
        void unlinkIsDel() {
            set("a", "1");
            assertEquals(1L, c.call("UNLINK", "a", "b"));
            assertNull(get(0, "a"));
        }

        @Test
        void existsCountsRepeatsAndIgnoresExpiredKeys() {
            set("a", "1");
            set("gone", "1");
            lapse("gone");
            assertEquals(3L, c.call("EXISTS", "a", "a", "b", "a", "gone"));
        }

        @Test
        void existsCountsHitsAndMissesWithoutTouching() {
            set("a", "1");
            t.onEngine(() -> t.server.db(0).rawEntry(Bytes.of("a")).lru = 5);
            long hits = t.onEngine(() -> t.server.stats.keyspaceHits);
            long misses = t.onEngine(() -> t.server.stats.keyspaceMisses);
            c.call("EXISTS", "a", "b");
            assertEquals(hits + 1, (long) t.onEngine(() -> t.server.stats.keyspaceHits));
            assertEquals(misses + 1, (long) t.onEngine(() -> t.server.stats.keyspaceMisses));
            assertEquals(5, (int) t.onEngine(() -> t.server.db(0).rawEntry(Bytes.of("a")).lru));
        }

        @Test
        void typeNamesTheValueType() {
            set("s", "v");
            setList("l", "x");
            assertEquals(new Status("string"), c.call("TYPE", "s"));
            assertEquals(new Status("list"), c.call("type", "l"));
            assertEquals(new Status("none"), c.call("TYPE", "missing"));
        }

        @Test
        void touchCountsExistingKeysAndRefreshesAccessTime() {
            set("a", "1");
            set("b", "1");
            t.onEngine(() -> t.server.db(0).rawEntry(Bytes.of("a")).lru = 5);
            assertEquals(2L, c.call("TOUCH", "a", "b", "c"));
            assertNotEquals(5, (int) t.onEngine(() -> t.server.db(0).rawEntry(Bytes.of("a")).lru));
        }
    }

    // ---- RENAME RENAMENX ----

    @Nested
    class Rename {
        @Test
        void renameMovesTheValue() {
            set("a", "hello");
            assertEquals(OK, c.call("RENAME", "a", "b"));
            assertNull(get(0, "a"));
            assertEquals("hello", get(0, "b"));
            assertEquals(List.of("0: RENAME a b"), t.takePropagated());
            assertEquals(List.of("n:new:b@0", "g:rename_from:a@0", "g:rename_to:b@0"), t.takeEvents());
        }

        @Test
        void renameOfAMissingKeyFails() {
            assertEquals(err("ERR no such key"), c.call("RENAME", "a", "b"));
            assertEquals(err("ERR no such key"), c.call("RENAME", "a", "a"));
            assertEquals(err("ERR no such key"), c.call("RENAMENX", "a", "b"));
        }

        @Test
        void renameToItselfDoesNothing() {
            set("a", "1");
            assertEquals(OK, c.call("RENAME", "a", "a"));
            assertEquals(0L, c.call("RENAMENX", "a", "a"));
            assertEquals("1", get(0, "a"));
            assertEquals(List.of(), t.takePropagated());
        }

        @Test
        void renameReplacesTheDestinationAndItsTtl() {
            set("a", "new");
            set("b", "old");
            c.call("PEXPIREAT", "b", String.valueOf(now() + 100_000));
            assertEquals(OK, c.call("RENAME", "a", "b"));
            assertEquals("new", get(0, "b"));
            assertEquals(-1L, c.call("TTL", "b"));
        }

        @Test
        void renameKeepsTheSourceTtl() {
            set("a", "v");
            long at = now() + 100_000;
            c.call("PEXPIREAT", "a", String.valueOf(at));
            c.call("RENAME", "a", "b");
            assertEquals(at, expireAt(0, "b"));
            assertEquals(at, c.call("PEXPIRETIME", "b"));
            assertEquals(1L, t.onEngine(() -> t.server.db(0).expiresSize()));
        }

        @Test
        void renamenxOnlyWhenTheNameIsFree() {
            set("a", "1");
            set("b", "2");
            assertEquals(0L, c.call("RENAMENX", "a", "b"));
            assertEquals("1", get(0, "a"));
            assertEquals(1L, c.call("RENAMENX", "a", "c"));
            assertEquals("1", get(0, "c"));
        }

        @Test
        void renameInvalidatesWatchesOnBothKeys() {
            set("a", "1");
            TestClient other = t.client();
            other.call("WATCH", "b");
            other.call("MULTI");
            other.call("PING");
            c.call("RENAME", "a", "b");
            assertNull(other.call("EXEC"));
        }
    }

    // ---- MOVE ----

    @Nested
    class Move {
        @Test
        void moveToAnotherDatabaseKeepsTheTtl() {
            set("k", "v");
            long at = now() + 100_000;
            c.call("PEXPIREAT", "k", String.valueOf(at));
            t.takePropagated();
            t.takeEvents();
            assertEquals(1L, c.call("MOVE", "k", "1"));
            assertNull(get(0, "k"));
            assertEquals("v", get(1, "k"));
            assertEquals(at, expireAt(1, "k"));
            assertEquals(0L, t.onEngine(() -> t.server.db(0).expiresSize()));
            assertEquals(List.of("0: MOVE k 1"), t.takePropagated());
            assertEquals(List.of("n:new:k@1", "g:move_from:k@0", "g:move_to:k@1"), t.takeEvents());
        }

        @Test
        void moveAnswersZeroWhenMissingOrTaken() {
            assertEquals(0L, c.call("MOVE", "k", "1"));
            set("k", "here");
            set(1, "k", "there");
            assertEquals(0L, c.call("MOVE", "k", "1"));
            assertEquals("here", get(0, "k"));
            assertEquals("there", get(1, "k"));
        }

        @Test
        void moveErrors() {
            set("k", "v");
            assertEquals(err("ERR source and destination objects are the same"), c.call("MOVE", "k", "0"));
            assertEquals(err("ERR DB index is out of range"), c.call("MOVE", "k", "16"));
            assertEquals(err("ERR DB index is out of range"), c.call("MOVE", "k", "-1"));
            assertEquals(err("ERR value is not an integer or out of range"), c.call("MOVE", "k", "x"));
            assertEquals(err("ERR value is not an integer or out of range"), c.call("MOVE", "k", "4294967296"));
            assertEquals("v", get(0, "k"));
        }

        @Test
        void moveAndCopyAcrossDatabasesAreRefusedInClusterMode() {
            t.close();
            t = new TestServer(Map.of("cluster-enabled", "yes"));
            c = t.client();
            set("k", "v");
            assertEquals(err("ERR MOVE is not allowed in cluster mode"), c.call("MOVE", "k", "1"));
            assertEquals(err("ERR Copying to another database is not allowed in cluster mode"),
                    c.call("COPY", "k", "k2", "DB", "1"));
            assertEquals(1L, c.call("COPY", "k", "k2", "DB", "0"));
        }

        @Test
        void moveFromTheSelectedDatabase() {
            set(2, "k", "v");
            assertEquals(OK, c.call("SELECT", "2"));
            assertEquals(1L, c.call("MOVE", "k", "0"));
            assertEquals("v", get(0, "k"));
        }
    }

    // ---- COPY ----

    @Nested
    class Copy {
        @Test
        void copyDuplicatesTheValue() {
            set("a", "v");
            assertEquals(1L, c.call("COPY", "a", "b"));
            assertEquals("v", get(0, "a"));
            assertEquals("v", get(0, "b"));
            assertEquals(List.of("n:new:b@0", "g:copy_to:b@0"), t.takeEvents());
            assertEquals(List.of("0: COPY a b"), t.takePropagated());
        }

        @Test
        void copyIsDeep() {
            setList("l", "x", "y");
            assertEquals(1L, c.call("COPY", "l", "m"));
            t.onEngine(() -> ((TestList) t.server.db(0).peek(Bytes.of("l"))).items.add("z"));
            assertEquals("[x, y]", get(0, "m"));
            assertEquals(new Status("list"), c.call("TYPE", "m"));
        }

        @Test
        void copyKeepsTheTtl() {
            set("a", "v");
            long at = now() + 100_000;
            c.call("PEXPIREAT", "a", String.valueOf(at));
            c.call("COPY", "a", "b", "DB", "3");
            assertEquals(at, expireAt(3, "b"));
            assertEquals(at, expireAt(0, "a"));
        }

        @Test
        void copyReplacesOnlyWhenAsked() {
            set("a", "new");
            set("b", "old");
            assertEquals(0L, c.call("COPY", "a", "b"));
            assertEquals("old", get(0, "b"));
            assertEquals(1L, c.call("COPY", "a", "b", "replace"));
            assertEquals("new", get(0, "b"));
        }

        @Test
        void copyOfAMissingKeyAnswersZero() {
            assertEquals(0L, c.call("COPY", "a", "b"));
        }

        @Test
        void copyErrors() {
            set("a", "v");
            assertEquals(err("ERR source and destination objects are the same"), c.call("COPY", "a", "a"));
            assertEquals(err("ERR source and destination objects are the same"), c.call("COPY", "a", "a", "DB", "0"));
            assertEquals(1L, c.call("COPY", "a", "a", "DB", "1"));
            assertEquals(err("ERR syntax error"), c.call("COPY", "a", "b", "DB"));
            assertEquals(err("ERR syntax error"), c.call("COPY", "a", "b", "foo"));
            assertEquals(err("ERR DB index is out of range"), c.call("COPY", "a", "b", "DB", "99"));
            assertEquals(err("ERR value is not an integer or out of range"), c.call("COPY", "a", "b", "DB", "x"));
            assertEquals(err("ERR wrong number of arguments for 'copy' command"), c.call("COPY", "a"));
        }
    }

    // ---- blocked clients wake on keys that RENAME / MOVE / COPY create ----

    /** WAITKEY key: blocks until key exists, then answers its type. */
    private static Command waitKeyCommand() {
        return new Command(CommandSpec.of("waitkey", 2).flags(io.modis.api.CommandFlag.BLOCKING)
                .keys(1, 1, 1).keySpec(KeySpec.range(1, 0, 1, "RO")).build(), ctx -> {
                    byte[][] argv = ctx.args();
                    ctx.block(List.of(ctx.arg(1)), 0, new BlockedCommand() {
                        @Override
                        public boolean serve(CommandContext sctx) {
                            Value v = sctx.db().get(argv[1]);
                            if (v == null) {
                                return false;
                            }
                            sctx.reply().simple(v.type().name());
                            return true;
                        }
                    });
                });
    }

    @Test
    void keysCreatedByRenameMoveAndCopyWakeBlockedClients() {
        t.addCommands(List.of(waitKeyCommand()));
        TestClient waiter = t.client();
        assertNull(waiter.call("WAITKEY", "dst"));
        set("src", "v");
        c.call("RENAME", "src", "dst");
        assertEquals(new Status("string"), waiter.pending());

        assertNull(waiter.call("WAITKEY", "copy"));
        c.call("COPY", "dst", "copy");
        assertEquals(new Status("string"), waiter.pending());

        waiter.call("SELECT", "1");
        assertNull(waiter.call("WAITKEY", "dst"));
        c.call("MOVE", "dst", "1");
        assertEquals(new Status("string"), waiter.pending());
    }

    // ---- RANDOMKEY KEYS SCAN ----

    @Nested
    class Iteration {
        @Test
        void randomkey() {
            assertNull(c.call("RANDOMKEY"));
            set("only", "1");
            assertEquals("only", c.call("RANDOMKEY"));
        }

        @Test
        @SuppressWarnings("unchecked")
        void keysMatchesAGlobAndSkipsExpiredKeys() {
            for (String k : List.of("foo", "foobar", "bar", "f[o]o", "gone")) {
                set(k, "1");
            }
            lapse("gone");
            assertEquals(Set.of("foo", "foobar", "bar", "f[o]o"), new HashSet<>((List<Object>) c.call("KEYS", "*")));
            assertEquals(Set.of("foo", "foobar"), new HashSet<>((List<Object>) c.call("KEYS", "foo*")));
            assertEquals(Set.of("f[o]o"), new HashSet<>((List<Object>) c.call("KEYS", "f\\[o\\]o")));
            assertEquals(Set.of("foo", "bar"), new HashSet<>((List<Object>) c.call("KEYS", "???")));
            assertEquals(List.of(), c.call("KEYS", "g*"));
            // KEYS does not delete what it skips
            assertTrue(t.onEngine(() -> t.server.db(0).rawEntry(Bytes.of("gone")) != null));
        }

        @Test
        void keysGivesUpEarlyOnPatternsThatCannotMatch() {
            set("a".repeat(40), "1");
            assertEquals(List.of(), c.call("KEYS", "a*".repeat(20) + "b"));
        }

        /** Runs a whole SCAN with extra arguments; returns the keys in the order returned. */
        @SuppressWarnings("unchecked")
        private List<String> scanAll(String... options) {
            List<String> keys = new ArrayList<>();
            String cursor = "0";
            int calls = 0;
            do {
                String[] argv = new String[2 + options.length];
                argv[0] = "SCAN";
                argv[1] = cursor;
                System.arraycopy(options, 0, argv, 2, options.length);
                List<Object> r = (List<Object>) c.call(argv);
                cursor = (String) r.get(0);
                for (Object k : (List<Object>) r.get(1)) {
                    keys.add((String) k);
                }
                assertTrue(++calls < 10_000);
            } while (!cursor.equals("0"));
            return keys;
        }

        @Test
        void scanVisitsEveryKey() {
            Set<String> all = new TreeSet<>();
            for (int i = 0; i < 1000; i++) {
                set("key:" + i, String.valueOf(i));
                all.add("key:" + i);
            }
            assertEquals(all, new TreeSet<>(scanAll()));
            assertEquals(all, new TreeSet<>(scanAll("COUNT", "100")));
            assertEquals(all, new TreeSet<>(scanAll("count", "1")));
        }

        @Test
        void scanFilters() {
            for (int i = 0; i < 100; i++) {
                set("s:" + i, "v");
                setList("l:" + i, "v");
            }
            set("s:gone", "v");
            lapse("s:gone");
            assertEquals(100, new HashSet<>(scanAll("MATCH", "s:*")).size());
            assertEquals(100, new HashSet<>(scanAll("TYPE", "list")).size());
            assertEquals(100, new HashSet<>(scanAll("type", "STRING")).size());
            assertEquals(Set.of("s:7", "s:70", "s:71", "s:72", "s:73", "s:74", "s:75", "s:76", "s:77", "s:78", "s:79"),
                    new HashSet<>(scanAll("MATCH", "s:7*", "TYPE", "string", "COUNT", "10")));
            assertEquals(List.of(), scanAll("MATCH", "l:*", "TYPE", "string"));
            assertEquals(List.of(), scanAll("TYPE", "none"));
        }

        @Test
        void scanOfAnEmptyDatabase() {
            assertEquals(List.of("0", List.of()), c.call("SCAN", "0"));
        }

        @Test
        void scanErrors() {
            assertEquals(err("ERR syntax error"), c.call("SCAN", "0", "COUNT", "0"));
            assertEquals(err("ERR syntax error"), c.call("SCAN", "0", "COUNT", "-1"));
            assertEquals(err("ERR value is not an integer or out of range"), c.call("SCAN", "0", "COUNT", "x"));
            assertEquals(err("ERR syntax error"), c.call("SCAN", "0", "MATCH"));
            assertEquals(err("ERR syntax error"), c.call("SCAN", "0", "FOO", "bar"));
            for (String bad : List.of("x", " 1", "1 ", "-", "+", "0x10", "18446744073709551616", "1.5")) {
                assertEquals(err("ERR invalid cursor"), c.call("SCAN", bad), bad);
            }
        }

        @Test
        void scanCursorReadsLikeStrtoul() {
            assertEquals(0L, KeyCommands.parseCursor(Bytes.of("")));
            assertEquals(0L, KeyCommands.parseCursor(Bytes.of("0")));
            assertEquals(42L, KeyCommands.parseCursor(Bytes.of("+42")));
            assertEquals(42L, KeyCommands.parseCursor(Bytes.of("0042")));
            assertEquals(-1L, KeyCommands.parseCursor(Bytes.of("18446744073709551615")));
            assertEquals(-1L, KeyCommands.parseCursor(Bytes.of("-1")));
            assertEquals(List.of("0", List.of()), c.call("SCAN", "18446744073709551615"));
        }
    }

    // ---- EXPIRE family ----

    @Nested
    class Expire {
        @Test
        void expireSetsATtlAndPropagatesAbsoluteMillis() {
            set("k", "v");
            long before = now();
            assertEquals(1L, c.call("EXPIRE", "k", "100"));
            long after = now();
            long at = expireAt(0, "k");
            assertTrue(at >= before + 100_000 && at <= after + 100_000);
            assertEquals(List.of("0: PEXPIREAT k " + at), t.takePropagated());
            assertEquals(List.of("g:expire:k@0"), t.takeEvents());
            long ttl = (Long) c.call("TTL", "k");
            assertTrue(ttl == 100 || ttl == 99, "ttl " + ttl);
            long pttl = (Long) c.call("PTTL", "k");
            assertTrue(pttl > 99_000 && pttl <= 100_000, "pttl " + pttl);
        }

        @Test
        void eachFormComputesTheSameAbsoluteTime() {
            set("k", "v");
            long atSec = now() / 1000 + 500;
            assertEquals(1L, c.call("EXPIREAT", "k", String.valueOf(atSec)));
            assertEquals(atSec * 1000, expireAt(0, "k"));
            assertEquals(atSec, c.call("EXPIRETIME", "k"));
            assertEquals(atSec * 1000, c.call("PEXPIRETIME", "k"));
            assertEquals(1L, c.call("PEXPIRE", "k", "200000"));
            long at = expireAt(0, "k");
            assertTrue(Math.abs(at - (now() + 200_000)) < 5_000);
            assertEquals(1L, c.call("PEXPIREAT", "k", "99999999999999", "XX"));
            List<String> p = t.takePropagated();
            assertEquals("0: PEXPIREAT k " + atSec * 1000, p.get(0));
            assertEquals("0: PEXPIREAT k " + at, p.get(1));
            assertEquals("0: PEXPIREAT k 99999999999999 XX", p.get(2));
        }

        @Test
        void aTimeInThePastDeletesTheKey() {
            set("a", "v");
            set("b", "v");
            set("c", "v");
            assertEquals(1L, c.call("EXPIRE", "a", "-10"));
            assertEquals(1L, c.call("PEXPIREAT", "b", "1"));
            assertEquals(1L, c.call("EXPIREAT", "c", "0"));
            assertNull(get(0, "a"));
            assertNull(get(0, "b"));
            assertNull(get(0, "c"));
            assertEquals(List.of("0: DEL a", "0: DEL b", "0: DEL c"), t.takePropagated());
            assertEquals(List.of("g:del:a@0", "g:del:b@0", "g:del:c@0"), t.takeEvents());
        }

        @Test
        void aPastTimeIsPropagatedAsUnlinkWithLazyExpire() {
            t.config("lazyfree-lazy-expire", "yes");
            set("a", "v");
            assertEquals(1L, c.call("PEXPIRE", "a", "0"));
            assertEquals(List.of("0: UNLINK a"), t.takePropagated());
        }

        @Test
        void missingKeyAnswersZero() {
            assertEquals(0L, c.call("EXPIRE", "k", "100"));
            assertEquals(0L, c.call("EXPIRE", "k", "-100"));
            assertEquals(List.of(), t.takePropagated());
        }

        @Test
        void conditions() {
            set("k", "v");
            assertEquals(0L, c.call("EXPIRE", "k", "100", "XX"));
            assertEquals(0L, c.call("EXPIRE", "k", "100", "GT"));
            assertEquals(1L, c.call("EXPIRE", "k", "100", "LT"));
            assertEquals(0L, c.call("EXPIRE", "k", "200", "NX"));
            assertEquals(0L, c.call("EXPIRE", "k", "200", "LT"));
            assertEquals(1L, c.call("EXPIRE", "k", "200", "gt"));
            assertEquals(0L, c.call("EXPIRE", "k", "199", "GT"));
            assertEquals(1L, c.call("EXPIRE", "k", "50", "xx", "lt"));
            assertEquals(1L, c.call("PERSIST", "k"));
            assertEquals(1L, c.call("EXPIRE", "k", "100", "NX"));
            long ttl = (Long) c.call("TTL", "k");
            assertTrue(ttl == 100 || ttl == 99);
        }

        @Test
        void optionErrors() {
            set("k", "v");
            String nxErr = "ERR NX and XX, GT or LT options at the same time are not compatible";
            assertEquals(err(nxErr), c.call("EXPIRE", "k", "100", "NX", "XX"));
            assertEquals(err(nxErr), c.call("EXPIRE", "k", "100", "NX", "GT"));
            assertEquals(err(nxErr), c.call("EXPIRE", "k", "100", "LT", "NX"));
            assertEquals(err("ERR GT and LT options at the same time are not compatible"),
                    c.call("EXPIRE", "k", "100", "GT", "LT"));
            assertEquals(err("ERR Unsupported option foo"), c.call("EXPIRE", "k", "100", "foo"));
            // options are checked before the time
            assertEquals(err("ERR Unsupported option Foo"), c.call("EXPIRE", "k", "x", "Foo"));
            assertEquals(err("ERR value is not an integer or out of range"), c.call("EXPIRE", "k", "1.5"));
            assertEquals(err("ERR wrong number of arguments for 'expire' command"), c.call("EXPIRE", "k"));
            assertEquals(-1L, c.call("TTL", "k"));
        }

        @Test
        void overflowIsAnInvalidExpireTime() {
            set("k", "v");
            assertEquals(err("ERR invalid expire time in 'expire' command"),
                    c.call("EXPIRE", "k", "9223372036854775807"));
            assertEquals(err("ERR invalid expire time in 'expire' command"),
                    c.call("EXPIRE", "k", "-9223372036854775807"));
            assertEquals(err("ERR invalid expire time in 'pexpire' command"),
                    c.call("PEXPIRE", "k", "9223372036854775807"));
            assertEquals(err("ERR invalid expire time in 'expireat' command"),
                    c.call("EXPIREAT", "k", "9223372036854776"));
            assertEquals(1L, c.call("PEXPIREAT", "k", "9223372036854775807"));
            assertEquals(9223372036854775807L, c.call("PEXPIRETIME", "k"));
        }

        @Test
        void ttlFamilyOnMissingAndPersistentKeys() {
            for (String cmd : List.of("TTL", "PTTL", "EXPIRETIME", "PEXPIRETIME")) {
                assertEquals(-2L, c.call(cmd, "missing"), cmd);
            }
            set("k", "v");
            for (String cmd : List.of("TTL", "PTTL", "EXPIRETIME", "PEXPIRETIME")) {
                assertEquals(-1L, c.call(cmd, "k"), cmd);
            }
            lapse("k");
            assertEquals(-2L, c.call("TTL", "k"));
        }

        @Test
        void ttlRoundsToTheNearestSecond() {
            set("k", "v");
            c.call("PEXPIRE", "k", "1400");
            assertEquals(1L, c.call("TTL", "k"));
            c.call("PEXPIRE", "k", "2900");
            long ttl = (Long) c.call("TTL", "k");
            assertTrue(ttl == 3 || ttl == 2);
        }

        @Test
        void persistRemovesTheTtl() {
            set("k", "v");
            assertEquals(0L, c.call("PERSIST", "k"));
            assertEquals(0L, c.call("PERSIST", "missing"));
            c.call("EXPIRE", "k", "100");
            t.takePropagated();
            t.takeEvents();
            assertEquals(1L, c.call("PERSIST", "k"));
            assertEquals(-1L, c.call("TTL", "k"));
            assertEquals(0L, t.onEngine(() -> t.server.db(0).expiresSize()));
            assertEquals(List.of("0: PERSIST k"), t.takePropagated());
            assertEquals(List.of("g:persist:k@0"), t.takeEvents());
        }

        @Test
        void expireInvalidatesWatches() {
            set("k", "v");
            TestClient other = t.client();
            other.call("WATCH", "k");
            other.call("MULTI");
            other.call("PING");
            c.call("EXPIRE", "k", "100");
            assertNull(other.call("EXEC"));
        }

        @Test
        void aFailedConditionLeavesWatchesAlone() {
            set("k", "v");
            TestClient other = t.client();
            other.call("WATCH", "k");
            other.call("MULTI");
            other.call("PING");
            c.call("EXPIRE", "k", "100", "XX");
            assertEquals(List.of(new Status("PONG")), other.call("EXEC"));
        }
    }

    // ---- OBJECT ----

    @Nested
    class ObjectCommand {
        @Test
        void encoding() {
            set("int", "12345");
            set("emb", "hello");
            set("raw", "x".repeat(45));
            setList("l", "a");
            assertEquals("int", c.call("OBJECT", "ENCODING", "int"));
            assertEquals("embstr", c.call("object", "encoding", "emb"));
            assertEquals("raw", c.call("OBJECT", "ENCODING", "raw"));
            assertEquals("listpack", c.call("OBJECT", "ENCODING", "l"));
            assertNull(c.call("OBJECT", "ENCODING", "missing"));
        }

        @Test
        void refcountOfSharedIntegers() {
            set("small", "9999");
            set("big", "10000");
            set("neg", "-1");
            set("str", "abc");
            assertEquals(2147483647L, c.call("OBJECT", "REFCOUNT", "small"));
            assertEquals(1L, c.call("OBJECT", "REFCOUNT", "big"));
            assertEquals(1L, c.call("OBJECT", "REFCOUNT", "neg"));
            assertEquals(1L, c.call("OBJECT", "REFCOUNT", "str"));
            assertNull(c.call("OBJECT", "REFCOUNT", "missing"));
            t.config("maxmemory", "1073741824");
            t.config("maxmemory-policy", "allkeys-random");
            assertEquals(2147483647L, c.call("OBJECT", "REFCOUNT", "small"));
            t.config("maxmemory-policy", "volatile-lru");
            assertEquals(1L, c.call("OBJECT", "REFCOUNT", "small"));
        }

        /** The clock counts whole seconds: a second may tick between two commands. */
        private void assertIdle(long seconds) {
            long idle = (Long) c.call("OBJECT", "IDLETIME", "k");
            assertTrue(idle == seconds || idle == seconds + 1, "idle " + idle + ", expected " + seconds);
        }

        @Test
        void idletimeCountsSecondsSinceTheLastAccess() {
            set("k", "v");
            assertIdle(0);
            t.onEngine(() -> t.server.db(0).rawEntry(Bytes.of("k")).lru = t.server.lruClock() - 30);
            assertIdle(30);
            c.call("TYPE", "k");
            c.call("EXISTS", "k");
            c.call("TTL", "k");
            assertIdle(30);
            c.call("TOUCH", "k");
            assertIdle(0);
            assertNull(c.call("OBJECT", "IDLETIME", "missing"));
        }

        @Test
        void freqNeedsAnLfuPolicyAndIdletimeAnLruOne() {
            set("k", "v");
            assertEquals(err("ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note "
                    + "that when switching between policies at runtime LRU and LFU data will take some time to adjust."),
                    c.call("OBJECT", "FREQ", "k"));
            t.config("maxmemory-policy", "allkeys-lfu");
            assertEquals(err("ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when "
                    + "switching between policies at runtime LRU and LFU data will take some time to adjust."),
                    c.call("OBJECT", "IDLETIME", "k"));
            int minutes = (int) ((System.currentTimeMillis() / 60_000) & 0xFFFF);
            t.onEngine(() -> t.server.db(0).rawEntry(Bytes.of("k")).lru = (minutes << 8) | 100);
            assertEquals(100L, c.call("OBJECT", "FREQ", "k"));
            t.onEngine(() -> t.server.db(0).rawEntry(Bytes.of("k")).lru = (((minutes - 3) & 0xFFFF) << 8) | 100);
            assertEquals(97L, c.call("OBJECT", "FREQ", "k"));
            assertNull(c.call("OBJECT", "FREQ", "missing"));
        }

        @Test
        @SuppressWarnings("unchecked")
        void help() {
            List<Object> lines = (List<Object>) c.call("OBJECT", "HELP");
            assertEquals(new Status("OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:"), lines.get(0));
            assertEquals(new Status("ENCODING <key>"), lines.get(1));
            assertEquals(new Status("    Print this help."), lines.get(lines.size() - 1));
            assertEquals(11, lines.size());
        }

        @Test
        void errors() {
            assertEquals(err("ERR unknown subcommand 'foo'. Try OBJECT HELP."), c.call("OBJECT", "foo", "k"));
            assertEquals(err("ERR wrong number of arguments for 'object|encoding' command"),
                    c.call("OBJECT", "ENCODING"));
            assertEquals(err("ERR wrong number of arguments for 'object|encoding' command"),
                    c.call("OBJECT", "ENCODING", "a", "b"));
            assertEquals(err("ERR wrong number of arguments for 'object' command"), c.call("OBJECT"));
        }
    }

    // ---- metadata ----

    @Test
    void everyCommandDeclaresItsMetadata() {
        List<Command> commands = new KeyCommands(t.server).commands();
        Set<String> names = new TreeSet<>();
        for (Command cmd : commands) {
            names.add(cmd.name());
            CommandSpec s = cmd.spec();
            assertEquals("generic", s.group(), s.name());
            assertFalse(s.summary().isEmpty(), s.name());
            assertFalse(s.complexity().isEmpty(), s.name());
            for (Command sub : s.subcommands()) {
                assertEquals("generic", sub.spec().group());
                assertFalse(sub.spec().summary().isEmpty());
                assertTrue(sub.spec().aclCategories().contains("keyspace"), sub.name());
            }
            if (s.subcommands().isEmpty()) {
                assertTrue(s.aclCategories().contains("keyspace"), s.name());
                assertTrue(s.aclCategories().contains("fast") != s.aclCategories().contains("slow"), s.name());
            }
        }
        assertEquals(new TreeSet<>(List.of("copy", "del", "exists", "expire", "expireat", "expiretime", "keys",
                "move", "object", "persist", "pexpire", "pexpireat", "pexpiretime", "pttl", "randomkey", "rename",
                "renamenx", "scan", "touch", "ttl", "type", "unlink")), names);
    }

    @Test
    void keySpecsMatchRedis() {
        Map<String, CommandSpec> specs = new java.util.HashMap<>();
        for (Command cmd : new KeyCommands(t.server).commands()) {
            specs.put(cmd.name(), cmd.spec());
            for (Command sub : cmd.spec().subcommands()) {
                specs.put(sub.name(), sub.spec());
            }
        }
        CommandSpec rename = specs.get("rename");
        assertEquals(3, rename.arity());
        assertEquals(List.of("RW", "ACCESS", "DELETE"), rename.keySpecs().get(0).flags());
        assertEquals(List.of("OW", "UPDATE"), rename.keySpecs().get(1).flags());
        assertEquals(List.of("OW", "INSERT"), specs.get("renamenx").keySpecs().get(1).flags());
        assertEquals(List.of("RO", "ACCESS"), specs.get("copy").keySpecs().get(0).flags());
        assertEquals(-3, specs.get("copy").arity());
        assertEquals("6.2.0", specs.get("copy").since());
        assertEquals(2, specs.get("object|encoding").keySpecs().get(0).beginIndex());
        assertEquals(2, specs.get("object|freq").firstKey());
        assertEquals(List.of("keyspace", "read", "slow", "dangerous"), specs.get("keys").aclCategories());
        assertTrue(specs.get("object|help").has(io.modis.api.CommandFlag.LOADING));
        assertEquals(-2, specs.get("scan").arity());
        assertTrue(specs.get("scan").keySpecs().isEmpty());
    }
}
