package io.modis.examples.bloom;

/**
 * MurmurHash64A (Austin Appleby's 64-bit MurmurHash2), reading the input as little-endian
 * 64-bit words as the x86-64 build of RedisBloom does. A filter hashes an item twice: once with
 * the fixed seed below and once seeded with the first hash; the two are combined per probe
 * (double hashing), so item positions match RedisBloom's and filters can move between the two.
 */
final class Murmur64A {
    static final long SEED = 0xc6a4a7935bd1e995L;
    private static final long M = 0xc6a4a7935bd1e995L;
    private static final int R = 47;

    private Murmur64A() {
    }

    static long hash(byte[] data, long seed) {
        int len = data.length;
        long h = seed ^ (len * M);
        int words = len >>> 3;
        for (int w = 0; w < words; w++) {
            int off = w << 3;
            long k = (data[off] & 0xFFL)
                    | (data[off + 1] & 0xFFL) << 8
                    | (data[off + 2] & 0xFFL) << 16
                    | (data[off + 3] & 0xFFL) << 24
                    | (data[off + 4] & 0xFFL) << 32
                    | (data[off + 5] & 0xFFL) << 40
                    | (data[off + 6] & 0xFFL) << 48
                    | (data[off + 7] & 0xFFL) << 56;
            k *= M;
            k ^= k >>> R;
            k *= M;
            h ^= k;
            h *= M;
        }
        int tail = words << 3;
        int rest = len & 7;
        if (rest > 0) {
            for (int i = rest - 1; i >= 0; i--) {
                h ^= (data[tail + i] & 0xFFL) << (8 * i);
            }
            h *= M;
        }
        h ^= h >>> R;
        h *= M;
        h ^= h >>> R;
        return h;
    }
}
