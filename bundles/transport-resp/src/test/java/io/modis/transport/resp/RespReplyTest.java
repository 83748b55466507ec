package io.modis.transport.resp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.modis.api.SharedReply;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class RespReplyTest {
    private int firstWrites;
    private final ReplyBuffer out = new ReplyBuffer(PooledByteBufAllocator.DEFAULT, () -> firstWrites++);
    private final RespReply reply = new RespReply(out);

    private String written() {
        ByteBuf b = out.take();
        if (b == null) {
            return "";
        }
        try {
            return b.toString(StandardCharsets.ISO_8859_1);
        } finally {
            b.release();
        }
    }

    private String resp2(Consumer<RespReply> w) {
        reply.protocol(2);
        w.accept(reply);
        return written();
    }

    private String resp3(Consumer<RespReply> w) {
        reply.protocol(3);
        w.accept(reply);
        return written();
    }

    private void both(Consumer<RespReply> w, String v2, String v3) {
        assertEquals(v2, resp2(w), "RESP2");
        assertEquals(v3, resp3(w), "RESP3");
    }

    @Test
    void simpleStringsAndErrors() {
        both(r -> r.simple("PONG"), "+PONG\r\n", "+PONG\r\n");
        both(r -> r.ok(), "+OK\r\n", "+OK\r\n");
        both(r -> r.error("ERR syntax error"), "-ERR syntax error\r\n", "-ERR syntax error\r\n");
        both(r -> r.error("ERR bad\r\nthing\n"), "-ERR bad  thing \r\n", "-ERR bad  thing \r\n");
        assertEquals(4, reply.errors());
        assertEquals("ERR bad\r\nthing\n", reply.lastError());
    }

    @Test
    void aSharedReplyIsEncodedOncePerProtocolAndCopiedAfterThat() {
        int[] encodings = {0};
        SharedReply message = new SharedReply(r -> {
            encodings[0]++;
            r.push(3);
            r.bulk("message");
            r.bulk("ch");
            r.bulk("hi");
        });
        String v2 = "*3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n";
        String v3 = ">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n";
        for (int i = 0; i < 3; i++) {
            both(r -> r.shared(message), v2, v3);
        }
        assertEquals(2, encodings[0]);
        assertEquals(v2.getBytes(StandardCharsets.ISO_8859_1).length, message.encoded(2).length);
        // what a subscriber gets is what the element-wise writes give
        both(r -> message.writeTo(r), v2, v3);
    }

    @Test
    void noErrorsYet() {
        assertEquals(0, reply.errors());
        assertNull(reply.lastError());
    }

    @Test
    void integers() {
        both(r -> r.integer(0), ":0\r\n", ":0\r\n");
        both(r -> r.integer(9999), ":9999\r\n", ":9999\r\n");
        both(r -> r.integer(10000), ":10000\r\n", ":10000\r\n");
        both(r -> r.integer(-1), ":-1\r\n", ":-1\r\n");
        both(r -> r.integer(Long.MAX_VALUE), ":9223372036854775807\r\n", ":9223372036854775807\r\n");
        both(r -> r.integer(Long.MIN_VALUE), ":-9223372036854775808\r\n", ":-9223372036854775808\r\n");
    }

    @Test
    void bulks() {
        both(r -> r.bulk(new byte[0]), "$0\r\n\r\n", "$0\r\n\r\n");
        both(r -> r.bulk("héllo"), "$6\r\nh\u00c3\u00a9llo\r\n", "$6\r\nh\u00c3\u00a9llo\r\n");
        both(r -> r.bulk("xabcx".getBytes(StandardCharsets.US_ASCII), 1, 3), "$3\r\nabc\r\n", "$3\r\nabc\r\n");
        String k = "k".repeat(5000);
        both(r -> r.bulk(k), "$5000\r\n" + k + "\r\n", "$5000\r\n" + k + "\r\n");
    }

    @Test
    void hugeBulkIsChunkedNotRegrown() {
        byte[] big = new byte[3 * ReplyBuffer.BIG_CHUNK + 17];
        Arrays.fill(big, (byte) 'z');
        reply.simple("before");
        reply.bulk(big);
        reply.integer(1);
        ByteBuf all = out.take();
        try {
            assertEquals(9 + 10 + big.length + 2 + 4, all.readableBytes());
            String head = all.toString(0, 19, StandardCharsets.US_ASCII);
            assertEquals("+before\r\n$3145745\r\n", head);
            assertEquals("\r\n:1\r\n", all.toString(all.readableBytes() - 6, 6, StandardCharsets.US_ASCII));
            assertEquals(19 + big.length, all.indexOf(19, all.readableBytes(), (byte) '\r'));
        } finally {
            all.release();
        }
    }

    @Test
    void nulls() {
        both(RespReply::nil, "$-1\r\n", "_\r\n");
        both(RespReply::nilArray, "*-1\r\n", "_\r\n");
    }

    @Test
    void aggregates() {
        both(r -> r.array(0), "*0\r\n", "*0\r\n");
        both(r -> r.array(2000), "*2000\r\n", "*2000\r\n");
        both(r -> r.map(2), "*4\r\n", "%2\r\n");
        both(r -> r.set(3), "*3\r\n", "~3\r\n");
        both(r -> r.push(3), "*3\r\n", ">3\r\n");
    }

    @Test
    void doubles() {
        both(r -> r.dbl(1.5), "$3\r\n1.5\r\n", ",1.5\r\n");
        both(r -> r.dbl(3), "$1\r\n3\r\n", ",3\r\n");
        both(r -> r.dbl(Double.POSITIVE_INFINITY), "$3\r\ninf\r\n", ",inf\r\n");
        both(r -> r.dbl(Double.NEGATIVE_INFINITY), "$4\r\n-inf\r\n", ",-inf\r\n");
        both(r -> r.dbl(Double.NaN), "$3\r\nnan\r\n", ",nan\r\n");
    }

    @Test
    void booleans() {
        both(r -> r.bool(true), ":1\r\n", "#t\r\n");
        both(r -> r.bool(false), ":0\r\n", "#f\r\n");
    }

    @Test
    void verbatimAndBigNumbers() {
        byte[] text = "hello".getBytes(StandardCharsets.US_ASCII);
        both(r -> r.verbatim("txt", text), "$5\r\nhello\r\n", "=9\r\ntxt:hello\r\n");
        both(r -> r.verbatim("md", text), "$5\r\nhello\r\n", "=9\r\nmd :hello\r\n");
        both(r -> r.bigNumber("1234567890123456789012"), "$22\r\n1234567890123456789012\r\n",
                "(1234567890123456789012\r\n");
    }

    @Test
    void repliesAccumulateUntilTaken() {
        reply.simple("a");
        reply.integer(2);
        reply.nil();
        assertEquals(1, firstWrites, "one notification for the first byte of a batch");
        assertEquals("+a\r\n:2\r\n$-1\r\n", written());
        reply.ok();
        assertEquals(2, firstWrites);
        assertEquals("+OK\r\n", written());
    }

    @Test
    void manySmallRepliesSpanSeveralChunks() {
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 30000; i++) {
            reply.integer(i);
            expected.append(':').append(i).append("\r\n");
        }
        assertEquals(expected.toString(), written());
    }
}
