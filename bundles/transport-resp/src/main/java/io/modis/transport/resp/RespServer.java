package io.modis.transport.resp;

import io.modis.api.Config;
import io.modis.api.Engine;
import io.modis.api.ServerLog;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import java.util.function.LongSupplier;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * Listens for RESP clients on TCP (port, bind) and a unix socket (unixsocket) as soon as the
 * engine is available, with Redis's start-up rules: a mandatory address that cannot be bound
 * stops the server.
 *
 * <p>With io-threads 1 every channel is registered on the engine's own event loop, so reading,
 * parsing, executing and writing happen on one thread with no hand-off. With io-threads N the
 * server runs N I/O loops of its own that parse and write, and hands whole batches to the
 * engine.
 */
@Component(immediate = true, service = {})
public class RespServer {
    private final Engine engine;
    private final ServerLog log;
    private final Config config;
    private final Transport transport = Transport.best();
    private final ChannelGroup clients = new DefaultChannelGroup("modis-clients", ImmediateEventExecutor.INSTANCE);
    /**
     * Every listening channel. Changed by start-up (the SCR thread), CONFIG SET port / bind (the
     * engine thread) and stop() (the SCR thread); all three, and readers, hold this list's lock.
     */
    private final List<Channel> listeners = new ArrayList<>();
    /** Set by stop() under the listeners' lock: a CONFIG SET port / bind after it binds nothing. */
    private boolean stopped;
    private final LongSupplier maxBulkLen;
    private final LongSupplier queryBufferLimit;
    private ServerSettings settings;
    /** Runs TLS handshake work (certificate checks, key exchange) off the engine thread. */
    private java.util.concurrent.ExecutorService tlsTasks;
    private boolean tlsListening;
    private EventLoopGroup ioGroup;
    private boolean ownGroup;
    /** The plain TCP listeners (CONFIG SET port and bind replace them). */
    private final List<Channel> tcpListeners = new ArrayList<>();
    private int tcpPort;
    private List<String> tcpBind;
    private final List<Runnable> applySteps = new ArrayList<>();
    /** Accepts on listeners opened by CONFIG SET port / bind (null until then). */
    private EventLoopGroup acceptGroup;

    @Activate
    public RespServer(@Reference(name = "engine") Engine engine) {
        this(engine, System::exit);
    }

    /**
     * @param exit what to do when the server cannot listen as configured (Redis exits with 1);
     *     when it returns, the constructor throws instead
     */
    RespServer(Engine engine, IntConsumer exit) {
        this.engine = engine;
        this.log = engine.log();
        this.config = engine.config();
        this.maxBulkLen = ServerSettings.live(config, "proto-max-bulk-len", 512L * 1024 * 1024);
        this.queryBufferLimit = ServerSettings.live(config, "client-query-buffer-limit", 1024L * 1024 * 1024);
        try {
            start();
        } catch (ListenException e) {
            log.warning(e.getMessage());
            stop();
            exit.accept(1);
            throw new IllegalStateException(e.getMessage());
        }
        applySteps.add(config.onApply("port", v -> relisten((int) (long) (Long) v, tcpBind, "Unable to listen on this port")));
        applySteps.add(config.onApply("bind", v -> relisten(tcpPort, bindWords(String.valueOf(v)),
                "Failed to bind to specified addresses.")));
    }

    private static List<String> bindWords(String text) {
        String t = text.trim();
        return t.isEmpty() ? List.of() : List.of(t.split("\\s+"));
    }

