package io.modis.transport.resp;

import io.modis.api.CommandException;
import io.modis.api.Connection;
import io.modis.api.Engine;
import io.modis.api.Reply;
import io.modis.api.Session;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.unix.UnixChannel;
import io.netty.util.NetUtil;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;

/**
 * The engine's side of one client connection: feeds parsed commands to the {@link Session} in
 * order, holds them while the session is blocked, and sends the replies once per batch.
 *
 * <p>Everything here runs on the engine thread. With io-threads 1 that is also the channel's
 * event loop and replies go to the socket directly; otherwise they are handed to the channel's
 * I/O loop in a single task per batch, together with the request to read more.
 */
final class RespConnection implements Connection {
    /**
     * While the session is blocked the connection keeps reading (so that a client hanging up is
     * noticed) until this many bytes of commands are held, then leaves the rest in the socket.
     */
    static final long HOLD_LIMIT = 64 * 1024;

    private final ChannelHandlerContext ctx;
    private final Channel channel;
    private final Engine engine;
    private final boolean onEngineLoop;
    private final ReplyBuffer out;
    private final RespReply reply;
    private final String remoteAddress;
    private final String localAddress;
    private final boolean unixSocket;
    private final ArrayDeque<byte[][]> pending = new ArrayDeque<>();

    private volatile Session session;
    private ProtocolException protocolError;
    /** The session returned false: hold commands until {@link #resume()}. */
    private boolean blocked;
    private boolean draining;
    private boolean resumedWhileExecuting;
    private boolean flushScheduled;
    /** No more commands run; the connection closes once its replies are sent. */
    private boolean closing;
    private boolean closeSent;
    private boolean gone;
    private final RespChannelHandler reader;
    /** Bytes of a request's arguments parsed so far, as last seen by the I/O thread. */
    private volatile long partialArgv;

    RespConnection(ChannelHandlerContext ctx, Engine engine, boolean onEngineLoop, String unixPath,
                   RespChannelHandler reader) {
        this.ctx = ctx;
        this.reader = reader;
        this.channel = ctx.channel();
        this.engine = engine;
        this.onEngineLoop = onEngineLoop;
        this.out = new ReplyBuffer(channel.alloc(), this::onFirstWrite);
        this.reply = new RespReply(out);
        this.unixSocket = unixPath != null;
        this.remoteAddress = unixSocket ? unixPath + ":0" : format(channel.remoteAddress());
        this.localAddress = unixSocket ? unixPath + ":0" : format(channel.localAddress());
    }

    /** True unless the session still has to authenticate. */
    boolean authenticated() {
        Session s = session;
        return s == null || s.authenticated();
    }

    /** Opens the session, or refuses the client with the engine's error. */
    void open() {
        if (gone) {
            return;
        }
        try {
            session = engine.open(this);
        } catch (CommandException e) {
            engine.rejectedConnection();
            closing = true;
            closeSent = true;
            byte[] line = ("-" + e.getMessage() + "\r\n").getBytes(StandardCharsets.UTF_8);
            onChannelLoop(() -> ctx.writeAndFlush(Unpooled.wrappedBuffer(line)).addListener(ChannelFutureListener.CLOSE));
            return;
        }
        endBatch();
    }

    /** Adds a command parsed from the socket (io-threads 1: called on the read path). */
    void enqueue(byte[][] argv) {
        pending.add(argv);
    }

    /** The input broke the protocol: answer it after the commands before it, then close. */
    void protocolError(ProtocolException e) {
        protocolError = e;
    }

    /** A whole read batch from an I/O thread (io-threads > 1). */
    void acceptBatch(List<byte[][]> commands, ProtocolException error) {
        pending.addAll(commands);
        if (error != null) {
            protocolError = error;
        }
        drain();
        endBatch();
    }

    /** Runs the queued commands until none is left, the session blocks or the connection closes. */
    void drain() {
        if (session == null || draining) {
            return;
        }
        draining = true;
        try {
            byte[][] argv;
            while (!blocked && !closing && (argv = pending.poll()) != null) {
                resumedWhileExecuting = false;
                if (!session.execute(argv) && !resumedWhileExecuting) {
                    blocked = true;
                }
            }
            if (!blocked && !closing && protocolError != null) {
                answerProtocolError();
            }
        } finally {
            draining = false;
        }
    }

    /** Ends a batch: sends the replies in one flush and reads on unless commands are held. */
    void endBatch() {
        if (gone) {
            return;
        }
        boolean readMore = !closing && protocolError == null && (!blocked || heldBytes() < HOLD_LIMIT);
        emit(readMore);
    }

    /** The channel is closed: tells the session, once, and drops what is left. */
    void disconnected() {
        if (gone) {
            return;
        }
        gone = true;
        pending.clear();
        out.release();
        if (session != null) {
            session.disconnected();
        }
    }

    void partialArgv(long n) {
        partialArgv = n;
    }

