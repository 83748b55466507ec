package io.modis.core;

import io.modis.api.Bytes;
import io.modis.api.Command;
import io.modis.api.ConfigParam;
import io.modis.api.Connection;
import io.modis.api.Reply;
import io.modis.core.config.ConfigRegistry;

import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The real core without sockets: a {@link Server} on its own engine thread, with the core's
 * command families, and clients whose replies are recorded as Java values. Propagated commands
 * and keyspace events are recorded too. No cron runs, so keys past their TTL stay until a
 * lookup expires them.
 *
 * <p>Replies decode as: status {@link Status}, error {@link Err}, integer {@code Long}, bulk and
 * verbatim strings {@code String}, nulls {@code null}, arrays, sets and pushes {@code List},
 * maps {@code LinkedHashMap}, doubles {@code Double}, booleans {@code Boolean}, big numbers
 * {@code BigInteger}.
 */
public final class TestServer implements AutoCloseable {
    /** A status reply such as {@code +OK}. */
    public record Status(String text) {
    }

    /** An error reply, without the '-'. */
    public record Err(String message) {
    }

    public static final Status OK = new Status("OK");

    final ScheduledExecutorService engine = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "test-engine");
        t.setDaemon(true);
        return t;
    });
    public final Server server;
    /** "db: ARG ARG ..." for each propagated command, in order, "replicas db: ..." for replica-only ones (engine thread writes). */
    final List<String> propagated = new ArrayList<>();
    /** "type:event:key@db" for each keyspace event, in order (engine thread writes). */
    final List<String> events = new ArrayList<>();

    /** A server with Redis's defaults for the parameters the core reads but does not own. */
    public TestServer() {
        this(Map.of());
    }

    /** {@code textParams} overrides or adds parameters kept as text (maxmemory-policy ...). */
    public TestServer(Map<String, String> textParams) {
        Map<String, String> defaults = new HashMap<>();
        defaults.put("maxmemory", "0");
        defaults.put("maxmemory-policy", "noeviction");
        defaults.put("lfu-decay-time", "1");
        defaults.putAll(textParams);
        ConfigRegistry config = new ConfigRegistry(defaults);
        for (ConfigParam p : params()) {
            config.register(p);
        }
        server = new Server(config, new ServerLogImpl(), engine);
        server.notifyFlags("KEA");
        onEngine(() -> {
            server.addCommands(new ConnectionCommands(server).commands());
            server.addCommands(new TransactionCommands(server).commands());
            server.addCommands(new KeyCommands(server).commands());
            server.propagationListeners.add(new io.modis.api.PropagationListener() {
                @Override
                public void propagate(int db, byte[][] argv) {
                    propagated.add(line("", db, argv));
                }

                @Override
                public void propagateToReplicas(int db, byte[][] argv) {
                    propagated.add(line("replicas ", db, argv));
                }
            });
            server.eventListeners.add((type, event, key, db) ->
                    events.add(type + ":" + event + ":" + Bytes.str(key) + "@" + db));
        });
    }

    /** "db: ARG ARG ...", after {@code prefix}. */
    private static String line(String prefix, int db, byte[][] argv) {
        StringBuilder sb = new StringBuilder(prefix).append(db).append(':');
        for (byte[] a : argv) {
            sb.append(' ').append(Bytes.str(a));
        }
        return sb.toString();
    }

    /** The core parameters a server without a CoreComponent reads, and commands read from it. */
    private static List<ConfigParam> params() {
        return List.of(
                ConfigParam.integer("maxclients", 10000, 1, Integer.MAX_VALUE).build(),
                ConfigParam.bool("protected-mode", false).build(),
                ConfigParam.integer("timeout", 0, 0, Integer.MAX_VALUE).build(),
                ConfigParam.integer("hz", 10, 0, Integer.MAX_VALUE).build(),
                ConfigParam.bool("activerehashing", true).build(),
                ConfigParam.bool("lazyfree-lazy-expire", false).build(),
                ConfigParam.bool("lazyfree-lazy-user-del", false).build(),
                ConfigParam.memory("proto-max-bulk-len", 512L * 1024 * 1024, 1024 * 1024, Long.MAX_VALUE).build());
    }

    /** Registers a command provider's commands, as the core does when its bundle starts. */
    public void addCommands(List<Command> commands) {
        onEngine(() -> server.addCommands(commands));
    }

    /**
     * Registers the core's server command family (CONFIG, COMMAND, INFO, CLIENT, DEBUG, MEMORY,
     * FLUSHALL ...), for bundle tests that drive those commands against their values.
     */
    public void addServerCommands() {
        addCommands(new ServerCommands(server).commands());
    }

    /** Registers a bundle's configuration parameters, as the core does for a ConfigProvider. */
    public void addConfigParams(List<ConfigParam> params) {
        onEngine(() -> params.forEach(server.config::register));
    }

    /** Registers a DEBUG subcommand, as the core does for a DebugSubcommand service. */
    public void addDebugSubcommand(io.modis.api.DebugSubcommand d) {
        onEngine(() -> server.debugSubcommands.put(d.name(), d));
    }

    /** Registers a ClientListener service, as the core does. */
    public void addClientListener(io.modis.api.ClientListener l) {
        onEngine(() -> server.clientListeners.add(l));
    }

    /** Registers an InfoFields service, as the core does. */
    public void addInfoFields(io.modis.api.InfoFields f) {
        onEngine(() -> server.infoFields.add(f));
    }

    /** Registers a KeyspaceEventListener service, as the core does. */
    public void addKeyspaceEventListener(io.modis.api.KeyspaceEventListener l) {
        onEngine(() -> server.eventListeners.add(l));
    }

    /**
     * Attaches an access-control service, as the core does when the acl bundle is present;
     * {@code directives} are config-file lines (directive first), e.g. "user" lines.
     */
    public void setAccessControl(io.modis.api.AccessControl ac, List<List<String>> directives) {
        onEngine(() -> AccessHost.attach(server, ac, directives));
    }

    /** Sets parameters as CONFIG SET does. */
    public void config(String name, String value) {
        onEngine(() -> server.config.set(List.<String[]>of(new String[] {name, value}), true));
    }

    public TestClient client() {
        return onEngine(() -> {
            TestConnection conn = new TestConnection();
            return new TestClient(this, server.open(conn), conn);
        });
    }

    /** A client like the AOF loader's: it obeys what it replays (CommandContext.mustObey). */
    public TestClient loaderClient() {
        return onEngine(() -> {
            TestConnection conn = new TestConnection();
            return new TestClient(this, server.openLoader(conn), conn);
        });
    }

    /** Runs {@code task} on the engine thread and waits for it. */
    public <T> T onEngine(Callable<T> task) {
        try {
            return engine.submit(task).get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }

    public void onEngine(Runnable task) {
        onEngine(() -> {
            task.run();
            return null;
        });
    }

    /** Returns and forgets what was propagated so far. */
    public List<String> takePropagated() {
        return onEngine(() -> {
            List<String> out = new ArrayList<>(propagated);
            propagated.clear();
            return out;
        });
    }

    /** Returns and forgets the keyspace events so far. */
    public List<String> takeEvents() {
        return onEngine(() -> {
            List<String> out = new ArrayList<>(events);
            events.clear();
            return out;
        });
    }

    @Override
    public void close() {
        engine.shutdownNow();
    }

    static byte[][] argv(String... words) {
        byte[][] argv = new byte[words.length][];
        for (int i = 0; i < words.length; i++) {
            argv[i] = Bytes.of(words[i]);
        }
        return argv;
    }

    /** A connected client. */
    public static final class TestClient {
        final TestServer owner;
        final ClientSession session;
        final TestConnection conn;

        TestClient(TestServer owner, ClientSession session, TestConnection conn) {
            this.owner = owner;
            this.session = session;
            this.conn = conn;
        }

        /** Runs one command and returns its reply (null if the client blocked without one). */
        public Object call(String... words) {
            return call(argv(words));
        }

        public Object call(byte[]... argv) {
            return owner.onEngine(() -> {
                session.execute(argv);
                return conn.recorder.next();
            });
        }

        /** The next reply written later (a blocked client served), or null if none yet. */
        public Object pending() {
            return owner.onEngine(conn.recorder::next);
        }
    }

    /** A connection that records replies instead of sending them. */
    static final class TestConnection implements Connection {
        final RecordingReply recorder = new RecordingReply();
        boolean closed;
        int flushes;
        /** What outputBufferSize() reports: replies the peer has not read yet. */
        long outputBytes;
        int resumes;

        @Override
        public Reply reply() {
            return recorder;
        }

        @Override
        public void protocol(int version) {
            recorder.protocol = version;
        }

        @Override
        public String remoteAddress() {
            return "127.0.0.1:50000";
        }

        @Override
        public String localAddress() {
            return "127.0.0.1:6379";
        }

        @Override
        public int fd() {
            return -1;
        }

        @Override
        public boolean unixSocket() {
            return false;
        }

        @Override
        public void flush() {
            flushes++;
        }

        @Override
        public void close() {
            closed = true;
        }

        @Override
        public void resume() {
            resumes++;
        }

        @Override
        public int queryBufferSize() {
            return 0;
        }

        @Override
        public long outputBufferSize() {
            return outputBytes;
        }
    }

    /** Writes replies as a stream of tokens and decodes whole replies from it. */
    static final class RecordingReply implements Reply {
        private enum Kind { ARRAY, MAP }

        private record Token(Object value, Kind aggregate, int size) {
        }

        private final Deque<Token> tokens = new ArrayDeque<>();
        int protocol = 2;
        private long errors;
        private String lastError;

        /** Decodes the oldest complete reply, or null when nothing was written. */
        Object next() {
            return tokens.isEmpty() ? null : decode();
        }

        private Object decode() {
            Token t = tokens.removeFirst();
            if (t.aggregate == Kind.ARRAY) {
                List<Object> list = new ArrayList<>(t.size);
                for (int i = 0; i < t.size; i++) {
                    list.add(decode());
                }
                return list;
            }
            if (t.aggregate == Kind.MAP) {
                Map<Object, Object> map = new LinkedHashMap<>();
                for (int i = 0; i < t.size; i++) {
                    Object k = decode();
                    map.put(k, decode());
                }
                return map;
            }
            return t.value;
        }

        private void add(Object value) {
            tokens.addLast(new Token(value, null, 0));
        }

        @Override
        public int protocol() {
            return protocol;
        }

        @Override
        public void simple(String s) {
            add(new Status(s));
        }

        @Override
        public void error(String message) {
            errors++;
            lastError = message;
            add(new Err(message));
        }

        @Override
        public void integer(long v) {
            add(v);
        }

        @Override
        public void bulk(byte[] b) {
            add(Bytes.str(b));
        }

        @Override
        public void bulk(byte[] b, int off, int len) {
            add(new String(b, off, len, java.nio.charset.StandardCharsets.UTF_8));
        }

        @Override
        public void nil() {
            add(null);
        }

        @Override
        public void nilArray() {
            add(null);
        }

        @Override
        public void array(int n) {
            tokens.addLast(new Token(null, Kind.ARRAY, n));
        }

        @Override
        public void map(int n) {
            tokens.addLast(new Token(null, Kind.MAP, n));
        }

        @Override
        public void set(int n) {
            array(n);
        }

        @Override
        public void push(int n) {
            array(n);
        }

        @Override
        public void dbl(double d) {
            add(d);
        }

        @Override
        public void bool(boolean b) {
            add(b);
        }

        @Override
        public void verbatim(String format, byte[] text) {
            add(Bytes.str(text));
        }

        @Override
        public void bigNumber(String digits) {
            add(new BigInteger(digits));
        }

        @Override
        public long errors() {
            return errors;
        }

        @Override
        public String lastError() {
            return lastError;
        }
    }
}
