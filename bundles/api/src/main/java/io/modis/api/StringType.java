package io.modis.api;

/** The native string type (RDB type 0). */
public final class StringType implements DataType {
    public static final StringType INSTANCE = new StringType();

    private StringType() {
    }

    @Override
    public String name() {
        return "string";
    }

    @Override
    public int rdbType() {
        return 0;
    }

    @Override
    public byte[] serialize(Value value) {
        return ((StringValue) value).bytes();
    }

    @Override
    public void rewrite(byte[] key, Value value, java.util.function.Consumer<byte[][]> out) {
        out.accept(new byte[][] {Bytes.of("SET"), key, ((StringValue) value).bytes()});
    }

    @Override
    public Value restore(byte[] payload, int encodingVersion) {
        return StringValue.of(payload);
    }
}