    /**
     * CONFIG SET port / bind, on the engine thread: binds the new TCP listeners first (on a
     * small accept loop of their own, whose accepted clients join the I/O loops as usual, so
     * that this thread can wait for the bind as Redis does), then closes the old ones. When an
     * address cannot be bound the new listeners are closed and the old ones stay.
     *
     * @throws IllegalArgumentException with Redis's reason when an address cannot be bound
     */
    private void relisten(int port, List<String> bind, String refusal) {
        if (port == tcpPort && bind.equals(tcpBind)) {
            return;
        }
        List<Channel> bound = new ArrayList<>();
        if (port != 0) {
            EventLoopGroup acceptor;
            synchronized (listeners) {
                if (stopped) {
                    throw new IllegalArgumentException(refusal);
                }
                if (acceptGroup == null) {
                    acceptGroup = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("modis-accept", true),
                            transport.ioHandlerFactory());
                }
                acceptor = acceptGroup;
            }
            ServerBootstrap tcp = bootstrap(acceptor, transport.tcpServerChannel(), null, null);
            tcp.option(ChannelOption.SO_REUSEADDR, true);
            for (String entry : bind) {
                boolean optional = entry.startsWith("-");
                String addr = optional ? entry.substring(1) : entry;
                if (addr.equals("::*") && bind.contains("*")) {
                    continue; // the dual-stack IPv4 wildcard listener covers it (see listenTcp)
                }
                Throwable failure;
                try {
                    ChannelFuture f = tcp.bind(new InetSocketAddress(resolve(addr), port)).awaitUninterruptibly();
                    failure = f.isSuccess() ? null : f.cause();
                    if (failure == null) {
                        bound.add(f.channel());
                    }
                } catch (UnknownHostException e) {
                    failure = e;
                }
                if (failure == null || skippable(failure, optional)) {
                    continue;
                }
                log.warning("Warning: Could not create server TCP listening socket " + addr + ":" + port + ": "
                        + reason(failure));
                for (Channel ch : bound) {
                    ch.close();
                }
                throw new IllegalArgumentException(refusal);
            }
        }
        List<Channel> old;
        synchronized (listeners) {
            if (stopped) {
                // stop() ran while this bound: what it did not see is closed here
                bound.forEach(Channel::close);
                throw new IllegalArgumentException(refusal);
            }
            old = List.copyOf(tcpListeners);
            listeners.removeAll(old);
            tcpListeners.clear();
            tcpListeners.addAll(bound);
            listeners.addAll(bound);
        }
        for (Channel ch : old) {
            ch.close();
        }
        tcpPort = port;
        tcpBind = List.copyOf(bind);
    }

    /** Where TCP clients can connect (the real ports when port was 0 in tests). */
    List<SocketAddress> tcpAddresses() {
        List<SocketAddress> out = new ArrayList<>();
        for (Channel ch : listening()) {
            if (ch.localAddress() instanceof InetSocketAddress) {
                out.add(ch.localAddress());
            }
        }
        return out;
    }

    private void start() throws ListenException {
        settings = ServerSettings.read(config);
        ScheduledExecutorService executor = engine.executor();
        if (executor instanceof EventLoop && ((EventLoop) executor).inEventLoop()) {
            throw new IllegalStateException("The transport must be started off the engine thread: it waits for its sockets");
        }
        if (settings.ioThreads() == 1 && executor instanceof EventLoop) {
            ioGroup = (EventLoop) executor;
        } else {
            ioGroup = new MultiThreadIoEventLoopGroup(settings.ioThreads(), new DefaultThreadFactory("modis-io"),
                    transport.ioHandlerFactory());
            ownGroup = true;
        }
        tcpPort = settings.port();
        tcpBind = settings.bind();
        if (settings.port() != 0) {
            int before = listening().size();
            listenTcp(settings.port(), null);
            synchronized (listeners) {
                tcpListeners.addAll(listeners.subList(before, listeners.size()));
            }
        }
        int tlsPort = (int) ServerSettings.number(config, "tls-port", 0);
        if (tlsPort != 0) {
            TlsContext tls;
            try {
                tls = TlsContext.read(config);
            } catch (IOException | RuntimeException e) {
                log.warning("Failed to configure TLS: " + e.getMessage());
                throw new ListenException("Failed to configure TLS. Check logs for more info.");
            }
            tlsTasks = java.util.concurrent.Executors.newSingleThreadExecutor(new DefaultThreadFactory("modis-tls", true));
            listenTcp(tlsPort, tls);
            tlsListening = true;
        }
        if (settings.unixSocket() != null) {
            listenUnix(settings.unixSocket());
        }
        if (listening().isEmpty()) {
            throw new ListenException("Configured to not listen anywhere, exiting.");
        }
        // logged once the data is loaded, as Redis does (clients connecting before get -LOADING)
        boolean tcp = settings.port() != 0 && !tcpAddresses().isEmpty();
        boolean tlsReady = tlsListening;
        boolean unix = settings.unixSocket() != null;
        engine.whenReady(() -> {
            if (tcp) {
                log.notice("Ready to accept connections tcp");
            }
            if (tlsReady) {
                log.notice("Ready to accept connections tls");
            }
            if (unix) {
                log.notice("Ready to accept connections unix");
            }
        });
    }

    /** Listens on every bind address at {@code port}; with {@code tls}, connections speak TLS. */
    private void listenTcp(int port, TlsContext tls) throws ListenException {
        ServerBootstrap tcp = bootstrap(transport.tcpServerChannel(), null, tls);
        tcp.option(ChannelOption.SO_REUSEADDR, true);
        boolean boundWildcard4 = false;
        for (String entry : settings.bind()) {
            boolean optional = entry.startsWith("-");
            String addr = optional ? entry.substring(1) : entry;
            Throwable failure;
            try {
                failure = bind(tcp, new InetSocketAddress(resolve(addr), port));
            } catch (UnknownHostException e) {
                failure = e;
            }
            if (failure == null) {
                boundWildcard4 |= addr.equals("*");
                continue;
            }
            if (addr.equals("::*") && boundWildcard4 && String.valueOf(failure.getMessage()).contains("in use")) {
                // The JVM's sockets are dual-stack: the IPv4 wildcard listener already took the
                // port for both families, where Redis would add a separate IPv6-only socket.
                log.verbose("IPv6 wildcard served by the dual-stack listener on port " + port);
                continue;
            }
            log.warning("Warning: Could not create server TCP listening socket " + addr + ":" + port + ": "
                    + reason(failure));
            if (skippable(failure, optional)) {
                continue;
            }
            throw new ListenException("Failed listening on port " + port + " (TCP), aborting.");
        }
    }

    private void listenUnix(String path) throws ListenException {
        Path file = Path.of(path);
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // as in Redis: a stale file that cannot be removed makes the bind below fail
        }
        Throwable failure = bind(bootstrap(transport.unixServerChannel(), path, null), transport.unixAddress(file));
        if (failure != null) {
            throw new ListenException("Failed opening Unix socket: " + reason(failure));
        }
        if (settings.unixSocketPerm() != 0) {
            try {
                Files.setPosixFilePermissions(file, permissions(settings.unixSocketPerm()));
            } catch (IOException | UnsupportedOperationException e) {
                throw new ListenException("Failed opening Unix socket: chmod: " + e.getMessage());
            }
        }
    }

    private ServerBootstrap bootstrap(Class<? extends ServerChannel> type, String unixPath, TlsContext tls) {
        return bootstrap(ioGroup, type, unixPath, tls);
    }

    private ServerBootstrap bootstrap(EventLoopGroup acceptor, Class<? extends ServerChannel> type, String unixPath,
                                      TlsContext tls) {
        ServerBootstrap b = new ServerBootstrap()
                .group(acceptor, ioGroup)
                .channel(type)
                .option(ChannelOption.SO_BACKLOG, Math.max(1, settings.tcpBacklog()))
                .childOption(ChannelOption.AUTO_READ, false);
        if (unixPath == null) {
            b.childOption(ChannelOption.TCP_NODELAY, true);
        }
        return b.childHandler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                if (ch instanceof SocketChannel) {
                    // tcp-keepalive may change at run time: read it for each new client
                    long keepAlive = ServerSettings.number(config, "tcp-keepalive", 300);
                    if (keepAlive > 0) {
                        transport.keepAlive((SocketChannel) ch, (int) Math.min(keepAlive, Integer.MAX_VALUE));
                    }
                }
                clients.add(ch);
                if (tls != null) {
                    ch.pipeline().addLast("tls", tls.newHandler(ch.alloc(), tlsTasks));
                }
                ch.pipeline().addLast(new RespChannelHandler(engine, maxBulkLen, queryBufferLimit, unixPath));
            }
        });
    }

    /** Binds and waits; returns the failure, or null once listening. */
    private Throwable bind(ServerBootstrap b, SocketAddress address) {
        ChannelFuture f = b.bind(address).awaitUninterruptibly();
        if (!f.isSuccess()) {
            return f.cause();
        }
        synchronized (listeners) {
            if (stopped) {
                f.channel().close();
            } else {
                listeners.add(f.channel());
            }
        }
        return null;
    }

    /** A copy of the listening channels, safe to read from any thread. */
    private List<Channel> listening() {
        synchronized (listeners) {
            return List.copyOf(listeners);
        }
    }

    @Deactivate
    void stop() {
        applySteps.forEach(Runnable::run);
        applySteps.clear();
        List<Channel> closing;
        EventLoopGroup acceptor;
        synchronized (listeners) {
            stopped = true;
            closing = List.copyOf(listeners);
            listeners.clear();
            tcpListeners.clear();
            acceptor = acceptGroup;
        }
        for (Channel ch : closing) {
            ch.close().awaitUninterruptibly();
        }
        clients.close().awaitUninterruptibly();
        if (tlsTasks != null) {
            tlsTasks.shutdownNow();
        }
        if (acceptor != null) {
            acceptor.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        }
        if (ownGroup && ioGroup != null) {
            ioGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        }
        if (settings != null && settings.unixSocket() != null) {
            try {
                Files.deleteIfExists(Path.of(settings.unixSocket()));
            } catch (IOException e) {
                log.warning("Error removing the unix socket file: " + e.getMessage());
            }
        }
    }

    /** "*" is every IPv4 address, "::*" every IPv6 one; anything else is a host or literal. */
    private static InetAddress resolve(String addr) throws UnknownHostException {
        if (addr.equals("*")) {
            return InetAddress.getByName("0.0.0.0");
        }
        if (addr.equals("::*")) {
            return InetAddress.getByName("::");
        }
        return InetAddress.getByName(addr);
    }

    /**
     * Redis goes on without an address the machine does not have when it is optional, and
     * without any address of a family or protocol the system does not support.
     */
    private static boolean skippable(Throwable failure, boolean optional) {
        String m = String.valueOf(failure.getMessage());
        if (m.contains("Cannot assign requested address")) {
            return optional;
        }
        return m.contains("Address family not supported") || m.contains("Protocol not supported")
                || m.contains("Protocol not available") || m.contains("Socket type not supported")
                || m.contains("Protocol family not supported");
    }

    /** The cause as Redis words it: "bind: Address already in use". */
    private static String reason(Throwable failure) {
        String m = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        if (failure instanceof UnknownHostException) {
            return m;
        }
        int i = m.indexOf("failed: ");
        return "bind: " + (i >= 0 ? m.substring(i + "failed: ".length()) : m);
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] bits = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ,
        };
        for (int i = 0; i < bits.length; i++) {
            if ((mode & (1 << i)) != 0) {
                set.add(bits[i]);
            }
        }
        return set;
    }

    /** The server cannot listen as configured; the message is the last log line. */
    static final class ListenException extends Exception {
        private static final long serialVersionUID = 1L;

        ListenException(String message) {
            super(message, null, false, false);
        }
    }
}
