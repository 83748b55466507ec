package io.modis.lists;

import io.modis.api.DataType;
import io.modis.api.Bytes;
import io.modis.api.RdbInput;
import io.modis.api.RdbOutput;
import io.modis.api.Value;

/**
 * The list data type. Values are written as RDB_TYPE_LIST: the element count, then each
 * element as an RDB string, head to tail, which every Redis version loads.
 */
public final class ListType implements DataType {
    /** The one instance: every list value's {@link Value#type()}. */
    public static final ListType INSTANCE = new ListType();

    static final int RDB_TYPE_LIST = 1;

    private ListType() {
    }

    @Override
    public String name() {
        return "list";
    }

    @Override
    public int rdbType() {
        return RDB_TYPE_LIST;
    }

    @Override
    public byte[] serialize(Value value) {
        ListValue list = (ListValue) value;
        RdbOutput out = new RdbOutput((int) Math.min(Integer.MAX_VALUE - 8, list.footprint()));
        out.writeLength(list.length());
        list.walk(0, true, (buf, off, len) -> {
            out.writeString(buf, off, len);
            return true;
        });
        return out.toByteArray();
    }

    /**
     * Rebuilds a list with the current {@code list-max-listpack-size}.
     *
     * @throws IllegalArgumentException for a malformed payload or an empty list (Redis never
     *     stores one)
     */
    @Override
    public Value restore(byte[] payload, int encodingVersion) {
        RdbInput in = new RdbInput(payload);
        int n = in.readCount();
        if (n == 0) {
            throw new IllegalArgumentException("empty list");
        }
        ListValue list = new ListValue();
        for (int i = 0; i < n; i++) {
            list.pushLast(in.readString());
        }
        if (!in.atEnd()) {
            throw new IllegalArgumentException("trailing bytes after the list");
        }
        return list;
    }

    /** RPUSH in batches of 64 elements, as Redis's AOF rewrite writes lists. */
    @Override
    public void rewrite(byte[] key, Value value, java.util.function.Consumer<byte[][]> out) {
        DataType.rewriteInBatches("RPUSH", key, serialize(value), 1, (in, cmd, at) -> cmd[at] = in.readString(), out);
    }
}
