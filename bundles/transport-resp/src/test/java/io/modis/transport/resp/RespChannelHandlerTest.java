package io.modis.transport.resp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The connection on the engine's own loop (io-threads 1), driven through an EmbeddedChannel:
 * what is executed, what is written, how many flushes, when the channel closes.
 */
class RespChannelHandlerTest {
    private EmbeddedChannel channel;
    private TestEngine engine;
    private int flushes;
    private long queryBufferLimit = 1024L * 1024 * 1024;

    private void open() {
        EmbeddedChannel[] holder = new EmbeddedChannel[1];
        engine = new TestEngine(() -> holder[0].eventLoop());
        ChannelOutboundHandlerAdapter flushCounter = new ChannelOutboundHandlerAdapter() {
            @Override
            public void flush(ChannelHandlerContext ctx) {
                flushes++;
                ctx.flush();
            }
        };
        RespChannelHandler handler = new RespChannelHandler(engine, () -> 512L * 1024 * 1024, () -> queryBufferLimit, null);
        channel = new EmbeddedChannel(false, false, flushCounter, handler);
        holder[0] = channel;
        try {
            channel.register();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @AfterEach
    void close() {
        if (channel != null) {
            channel.finishAndReleaseAll();
        }
    }

    private String send(String wire) {
        return send(wire.getBytes(StandardCharsets.ISO_8859_1));
    }

    private String send(byte[] wire) {
        channel.writeInbound(Unpooled.wrappedBuffer(wire));
        channel.runPendingTasks();
        return output();
    }

    private String output() {
        StringBuilder sb = new StringBuilder();
        ByteBuf b;
        while ((b = channel.readOutbound()) != null) {
            sb.append(b.toString(StandardCharsets.ISO_8859_1));
            b.release();
        }
        return sb.toString();
    }

    private static String echo(String... args) {
        StringBuilder sb = new StringBuilder("*").append(args.length).append("\r\n");
        for (String a : args) {
            sb.append('$').append(a.getBytes(StandardCharsets.ISO_8859_1).length).append("\r\n").append(a).append("\r\n");
        }
        return sb.toString();
    }

    @Test
    void pipelinedCommandsAnswerInOrderWithOneFlush() {
        open();
        int before = flushes;
        StringBuilder in = new StringBuilder();
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 500; i++) {
            in.append(i % 2 == 0 ? "*2\r\n$4\r\nECHO\r\n$" + Integer.toString(i).length() + "\r\n" + i + "\r\n" : "ECHO " + i + "\r\n");
            expected.append(echo("ECHO", Integer.toString(i)));
        }
        assertEquals(expected.toString(), send(in.toString()));
        assertEquals(1, flushes - before);
        assertEquals(500, engine.executed.size());
    }

    @Test
    void repliesWrittenOutsideABatchAreFlushedOncePerEngineTask() {
        open();
        assertEquals(echo("PING"), send("PING\r\n"));
        io.modis.api.Connection conn = engine.connections.peek();
        int before = flushes;
        channel.eventLoop().execute(() -> {
            for (int i = 0; i < 3; i++) {
                conn.reply().bulk("m" + i); // as a PUBLISH to a subscriber does
            }
        });
        channel.runPendingTasks();
        assertEquals("$2\r\nm0\r\n$2\r\nm1\r\n$2\r\nm2\r\n", output());
        assertEquals(1, flushes - before, "three messages in one engine task, one flush");
        channel.eventLoop().execute(() -> conn.reply().bulk("m3"));
        channel.runPendingTasks();
        assertEquals("$2\r\nm3\r\n", output());
        assertEquals(2, flushes - before, "a later task flushes again");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "*3000000000\\r\\n | ERR Protocol error: invalid multibulk length | invalid mbulk count",
        "*3\\r\\n$3\\r\\nSET\\r\\n$1\\r\\nx\\r\\nfooz\\r\\n | ERR Protocol error: expected '$', got 'f' | expected $ but got something else",
        "*1\\r\\nfoo\\r\\n | ERR Protocol error: expected '$', got 'f' | expected $ but got something else",
        "*3\\r\\n$3\\r\\nSET\\r\\n$1\\r\\nx\\r\\n$-10\\r\\n | ERR Protocol error: invalid bulk length | invalid bulk length",
        "*3\\r\\n$3\\r\\nSET\\r\\n$1\\r\\nx\\r\\n$2000000000\\r\\n | ERR Protocol error: invalid bulk length | invalid bulk length",
        "*3\\r\\n$3\\r\\nSET\\r\\n$1\\r\\nx\\r\\n$blabla\\r\\n | ERR Protocol error: invalid bulk length | invalid bulk length",
        "set \"\"\"test-key\"\"\" test-value\\r\\nping\\r\\n | ERR Protocol error: unbalanced quotes in request | unbalanced quotes in inline request",
    })
    void protocolErrorAnswersAfterEarlierCommandsThenCloses(String bad, String error, String reason) {
        open();
        String wire = "*1\r\n$4\r\nPING\r\nECHO before\r\n" + bad.replace("\\r\\n", "\r\n");
        String out = send(wire);
        assertEquals(echo("PING") + echo("ECHO", "before") + "-" + error + "\r\n", out);
        assertFalse(channel.isOpen(), "closed after the error reply");
        assertEquals(List.of("PING", "ECHO"), List.copyOf(engine.executed));
        assertEquals(1, engine.rejected.get());
        assertTrue(engine.logged("VERBOSE Protocol error (" + reason + ") from client"), engine.logLines.toString());
    }

