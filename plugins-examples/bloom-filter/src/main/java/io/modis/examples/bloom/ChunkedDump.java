package io.modis.examples.bloom;

import io.modis.api.CommandException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * BF.SCANDUMP and BF.LOADCHUNK's format, RedisBloom's: a header (iterator 1) describing the
 * chain, then the layers' bits in chunks of at most 16 MiB, each addressed by an iterator that
 * is one more than the chunk's end offset in the concatenated bit arrays. The header is
 * RedisBloom's packed little-endian layout: size u64, filter count u32, options u32, expansion
 * u32, then per layer bytes u64, bits u64, items u64, error f64, bits per item f64, hashes u32,
 * capacity u64, n2 u8.
 */
final class ChunkedDump {
    static final int MAX_CHUNK = 16 * 1024 * 1024;
    private static final int HEADER = 20;
    private static final int LINK = 53;
    static final String BAD_DATA = "ERR received bad data";

    private ChunkedDump() {
    }

    static byte[] header(ScalableBloomFilter f) {
        ByteBuffer b = ByteBuffer.allocate(HEADER + LINK * f.layers.size()).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(f.size).putInt(f.layers.size()).putInt(f.options).putInt((int) f.growth);
        for (BloomLayer l : f.layers) {
            b.putLong(l.bytes).putLong(l.bits).putLong(l.size).putDouble(l.error).putDouble(l.bpe)
                    .putInt(l.hashes).putLong(l.entries).put((byte) l.n2);
        }
        return b.array();
    }

    /** A chunk of bits for SCANDUMP with {@code iter} >= 1: [next iterator, bytes]; [0, empty] at the end. */
    static Object[] chunk(ScalableBloomFilter f, long iter) {
        long offset = iter - 1;
        for (BloomLayer l : f.layers) {
            if (offset < l.bytes) {
                int len = (int) Math.min(MAX_CHUNK, l.bytes - offset);
                return new Object[] {iter + len, bytesOf(l, offset, len)};
            }
            offset -= l.bytes;
        }
        return new Object[] {0L, new byte[0]};
    }

    private static byte[] bytesOf(BloomLayer l, long offset, int len) {
        byte[] out = new byte[len];
        for (int i = 0; i < len; i++) {
            long at = offset + i;
            out[i] = (byte) (l.words[(int) (at >>> 3)] >>> (8 * (at & 7)));
        }
        return out;
    }

    /**
     * A filter with the header's parameters and all bits clear, for LOADCHUNK's first call.
     *
     * @throws CommandException RedisBloom's bad-data error for a malformed header, or the
     *                          allocation error for one too large for the heap
     */
    static ScalableBloomFilter fromHeader(byte[] data) {
        if (data.length < HEADER) {
            throw new CommandException(BAD_DATA);
        }
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        long size = b.getLong();
        long nfilters = Integer.toUnsignedLong(b.getInt());
        long options = Integer.toUnsignedLong(b.getInt());
        long growth = Integer.toUnsignedLong(b.getInt());
        if (nfilters == 0 || data.length != HEADER + LINK * nfilters) {
            throw new CommandException(BAD_DATA);
        }
        if ((options & ~15L) != 0 || (options & ScalableBloomFilter.OPT_FORCE64) == 0 || growth < 1) {
            throw new CommandException(BAD_DATA);
        }
        List<BloomLayer> layers = new ArrayList<>((int) nfilters);
        long total = 0;
        long allBytes = 0;
        for (int i = 0; i < nfilters; i++) {
            long bytes = b.getLong();
            long bits = b.getLong();
            long layerSize = b.getLong();
            double error = b.getDouble();
            double bpe = b.getDouble();
            long hashes = Integer.toUnsignedLong(b.getInt());
            long entries = b.getLong();
            int n2 = b.get() & 0xFF;
            if (!(error > 0 && error < 1) || n2 > 63 || bits == 0 || bytes <= 0 || bits != bytes * 8
                    || (n2 != 0 && Long.compareUnsigned(bits, 1L << n2) < 0)
                    || hashes != BloomLayer.hashCount(bpe) || hashes < 1 || entries < 1 || layerSize < 0) {
                throw new CommandException(BAD_DATA);
            }
            if (bytes > (long) Integer.MAX_VALUE * 8 - 8 || total + layerSize < 0) {
                throw new CommandException(BAD_DATA);
            }
            total += layerSize;
            allBytes += bytes;
            layers.add(new BloomLayer(entries, error, (int) hashes, bpe, bits, n2, bytes, null, layerSize));
        }
        if (size != total) {
            throw new CommandException(BAD_DATA);
        }
        Runtime rt = Runtime.getRuntime();
        if (allBytes > (rt.maxMemory() - (rt.totalMemory() - rt.freeMemory())) / 2) {
            throw new CommandException("ERR Insufficient memory to create filter");
        }
        List<BloomLayer> allocated = new ArrayList<>(layers.size());
        for (BloomLayer l : layers) {
            allocated.add(new BloomLayer(l.entries, l.error, l.hashes, l.bpe, l.bits, l.n2, l.bytes,
                    new long[(int) ((l.bytes + 7) / 8)], l.size));
        }
        return new ScalableBloomFilter(allocated, size, (int) options, growth);
    }

    /** Copies a chunk SCANDUMP produced at {@code iter} into the filter's bits. */
    static void load(ScalableBloomFilter f, long iter, byte[] data) {
        if (iter <= 0 || iter < data.length) {
            throw new CommandException(BAD_DATA);
        }
        long offset = iter - data.length - 1;
        if (offset < 0) {
            throw new CommandException("ERR invalid offset - no link found");
        }
        for (BloomLayer l : f.layers) {
            if (offset < l.bytes) {
                if (data.length > l.bytes - offset) {
                    throw new CommandException("ERR invalid chunk - Too big for current filter");
                }
                for (int i = 0; i < data.length; i++) {
                    long at = offset + i;
                    int w = (int) (at >>> 3);
                    int shift = (int) (8 * (at & 7));
                    l.words[w] = (l.words[w] & ~(0xFFL << shift)) | ((data[i] & 0xFFL) << shift);
                }
                return;
            }
            offset -= l.bytes;
        }
        throw new CommandException("ERR invalid offset - no link found");
    }
}
