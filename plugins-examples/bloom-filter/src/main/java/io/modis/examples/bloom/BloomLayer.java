package io.modis.examples.bloom;

import java.util.Arrays;

/**
 * One fixed-size Bloom filter of a scalable chain. Sized as RedisBloom sizes a layer (no
 * rounding to a power of two): bits per element {@code -ln(error) / ln(2)^2}, the bit count
 * rounded up to whole 64-bit words, {@code ceil(ln(2) * bpe)} probes. Bit {@code x} is bit
 * {@code x % 8} of byte {@code x / 8}, the byte order RedisBloom's RDB payload uses.
 */
final class BloomLayer {
    static final double LN2 = 0.693147180559945;
    private static final double LN2_SQUARED = 0.480453013918201;

    final long entries;
    final double error;
    final int hashes;
    final double bpe;
    final long bits;
    /** log2 of the bit count for power-of-two layers (older RedisBloom filters), else 0. */
    final int n2;
    /** Length of the bit array in bytes as persisted. */
    final long bytes;
    final long[] words;
    /** Items added to this layer. */
    long size;

    BloomLayer(long entries, double error, int hashes, double bpe, long bits, int n2, long bytes,
               long[] words, long size) {
        this.entries = entries;
        this.error = error;
        this.hashes = hashes;
        this.bpe = bpe;
        this.bits = bits;
        this.n2 = n2;
        this.bytes = bytes;
        this.words = words;
        this.size = size;
    }

    static double bitsPerEntry(double error) {
        return Math.abs(Math.log(error) / LN2_SQUARED);
    }

    static int hashCount(double bpe) {
        return (int) Math.ceil(LN2 * bpe);
    }

    /**
     * The byte size of a layer for {@code entries} at {@code error}, or -1 when it cannot be
     * represented (more than a Java array of longs can hold).
     */
    static long byteSize(long entries, double error) {
        double wanted = entries * bitsPerEntry(error);
        if (!(wanted < (double) Integer.MAX_VALUE * 64)) {
            return -1;
        }
        long bits = Math.max(1, (long) wanted);
        return bits % 64 == 0 ? bits / 8 : (bits / 64 + 1) * 8;
    }

    /** A new empty layer; the caller has checked {@link #byteSize} and the heap. */
    static BloomLayer create(long entries, double error) {
        double bpe = bitsPerEntry(error);
        long bytes = byteSize(entries, error);
        return new BloomLayer(entries, error, hashCount(bpe), bpe, bytes * 8, 0, bytes,
                new long[(int) (bytes / 8)], 0);
    }

    private long modulus() {
        return n2 > 0 ? 1L << n2 : bits;
    }

    /** Sets the item's bits; true if at least one was clear (the item is new to this layer). */
    boolean add(long a, long b) {
        long mod = modulus();
        boolean foundClear = false;
        for (int i = 0; i < hashes; i++) {
            long x = Long.remainderUnsigned(a + i * b, mod);
            int w = (int) (x >>> 6);
            long mask = 1L << (x & 63);
            if ((words[w] & mask) == 0) {
                words[w] |= mask;
                foundClear = true;
            }
        }
        return foundClear;
    }

    boolean contains(long a, long b) {
        long mod = modulus();
        for (int i = 0; i < hashes; i++) {
            long x = Long.remainderUnsigned(a + i * b, mod);
            if ((words[(int) (x >>> 6)] & (1L << (x & 63))) == 0) {
                return false;
            }
        }
        return true;
    }

    /** The bit array as {@link #bytes} little-endian bytes. */
    byte[] bitBytes() {
        byte[] out = new byte[(int) bytes];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) (words[i >>> 3] >>> (8 * (i & 7)));
        }
        return out;
    }

    static long[] wordsOf(byte[] b) {
        long[] words = new long[(b.length + 7) / 8];
        for (int i = 0; i < b.length; i++) {
            words[i >>> 3] |= (b[i] & 0xFFL) << (8 * (i & 7));
        }
        return words;
    }

    BloomLayer copy() {
        return new BloomLayer(entries, error, hashes, bpe, bits, n2, bytes, words.clone(), size);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BloomLayer l && l.entries == entries && Double.compare(l.error, error) == 0
                && l.hashes == hashes && Double.compare(l.bpe, bpe) == 0 && l.bits == bits && l.n2 == n2
                && l.bytes == bytes && l.size == size && Arrays.equals(l.words, words);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(entries) * 31 + Arrays.hashCode(words);
    }
}
