package io.modis.sets;

import io.modis.api.DataType;
import io.modis.api.Bytes;
import io.modis.api.RdbInput;
import io.modis.api.RdbOutput;
import io.modis.api.Value;

/**
 * The set type (RDB_TYPE_SET, 2). Its one instance is what every {@link SetValue#type()}
 * returns, since the core tells types apart by identity. It also holds the current
 * set-max-intset-entries, which {@link SetConfig} keeps up to date, because {@link #restore}
 * must pick encodings by the current threshold and has no command context to read it from.
 */
public final class SetType implements DataType {
    public static final SetType INSTANCE = new SetType();

    static final String NAME = "set";
    static final int RDB_TYPE_SET = 2;
    static final long DEFAULT_MAX_INTSET_ENTRIES = 512;

    /** Written on the engine thread by the config listener; read wherever values are restored. */
    private volatile long maxIntsetEntries = DEFAULT_MAX_INTSET_ENTRIES;

    private SetType() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int rdbType() {
        return RDB_TYPE_SET;
    }

    long maxIntsetEntries() {
        return maxIntsetEntries;
    }

    void maxIntsetEntries(long entries) {
        this.maxIntsetEntries = entries;
    }

    /** The plain RDB set payload: the member count, then each member as a string. */
    @Override
    public byte[] serialize(Value value) {
        SetValue set = (SetValue) value;
        RdbOutput out = new RdbOutput((int) Math.min(Integer.MAX_VALUE - 8, 8 + set.length() * 8));
        out.writeLength(set.length());
        set.forEachMember(out::writeString);
        return out.toByteArray();
    }

    /**
     * Rebuilds a set as Redis's RDB loader does: an intset when the count allows one (converting
     * at the first non-integer member), a presized hash table otherwise. Empty sets, duplicate
     * members and trailing bytes are rejected.
     */
    @Override
    public Value restore(byte[] payload, int encodingVersion) {
        RdbInput in = new RdbInput(payload);
        int count = in.readCount();
        if (count == 0) {
            throw new IllegalArgumentException("empty set");
        }
        long max = maxIntsetEntries;
        SetValue set = count > Math.min(max, SetValue.INTSET_HARD_LIMIT)
                ? SetValue.newTable(count) : SetValue.newIntset();
        for (int i = 0; i < count; i++) {
            if (!set.add(in.readString(), max)) {
                throw new IllegalArgumentException("duplicate set member");
            }
        }
        if (!in.atEnd()) {
            throw new IllegalArgumentException("trailing bytes after the set's members");
        }
        return set;
    }

    /** SADD in batches of 64 elements, as Redis's AOF rewrite writes sets. */
    @Override
    public void rewrite(byte[] key, Value value, java.util.function.Consumer<byte[][]> out) {
        DataType.rewriteInBatches("SADD", key, serialize(value), 1, (in, cmd, at) -> cmd[at] = in.readString(), out);
    }
}
