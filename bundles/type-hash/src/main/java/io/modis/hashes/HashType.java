package io.modis.hashes;

import io.modis.api.DataType;
import io.modis.api.Bytes;
import io.modis.api.RdbInput;
import io.modis.api.RdbOutput;
import io.modis.api.Value;

/**
 * The hash {@link DataType}: one instance, the one every {@link HashValue#type()} returns (the
 * core compares types by identity). Its payload is Redis's RDB_TYPE_HASH: the number of pairs,
 * then each field and value as RDB strings.
 *
 * <p>It also holds the listpack limits currently configured ({@link HashConfig} keeps them up to
 * date), which commands and {@link #restore} read on the engine thread.
 */
final class HashType implements DataType {
    static final HashType INSTANCE = new HashType();
    static final int RDB_TYPE_HASH = 4;

    private volatile HashLimits limits = HashLimits.DEFAULTS;

    private HashType() {
    }

    HashLimits limits() {
        return limits;
    }

    void maxEntries(long n) {
        limits = limits.withMaxEntries(n);
    }

    void maxValue(long n) {
        limits = limits.withMaxValue(n);
    }

    @Override
    public String name() {
        return "hash";
    }

    @Override
    public int rdbType() {
        return RDB_TYPE_HASH;
    }

    @Override
    public byte[] serialize(Value value) {
        HashValue hash = (HashValue) value;
        RdbOutput out = new RdbOutput(16 + (int) Math.min(hash.memoryUsage(), 1 << 20));
        out.writeLength(hash.size());
        hash.forEach((f, fo, fl, v, vo, vl) -> {
            out.writeString(f, fo, fl);
            out.writeString(v, vo, vl);
        });
        return out.toByteArray();
    }

    /**
     * Rebuilds a hash in the encoding the current limits call for. An empty hash, a duplicate
     * field or bytes left over are malformed, as Redis's loader judges them.
     */
    @Override
    public Value restore(byte[] payload, int encodingVersion) {
        RdbInput in = new RdbInput(payload);
        int pairs = in.readCount();
        if (pairs == 0) {
            throw new IllegalArgumentException("empty hash");
        }
        HashLimits current = limits;
        HashValue hash = new HashValue();
        if (pairs > current.maxEntries()) {
            hash.convert();
        }
        for (int i = 0; i < pairs; i++) {
            byte[] field = in.readString();
            byte[] value = in.readString();
            if (!hash.set(field, value, current)) {
                throw new IllegalArgumentException("duplicate hash field");
            }
        }
        if (!in.atEnd()) {
            throw new IllegalArgumentException("trailing bytes after the hash");
        }
        return hash;
    }

    /** HMSET in batches of 64 elements, as Redis's AOF rewrite writes hashes. */
    @Override
    public void rewrite(byte[] key, Value value, java.util.function.Consumer<byte[][]> out) {
        DataType.rewriteInBatches("HMSET", key, serialize(value), 2, (in, cmd, at) -> {
            cmd[at] = in.readString();
            cmd[at + 1] = in.readString();
        }, out);
    }
}
