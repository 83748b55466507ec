package io.modis.transport.resp;

/**
 * One connection's query buffer as Redis accounts for it: CLIENT LIST's {@code qbuf} (bytes
 * received and not yet parsed into arguments) and {@code qbuf-free} (room allocated beyond
 * them), which also count in the client's memory.
 *
 * <p>Redis reads each client into one growable string; Netty reads into pooled buffers that it
 * recycles, and the decoder keeps only the unparsed tail and a large argument's own array. So
 * {@code qbuf} is the real count of pending bytes, while the allocation is Redis's sizing rule
 * applied to the reads that really happened: room for a 16KB read (exactly, the first time or
 * for a large argument, which gets room for the rest of itself; doubling otherwise, by at most
 * 1MB), and the client cron's trimming: all spare room after two idle seconds, and down to the
 * recent peak when the room is over 32KB and more than twice that peak.
 *
 * <p>Written by the channel's I/O thread; the figures are published in volatile fields.
 */
final class QueryBufferAccount {
    /** Redis reads at most this much at a time (PROTO_IOBUF_LEN). */
    static final long IOBUF_LEN = 16 * 1024;
    /** An argument this long is read with room for exactly itself (PROTO_MBULK_BIG_ARG). */
    static final long BIG_ARG = 32 * 1024;
    /** Spare room above this is trimmed to the recent peak (PROTO_RESIZE_THRESHOLD). */
    static final long RESIZE_THRESHOLD = 32 * 1024;
    /** Greedy growth doubles up to this, then adds it (SDS_MAX_PREALLOC). */
    static final long MAX_PREALLOC = 1024 * 1024;
    /** Spare room below this is never worth trimming. */
    static final long TRIM_MIN_WASTE = 4 * 1024;

    private long alloc;
    private long len;
    private long peak;
    private long lastReadMillis = System.currentTimeMillis();
    private volatile long publishedLen;
    private volatile long publishedFree;

    /**
     * {@code n} bytes arrived.
     *
     * @param bigArgRemaining bytes still missing of a large argument being read, 0 if none
     */
    void read(long n, long bigArgRemaining, long nowMillis) {
        lastReadMillis = nowMillis;
        long readLen = bigArgRemaining > 0 ? bigArgRemaining : IOBUF_LEN;
        long need = Math.max(readLen, n);
        if (alloc - len < need) {
            long newLen = len + need;
            if (bigArgRemaining > 0 || alloc < IOBUF_LEN) {
                alloc = newLen;
            } else {
                alloc = newLen < MAX_PREALLOC ? newLen * 2 : newLen + MAX_PREALLOC;
            }
        }
        len += n;
        peak = Math.max(peak, len);
    }

    /** After parsing: {@code pending} bytes were not consumed. */
    void parsed(long pending) {
        len = pending;
        alloc = Math.max(alloc, len);
        publish();
    }

    /**
     * The client cron: gives back room the client no longer needs.
     *
     * @param bulkLen the length of the argument being read, -1 if none (room for it is kept)
     */
    void trim(long nowMillis, long bulkLen) {
        long idleSeconds = (nowMillis - lastReadMillis) / 1000;
        if (alloc - len > TRIM_MIN_WASTE) {
            if (idleSeconds > 2) {
                alloc = len;
            } else if (alloc > RESIZE_THRESHOLD && alloc / 2 > peak) {
                alloc = Math.max(Math.max(len, peak), bulkLen);
            }
        }
        peak = Math.max(len, bulkLen);
        publish();
    }

    /** The connection is gone: nothing is held any more. */
    void clear() {
        alloc = 0;
        len = 0;
        publish();
    }

    private void publish() {
        publishedLen = len;
        publishedFree = alloc - len;
    }

    /** Pending bytes (CLIENT LIST qbuf). */
    long length() {
        return publishedLen;
    }

    /** Allocated room beyond them (CLIENT LIST qbuf-free). */
    long free() {
        return publishedFree;
    }
}
