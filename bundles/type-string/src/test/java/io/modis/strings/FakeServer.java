package io.modis.strings;

import io.modis.api.BlockedCommand;
import io.modis.api.Bytes;
import io.modis.api.Client;
import io.modis.api.Command;
import io.modis.api.CommandContext;
import io.modis.api.CommandException;
import io.modis.api.CommandSpec;
import io.modis.api.Config;
import io.modis.api.Database;
import io.modis.api.Errors;
import io.modis.api.Keyspace;
import io.modis.api.Reply;
import io.modis.api.ServerLog;
import io.modis.api.Value;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Just enough of the core to run the string commands: one database with lazy expiry, a reply
 * recorder, and records of dirty counts, propagation, touched keys and keyspace events.
 */
final class FakeServer {
    final Map<String, Command> table = new HashMap<>();
    final FakeDatabase db = new FakeDatabase();
    final Map<String, Object> config = new HashMap<>();
    long now = 1_700_000_000_000L;
    int protocol = 2;

    /** Per command run: what it did. */
    final List<String> replies = new ArrayList<>();
    final List<String> propagated = new ArrayList<>();
    final List<String> events = new ArrayList<>();
    final List<String> touched = new ArrayList<>();
    long dirty;

    FakeServer() {
        for (Command c : new StringCommands().commands()) {
            table.put(c.name(), c);
        }
        config.put("proto-max-bulk-len", 512L * 1024 * 1024);
        config.put("lazyfree-lazy-user-del", false);
        config.put("lazyfree-lazy-expire", false);
    }

    /** Runs a command and returns its reply tokens joined by spaces. */
    String run(String... words) {
        byte[][] argv = new byte[words.length][];
        for (int i = 0; i < words.length; i++) {
            argv[i] = Bytes.of(words[i]);
        }
        return run(argv);
    }

    String run(byte[]... argv) {
        replies.clear();
        propagated.clear();
        events.clear();
        touched.clear();
        dirty = 0;
        Command c = table.get(Bytes.lower(argv[0]));
        if (c == null) {
            throw new IllegalArgumentException("unknown command " + Bytes.str(argv[0]));
        }
        Ctx ctx = new Ctx(argv, c.spec());
        try {
            if (!c.spec().arityAccepts(argv.length)) {
                throw Errors.wrongArity(c.name());
            }
            c.handler().execute(ctx);
        } catch (CommandException e) {
            if (!replies.isEmpty()) {
                throw new AssertionError("error after a reply was written: " + e.getMessage());
            }
            replies.add("ERR:" + e.getMessage());
        }
        if (dirty > 0 && propagated.isEmpty() && !ctx.propagateCalled) {
            propagated.add(join(argv));
        }
        return String.join(" ", replies);
    }

    static String join(byte[][] argv) {
        return Arrays.stream(argv).map(Bytes::str).collect(Collectors.joining(" "));
    }

    final class Ctx implements CommandContext {
        private final byte[][] argv;
        private final CommandSpec spec;
        boolean propagateCalled;

        Ctx(byte[][] argv, CommandSpec spec) {
            this.argv = argv;
            this.spec = spec;
        }

        @Override
        public int argc() {
            return argv.length;
        }

        @Override
        public byte[] arg(int i) {
            return argv[i];
        }

        @Override
        public byte[][] args() {
            return argv;
        }

        @Override
        public Reply reply() {
            return reply;
        }

        @Override
        public Client client() {
            return null;
        }

        @Override
        public Database db() {
            return db;
        }

        @Override
        public Keyspace keyspace() {
            return null;
        }

        @Override
        public Config config() {
            return new Config() {
                @Override
                public String get(String name) {
                    Object v = config.get(name);
                    return v == null ? null : v.toString();
                }

                @Override
                public Object value(String name) {
                    return config.get(name);
                }
            };
        }

        @Override
        public ServerLog log() {
            return null;
        }

        @Override
        public long now() {
            return now;
        }

        @Override
        public CommandSpec command() {
            return spec;
        }

        @Override
        public void dirty(long changes) {
            dirty += changes;
        }

        @Override
        public void propagate(byte[]... argv) {
            propagateCalled = true;
            propagated.add(join(argv));
        }

        @Override
        public void propagateNothing() {
            propagateCalled = true;
        }

        @Override
        public void touched(Database d, byte[] key) {
            touched.add(Bytes.str(key));
        }

