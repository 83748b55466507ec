package io.modis.core;

import io.modis.api.Bytes;
import io.modis.api.Command;
import io.modis.api.CommandSpec;
import io.modis.api.DataType;
import io.modis.api.Digest;
import io.modis.api.Value;
import io.modis.core.TestServer.Err;
import io.modis.core.TestServer.TestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A data type leaving and coming back: its values become blobs that keep their contents, answer
 * TYPE, can be deleted and renamed, give commands a clear error, and revive with the newcomer.
 */
class TypeSwapTest {
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

    /** A counter type; each instance stands for one version of a bundle (its own class identity). */
    static final class CounterType implements DataType {
        final String version;

        CounterType(String version) {
            this.version = version;
        }

        @Override
        public String name() {
            return "counter";
        }

        @Override
        public int rdbType() {
            return -1;
        }

        @Override
        public String moduleName() {
            return "counter-x";
        }

        @Override
        public byte[] serialize(Value value) {
            return ByteBuffer.allocate(8).putLong(((Counter) value).n).array();
        }

        @Override
        public Value restore(byte[] payload, int encodingVersion) {
            return new Counter(this, ByteBuffer.wrap(payload).getLong());
        }

        /** cnt.incr key: creates or increments the key's counter; cnt.get key. */
        List<Command> commands() {
            return List.of(
                    new Command(CommandSpec.of("cnt.incr", 2).keys(1, 1, 1).build(), ctx -> {
                        Counter v = ctx.db().get(ctx.arg(1), Counter.class);
                        if (v == null || v.type() != this) {
                            if (v != null && v.type() != this) {
                                throw new IllegalStateException("old code's value reached the new code");
                            }
                            v = new Counter(this, 0);
                            ctx.db().set(ctx.arg(1), v);
                        }
                        v.n++;
                        ctx.reply().integer(v.n);
                    }),
                    new Command(CommandSpec.of("cnt.get", 2).keys(1, 1, 1).build(), ctx -> {
                        Counter v = ctx.db().get(ctx.arg(1), Counter.class);
                        if (v == null) {
                            ctx.reply().nil();
                        } else {
                            ctx.reply().bulk(Bytes.of(version + ":" + v.n));
                        }
                    }));
        }
    }

    static final class Counter implements Value {
        private final CounterType type;
        long n;

        Counter(CounterType type, long n) {
            this.type = type;
            this.n = n;
        }

        @Override
        public DataType type() {
            return type;
        }

        @Override
        public String encoding() {
            return "raw";
        }

        @Override
        public long memoryUsage() {
            return 16;
        }

        @Override
        public Value copy() {
            return new Counter(type, n);
        }

        @Override
        public void digest(Digest d) {
            d.add(n);
        }
    }

    private void load(CounterType type) {
        t.onEngine(() -> {
            server().types.put(type.name(), type);
            server().typeSwap.arrived(type);
            server().addCommands(type.commands());
        });
    }

    private void unload(CounterType type, List<Command> commands) {
        t.onEngine(() -> {
            server().removeCommands(commands);
            server().types.remove(type.name(), type);
            server().typeSwap.departed(type);
        });
    }

    private Server server() {
        return t.server;
    }

    private Value raw(String key) {
        return t.onEngine(() -> server().db(0).rawEntry(Bytes.of(key)).value);
    }

    @Test
    void valuesOfADepartedTypeBecomeBlobsThatKeepTheirTypeNameAndTtl() {
        CounterType v1 = new CounterType("v1");
        List<Command> v1Commands = v1.commands();
        t.onEngine(() -> {
            server().types.put(v1.name(), v1);
            server().addCommands(v1Commands);
        });
        assertEquals(1L, c.call("cnt.incr", "a"));
        assertEquals(2L, c.call("cnt.incr", "a"));
        assertEquals(1L, c.call("cnt.incr", "b"));
        assertEquals(1L, c.call("pexpire", "b", "600000"));

        unload(v1, v1Commands);

        assertInstanceOf(OpaqueValue.class, raw("a"));
        assertEquals(new TestServer.Status("counter"), c.call("type", "a"));
        assertEquals(2L, c.call("exists", "a", "b"));
        assertTrue((Long) c.call("pttl", "b") > 500_000);
        assertEquals(TestServer.OK, c.call("rename", "b", "c"));
        assertEquals(1L, c.call("del", "c"));
        assertTrue(c.call("cnt.get", "a") instanceof Err e && e.message().startsWith("ERR unknown command"));
        // a command of another bundle that reads the key by type gets an error naming the missing type
        Object err = t.onEngine(() -> {
            try {
                server().db(0).get(Bytes.of("a"), Counter.class);
                return null;
            } catch (io.modis.api.CommandException e) {
                return e.getMessage();
            }
        });
        assertEquals("ERR the value at this key is of type 'counter' (module type counter-x), "
                + "and no loaded bundle provides that data type", err);
    }

