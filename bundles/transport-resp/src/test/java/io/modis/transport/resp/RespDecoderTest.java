package io.modis.transport.resp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class RespDecoderTest {
    private final RespDecoder decoder = new RespDecoder(() -> 2L * 1024 * 1024);

    private static ByteBuf buf(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.ISO_8859_1);
    }

    private static List<String> strings(byte[][] argv) {
        List<String> out = new ArrayList<>();
        for (byte[] a : argv) {
            out.add(new String(a, StandardCharsets.ISO_8859_1));
        }
        return out;
    }

    private List<List<String>> all(ByteBuf in) throws ProtocolException {
        List<List<String>> out = new ArrayList<>();
        byte[][] argv;
        while ((argv = decoder.decode(in)) != null) {
            out.add(strings(argv));
        }
        return out;
    }

    /** A connection is closed after a protocol error, so each case gets a fresh decoder. */
    private static String error(String input) {
        RespDecoder fresh = new RespDecoder(() -> 2L * 1024 * 1024);
        ByteBuf in = buf(input);
        return assertThrows(ProtocolException.class, () -> {
            while (fresh.decode(in) != null) {
                // commands before the error are not the point here
            }
        }).reply();
    }

    @Test
    void multibulkRequests() throws Exception {
        assertEquals(List.of(List.of("SET", "k", "v"), List.of("PING")),
                all(buf("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n*1\r\n$4\r\nPING\r\n")));
    }

    @Test
    void emptyAndNegativeMultibulkAreIgnored() throws Exception {
        assertEquals(List.of(List.of("PING")), all(buf("*0\r\n*-10\r\n*-9223372036854775808\r\n*1\r\n$4\r\nPING\r\n")));
    }

    @Test
    void binaryBulksKeepEveryByte() throws Exception {
        ByteBuf in = buf("*1\r\n$4\r\n\u0000\r\n\u00ff\r\n");
        byte[][] argv = decoder.decode(in);
        assertArrayEquals(new byte[] {0, '\r', '\n', (byte) 0xff}, argv[0]);
    }

    @Test
    void protocolErrorsHaveRedisWords() {
        assertEquals("ERR Protocol error: invalid multibulk length", error("*3000000000\r\n"));
        assertEquals("ERR Protocol error: invalid multibulk length", error("*abc\r\n"));
        assertEquals("ERR Protocol error: invalid multibulk length", error("*+1\r\n"));
        assertEquals("ERR Protocol error: invalid multibulk length", error("*01\r\n"));
        assertEquals("ERR Protocol error: expected '$', got 'f'", error("*3\r\n$3\r\nSET\r\n$1\r\nx\r\nfooz\r\n"));
        assertEquals("ERR Protocol error: expected '$', got 'f'", error("*1\r\nfoo\r\n"));
        assertEquals("ERR Protocol error: invalid bulk length", error("*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$-10\r\n"));
        assertEquals("ERR Protocol error: invalid bulk length", error("*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$2000000000\r\n"));
        assertEquals("ERR Protocol error: invalid bulk length", error("*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$blabla\r\n"));
        assertEquals("ERR Protocol error: invalid bulk length", error("*1\r\n$-1\r\n"));
        assertEquals("ERR Protocol error: unbalanced quotes in request", error("set \"\"\"test-key\"\"\" test-value\r\n"));
        assertEquals("ERR Protocol error: unbalanced quotes in request", error("set \"abc\r\n"));
        assertEquals("ERR Protocol error: unbalanced quotes in request", error("set 'abc\r\n"));
    }

    @Test
    void bulkLengthIsCheckedAgainstTheLiveLimit() throws Exception {
        long[] limit = {2L * 1024 * 1024};
        RespDecoder d = new RespDecoder(() -> limit[0]);
        assertNull(d.decode(buf("*1\r\n$2097152\r\n")));
        limit[0] = 1024 * 1024;
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> new RespDecoder(() -> limit[0]).decode(buf("*1\r\n$2097152\r\n")));
        assertEquals("ERR Protocol error: invalid bulk length", e.reply());
    }

    @Test
    void tooLongLinesWithoutTerminator() {
        String big = "x".repeat(RespDecoder.MAX_LINE + 1);
        assertEquals("ERR Protocol error: too big inline request", error(big));
        assertEquals("ERR Protocol error: too big mbulk count string", error("*" + big));
        assertEquals("ERR Protocol error: too big bulk count string", error("*1\r\n$" + big));
    }

    @Test
    void lineUpToTheLimitWaitsForMore() throws Exception {
        assertEquals(List.of(), all(buf("x".repeat(RespDecoder.MAX_LINE))));
    }

    @Test
    void nulHidesTheTerminatorAsInRedis() throws Exception {
        // Redis searches lines with strchr: "\0" ends the search, so the line never completes
        assertEquals(List.of(), all(buf("PI\u0000NG\r\n")));
        assertEquals("ERR Protocol error: too big inline request", error("\u0000" + "A".repeat(70000) + "\n"));
        assertEquals("ERR Protocol error: too big mbulk count string", error("*\u0000" + "A".repeat(70000) + "\r\n"));
    }

    @Test
    void inlineCommands() throws Exception {
        assertEquals(List.of(List.of("SET", "a", "b"), List.of("PING")), all(buf("SET a   b\r\nPING\n")));
        assertEquals(List.of(List.of("PING")), all(buf("\r\n\n   \r\nPING\r\n")));
        assertEquals(List.of(List.of("a")), all(buf("a\r\r\n"))); // an unquoted '\r' ends a word
    }

    @Test
    void inlineQuotes() throws Exception {
        assertEquals(List.of(List.of("set", "a b", "c\"d")), all(buf("set \"a b\" 'c\"d'\r\n")));
        assertEquals(List.of(List.of("x\n\r\t\b\u0007\\\"z", "\u00ff\u0001")),
                all(buf("\"x\\n\\r\\t\\b\\a\\\\\\\"\\z\" \"\\xff\\x01\"\r\n")));
        assertEquals(List.of(List.of("it's", "a\\b")), all(buf("'it\\'s' 'a\\b'\r\n")));
        assertEquals(List.of(List.of("foobar baz")), all(buf("foo\"bar baz\"\r\n")));
        assertEquals(List.of(List.of("", "")), all(buf("\"\" ''\r\n")));
        assertEquals(List.of(List.of("xZZ")), all(buf("\"\\xZZ\"\r\n")));
        assertEquals(List.of(List.of("a\u000bb")), all(buf("a\u000bb\r\n")));
        assertEquals("ERR Protocol error: unbalanced quotes in request", error("\"a\"b\r\n"));
        assertEquals("ERR Protocol error: unbalanced quotes in request", error("'a'b\r\n"));
    }

    @Test
    void commandSplitAtEveryByte() throws Exception {
        byte[] wire = "*2\r\n$4\r\nECHO\r\n$11\r\nhello world\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII);
        ByteBuf in = Unpooled.buffer();
        List<List<String>> got = new ArrayList<>();
        for (byte b : wire) {
            in.writeByte(b);
            got.addAll(all(in));
            in.discardReadBytes();
        }
        assertEquals(List.of(List.of("ECHO", "hello world"), List.of("PING")), got);
    }

    @Test
    void largeBulkAcrossManyReads() throws Exception {
        int len = 1_500_000; // above the eager allocation size: the array grows as data comes
        byte[] value = new byte[len];
        for (int i = 0; i < len; i++) {
            value[i] = (byte) i;
        }
        ByteBuf in = Unpooled.buffer();
        in.writeBytes(buf("*2\r\n$3\r\nSET\r\n$" + len + "\r\n"));
        assertNull(decoder.decode(in));
        int off = 0;
        byte[][] argv = null;
        while (off < len) {
            int n = Math.min(7919, len - off);
            in.writeBytes(value, off, n);
            off += n;
            argv = decoder.decode(in);
            assertEquals(off, decoder.pendingBytes() + (argv == null ? 0 : len));
            in.discardReadBytes();
        }
        assertNull(argv, "the closing CRLF has not arrived yet");
        in.writeBytes(buf("\r"));
        assertNull(decoder.decode(in));
        in.writeBytes(buf("\n"));
        argv = decoder.decode(in);
        assertEquals("SET", new String(argv[0], StandardCharsets.US_ASCII));
        assertArrayEquals(value, argv[1]);
        assertEquals(0, decoder.pendingBytes());
    }

    @Test
    void manyArgumentsGrowTheArgv() throws Exception {
        StringBuilder sb = new StringBuilder("*3000\r\n");
        for (int i = 0; i < 3000; i++) {
            String s = Integer.toString(i);
            sb.append('$').append(s.length()).append("\r\n").append(s).append("\r\n");
        }
        byte[][] argv = decoder.decode(buf(sb.toString()));
        assertEquals(3000, argv.length);
        assertEquals("2999", new String(argv[2999], StandardCharsets.US_ASCII));
        assertEquals(Arrays.asList("0", "1"), strings(Arrays.copyOf(argv, 2)));
    }

    @Test
    void theArgumentsOfAPartialRequestAreCounted() throws ProtocolException {
        ByteBuf in = buf("*3\r\n$3\r\nSET\r\n$5\r\nhello\r\n$5\r\nwor");
        assertNull(decoder.decode(in));
        assertEquals(8, decoder.partialArgvBytes());
        assertEquals(5, decoder.bulkLength());
        in.writeBytes("ld\r\n".getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(List.of("SET", "hello", "world"), strings(decoder.decode(in)));
        assertEquals(0, decoder.partialArgvBytes());
        assertEquals(-1, decoder.bulkLength());
    }
}
