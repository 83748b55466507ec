package io.modis.bitmaps;

import static io.modis.core.TestServer.OK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.modis.api.Bytes;
import io.modis.api.Command;
import io.modis.api.DataType;
import io.modis.api.Digest;
import io.modis.api.StringValue;
import io.modis.api.Value;
import io.modis.core.TestServer;
import io.modis.core.TestServer.Err;
import io.modis.core.TestServer.TestClient;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Runs the bitmap commands in the real core (TestServer) and records what each call did, with
 * bit-by-bit reference implementations to compare against.
 */
abstract class BitmapTestBase {
    static final Err WRONGTYPE = new Err("WRONGTYPE Operation against a key holding the wrong kind of value");
    static final Err BAD_OFFSET = new Err("ERR bit offset is not an integer or out of range");
    static final Err BAD_BIT = new Err("ERR bit is not an integer or out of range");
    static final Err SYNTAX = new Err("ERR syntax error");
    static final Err NOT_INTEGER = new Err("ERR value is not an integer or out of range");

    final List<Command> provided = new BitmapCommands().commands();
    TestServer t;
    TestClient c;
    /** A second client that WATCHes keys, to see which keys a command touched. */
    TestClient watcher;

    /** What the last {@link #run} did: the server's dirty count, propagation and keyspace events. */
    long dirty;
    List<String> propagated;
    List<String> events;

    @BeforeEach
    void start() {
        t = new TestServer();
        t.addCommands(provided);
        c = t.client();
        watcher = t.client();
    }

    @AfterEach
    void stop() {
        t.close();
    }

    /** A value of some other type, for WRONGTYPE. */
    static final class OtherValue implements Value {
        @Override
        public DataType type() {
            return null;
        }

        @Override
        public String encoding() {
            return "listpack";
        }

        @Override
        public long memoryUsage() {
            return 0;
        }

        @Override
        public Value copy() {
            return this;
        }

        @Override
        public void digest(Digest d) {
        }
    }

    /* ------------------------------------------------------------ helpers */

    /** Runs one command as a client and records what it did; returns its one reply. */
    Object run(String... words) {
        byte[][] argv = new byte[words.length][];
        for (int i = 0; i < words.length; i++) {
            argv[i] = Bytes.of(words[i]);
        }
        return run(argv);
    }

    Object run(byte[]... argv) {
        t.takePropagated();
        t.takeEvents();
        long dirtyBefore = t.onEngine(() -> t.server.dirty);
        Object reply = c.call(argv);
        assertNull(c.pending(), "a second reply to " + Bytes.str(argv[0]));
        dirty = t.onEngine(() -> t.server.dirty) - dirtyBefore;
        propagated = t.takePropagated();
        events = t.takeEvents();
        return reply;
    }

    /** Asserts that the last command changed nothing visible to the outside. */
    void assertNoEffect() {
        assertEquals(0, dirty);
        assertEquals(List.of(), propagated);
        assertEquals(List.of(), events);
    }

    Value value(String key) {
        return t.onEngine(() -> t.server.db(0).get(Bytes.of(key)));
    }

    /** The bytes of the string at key, or null when the key is missing. */
    byte[] bytes(String key) {
        Value v = value(key);
        return v == null ? null : ((StringValue) v).bytes().clone();
    }

    void put(String key, Value value) {
        t.onEngine(() -> t.server.db(0).set(Bytes.of(key), value));
    }

    void putBytes(String key, byte[] b) {
        put(key, StringValue.of(b.clone()));
    }

    void putOther(String key) {
        put(key, new OtherValue());
    }

    String encoding(String key) {
        return value(key).encoding();
    }

    void watch(String key) {
        assertEquals(OK, watcher.call("WATCH", key));
    }

    /** The watched key was touched: the watcher's transaction fails. */
    void assertTouched(String key) {
        assertEquals(OK, watcher.call("MULTI"));
        assertNull(watcher.call("EXEC"), key + " was not touched");
    }

    void assertNotTouched(String key) {
        assertEquals(OK, watcher.call("MULTI"));
        assertEquals(List.of(), watcher.call("EXEC"), key + " was touched");
    }

    static byte[] hex(int... b) {
        byte[] out = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = (byte) b[i];
        }
        return out;
    }

    /* ------------------------------------------------------------ reference implementations */

    static long countBits(byte[] s) {
        return naiveCount(s, 0, s.length * 8L - 1);
    }

    static long naiveCount(byte[] s, long from, long to) {
        long n = 0;
        for (long i = from; i <= to; i++) {
            n += bit(s, i);
        }
        return n;
    }

    static long naiveFind(byte[] s, long from, long to, int bit) {
        for (long i = from; i <= to; i++) {
            if (bit(s, i) == bit) {
                return i;
            }
        }
        return -1;
    }

    static int bit(byte[] s, long i) {
        return (s[(int) (i >>> 3)] >> (7 - (i & 7))) & 1;
    }

    /** Redis's index clamping, or null for an empty range. */
    static long[] clamp(long total, long start, long end) {
        if (start < 0) {
            start += total;
        }
        if (end < 0) {
            end += total;
        }
        start = Math.max(start, 0);
        end = Math.min(Math.max(end, 0), total - 1);
        return start > end ? null : new long[] {start, end};
    }

    static byte[] naiveBitop(String op, List<byte[]> inputs) {
        int length = inputs.stream().mapToInt(b -> b.length).max().orElse(0);
        byte[] out = new byte[length];
        for (int i = 0; i < length; i++) {
            int acc = i < inputs.get(0).length ? inputs.get(0)[i] & 0xff : 0;
            if (op.equals("not")) {
                acc = ~acc & 0xff;
            }
            for (int k = 1; k < inputs.size(); k++) {
                int b = i < inputs.get(k).length ? inputs.get(k)[i] & 0xff : 0;
                acc = switch (op) {
                    case "and" -> acc & b;
                    case "or" -> acc | b;
                    default -> acc ^ b;
                };
            }
            out[i] = (byte) acc;
        }
        return out;
    }
}