    @Test
    void aReturningTypeRevivesBlobsOnTouchAndInTheBackground() throws Exception {
        CounterType v1 = new CounterType("v1");
        List<Command> v1Commands = v1.commands();
        load(v1);
        for (int i = 0; i < 500; i++) {
            c.call("cnt.incr", "k" + i);
        }
        assertEquals(2L, c.call("cnt.incr", "k0"));
        unload(v1, v1Commands);
        assertInstanceOf(OpaqueValue.class, raw("k0"));

        CounterType v2 = new CounterType("v2");
        load(v2);
        // first touch revives the value with the new version's restore
        assertEquals("v2:2", c.call("cnt.get", "k0"));
        assertEquals(3L, c.call("cnt.incr", "k0"));
        assertSame(v2, raw("k0").type());
        // the background walk revives the rest without any command touching them
        long deadline = System.nanoTime() + 10_000_000_000L;
        boolean allRevived = false;
        while (!allRevived && System.nanoTime() < deadline) {
            allRevived = t.onEngine(() -> {
                for (int i = 0; i < 500; i++) {
                    if (server().db(0).rawEntry(Bytes.of("k" + i)).value instanceof OpaqueValue) {
                        return false;
                    }
                }
                return true;
            });
        }
        assertTrue(allRevived, "every blob revived in the background");
        assertEquals("v2:1", c.call("cnt.get", "k499"));
    }

    @Test
    void aValueStoredByTheDepartingBundleAfterItsTypeLeftIsKeptAsABlob() {
        CounterType v1 = new CounterType("v1");
        List<Command> v1Commands = v1.commands();
        load(v1);
        // the type leaves first, its commands a moment later (two services of one bundle)
        t.onEngine(() -> {
            server().types.remove(v1.name(), v1);
            server().typeSwap.departed(v1);
        });
        assertEquals(1L, c.call("cnt.incr", "late"));
        assertEquals(2L, c.call("cnt.incr", "late"));
        t.onEngine(() -> server().removeCommands(v1Commands));
        // the bundle has stopped
        t.onEngine(() -> server().typeSwap.forget(type -> type == v1));
        assertInstanceOf(OpaqueValue.class, raw("late"));

        CounterType v2 = new CounterType("v2");
        load(v2);
        assertEquals("v2:2", c.call("cnt.get", "late"));
    }

    @Test
    void aBlobThatTheNewVersionCannotReadStaysABlob() {
        CounterType v1 = new CounterType("v1");
        List<Command> v1Commands = v1.commands();
        load(v1);
        c.call("cnt.incr", "a");
        unload(v1, v1Commands);
        DataType refusing = new DataType() {
            @Override
            public String name() {
                return "counter";
            }

            @Override
            public int rdbType() {
                return -1;
            }

            @Override
            public byte[] serialize(Value value) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Value restore(byte[] payload, int encodingVersion) {
                throw new IllegalArgumentException("unknown encoding");
            }
        };
        t.onEngine(() -> {
            server().types.put("counter", refusing);
            server().typeSwap.arrived(refusing);
        });
        assertEquals(new TestServer.Status("counter"), c.call("type", "a"));
        assertInstanceOf(OpaqueValue.class, raw("a"));
        assertTrue(c.call("cnt.get", "a") instanceof Err);
    }

    @Test
    void anAofRewriteWritesAModuleBlobAsRestoreOfARedisModuleValue() {
        CounterType v1 = new CounterType("v1");
        List<Command> v1Commands = v1.commands();
        load(v1);
        c.call("cnt.incr", "a");
        unload(v1, v1Commands);
        OpaqueValue blob = (OpaqueValue) raw("a");
        List<byte[][]> written = new java.util.ArrayList<>();
        blob.type().rewrite(Bytes.of("a"), blob, written::add);
        assertEquals(1, written.size());
        byte[][] restore = written.get(0);
        assertEquals("RESTORE a 0", Bytes.str(restore[0]) + " " + Bytes.str(restore[1]) + " " + Bytes.str(restore[2]));
        byte[] dump = restore[3];
        assertEquals(7, dump[0]); // RDB_TYPE_MODULE_2
        io.modis.api.RdbInput in = new io.modis.api.RdbInput(dump, 1, dump.length - 11);
        long id = in.readLength();
        assertEquals(OpaqueValue.OpaqueType.moduleId("counter-x", 0), id);
        assertEquals(5, in.readLength()); // a string field
        assertEquals(1L, ByteBuffer.wrap(in.readString()).getLong());
        assertEquals(0, in.readLength()); // EOF opcode
        assertEquals(10, dump[dump.length - 10]); // RDB version
    }
}
