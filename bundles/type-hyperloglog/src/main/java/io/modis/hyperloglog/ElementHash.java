package io.modis.hyperloglog;

/**
 * Where an element lands in the HLL: MurmurHash64A (Redis's endian-neutral variant, seed
 * 0xadc83b19) of its bytes, whose low P bits pick the register and whose remaining bits give
 * the length of the "000..1" run the register may record.
 */
final class ElementHash {
    static final int SEED = 0xadc83b19;
    private static final long M = 0xc6a4a7935bd1e995L;
    private static final int R = 47;

    private ElementHash() {
    }

    static long murmurHash64A(byte[] data, int off, int len, int seed) {
        long h = (seed & 0xffffffffL) ^ (len * M);
        int blocks = off + (len & ~7);
        int i = off;
        for (; i < blocks; i += 8) {
            long k = littleEndianLong(data, i);
            k *= M;
            k ^= k >>> R;
            k *= M;
            h ^= k;
            h *= M;
        }
        int tail = len & 7;
        if (tail > 0) {
            for (int j = tail - 1; j >= 0; j--) {
                h ^= (long) (data[i + j] & 0xff) << (8 * j);
            }
            h *= M;
        }
        h ^= h >>> R;
        h *= M;
        h ^= h >>> R;
        return h;
    }

    private static long littleEndianLong(byte[] b, int i) {
        return (b[i] & 0xffL) | (b[i + 1] & 0xffL) << 8 | (b[i + 2] & 0xffL) << 16 | (b[i + 3] & 0xffL) << 24
                | (b[i + 4] & 0xffL) << 32 | (b[i + 5] & 0xffL) << 40 | (b[i + 6] & 0xffL) << 48
                | (b[i + 7] & 0xffL) << 56;
    }

    /** The register the element's hash selects. */
    static int register(long hash) {
        return (int) (hash & HllFormat.REGISTER_MASK);
    }

    /**
     * The run length the element offers its register: one more than the trailing zero bits of
     * the hash above the index bits, capped at Q + 1 by a sentinel bit.
     */
    static int runLength(long hash) {
        long rest = (hash >>> HllFormat.P) | (1L << HllFormat.Q);
        return Long.numberOfTrailingZeros(rest) + 1;
    }
}
