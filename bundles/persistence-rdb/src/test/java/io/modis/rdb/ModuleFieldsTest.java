package io.modis.rdb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.modis.api.DataType;
import io.modis.api.Digest;
import io.modis.api.RdbOutput;
import io.modis.api.Value;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Module types that serialize Redis's module field layout ({@link DataType#moduleFields()}) are
 * written as those fields behind the module id, as Redis writes a module's value, and read back
 * with strings decompressed; opaque module payloads stay one string field.
 */
class ModuleFieldsTest {
    /** A value holding the bytes its type serializes to. */
    private record Blob(DataType type, byte[] bytes) implements Value {
        @Override
        public String encoding() {
            return "raw";
        }

        @Override
        public long memoryUsage() {
            return bytes.length;
        }

        @Override
        public Value copy() {
            return this;
        }

        @Override
        public void digest(Digest d) {
            d.add(bytes);
        }
    }

    private static DataType type(boolean fields) {
        return new DataType() {
            @Override
            public String name() {
                return "TESTMOD-1";
            }

            @Override
            public int rdbType() {
                return -1;
            }

            @Override
            public String moduleName() {
                return "TESTMOD-1";
            }

            @Override
            public int encodingVersion() {
                return 3;
            }

            @Override
            public boolean moduleFields() {
                return fields;
            }

            @Override
            public byte[] serialize(Value value) {
                return ((Blob) value).bytes();
            }

            @Override
            public Value restore(byte[] payload, int encodingVersion) {
                assertEquals(3, encodingVersion);
                return new Blob(this, payload);
            }
        };
    }

    private static ValueCodec.Types only(DataType t) {
        return new ValueCodec.Types() {
            @Override
            public DataType byName(String name) {
                return null;
            }

            @Override
            public DataType byModuleId(long id) {
                return id == ValueCodec.moduleId(t.moduleName(), t.encodingVersion()) ? t : null;
            }
        };
    }

    /** UINT 7, DOUBLE 0.5, STRING "hello", EOF. */
    private static byte[] fields() {
        return new RdbOutput().writeByte(2).writeLength(7).writeByte(4).writeBinaryDouble(0.5)
                .writeByte(5).writeString("hello".getBytes(StandardCharsets.US_ASCII)).writeByte(0).toByteArray();
    }

    private static byte[] written(Value v) {
        RdbWriter w = RdbWriter.inMemory(false);
        ValueCodec.write(w, v, ValueCodec.WriteOptions.DEFAULTS);
        return w.toByteArray();
    }

    @Test
    void fieldsAreWrittenAfterTheModuleIdAsTheyAre() {
        DataType t = type(true);
        byte[] out = written(new Blob(t, fields()));
        RdbWriter expected = RdbWriter.inMemory(false);
        expected.raw(new byte[] {7}).length(ValueCodec.moduleId("TESTMOD-1", 3)).raw(fields());
        assertArrayEquals(expected.toByteArray(), out);

        RdbReader r = RdbReader.of(out);
        assertEquals(7, r.readByte());
        Blob back = (Blob) ValueCodec.read(7, r, only(t));
        assertArrayEquals(fields(), back.bytes());
    }

    @Test
    void fieldsWrittenByRedisAreReadWithStringsDecompressed() {
        DataType t = type(true);
        byte[] text = "a string long enough to be compressed, compressed, compressed".getBytes(StandardCharsets.US_ASCII);
        byte[] lzf = Lzf.compress(text, 0, text.length);
        RdbWriter redis = RdbWriter.inMemory(false);
        redis.length(ValueCodec.moduleId("TESTMOD-1", 3));
        redis.length(1).length(5);                         // SINT
        redis.length(3).raw(new byte[] {0, 0, (byte) 0x80, 0x3f}); // FLOAT 1.0
        redis.length(5).raw(new byte[] {(byte) 0xC3}).length(lzf.length).length(text.length).raw(lzf);
        redis.length(0);
        Blob back = (Blob) ValueCodec.read(7, RdbReader.of(redis.toByteArray()), only(t));
        byte[] plain = new RdbOutput().writeByte(1).writeLength(5).writeByte(3).writeByte(0).writeByte(0)
                .writeByte(0x80).writeByte(0x3f).writeByte(5).writeString(text).writeByte(0).toByteArray();
        assertArrayEquals(plain, back.bytes());
    }

    @Test
    void unknownOpcodesAndTruncationAreRefused() {
        DataType t = type(true);
        RdbWriter bad = RdbWriter.inMemory(false);
        bad.length(ValueCodec.moduleId("TESTMOD-1", 3)).length(9).length(0);
        assertThrows(RdbFormatException.class, () -> ValueCodec.read(7, RdbReader.of(bad.toByteArray()), only(t)));
        RdbWriter truncated = RdbWriter.inMemory(false);
        truncated.length(ValueCodec.moduleId("TESTMOD-1", 3)).length(4).raw(new byte[] {1, 2});
        assertThrows(RdbFormatException.class,
                () -> ValueCodec.read(7, RdbReader.of(truncated.toByteArray()), only(t)));
    }

    @Test
    void opaquePayloadsStayOneStringField() {
        DataType t = type(false);
        byte[] payload = {1, 2, 3};
        byte[] out = written(new Blob(t, payload));
        RdbWriter expected = RdbWriter.inMemory(false);
        expected.raw(new byte[] {7}).length(ValueCodec.moduleId("TESTMOD-1", 3)).length(5).string(payload).length(0);
        assertArrayEquals(expected.toByteArray(), out);
        RdbReader r = RdbReader.of(out);
        r.readByte();
        assertArrayEquals(payload, ((Blob) ValueCodec.read(7, r, only(t))).bytes());
    }
}
