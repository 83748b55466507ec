package io.modis.core;

import io.modis.api.DataType;
import io.modis.api.Digest;
import io.modis.api.Value;

/**
 * A value whose data type has left (its bundle stopped, was updated or uninstalled), kept as the
 * departing type serialized it. It holds nothing of the old bundle (no class, no class loader),
 * only its type's identity and payload, so it survives any number of swaps. Its {@link #type()}
 * answers with the departed type's name and writes the payload back unchanged, so persistence
 * and replication keep blobs as they are. When a bundle providing the type returns, the keyspace
 * revives the blob on first touch (or sooner, in the background): see {@link TypeSwap}.
 */
final class OpaqueValue implements Value {
    private final OpaqueType type;
    private final byte[] payload;

    OpaqueValue(OpaqueType type, byte[] payload) {
        this.type = type;
        this.payload = payload;
    }

    /** Serializes a live value with its own (still loaded) type. */
    static OpaqueValue of(Value v) {
        DataType t = v.type();
        OpaqueType ot = new OpaqueType(t.name(), t.moduleName(), t.encodingVersion(), t.rdbType(v), t.moduleFields(),
                t.wakesWaitersWhenRemoved());
        return new OpaqueValue(ot, t.serialize(v));
    }

    byte[] payload() {
        return payload;
    }

    @Override
    public OpaqueType type() {
        return type;
    }

    @Override
    public String encoding() {
        return "opaque";
    }

    @Override
    public long memoryUsage() {
        return 48L + payload.length;
    }

    @Override
    public Value copy() {
        return this;
    }

    @Override
    public void digest(Digest d) {
        d.add(payload);
    }

    /** The error a command gets for a blob whose type is absent, naming the type. */
    String missingTypeError() {
        String module = type.moduleName() == null ? "" : " (module type " + type.moduleName() + ")";
        return "ERR the value at this key is of type '" + type.name() + "'" + module
                + ", and no loaded bundle provides that data type";
    }

    /**
     * What a blob's {@link #type()} says: the departed type's name, module name, encoding version
     * and RDB type id; serializing returns the stored payload unchanged.
     */
    static final class OpaqueType implements DataType {
        private final String name;
        private final String moduleName;
        private final int encodingVersion;
        private final int rdbType;
        private final boolean moduleFields;
        private final boolean wakesWaiters;

        OpaqueType(String name, String moduleName, int encodingVersion, int rdbType, boolean moduleFields,
                boolean wakesWaiters) {
            this.name = name;
            this.moduleName = moduleName;
            this.encodingVersion = encodingVersion;
            this.rdbType = rdbType;
            this.moduleFields = moduleFields;
            this.wakesWaiters = wakesWaiters;
        }

        /** As the departed type said: a blocked client learns that a blob of a stream went. */
        @Override
        public boolean wakesWaitersWhenRemoved() {
            return wakesWaiters;
        }

        /** As the departed type said: persistence writes the blob as it wrote its values. */
        @Override
        public boolean moduleFields() {
            return moduleFields;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public int rdbType() {
            return rdbType;
        }

        @Override
        public int rdbType(Value v) {
            return rdbType;
        }

        @Override
        public String moduleName() {
            return moduleName;
        }

        @Override
        public int encodingVersion() {
            return encodingVersion;
        }

        @Override
        public byte[] serialize(Value value) {
            return ((OpaqueValue) value).payload;
        }

        @Override
        public Value restore(byte[] payload, int encodingVersion) {
            return new OpaqueValue(new OpaqueType(name, moduleName, encodingVersion, rdbType, moduleFields, wakesWaiters), payload);
        }

        /**
         * An AOF rewrite writes the blob as RESTORE with a DUMP payload: a native type's as the
         * api's default does; a module type's as Redis's MODULE_2 value (the 64-bit module id,
         * then the payload as one string field), which RESTORE reads once the module is back.
         */
        @Override
        public void rewrite(byte[] key, Value value, java.util.function.Consumer<byte[][]> out) {
            if (moduleName == null) {
                DataType.super.rewrite(key, value, out);
                return;
            }
            byte[] payload = ((OpaqueValue) value).payload;
            io.modis.api.RdbOutput body = new io.modis.api.RdbOutput(payload.length + 32);
            body.writeLength(moduleId(moduleName, encodingVersion));
            body.writeLength(MODULE_OPCODE_STRING);
            body.writeString(payload, 0, payload.length);
            body.writeLength(MODULE_OPCODE_EOF);
            byte[] module2 = body.toByteArray();
            // the api's default framing (type byte, RDB version, CRC64) around the MODULE_2 body
            DataType framing = new DataType() {
                @Override
                public String name() {
                    return name;
                }

                @Override
                public int rdbType() {
                    return MODULE_2;
                }

                @Override
                public byte[] serialize(Value v) {
                    return module2;
                }

                @Override
                public Value restore(byte[] p, int version) {
                    throw new UnsupportedOperationException();
                }
            };
            framing.rewrite(key, value, out);
        }

        private static final int MODULE_2 = 7;
        private static final int MODULE_OPCODE_EOF = 0;
        private static final int MODULE_OPCODE_STRING = 5;
        private static final String MODULE_CHARSET =
                "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

        /** Redis's module type id: 9 characters of 6 bits, then the 10-bit encoding version. */
        static long moduleId(String name, int encodingVersion) {
            long id = 0;
            for (int i = 0; i < 9 && i < name.length(); i++) {
                id = (id << 6) | Math.max(0, MODULE_CHARSET.indexOf(name.charAt(i)));
            }
            return (id << 10) | (encodingVersion & 1023);
        }

        @Override
        public Value restore(int rdbType, byte[] payload, int encodingVersion) {
            return new OpaqueValue(new OpaqueType(name, moduleName, encodingVersion, rdbType, moduleFields, wakesWaiters), payload);
        }
    }
}