    private void answerProtocolError() {
        ProtocolException e = protocolError;
        protocolError = null;
        engine.log().verbose("Protocol error (" + e.reason() + ") from client: addr=" + remoteAddress
                + " laddr=" + localAddress);
        engine.rejectedConnection();
        reply.error(e.reply());
        closing = true;
    }

    /** Hands the buffered replies to the channel, then reads on or closes. */
    private void emit(boolean readMore) {
        ByteBuf bytes = out.take();
        boolean close = closing && !closeSent;
        if (close) {
            closeSent = true;
        }
        if (bytes == null && !close && !readMore) {
            return;
        }
        // with appendfsync always the replies wait until the writes they acknowledge are on disk
        if (onEngineLoop) {
            engine.whenDurable(() -> write(bytes, readMore, close));
        } else {
            engine.whenDurable(() -> channel.eventLoop().execute(() -> write(bytes, readMore, close)));
        }
    }

    private void write(ByteBuf bytes, boolean readMore, boolean close) {
        if (close) {
            // close only once everything written before has reached the socket
            ctx.writeAndFlush(bytes != null ? bytes : Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        if (bytes != null) {
            ctx.writeAndFlush(bytes, ctx.voidPromise());
        }
        if (readMore) {
            ctx.read();
        }
    }

    private void onChannelLoop(Runnable task) {
        if (onEngineLoop) {
            task.run();
        } else {
            channel.eventLoop().execute(task);
        }
    }

    /** Replies written outside a batch (pub/sub, a client woken up) are sent after the current task. */
    private void onFirstWrite() {
        if (!draining && !flushScheduled) {
            flushScheduled = true;
            DeferredFlushes.schedule(this, engine.executor());
        }
    }

    void deferredFlush() {
        flushScheduled = false;
        if (gone) {
            out.release();
        } else {
            emit(false);
        }
    }

    private long heldBytes() {
        long n = 0;
        for (byte[][] argv : pending) {
            for (byte[] a : argv) {
                n += a.length;
            }
            if (n >= HOLD_LIMIT) {
                break;
            }
        }
        return n;
    }

    @Override
    public Reply reply() {
        return reply;
    }

    @Override
    public void protocol(int version) {
        reply.protocol(version);
    }

    @Override
    public String remoteAddress() {
        return remoteAddress;
    }

    @Override
    public String localAddress() {
        return localAddress;
    }

    @Override
    public int fd() {
        return channel instanceof UnixChannel ? ((UnixChannel) channel).fd().intValue() : -1;
    }

    @Override
    public boolean unixSocket() {
        return unixSocket;
    }

    @Override
    public void flush() {
        if (!gone) {
            emit(false);
        }
    }

    @Override
    public void close() {
        if (closing || gone) {
            return;
        }
        closing = true;
        if (!draining) {
            emit(false);
        }
    }

    @Override
    public void abort() {
        if (gone) {
            return;
        }
        closing = true;
        closeSent = true;
        out.release();
        onChannelLoop(channel::close);
    }

    @Override
    public void resume() {
        if (draining) {
            // called from inside this session's own execute: the drain loop goes on
            resumedWhileExecuting = true;
            blocked = false;
            return;
        }
        if (!blocked || gone) {
            return;
        }
        blocked = false;
        drain();
        endBatch();
    }

    @Override
    public boolean conversational() {
        return onEngineLoop;
    }

    @Override
    public byte[][] takeCommand() {
        byte[][] argv = pending.poll();
        if (argv == null && !gone && !closing && protocolError == null) {
            ctx.read();
        }
        return argv;
    }

    @Override
    public void flushNow() {
        ByteBuf bytes = out.take();
        if (bytes != null) {
            ctx.writeAndFlush(bytes, ctx.voidPromise());
        }
    }

    @Override
    public boolean closed() {
        // a channel closed by its loop hears channelInactive only in a later task of that loop
        return gone || closing || !channel.isActive() || (protocolError != null && pending.isEmpty());
    }

    @Override
    public int queryBufferSize() {
        return (int) Math.min(reader.queryBuffer().length(), Integer.MAX_VALUE);
    }

    @Override
    public long queryBufferFree() {
        return reader.queryBuffer().free();
    }

    @Override
    public long partialArgvSize() {
        return partialArgv;
    }

    @Override
    public void trimQueryBuffer() {
        onChannelLoop(reader::trimQueryBuffer);
    }

    @Override
    public long outputBufferSize() {
        ChannelOutboundBuffer inFlight = channel.unsafe().outboundBuffer();
        return out.size() + (inFlight == null ? 0 : inFlight.totalPendingWriteBytes());
    }

    /** "ip:port", with the IPv6 form in brackets as Redis writes it. */
    static String format(SocketAddress address) {
        if (!(address instanceof InetSocketAddress)) {
            return "?:0";
        }
        InetSocketAddress inet = (InetSocketAddress) address;
        if (inet.getAddress() == null) {
            return inet.getHostString() + ":" + inet.getPort();
        }
        String ip = NetUtil.toAddressString(inet.getAddress());
        return (ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip) + ":" + inet.getPort();
    }
}
