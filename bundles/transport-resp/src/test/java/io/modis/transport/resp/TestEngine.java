package io.modis.transport.resp;

import io.modis.api.CommandException;
import io.modis.api.Config;
import io.modis.api.Connection;
import io.modis.api.Engine;
import io.modis.api.Reply;
import io.modis.api.ServerLog;
import io.modis.api.Session;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A small real engine for the transport's tests: its executor is a Netty event loop, and its
 * sessions answer every command with its arguments as an array, except for a few test verbs:
 * BLOCK (returns false and waits for {@link #resumeBlocked()}), QUIT (+OK then close), HELLO3
 * (switches to RESP3).
 */
final class TestEngine implements Engine {
    private final MultiThreadIoEventLoopGroup group;
    private final Supplier<EventLoop> loop;
    final Map<String, String> config = new ConcurrentHashMap<>();
    final Queue<String> logLines = new ConcurrentLinkedQueue<>();
    final Queue<String> executed = new ConcurrentLinkedQueue<>();
    final AtomicInteger rejected = new AtomicInteger();
    final AtomicInteger opened = new AtomicInteger();
    final AtomicInteger disconnected = new AtomicInteger();
    final Queue<Connection> blocked = new ConcurrentLinkedQueue<>();
    final Queue<Connection> connections = new ConcurrentLinkedQueue<>();
    final Queue<Thread> executionThreads = new ConcurrentLinkedQueue<>();
    volatile String refuse;

    /** An engine with its own event loop thread. */
    TestEngine() {
        this(new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("test-engine"), NioIoHandler.newFactory()));
    }

    private TestEngine(MultiThreadIoEventLoopGroup group) {
        this(group, () -> (EventLoop) group.next());
    }

    /** An engine running on a loop known later (an EmbeddedChannel's, once registered). */
    TestEngine(Supplier<EventLoop> loop) {
        this(null, loop);
    }

    private TestEngine(MultiThreadIoEventLoopGroup group, Supplier<EventLoop> loop) {
        this.group = group;
        this.loop = loop;
        config.put("port", "0");
        config.put("bind", "127.0.0.1");
        config.put("unixsocket", "");
        config.put("unixsocketperm", "0");
        config.put("tcp-backlog", "511");
        config.put("tcp-keepalive", "300");
        config.put("io-threads", "1");
        config.put("proto-max-bulk-len", Long.toString(512L * 1024 * 1024));
        config.put("client-query-buffer-limit", Long.toString(1024L * 1024 * 1024));
    }

    void shutdown() {
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
        }
    }

    EventLoop loop() {
        return loop.get();
    }

    boolean logged(String fragment) {
        return logLines.stream().anyMatch(l -> l.contains(fragment));
    }

    /** Resumes every blocked connection, on the engine thread. */
    void resumeBlocked() {
        loop().execute(() -> {
            Connection c;
            while ((c = blocked.poll()) != null) {
                c.resume();
            }
        });
    }

    @Override
    public ScheduledExecutorService executor() {
        return loop();
    }

    @Override
    public Session open(Connection connection) {
        if (!loop().inEventLoop()) {
            throw new AssertionError("open off the engine thread");
        }
        if (refuse != null) {
            throw new CommandException(refuse);
        }
        opened.incrementAndGet();
        connections.add(connection);
        return new EchoSession(connection);
    }

    @Override
    public Config config() {
        return new Config() {
            @Override
            public String get(String name) {
                return config.get(name);
            }

            @Override
            public Object value(String name) {
                String v = config.get(name);
                return v == null ? null : Long.parseLong(v);
            }

            @Override
            public Runnable onApply(String name, java.util.function.Consumer<Object> apply) {
                applySteps.put(name, apply);
                return () -> applySteps.remove(name, apply);
            }
        };
    }

    /** Apply steps the transport added (CONFIG SET's apply phase). */
    final Map<String, java.util.function.Consumer<Object>> applySteps = new ConcurrentHashMap<>();

    /**
     * CONFIG SET's apply phase for one parameter, on the engine loop.
     *
     * @return null, or the reason the step refused the value
     */
    String apply(String name, Object value) {
        return loop().submit(() -> {
            try {
                applySteps.get(name).accept(value);
                config.put(name, String.valueOf(value));
                return null;
            } catch (IllegalArgumentException e) {
                return e.getMessage();
            }
        }).syncUninterruptibly().getNow();
    }

    @Override
    public ServerLog log() {
        return (level, message) -> logLines.add(level + " " + message);
    }

    @Override
    public void rejectedConnection() {
        rejected.incrementAndGet();
    }

    private final class EchoSession implements Session {
        private final Connection connection;
        private boolean gone;

        EchoSession(Connection connection) {
            this.connection = connection;
        }

        @Override
        public boolean execute(byte[][] argv) {
            if (!loop().inEventLoop()) {
                throw new AssertionError("execute off the engine thread");
            }
            if (gone) {
                throw new AssertionError("execute after disconnect");
            }
            executionThreads.add(Thread.currentThread());
            String name = new String(argv[0], StandardCharsets.UTF_8);
            executed.add(name);
            Reply reply = connection.reply();
            switch (name) {
                case "BLOCK":
                    blocked.add(connection);
                    reply.simple("BLOCKED");
                    return false;
                case "QUIT":
                    reply.ok();
                    connection.close();
                    return false;
                case "HELLO3":
                    connection.protocol(3);
                    reply.ok();
                    return true;
                default:
                    reply.array(argv.length);
                    for (byte[] a : argv) {
                        reply.bulk(a);
                    }
                    return true;
            }
        }

        @Override
        public void disconnected() {
            if (!loop().inEventLoop()) {
                throw new AssertionError("disconnected off the engine thread");
            }
            if (gone) {
                throw new AssertionError("disconnected twice");
            }
            gone = true;
            disconnected.incrementAndGet();
        }

        @Override
        public long id() {
            return 1;
        }
    }

    static List<String> words(String... w) {
        return List.of(w);
    }
}
