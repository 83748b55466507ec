package io.modis.zsets;

import io.modis.api.DataType;
import io.modis.api.Digest;
import io.modis.api.Members;
import io.modis.api.Value;
import java.util.List;
import java.util.function.Consumer;

/**
 * A stand-in for the set bundle's values: a type named "set" whose values are read through
 * {@link Members} only, as the sorted-set commands read real sets.
 */
final class TestSet implements Members {
    static final DataType TYPE = new DataType() {
        @Override
        public String name() {
            return "set";
        }

        @Override
        public int rdbType() {
            return 2;
        }

        @Override
        public byte[] serialize(Value value) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Value restore(byte[] payload, int encodingVersion) {
            throw new UnsupportedOperationException();
        }
    };

    private final List<byte[]> members;

    TestSet(List<byte[]> members) {
        this.members = members;
    }

    @Override
    public long length() {
        return members.size();
    }

    @Override
    public void forEachMember(Consumer<byte[]> out) {
        members.forEach(out);
    }

    @Override
    public DataType type() {
        return TYPE;
    }

    @Override
    public String encoding() {
        return "hashtable";
    }

    @Override
    public long memoryUsage() {
        return 0;
    }

    @Override
    public Value copy() {
        return new TestSet(List.copyOf(members));
    }

    @Override
    public void digest(Digest d) {
    }
}
