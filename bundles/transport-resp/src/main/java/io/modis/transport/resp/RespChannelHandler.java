package io.modis.transport.resp;

import io.modis.api.Engine;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The I/O side of one client connection: gathers what the socket delivers, parses commands
 * and gives them to the {@link RespConnection} on the engine thread.
 *
 * <p>With io-threads 1 the channel lives on the engine loop: commands run as they are parsed
 * and the batch ends in {@link #channelReadComplete}. Otherwise everything parsed from one read
 * burst travels to the engine as a single task. The channel does not auto-read: the connection
 * asks for the next read when it is ready for more.
 */
final class RespChannelHandler extends ChannelInboundHandlerAdapter {
    /** client-query-buffer-limit cannot be set below 1MB: smaller buffers need no look-up. */
    static final long MIN_QUERY_BUFFER_LIMIT = 1024 * 1024;

    private final Engine engine;
    private final RespDecoder decoder;
    private final LongSupplier queryBufferLimit;
    private final String unixPath;
    private RespConnection connection;
    private boolean onEngineLoop;
    private ByteBuf input;
    /** Commands parsed in the current burst (io-threads > 1). */
    private List<byte[][]> batch;
    private ProtocolException error;
    private final QueryBufferAccount queryBuffer = new QueryBufferAccount();
    /**
     * Bytes of the current read for the query buffer accounting: Netty reads into buffers as
     * small as its size guess, where Redis reads up to 16KB at once, so reads that filled their
     * buffer (more was waiting) count together with the next as one read.
     */
    private long burstBytes;
    private long burstBigArg;
    /** The input broke the protocol or the limits: nothing more is read or parsed. */
    private boolean stopped;

    /**
     * @param unixPath the unix socket's path, or null for TCP
     */
    RespChannelHandler(Engine engine, LongSupplier maxBulkLen, LongSupplier queryBufferLimit, String unixPath) {
        this.engine = engine;
        this.decoder = new RespDecoder(maxBulkLen, () -> connection == null || connection.authenticated());
        this.queryBufferLimit = queryBufferLimit;
        this.unixPath = unixPath;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        onEngineLoop = ctx.channel().eventLoop() == engine.executor();
        connection = new RespConnection(ctx, engine, onEngineLoop, unixPath, this);
        onEngine(connection::open);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        if (stopped) {
            in.release();
            return;
        }
        if (burstBytes == 0) {
            burstBigArg = bigArgRemaining();
        }
        burstBytes += in.readableBytes();
        boolean truncated = in.writerIndex() == in.capacity();
        input = input == null ? in : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(ctx.alloc(), input, in);
        // checked before parsing, as Redis does, so a single huge argument cannot slip through
        long queued = input.readableBytes() + decoder.pendingBytes();
        if (queued > MIN_QUERY_BUFFER_LIMIT && queued > queryBufferLimit.getAsLong()) {
            engine.log().warning("Closing client that reached max query buffer length: addr="
                    + connection.remoteAddress() + " laddr=" + connection.localAddress()
                    + " (qbuf initial bytes: " + preview(input) + ")");
            stop();
            batch = null; // a client over the limit runs nothing more, as in Redis
            ctx.close();
            return;
        }
        parse();
        if (!truncated || burstBytes >= QueryBufferAccount.IOBUF_LEN) {
            queryBuffer.read(burstBytes, burstBigArg, System.currentTimeMillis());
            burstBytes = 0;
            queryBuffer.parsed((input == null ? 0 : input.readableBytes()) + decoder.pendingBytes());
        }
        connection.partialArgv(decoder.partialArgvBytes());
        if (onEngineLoop) {
            if (error != null) {
                connection.protocolError(error);
                error = null;
            }
            connection.drain();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (onEngineLoop) {
            connection.endBatch();
            return;
        }
        if ((batch == null || batch.isEmpty()) && error == null) {
            if (!stopped) {
                ctx.read(); // only part of a command arrived
            }
            return;
        }
        List<byte[][]> commands = batch == null ? List.of() : batch;
        ProtocolException failure = error;
        batch = null;
        error = null;
        RespConnection c = connection;
        engine.executor().execute(() -> c.acceptBatch(commands, failure));
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        stop();
        queryBuffer.clear();
        if (connection != null) {
            onEngine(connection::disconnected);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // a reset peer or a failed write: Redis drops such a client quietly (verbose log)
        engine.log().verbose("Error on client connection " + (connection == null ? "?" : connection.remoteAddress())
                + ": " + cause.getMessage());
        ctx.close();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releaseInput();
    }

    /** Bytes still missing of a large argument being read (Redis reads exactly those), else 0. */
    private long bigArgRemaining() {
        long bulkLen = decoder.bulkLength();
        if (bulkLen < QueryBufferAccount.BIG_ARG) {
            return 0;
        }
        long have = decoder.pendingBytes() + (input == null ? 0 : input.readableBytes());
        return Math.max(0, bulkLen + 2 - have);
    }

    /** The client cron's turn for this connection's query buffer (on this channel's loop). */
    void trimQueryBuffer() {
        queryBuffer.trim(System.currentTimeMillis(), decoder.bulkLength());
    }

    QueryBufferAccount queryBuffer() {
        return queryBuffer;
    }

    private void parse() {
        try {
            byte[][] argv;
            while ((argv = decoder.decode(input)) != null) {
                if (onEngineLoop) {
                    connection.enqueue(argv);
                } else {
                    if (batch == null) {
                        batch = new ArrayList<>();
                    }
                    batch.add(argv);
                }
            }
        } catch (ProtocolException e) {
            error = e;
            stop();
            return;
        }
        if (!input.isReadable()) {
            releaseInput();
        } else {
            input.discardSomeReadBytes();
        }
    }

    private void stop() {
        stopped = true;
        releaseInput();
    }

    private void releaseInput() {
        if (input != null) {
            input.release();
            input = null;
        }
    }

    private void onEngine(Runnable task) {
        if (onEngineLoop) {
            task.run();
        } else {
            engine.executor().execute(task);
        }
    }

    /** The first bytes of the query buffer, printable, for the log. */
    private static String preview(ByteBuf buf) {
        if (buf == null) {
            return "\"\"";
        }
        StringBuilder sb = new StringBuilder("\"");
        int n = Math.min(buf.readableBytes(), 64);
        for (int i = 0; i < n; i++) {
            int c = buf.getByte(buf.readerIndex() + i) & 0xff;
            if (c == '\\' || c == '"') {
                sb.append('\\').append((char) c);
            } else if (c == '\n') {
                sb.append("\\n");
            } else if (c == '\r') {
                sb.append("\\r");
            } else if (c >= 32 && c < 127) {
                sb.append((char) c);
            } else {
                sb.append(String.format("\\x%02x", c));
            }
        }
        return sb.append('"').toString();
    }
}
