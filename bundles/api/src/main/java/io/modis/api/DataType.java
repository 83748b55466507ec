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

    /** The version of {@link #serialize}'s format, 0-1023; {@link #restore} reads all earlier ones. */
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
     * For a module-style type: true when {@link #serialize} returns the value's fields as Redis
     * writes them after the module id of an RDB {@code MODULE_2} value (each field behind its
     * module opcode: 1 signed and 2 unsigned integers as RDB lengths, 3 float, 4 double, 5
     * string; the EOF opcode 0 last). Persistence then writes those bytes as they are, so the
     * same module on Redis reads what Modis wrote, and {@link #restore} receives the fields read
     * back in that form (strings decompressed). False (the default): the payload is opaque and
     * stored as one string field.
     */
    default boolean moduleFields() {
        return false;
    }

    /**
     * True when clients blocked on a key of this type must be woken when its value is deleted,
     * replaced or flushed, not only when a value appears (a stream: a blocked XREADGROUP learns
     * that its stream or group is gone, as Redis's signalDeletedKeyAsReady). False (the default):
     * waiters only care about keys that appear or change through the type's own commands.
     */
    default boolean wakesWaitersWhenRemoved() {
        return false;
    }

    /**
     * Rebuilds a value saved under {@code rdbType} (one of the ids {@link #rdbType(Value)} returns,
     * or an older one this type still reads).
     */
    default Value restore(int rdbType, byte[] payload, int encodingVersion) {
        return restore(payload, encodingVersion);
    }

    /**
     * Writes commands that rebuild {@code value} under {@code key} (an AOF rewrite), each one to
     * {@code out}; the key's TTL is not this method's business. Types should write their own
     * commands (Redis batches 64 items per command); this fallback writes one
     * {@code RESTORE key 0 payload REPLACE} with a DUMP-style payload (type byte, payload, RDB
     * version 10, CRC64), which only a native type can produce.
     */
    default void rewrite(byte[] key, Value value, java.util.function.Consumer<byte[][]> out) {
        int rdbType = rdbType(value);
        if (rdbType < 0) {
            throw new UnsupportedOperationException("type " + name() + " cannot rewrite itself as commands");
        }
        byte[] body = serialize(value);
        byte[] dump = new byte[1 + body.length + 10];
        dump[0] = (byte) rdbType;
        System.arraycopy(body, 0, dump, 1, body.length);
        dump[1 + body.length] = 10;
        long crc = Crc64.update(0, dump, 0, body.length + 3);
        for (int i = 0; i < 8; i++) {
            dump[body.length + 3 + i] = (byte) (crc >>> (8 * i));
        }
        out.accept(new byte[][] {Bytes.of("RESTORE"), key, Bytes.of("0"), dump, Bytes.of("REPLACE")});
    }

    /** Items per command in a rewrite, as Redis's AOF_REWRITE_ITEMS_PER_CMD. */
    int REWRITE_ITEMS_PER_COMMAND = 64;

    /** Reads one item of a serialized collection and puts its words in a rewrite command. */
    @FunctionalInterface
    interface RewriteItem {
        /** Reads the next item from {@code in} into {@code command[at]}, {@code command[at + 1]} ... */
        void read(RdbInput in, byte[][] command, int at);
    }

    /**
     * The usual {@link #rewrite} of a collection: {@code serialized} starts with the item count
     * (an RDB length) and then the items; writes {@code COMMAND key item...} commands of at most
     * {@link #REWRITE_ITEMS_PER_COMMAND} items, each item {@code wordsPerItem} arguments read by
     * {@code item} (RPUSH key e..., HMSET key f v ..., ZADD key score member ...).
     */
    static void rewriteInBatches(String command, byte[] key, byte[] serialized, int wordsPerItem, RewriteItem item,
            java.util.function.Consumer<byte[][]> out) {
        RdbInput in = new RdbInput(serialized);
        byte[] name = Bytes.of(command);
        long left = in.readLength();
        while (left > 0) {
            int n = (int) Math.min(left, REWRITE_ITEMS_PER_COMMAND);
            byte[][] cmd = new byte[2 + n * wordsPerItem][];
            cmd[0] = name;
            cmd[1] = key;
            for (int i = 0; i < n; i++) {
                item.read(in, cmd, 2 + i * wordsPerItem);
            }
            out.accept(cmd);
            left -= n;
        }
    }
}