        @Override
        public void notify(char type, String event, byte[] key, Database d) {
            events.add(type + event + ":" + Bytes.str(key));
        }

        @Override
        public void keyReady(Database d, byte[] key) {
        }

        @Override
        public void block(List<byte[]> keys, long timeoutMillis, BlockedCommand command) {
            throw new UnsupportedOperationException();
        }
    }

    private final Reply reply = new Reply() {
        @Override
        public int protocol() {
            return protocol;
        }

        @Override
        public void simple(String s) {
            replies.add("+" + s);
        }

        @Override
        public void error(String message) {
            replies.add("ERR:" + message);
        }

        @Override
        public void integer(long v) {
            replies.add(":" + v);
        }

        @Override
        public void bulk(byte[] b) {
            replies.add("\"" + Bytes.str(b) + "\"");
        }

        @Override
        public void bulk(byte[] b, int off, int len) {
            bulk(Arrays.copyOfRange(b, off, off + len));
        }

        @Override
        public void nil() {
            replies.add("nil");
        }

        @Override
        public void nilArray() {
            replies.add("nil*");
        }

        @Override
        public void array(int n) {
            replies.add("*" + n);
        }

        @Override
        public void map(int n) {
            replies.add("%" + n);
        }

        @Override
        public void set(int n) {
            replies.add("~" + n);
        }

        @Override
        public void push(int n) {
            replies.add(">" + n);
        }

        @Override
        public void dbl(double d) {
            replies.add("," + d);
        }

        @Override
        public void bool(boolean b) {
            replies.add("#" + b);
        }

        @Override
        public void verbatim(String format, byte[] text) {
            bulk(text);
        }

        @Override
        public void bigNumber(String digits) {
            replies.add("(" + digits);
        }

        @Override
        public long errors() {
            return 0;
        }

        @Override
        public String lastError() {
            return null;
        }
    };

    /** A database with lazy expiry against the server's clock. */
    final class FakeDatabase implements Database {
        final Map<ByteBuffer, Value> values = new HashMap<>();
        final Map<ByteBuffer, Long> expires = new HashMap<>();

        private ByteBuffer k(byte[] key) {
            return ByteBuffer.wrap(key.clone());
        }

        private void expireIfNeeded(byte[] key) {
            Long when = expires.get(k(key));
            if (when != null && when <= now) {
                values.remove(k(key));
                expires.remove(k(key));
            }
        }

        @Override
        public int id() {
            return 0;
        }

        @Override
        public Value get(byte[] key) {
            expireIfNeeded(key);
            return values.get(k(key));
        }

        @Override
        public <T extends Value> T get(byte[] key, Class<T> type) {
            Value v = get(key);
            if (v == null) {
                return null;
            }
            if (!type.isInstance(v)) {
                throw Errors.wrongType();
            }
            return type.cast(v);
        }

        @Override
        public boolean exists(byte[] key) {
            return get(key) != null;
        }

        @Override
        public void set(byte[] key, Value value) {
            values.put(k(key), value);
            expires.remove(k(key));
        }

        @Override
        public void setKeepTtl(byte[] key, Value value) {
            values.put(k(key), value);
        }

        @Override
        public void add(byte[] key, Value value) {
            if (values.containsKey(k(key))) {
                throw new AssertionError("add of an existing key");
            }
            values.put(k(key), value);
        }

        @Override
        public boolean delete(byte[] key) {
            expires.remove(k(key));
            return values.remove(k(key)) != null;
        }

        @Override
        public long expireAt(byte[] key) {
            if (get(key) == null) {
                return -2;
            }
            return expires.getOrDefault(k(key), -1L);
        }

        @Override
        public void setExpireAt(byte[] key, long unixMillis) {
            if (!values.containsKey(k(key))) {
                throw new AssertionError("expire on a missing key");
            }
            expires.put(k(key), unixMillis);
        }

        @Override
        public boolean persist(byte[] key) {
            return expires.remove(k(key)) != null;
        }

        @Override
        public long size() {
            return values.size();
        }

        @Override
        public long expiresSize() {
            return expires.size();
        }

        @Override
        public byte[] randomKey() {
            return null;
        }

        @Override
        public long scan(long cursor, int count, Consumer<byte[]> out) {
            return 0;
        }

        @Override
        public void forEachKey(Consumer<byte[]> out) {
        }

        @Override
        public void clear() {
            values.clear();
            expires.clear();
        }
    }
}
