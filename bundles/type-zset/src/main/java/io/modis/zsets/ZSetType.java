package io.modis.zsets;

import io.modis.api.DataType;
import io.modis.api.Bytes;
import io.modis.api.RdbInput;
import io.modis.api.RdbOutput;
import io.modis.api.ScoredMembers;
import io.modis.api.SortedSetFactory;
import io.modis.api.Value;

/**
 * The sorted-set type. Values are saved as Redis's RDB_TYPE_ZSET_2 payload: a length, then each
 * member as a string and its score as a binary double, from the highest score down as Redis
 * writes them. Loading rebuilds the encoding the current limits call for.
 */
public final class ZSetType implements DataType, SortedSetFactory {
    /** The one instance: every value's {@link Value#type()}, compared by identity. */
    public static final ZSetType INSTANCE = new ZSetType();
    static final int RDB_TYPE_ZSET_2 = 5;

    /**
     * The limits for values built without a command (restore, and sets other bundles change through
     * the api view); kept current by {@link ZSetConfig}.
     */
    private volatile ListpackLimits restoreLimits = ListpackLimits.DEFAULT;

    private ZSetType() {
    }

    @Override
    public String name() {
        return "zset";
    }

    @Override
    public int rdbType() {
        return RDB_TYPE_ZSET_2;
    }

    /** The limits as last configured (Redis's defaults until a parameter is set). */
    ListpackLimits limits() {
        return restoreLimits;
    }

    /** Other bundles' sets (geo) start as ZADD would start them, under the configured limits. */
    @Override
    public ScoredMembers createSortedSet(int firstMemberLength) {
        return ZSetValue.create(restoreLimits, firstMemberLength);
    }

    void maxEntries(long entries) {
        restoreLimits = new ListpackLimits(entries, restoreLimits.maxValue());
    }

    void maxValue(long value) {
        restoreLimits = new ListpackLimits(restoreLimits.maxEntries(), value);
    }

    @Override
    public byte[] serialize(Value value) {
        ZSetValue z = (ZSetValue) value;
        RdbOutput out = new RdbOutput((int) Math.min(Integer.MAX_VALUE / 2, 16 + z.length() * 24));
        out.writeLength(z.length());
        z.visit(z.length() - 1, z.length(), true, (b, off, len, score) -> {
            out.writeString(b, off, len);
            out.writeBinaryDouble(score);
        });
        return out.toByteArray();
    }

    @Override
    public Value restore(byte[] payload, int encodingVersion) {
        RdbInput in = new RdbInput(payload);
        int n = in.readCount();
        if (n == 0) {
            throw new IllegalArgumentException("empty sorted set");
        }
        SortedEntries entries = new SortedEntries(n);
        for (int i = 0; i < n; i++) {
            byte[] member = in.readString();
            double score = in.readBinaryDouble();
            if (Double.isNaN(score)) {
                throw new IllegalArgumentException("sorted set with a NaN score");
            }
            entries.add(member, score);
        }
        if (!in.atEnd()) {
            throw new IllegalArgumentException("bytes after the sorted set");
        }
        entries.sort();
        if (entries.hasDuplicateMembers()) {
            throw new IllegalArgumentException("duplicate sorted set members");
        }
        return entries.toValue(restoreLimits);
    }

    /** ZADD in batches of 64 elements, as Redis's AOF rewrite writes sorted sets (score, member). */
    @Override
    public void rewrite(byte[] key, Value value, java.util.function.Consumer<byte[][]> out) {
        DataType.rewriteInBatches("ZADD", key, serialize(value), 2, (in, cmd, at) -> {
            cmd[at + 1] = in.readString();
            cmd[at] = Bytes.of(Bytes.formatDouble(in.readBinaryDouble()));
        }, out);
    }
}
