package io.modis.aof;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A growable byte buffer that encodes commands as the AOF stores them (RESP arrays of bulk strings). */
final class RespSink {
    private byte[] buf;
    private int size;

    RespSink(int capacity) {
        buf = new byte[Math.max(16, capacity)];
    }

    int size() {
        return size;
    }

    void command(byte[][] argv) {
        header('*', argv.length);
        for (byte[] a : argv) {
            header('$', a.length);
            raw(a, 0, a.length);
            crlf();
        }
    }

    void text(String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        raw(b, 0, b.length);
    }

    private void header(char type, long n) {
        ensure(24);
        buf[size++] = (byte) type;
        if (n == 0) {
            buf[size++] = '0';
        } else {
            int start = size;
            long v = n;
            while (v > 0) {
                buf[size++] = (byte) ('0' + v % 10);
                v /= 10;
            }
            for (int i = start, j = size - 1; i < j; i++, j--) {
                byte t = buf[i];
                buf[i] = buf[j];
                buf[j] = t;
            }
        }
        crlf();
    }

    private void crlf() {
        ensure(2);
        buf[size++] = '\r';
        buf[size++] = '\n';
    }

    void raw(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, buf, size, len);
        size += len;
    }

    private void ensure(int n) {
        if (size + n > buf.length) {
            long want = Math.max((long) buf.length * 2, (long) size + n);
            buf = Arrays.copyOf(buf, (int) Math.min(Integer.MAX_VALUE - 8, want));
        }
    }

    /** The bytes so far, and a reset. */
    byte[] take() {
        byte[] out = Arrays.copyOf(buf, size);
        size = 0;
        if (buf.length > 1 << 20) {
            buf = new byte[64 * 1024];
        }
        return out;
    }
}
