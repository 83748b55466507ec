package io.modis.examples.bloom;

import io.modis.api.DataType;
import io.modis.api.Digest;
import io.modis.api.Value;

import java.util.ArrayList;
import java.util.List;

/**
 * A scalable Bloom filter (Almeida et al.) as RedisBloom builds it: a chain of layers, each new
 * layer {@code expansion} times larger than the last with half its error rate, so the chain's
 * overall false-positive rate stays below the requested one. A NONSCALING filter has one layer
 * at the full error rate and refuses items once it holds its capacity.
 */
final class ScalableBloomFilter implements Value {
    static final int OPT_NOROUND = 1;
    static final int OPT_FORCE64 = 4;
    static final int OPT_NO_SCALING = 8;
    static final double TIGHTENING_RATIO = 0.5;

    /** What {@link #add} answers besides 0 and 1. */
    static final int FULL = -2;
    static final int NO_MEMORY = -1;

    final List<BloomLayer> layers;
    long size;
    final int options;
    final long growth;

    ScalableBloomFilter(List<BloomLayer> layers, long size, int options, long growth) {
        this.layers = layers;
        this.size = size;
        this.options = options;
        this.growth = growth;
    }

    /**
     * A new empty filter, or null when its first layer would not fit the heap (RedisBloom's
     * allocation failure).
     */
    static ScalableBloomFilter create(long capacity, double errorRate, long expansion, boolean nonScaling) {
        double error = errorRate * (nonScaling ? 1 : TIGHTENING_RATIO);
        if (!affordable(capacity, error)) {
            return null;
        }
        List<BloomLayer> layers = new ArrayList<>(1);
        layers.add(BloomLayer.create(capacity, error));
        int options = OPT_FORCE64 | OPT_NOROUND | (nonScaling ? OPT_NO_SCALING : 0);
        return new ScalableBloomFilter(layers, 0, options, expansion);
    }

    /**
     * True when a layer of this size can be allocated without risking the server: it fits a Java
     * array and takes at most half of the heap that is still free.
     */
    static boolean affordable(long entries, double error) {
        long bytes = BloomLayer.byteSize(entries, error);
        if (bytes < 0) {
            return false;
        }
        Runtime rt = Runtime.getRuntime();
        long free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        return bytes <= free / 2;
    }

    boolean nonScaling() {
        return (options & OPT_NO_SCALING) != 0;
    }

    /** 1 if the item was added, 0 if it may already be present, {@link #FULL} or {@link #NO_MEMORY}. */
    int add(byte[] item) {
        long a = Murmur64A.hash(item, Murmur64A.SEED);
        long b = Murmur64A.hash(item, a);
        for (int i = layers.size() - 1; i >= 0; i--) {
            if (layers.get(i).contains(a, b)) {
                return 0;
            }
        }
        BloomLayer cur = layers.get(layers.size() - 1);
        if (cur.size >= cur.entries) {
            if (nonScaling()) {
                return FULL;
            }
            long entries;
            try {
                entries = Math.multiplyExact(cur.entries, growth);
            } catch (ArithmeticException e) {
                return NO_MEMORY;
            }
            double error = cur.error * TIGHTENING_RATIO;
            if (entries < 1 || !(error > 0) || !affordable(entries, error)) {
                return NO_MEMORY;
            }
            cur = BloomLayer.create(entries, error);
            layers.add(cur);
        }
        if (cur.add(a, b)) {
            cur.size++;
            size++;
            return 1;
        }
        return 0;
    }

    boolean contains(byte[] item) {
        long a = Murmur64A.hash(item, Murmur64A.SEED);
        long b = Murmur64A.hash(item, a);
        for (int i = layers.size() - 1; i >= 0; i--) {
            if (layers.get(i).contains(a, b)) {
                return true;
            }
        }
        return false;
    }

    /** BF.INFO Capacity: the items the layers were sized for, summed. */
    long capacity() {
        long c = 0;
        for (BloomLayer l : layers) {
            c += l.entries;
        }
        return c;
    }

    /**
     * BF.INFO Size, computed as RedisBloom computes it (its chain and layer headers plus the bit
     * arrays), so the number matches a RedisBloom server holding the same filter.
     */
    long reportedSize() {
        long s = 32;
        for (BloomLayer l : layers) {
            s += 64 + l.bytes;
        }
        return s;
    }

    @Override
    public DataType type() {
        return BloomType.INSTANCE;
    }

    @Override
    public String encoding() {
        return "raw";
    }

    @Override
    public long memoryUsage() {
        long m = 64;
        for (BloomLayer l : layers) {
            m += 96 + 16 + 8L * l.words.length;
        }
        return m;
    }

    @Override
    public Value copy() {
        List<BloomLayer> copies = new ArrayList<>(layers.size());
        for (BloomLayer l : layers) {
            copies.add(l.copy());
        }
        return new ScalableBloomFilter(copies, size, options, growth);
    }

    @Override
    public void digest(Digest d) {
        d.add(size);
        d.add(options);
        d.add(growth);
        for (BloomLayer l : layers) {
            d.add(l.entries);
            d.add(Double.doubleToLongBits(l.error));
            d.add(l.hashes);
            d.add(l.size);
            d.add(l.bitBytes());
        }
    }
}
