package io.modis.transport.resp;

import io.modis.api.Bytes;
import io.modis.api.Reply;
import io.modis.api.SharedReply;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;

/**
 * Encodes replies as RESP2 or RESP3 straight into a connection's {@link ReplyBuffer}. Used on
 * the engine thread only. Numbers and the headers of small aggregates are written from
 * pre-encoded bytes or digit by digit, never through a String.
 */
final class RespReply implements Reply {
    private static final short CRLF = ('\r' << 8) | '\n';
    /** "*n\r\n" and "$n\r\n" for the counts most replies use. */
    private static final int TABLE_SIZE = 1024;
    private static final byte[][] ARRAY_HEADERS = headers('*');
    private static final byte[][] BULK_HEADERS = headers('$');
    private static final byte[] NULL_BULK = ascii("$-1\r\n");
    private static final byte[] NULL_ARRAY = ascii("*-1\r\n");
    private static final byte[] NULL3 = ascii("_\r\n");
    private static final byte[] TRUE3 = ascii("#t\r\n");
    private static final byte[] FALSE3 = ascii("#f\r\n");
    private static final byte[] ONE = ascii(":1\r\n");
    private static final byte[] ZERO = ascii(":0\r\n");
    private static final byte[] MIN_LONG_DIGITS = ascii("9223372036854775808");
    /** Room for a type byte, a long with its sign, and CRLF. */
    private static final int MAX_HEADER = 1 + 20 + 2;

    private final ReplyBuffer out;
    private int protocol = 2;
    private long errors;
    private String lastError;

    RespReply(ReplyBuffer out) {
        this.out = out;
    }

    void protocol(int version) {
        this.protocol = version;
    }

    @Override
    public int protocol() {
        return protocol;
    }

    @Override
    public void simple(String s) {
        line('+', s);
    }

    @Override
    public void error(String message) {
        errors++;
        lastError = message;
        // a newline inside an error would end the line early and desync the client
        if (message.indexOf('\r') >= 0 || message.indexOf('\n') >= 0) {
            message = message.replace('\r', ' ').replace('\n', ' ');
        }
        line('-', message);
    }

    /** A reply many clients get: encoded once per protocol, then copied as one block. */
    @Override
    public void shared(SharedReply reply) {
        byte[] bytes = reply.encoded(protocol);
        if (bytes == null) {
            ReplyBuffer scratch = new ReplyBuffer(ByteBufAllocator.DEFAULT, () -> { });
            RespReply encoder = new RespReply(scratch);
            encoder.protocol(protocol);
            reply.writeTo(encoder);
            ByteBuf all = scratch.take();
            bytes = all == null ? new byte[0] : ByteBufUtil.getBytes(all);
            if (all != null) {
                all.release();
            }
            reply.encoded(protocol, bytes);
        }
        if (bytes.length > 0) {
            out.write(bytes, 0, bytes.length);
        }
    }

    @Override
    public void integer(long v) {
        header(':', v);
    }

    @Override
    public void bulk(byte[] b) {
        bulk(b, 0, b.length);
    }

    @Override
    public void bulk(byte[] b, int off, int len) {
        if (len < TABLE_SIZE) {
            raw(BULK_HEADERS[len]);
        } else {
            header('$', len);
        }
        out.write(b, off, len);
        out.reserve(2).writeShort(CRLF);
    }

    @Override
    public void nil() {
        raw(protocol == 2 ? NULL_BULK : NULL3);
    }

    @Override
    public void nilArray() {
        raw(protocol == 2 ? NULL_ARRAY : NULL3);
    }

    @Override
    public void array(int n) {
        if (n >= 0 && n < TABLE_SIZE) {
            raw(ARRAY_HEADERS[n]);
        } else {
            header('*', n);
        }
    }

    @Override
    public void map(int n) {
        if (protocol == 2) {
            array(n * 2);
        } else {
            header('%', n);
        }
    }

    @Override
    public void set(int n) {
        if (protocol == 2) {
            array(n);
        } else {
            header('~', n);
        }
    }

    @Override
    public void push(int n) {
        if (protocol == 2) {
            array(n);
        } else {
            header('>', n);
        }
    }

    @Override
    public void dbl(double d) {
        String text = Double.isNaN(d) ? "nan" : Bytes.formatDouble(d);
        if (protocol == 2) {
            bulk(text.getBytes(StandardCharsets.US_ASCII));
        } else {
            line(',', text);
        }
    }

    @Override
    public void bool(boolean b) {
        if (protocol == 2) {
            raw(b ? ONE : ZERO);
        } else {
            raw(b ? TRUE3 : FALSE3);
        }
    }

    @Override
    public void verbatim(String format, byte[] text) {
        if (protocol == 2) {
            bulk(text);
            return;
        }
        ByteBuf buf = out.reserve(MAX_HEADER + 4);
        buf.writeByte('=');
        writeLong(buf, text.length + 4L);
        buf.writeShort(CRLF);
        // the format is always three characters, padded with blanks
        for (int i = 0; i < 3; i++) {
            buf.writeByte(i < format.length() ? format.charAt(i) : ' ');
        }
        buf.writeByte(':');
        out.write(text, 0, text.length);
        out.reserve(2).writeShort(CRLF);
    }

    @Override
    public void attribute(int n) {
        if (protocol == 3) {
            header('|', n);
        }
    }

    @Override
    public void bigNumber(String digits) {
        if (protocol == 2) {
            bulk(digits.getBytes(StandardCharsets.US_ASCII));
        } else {
            line('(', digits);
        }
    }

    @Override
    public long errors() {
        return errors;
    }

    @Override
    public String lastError() {
        return lastError;
    }

    private void raw(byte[] bytes) {
        out.reserve(bytes.length).writeBytes(bytes);
    }

    private void header(char type, long n) {
        ByteBuf buf = out.reserve(MAX_HEADER);
        buf.writeByte(type);
        writeLong(buf, n);
        buf.writeShort(CRLF);
    }

    private void line(char type, String s) {
        ByteBuf buf = out.reserve(1 + ByteBufUtil.utf8MaxBytes(s) + 2);
        buf.writeByte(type);
        ByteBufUtil.writeUtf8(buf, s);
        buf.writeShort(CRLF);
    }

    /** Writes the decimal digits of {@code v} (at most 20 bytes, room already reserved). */
    static void writeLong(ByteBuf buf, long v) {
        if (v >= 0 && v < 10000) {
            buf.writeBytes(Bytes.fromLong(v));
            return;
        }
        if (v < 0) {
            buf.writeByte('-');
            if (v == Long.MIN_VALUE) {
                buf.writeBytes(MIN_LONG_DIGITS);
                return;
            }
            v = -v;
        }
        int digits = 1;
        for (long t = v; t >= 10; t /= 10) {
            digits++;
        }
        int end = buf.writerIndex() + digits;
        for (int i = end - 1; i >= end - digits; i--) {
            buf.setByte(i, (int) ('0' + v % 10));
            v /= 10;
        }
        buf.writerIndex(end);
    }

    private static byte[][] headers(char type) {
        byte[][] table = new byte[TABLE_SIZE][];
        for (int i = 0; i < TABLE_SIZE; i++) {
            table[i] = ascii(type + Integer.toString(i) + "\r\n");
        }
        return table;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
