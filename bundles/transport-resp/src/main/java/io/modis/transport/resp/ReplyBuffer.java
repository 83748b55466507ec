package io.modis.transport.resp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import java.util.Arrays;

/**
 * The replies written to one connection and not yet handed to Netty, in pooled direct buffers.
 * Used on the engine thread only.
 *
 * <p>Small replies accumulate in one buffer that grows up to {@link #CHUNK}; past that the
 * buffer is sealed and a new one started, so a big reply is never copied again as it grows.
 * {@link #take()} hands everything over as one buffer, to be written and flushed once.
 */
final class ReplyBuffer {
    static final int CHUNK = 64 * 1024;
    /** Large payloads are copied into buffers of at most this size. */
    static final int BIG_CHUNK = 1024 * 1024;
    private static final int FIRST_CAPACITY = 512;

    private final ByteBufAllocator alloc;
    private final Runnable onFirstWrite;
    private ByteBuf current;
    private ByteBuf[] sealed = new ByteBuf[0];
    private int sealedCount;

    /** @param onFirstWrite called when bytes are written into an empty buffer */
    ReplyBuffer(ByteBufAllocator alloc, Runnable onFirstWrite) {
        this.alloc = alloc;
        this.onFirstWrite = onFirstWrite;
    }

    /** The buffer to write the next {@code n} bytes into (n small: a header or a number). */
    ByteBuf reserve(int n) {
        ByteBuf c = current;
        if (c == null) {
            boolean wasEmpty = sealedCount == 0;
            c = current = alloc.directBuffer(Math.max(n, FIRST_CAPACITY));
            if (wasEmpty) {
                onFirstWrite.run();
            }
        } else if (c.writableBytes() < n) {
            if (c.writerIndex() + n <= CHUNK) {
                c.ensureWritable(n);
            } else {
                seal();
                c = current = alloc.directBuffer(Math.max(n, FIRST_CAPACITY));
            }
        }
        return c;
    }

    /** Appends a payload of any size. */
    void write(byte[] b, int off, int len) {
        if (len <= CHUNK) {
            reserve(len).writeBytes(b, off, len);
            return;
        }
        boolean wasEmpty = isEmpty();
        if (current != null) {
            seal();
        }
        while (len > 0) {
            int n = Math.min(len, BIG_CHUNK);
            ByteBuf c = alloc.directBuffer(n, n);
            c.writeBytes(b, off, n);
            add(c);
            off += n;
            len -= n;
        }
        if (wasEmpty) {
            onFirstWrite.run();
        }
    }

    boolean isEmpty() {
        return current == null && sealedCount == 0;
    }

    /** Bytes written and not yet taken. */
    long size() {
        long n = current == null ? 0 : current.readableBytes();
        for (int i = 0; i < sealedCount; i++) {
            n += sealed[i].readableBytes();
        }
        return n;
    }

    /** Everything written so far as one buffer (the caller owns it), or null if nothing was. */
    ByteBuf take() {
        if (sealedCount == 0) {
            ByteBuf c = current;
            current = null;
            return c;
        }
        if (current != null) {
            seal();
        }
        CompositeByteBuf all = alloc.compositeDirectBuffer(sealedCount);
        all.addComponents(true, Arrays.copyOf(sealed, sealedCount));
        Arrays.fill(sealed, 0, sealedCount, null);
        sealedCount = 0;
        return all;
    }

    /** Drops what was not taken (the connection is gone). */
    void release() {
        ByteBuf all = take();
        if (all != null) {
            all.release();
        }
    }

    private void seal() {
        ByteBuf c = current;
        current = null;
        add(c);
    }

    private void add(ByteBuf b) {
        if (sealedCount == sealed.length) {
            sealed = Arrays.copyOf(sealed, Math.max(4, sealedCount * 2));
        }
        sealed[sealedCount++] = b;
    }
}
