package io.modis.api;

/**
 * A data type, registered as a service by the bundle that implements it. The built-in types
 * map to Redis's native RDB type ids; a third-party type is written like a Redis module type,
 * named by a 9-character {@link #moduleName()} plus an {@link #encodingVersion()}.
 *
 * <p>{@link #serialize} and {@link #restore} are what keeps values alive across a hot swap of
 * the bundle: the core serializes a departing type's values and revives them with the
 * newcomer's {@link #restore}.
 */
public interface DataType {
    /** What TYPE answers: "string", "list", "hash", ... */
    String name();

    /** Redis's RDB type id for native types, or -1 for module-style types. */
    int rdbType();

    /** The 9-character module type name, or null for a native type. */
    default String moduleName() {
        return null;
    }

    default int encodingVersion() {
        return 0;
    }

    /** The value's payload (for a native type, the RDB payload after the type byte). */
    byte[] serialize(Value value);

    /** Rebuilds a value from {@link #serialize}'s output. */
    Value restore(byte[] payload, int encodingVersion);

    /**
     * The RDB type id this particular value is saved under, for a type whose values use several
     * (a type that always writes one payload format keeps the default, {@link #rdbType()}).
     */
    default int rdbType(Value v) {
        return rdbType();
    }

    /**
     * Rebuilds a value saved under {@code rdbType} (one of the ids {@link #rdbType(Value)} returns,
     * or an older one this type still reads).
     */
    default Value restore(int rdbType, byte[] payload, int encodingVersion) {
        return restore(payload, encodingVersion);
    }
}