    @ParameterizedTest
    @CsvSource({
        "'', too big inline request",
        "*, too big mbulk count string",
        "*1\\r\\n$, too big bulk count string",
    })
    void lineWithoutEndBeyond64KbIsAnError(String prefix, String what) {
        open();
        String start = prefix.replace("\\r\\n", "\r\n");
        // the limit counts from the start of the unfinished line: exactly 64KB still waits
        String line = start.substring(start.lastIndexOf('\n') + 1);
        assertEquals("", send(start + "1".repeat(RespDecoder.MAX_LINE - line.length())));
        assertTrue(channel.isOpen());
        assertEquals("-ERR Protocol error: " + what + "\r\n", send("1"));
        assertFalse(channel.isOpen());
    }

    @Test
    void inputAfterAProtocolErrorIsNeverExecuted() {
        open();
        assertEquals("-ERR Protocol error: invalid multibulk length\r\n", send("*x\r\nECHO no\r\n"));
        assertTrue(engine.executed.isEmpty());
    }

    @Test
    void emptyQueriesAreIgnored() {
        open();
        assertEquals(echo("PING"), send("\r\n*0\r\n*-10\r\n  \r\nPING\r\n"));
    }

    @Test
    void refusedConnectionGetsTheErrorAndIsClosed() {
        EmbeddedChannel[] holder = new EmbeddedChannel[1];
        engine = new TestEngine(() -> holder[0].eventLoop());
        engine.refuse = "ERR max number of clients reached";
        channel = new EmbeddedChannel(false, false, new RespChannelHandler(engine, () -> 1L << 29, () -> 1L << 30, null));
        holder[0] = channel;
        try {
            channel.register();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        channel.runPendingTasks();
        assertEquals("-ERR max number of clients reached\r\n", output());
        assertFalse(channel.isOpen());
        assertEquals(1, engine.rejected.get());
        assertEquals(0, engine.disconnected.get(), "no session was opened");
    }

    @Test
    void blockedSessionHoldsLaterCommandsUntilResumed() {
        open();
        assertEquals("+BLOCKED\r\n", send("BLOCK\r\nECHO a\r\n"));
        assertEquals("", send("ECHO b\r\n"));
        assertEquals(List.of("BLOCK"), List.copyOf(engine.executed));
        int before = flushes;
        engine.resumeBlocked();
        channel.runPendingTasks();
        assertEquals(echo("ECHO", "a") + echo("ECHO", "b"), output());
        assertEquals(1, flushes - before, "held commands answer in one flush");
        assertEquals(echo("ECHO", "c"), send("ECHO c\r\n"));
    }

    @Test
    void protocolErrorWaitsBehindABlockedCommand() {
        open();
        assertEquals("+BLOCKED\r\n", send("BLOCK\r\nECHO a\r\n*x\r\n"));
        assertTrue(channel.isOpen());
        engine.resumeBlocked();
        channel.runPendingTasks();
        assertEquals(echo("ECHO", "a") + "-ERR Protocol error: invalid multibulk length\r\n", output());
        assertFalse(channel.isOpen());
    }

    @Test
    void closeFromTheSessionSendsRepliesFirst() {
        open();
        assertEquals(echo("ECHO", "x") + "+OK\r\n", send("ECHO x\r\nQUIT\r\nECHO never\r\n"));
        assertFalse(channel.isOpen());
        assertEquals(List.of("ECHO", "QUIT"), List.copyOf(engine.executed));
    }

    @Test
    void disconnectReachesTheSessionOnce() {
        open();
        send("ECHO x\r\n");
        channel.close();
        channel.runPendingTasks();
        assertEquals(1, engine.disconnected.get());
    }

    @Test
    void bulkSplitAcrossManyReads() {
        open();
        byte[] value = new byte[300_000];
        for (int i = 0; i < value.length; i++) {
            value[i] = (byte) ('a' + i % 26);
        }
        String v = new String(value, StandardCharsets.ISO_8859_1);
        String wire = "*2\r\n$4\r\nECHO\r\n$" + value.length + "\r\n" + v + "\r\n";
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < wire.length(); i += 1000) {
            out.append(send(wire.substring(i, Math.min(wire.length(), i + 1000))));
        }
        assertEquals(echo("ECHO", v), out.toString());
        assertEquals(1, engine.executed.size());
    }

