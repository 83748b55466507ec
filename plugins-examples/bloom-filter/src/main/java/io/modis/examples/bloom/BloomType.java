package io.modis.examples.bloom;

import io.modis.api.Bytes;
import io.modis.api.DataType;
import io.modis.api.RdbInput;
import io.modis.api.RdbOutput;
import io.modis.api.Value;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The Bloom filter data type, named as RedisBloom names it ({@code MBbloom--}, encoding
 * version 4), so TYPE answers {@code MBbloom--} as it does on Redis.
 *
 * <p>The payload is the body Redis writes for a module value after the module id (an RDB
 * {@code MODULE_2} value): each field tagged with its module opcode (2 unsigned, 4 double,
 * 5 string) and the EOF opcode 0 at the end, with RedisBloom's fields in RedisBloom's order.
 * A persistence layer that prefixes the module id writes a value RedisBloom itself can load,
 * and reads RedisBloom's values back.
 */
public final class BloomType implements DataType {
    public static final BloomType INSTANCE = new BloomType();
    static final String NAME = "MBbloom--";
    static final int ENCODING_VERSION = 4;
    private static final int MIN_OPTIONS_VERSION = 2;

    private static final byte[] LOADCHUNK = Bytes.of("BF.LOADCHUNK");

    private static final int OP_EOF = 0;
    private static final int OP_UINT = 2;
    private static final int OP_DOUBLE = 4;
    private static final int OP_STRING = 5;

    private BloomType() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int rdbType() {
        return -1;
    }

    @Override
    public String moduleName() {
        return NAME;
    }

    @Override
    public int encodingVersion() {
        return ENCODING_VERSION;
    }

    @Override
    public byte[] serialize(Value value) {
        ScalableBloomFilter f = (ScalableBloomFilter) value;
        long bitBytes = 0;
        for (BloomLayer l : f.layers) {
            bitBytes += l.bytes;
        }
        RdbOutput out = new RdbOutput((int) Math.min(Integer.MAX_VALUE - 64, bitBytes + 64L * f.layers.size() + 32));
        unsigned(out, f.size);
        unsigned(out, f.layers.size());
        unsigned(out, f.options);
        unsigned(out, f.growth);
        for (BloomLayer l : f.layers) {
            unsigned(out, l.entries);
            out.writeByte(OP_DOUBLE).writeBinaryDouble(l.error);
            unsigned(out, l.hashes);
            out.writeByte(OP_DOUBLE).writeBinaryDouble(l.bpe);
            unsigned(out, l.bits);
            unsigned(out, l.n2);
            out.writeByte(OP_STRING).writeString(l.bitBytes());
            unsigned(out, l.size);
        }
        out.writeByte(OP_EOF);
        return out.toByteArray();
    }

    /**
     * Writes the commands that rebuild {@code value} under {@code key}, as RedisBloom rewrites a
     * filter for the AOF: BF.LOADCHUNK with the header (iterator 1), then one BF.LOADCHUNK per
     * chunk of bits (the api's fallback, RESTORE, only serves native types).
     */
    @Override
    public void rewrite(byte[] key, Value value, Consumer<byte[][]> out) {
        ScalableBloomFilter f = (ScalableBloomFilter) value;
        out.accept(new byte[][] {LOADCHUNK, key, Bytes.fromLong(1), ChunkedDump.header(f)});
        long iter = 1;
        while (true) {
            Object[] chunk = ChunkedDump.chunk(f, iter);
            iter = (Long) chunk[0];
            if (iter == 0) {
                return;
            }
            out.accept(new byte[][] {LOADCHUNK, key, Bytes.fromLong(iter), (byte[]) chunk[1]});
        }
    }

    private static void unsigned(RdbOutput out, long v) {
        out.writeByte(OP_UINT).writeLength(v);
    }

    /**
     * Rebuilds a filter, checking every field as RedisBloom does on load (a malformed payload
     * must not yield a filter that later indexes outside its bits).
     */
    @Override
    public Value restore(byte[] payload, int encodingVersion) {
        if (encodingVersion > ENCODING_VERSION || encodingVersion < 0) {
            throw new IllegalArgumentException("unsupported MBbloom-- encoding version " + encodingVersion);
        }
        RdbInput in = new RdbInput(payload);
        long size = unsigned(in);
        long nfilters = unsigned(in);
        if (nfilters < 1 || nfilters > payload.length) {
            throw new IllegalArgumentException("a Bloom filter needs at least one layer");
        }
        long options = encodingVersion >= MIN_OPTIONS_VERSION ? unsigned(in) : 0;
        if ((options & ScalableBloomFilter.OPT_FORCE64) == 0 || options > 15) {
            throw new IllegalArgumentException("only filters with 64-bit hashing (RedisBloom 2.0 and later) are supported");
        }
        long growth = encodingVersion >= ENCODING_VERSION ? unsigned(in) : 2;
        List<BloomLayer> layers = new ArrayList<>((int) nfilters);
        long total = 0;
        for (int i = 0; i < nfilters; i++) {
            long entries = unsigned(in);
            double error = dbl(in);
            long hashes = unsigned(in);
            double bpe = dbl(in);
            long bits = unsigned(in);
            long n2 = unsigned(in);
            byte[] bitBytes = string(in);
            long layerSize = unsigned(in);
            if (!(error > 0 && error < 1) || n2 > 63 || bits == 0 || bits != 8L * bitBytes.length
                    || (n2 != 0 && Long.compareUnsigned(bits, 1L << n2) < 0)
                    || hashes != BloomLayer.hashCount(bpe) || hashes < 1 || entries < 1 || layerSize < 0) {
                throw new IllegalArgumentException("corrupt Bloom filter layer " + i);
            }
            total += layerSize;
            layers.add(new BloomLayer(entries, error, (int) hashes, bpe, bits, (int) n2, bitBytes.length,
                    BloomLayer.wordsOf(bitBytes), layerSize));
        }
        if (in.readByte() != OP_EOF || !in.atEnd()) {
            throw new IllegalArgumentException("trailing data after the Bloom filter");
        }
        if (size < 0 || size != total) {
            throw new IllegalArgumentException("Bloom filter item count does not match its layers");
        }
        if (growth < 1) {
            throw new IllegalArgumentException("Bloom filter expansion must be at least 1");
        }
        return new ScalableBloomFilter(layers, size, (int) options, growth);
    }

    private static long unsigned(RdbInput in) {
        expect(in, OP_UINT);
        long v = in.readLength();
        if (v < 0) {
            throw new IllegalArgumentException("value out of range");
        }
        return v;
    }

    private static double dbl(RdbInput in) {
        expect(in, OP_DOUBLE);
        return in.readBinaryDouble();
    }

    private static byte[] string(RdbInput in) {
        expect(in, OP_STRING);
        return in.readString();
    }

    private static void expect(RdbInput in, int opcode) {
        int op = in.readByte();
        if (op != opcode) {
            throw new IllegalArgumentException("expected module opcode " + opcode + ", found " + op);
        }
    }
}
