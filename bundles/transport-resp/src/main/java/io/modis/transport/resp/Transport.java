package io.modis.transport.resp;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;

/**
 * The Netty transport: native epoll when it loads, else NIO. The core picks its engine loop
 * with the same rule, so with io-threads 1 the channels can be registered on that loop.
 */
final class Transport {
    private final boolean epoll;

    private Transport(boolean epoll) {
        this.epoll = epoll;
    }

    static Transport best() {
        return new Transport(Epoll.isAvailable());
    }

    boolean isEpoll() {
        return epoll;
    }

    IoHandlerFactory ioHandlerFactory() {
        return epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    }

    Class<? extends ServerChannel> tcpServerChannel() {
        return epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    Class<? extends ServerChannel> unixServerChannel() {
        // NIO speaks unix sockets through the JDK's UnixDomainSocketAddress (Java 16+)
        return epoll ? EpollServerDomainSocketChannel.class : NioServerDomainSocketChannel.class;
    }

    SocketAddress unixAddress(Path path) {
        return epoll ? new DomainSocketAddress(path.toFile()) : UnixDomainSocketAddress.of(path);
    }

    /**
     * TCP keepalive as Redis sets it: first probe after {@code seconds} idle, then every third
     * of that, three probes. NIO can only switch SO_KEEPALIVE on (the kernel's timers apply).
     */
    void keepAlive(SocketChannel channel, int seconds) {
        channel.config().setKeepAlive(true);
        if (channel instanceof EpollSocketChannel) {
            EpollSocketChannel ch = (EpollSocketChannel) channel;
            ch.config().setOption(EpollChannelOption.TCP_KEEPIDLE, seconds);
            ch.config().setOption(EpollChannelOption.TCP_KEEPINTVL, Math.max(1, seconds / 3));
            ch.config().setOption(EpollChannelOption.TCP_KEEPCNT, 3);
        }
    }
}
