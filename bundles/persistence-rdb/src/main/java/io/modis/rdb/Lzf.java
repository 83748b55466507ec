package io.modis.rdb;

import com.ning.compress.lzf.impl.VanillaChunkDecoder;
import com.ning.compress.lzf.impl.VanillaChunkEncoder;

/**
 * Raw LZF blocks, the format of liblzf that Redis uses for compressed strings (no chunk headers):
 * compress-lzf's encoder and decoder without its framing. The vanilla (array-bounds-checked)
 * decoder is used because payloads can be hostile.
 */
final class Lzf {
    private static final int REUSED_ENCODER_SIZE = 1 << 16;
    /** One encoder per thread for inputs up to 64 KB: building one allocates its hash table. */
    private static final ThreadLocal<RawEncoder> ENCODER =
            ThreadLocal.withInitial(() -> new RawEncoder(REUSED_ENCODER_SIZE));

    private Lzf() {
    }

    /** An encoder that exposes compress-lzf's raw block compressor. */
    private static final class RawEncoder extends VanillaChunkEncoder {
        RawEncoder(int length) {
            super(length);
        }

        int compress(byte[] in, int off, int len, byte[] out) {
            return tryCompress(in, off, off + len, out, 0);
        }
    }

    /**
     * Compresses {@code len} bytes; returns the block, or null when it would not save at least
     * 4 bytes (Redis then writes the string plain).
     */
    static byte[] compress(byte[] in, int off, int len) {
        if (len <= 4) {
            return null;
        }
        // an LZF block can grow by one control byte per 32 literals; room for that plus a margin
        byte[] out = new byte[len + (len >> 5) + 16];
        int n;
        if (len <= REUSED_ENCODER_SIZE) {
            n = ENCODER.get().compress(in, off, len, out);
        } else {
            try (RawEncoder enc = new RawEncoder(len)) {
                n = enc.compress(in, off, len, out);
            }
        }
        if (n <= 0 || n >= len - 4) {
            return null;
        }
        return java.util.Arrays.copyOf(out, n);
    }

    /** Decompresses a block that must expand to exactly {@code outLen} bytes. */
    static byte[] decompress(byte[] in, int outLen) {
        byte[] out = new byte[outLen];
        try {
            new VanillaChunkDecoder().decodeChunk(in, 0, out, 0, outLen);
        } catch (Exception | StackOverflowError e) {
            throw new RdbFormatException("invalid LZF compressed string");
        }
        return out;
    }
}