    @Test
    void queryBufferOverTheLimitClosesTheClient() {
        queryBufferLimit = 1024 * 1024;
        open();
        assertEquals("", send("*2\r\n$4\r\nECHO\r\n$2000000\r\n" + "x".repeat(1000 * 1000)));
        assertTrue(channel.isOpen());
        send("x".repeat(100_000));
        assertFalse(channel.isOpen());
        assertTrue(engine.logged("WARNING Closing client that reached max query buffer length"), engine.logLines.toString());
        assertTrue(engine.executed.isEmpty());
    }

    @Test
    void resp3AfterHello() {
        open();
        assertEquals("+OK\r\n", send("HELLO3\r\n"));
        assertEquals(echo("ECHO", "x"), send("ECHO x\r\n"));
    }

    @Test
    void repliesWrittenOutsideABatchAreFlushedByTheEngine() {
        open();
        send("ECHO x\r\n");
        send("BLOCK\r\n");
        // a reply written for this client from elsewhere (like a pub/sub message)
        RespConnection conn = (RespConnection) engine.blocked.peek();
        int before = flushes;
        conn.reply().simple("pushed");
        channel.runPendingTasks();
        assertEquals("+pushed\r\n", output());
        assertEquals(1, flushes - before);
    }

    /** A read into a buffer of its own size (Netty's guess was too small), or with room to spare. */
    private String read(String part, boolean filledItsBuffer) {
        byte[] b = part.getBytes(StandardCharsets.ISO_8859_1);
        ByteBuf buf = Unpooled.buffer(filledItsBuffer ? b.length : b.length + 64);
        buf.writeBytes(b);
        channel.writeInbound(buf);
        channel.runPendingTasks();
        return output();
    }

    @Test
    void aCommandSplitByNettysSmallReadsCountsAsOneRedisRead() {
        open();
        io.modis.api.Connection c = engine.connections.peek();
        String cmd = echo("ECHO", "abc");
        assertEquals("", read(cmd.substring(0, 10), true));
        assertEquals(cmd, read(cmd.substring(10), false));
        assertEquals(0, c.queryBufferSize());
        assertEquals(16 * 1024, c.queryBufferFree(), "room for one 16KB read, not grown for a second one");
        assertEquals("", read(cmd.substring(0, 10), false));
        assertEquals(2, c.queryBufferSize(), "a client that really sent half a command: \"EC\" is pending");
        assertEquals(0, c.partialArgvSize());
        assertEquals(cmd, read(cmd.substring(10), false));
        assertEquals(2 * (2 + 16 * 1024), c.queryBufferFree(), "then Redis's greedy growth applies");
    }
}
