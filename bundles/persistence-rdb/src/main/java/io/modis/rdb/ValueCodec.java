package io.modis.rdb;

import io.modis.api.Bytes;
import io.modis.api.DataType;
import io.modis.api.RdbInput;
import io.modis.api.RdbOutput;
import io.modis.api.Value;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Translates between the types' plain payloads ({@link DataType#serialize}: RDB_TYPE_LIST,
 * RDB_TYPE_SET, RDB_TYPE_ZSET_2, RDB_TYPE_HASH, the stream bundle's own layout) and the
 * encodings Redis 7.0 writes and loads. Writing picks what Redis would write for the value's
 * current encoding (quicklist of listpacks, intset, listpack zsets and hashes, stream
 * listpacks); reading accepts every encoding a 7.0 server loads, older ones included, and hands
 * the type a plain payload to rebuild the value with its own limits.
 */
final class ValueCodec {
    static final int STRING = 0;
    static final int LIST = 1;
    static final int SET = 2;
    static final int ZSET = 3;
    static final int HASH = 4;
    static final int ZSET_2 = 5;
    static final int MODULE = 6;
    static final int MODULE_2 = 7;
    static final int HASH_ZIPMAP = 9;
    static final int LIST_ZIPLIST = 10;
    static final int SET_INTSET = 11;
    static final int ZSET_ZIPLIST = 12;
    static final int HASH_ZIPLIST = 13;
    static final int LIST_QUICKLIST = 14;
    static final int STREAM_LISTPACKS = 15;
    static final int HASH_LISTPACK = 16;
    static final int ZSET_LISTPACK = 17;
    static final int LIST_QUICKLIST_2 = 18;
    static final int STREAM_LISTPACKS_2 = 19;

    private static final int QUICKLIST_NODE_PLAIN = 1;
    private static final int QUICKLIST_NODE_PACKED = 2;
    private static final int MODULE_OPCODE_EOF = 0;
    private static final int MODULE_OPCODE_STRING = 5;
    private static final String MODULE_CHARSET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    /** Where the codec finds the registered types. */
    interface Types {
        DataType byName(String name);

        DataType byModuleId(long id);
    }

    /** Settings that shape what is written. */
    record WriteOptions(long listFill, long streamNodeMaxEntries, long streamNodeMaxBytes) {
        static final WriteOptions DEFAULTS = new WriteOptions(-2, 100, 4096);
    }

    private ValueCodec() {
    }

    static boolean isValueType(int t) {
        return (t >= STRING && t <= MODULE_2) || (t >= HASH_ZIPMAP && t <= STREAM_LISTPACKS_2);
    }

    /** An RDB value type's name as redis-check-rdb reports it. */
    static String typeName(int t) {
        return switch (t) {
            case STRING -> "string";
            case LIST -> "list-linked";
            case SET -> "set-hashtable";
            case ZSET -> "zset-v1";
            case HASH -> "hash-hashtable";
            case ZSET_2 -> "zset-v2";
            case MODULE, MODULE_2 -> "module-value";
            case HASH_ZIPMAP -> "hash-zipmap";
            case LIST_ZIPLIST -> "list-ziplist";
            case SET_INTSET -> "set-intset";
            case ZSET_ZIPLIST -> "zset-ziplist";
            case HASH_ZIPLIST -> "hash-ziplist";
            case LIST_QUICKLIST -> "quicklist";
            case STREAM_LISTPACKS, STREAM_LISTPACKS_2 -> "stream";
            case HASH_LISTPACK -> "hash-listpack";
            case ZSET_LISTPACK -> "zset-listpack";
            case LIST_QUICKLIST_2 -> "quicklist-v2";
            default -> "unknown";
        };
    }

    // ---------------------------------------------------------------- writing

    /** Writes the type byte and the value (DUMP payloads). */
    static void write(RdbWriter w, Value value, WriteOptions o) {
        write(w, null, value, o);
    }

    /** Writes the type byte, the key when not null (RDB files), and the value. */
    static void write(RdbWriter w, byte[] key, Value value, WriteOptions o) {
        write(w, key, value.type(), value.encoding(), value.type().serialize(value), o);
    }

    /**
     * Writes a value captured earlier as its type's payload and encoding (a snapshot captures
     * them on the engine thread and encodes on its writer thread).
     */
    static void write(RdbWriter w, byte[] key, DataType type, String encoding, byte[] payload, WriteOptions o) {
        if (type.moduleName() != null) {
            typeAndKey(w, MODULE_2, key);
            w.length(moduleId(type.moduleName(), type.encodingVersion()));
            if (type.moduleFields()) {
                w.raw(payload);
                return;
            }
            w.length(MODULE_OPCODE_STRING);
            w.string(payload);
            w.length(MODULE_OPCODE_EOF);
            return;
        }
        switch (type.name()) {
            case "string" -> {
                typeAndKey(w, STRING, key);
                w.string(payload);
            }
            case "list" -> writeList(w, key, payload, o);
            case "set" -> writeSet(w, key, payload, encoding);
            case "zset" -> writeZset(w, key, payload, encoding);
            case "hash" -> writeHash(w, key, payload, encoding);
            case "stream" -> {
                typeAndKey(w, STREAM_LISTPACKS_2, key);
                StreamCodec.write(w, payload, o);
            }
            default -> throw new IllegalStateException("no RDB encoding for type " + type.name());
        }
    }

    private static void typeAndKey(RdbWriter w, int type, byte[] key) {
        w.writeByte(type);
        if (key != null) {
            w.string(key);
        }
    }

    /** Redis's moduleTypeEncodeId: 9 characters of 6 bits each, then a 10-bit encoding version. */
    static long moduleId(String name, int encodingVersion) {
        if (name.length() != 9) {
            throw new IllegalArgumentException("module type names have 9 characters: " + name);
        }
        long id = 0;
        for (int i = 0; i < 9; i++) {
            int c = MODULE_CHARSET.indexOf(name.charAt(i));
            if (c < 0) {
                throw new IllegalArgumentException("invalid character in module type name " + name);
            }
            id = (id << 6) | c;
        }
        return (id << 10) | (encodingVersion & 1023);
    }

    static String moduleName(long id) {
        char[] name = new char[9];
        long bits = id >>> 10;
        for (int i = 8; i >= 0; i--) {
            name[i] = MODULE_CHARSET.charAt((int) (bits & 63));
            bits >>>= 6;
        }
        return new String(name);
    }

    private static void writeList(RdbWriter w, byte[] key, byte[] payload, WriteOptions o) {
        RdbInput in = new RdbInput(payload);
        int n = in.readCount();
        List<byte[]> nodes = new ArrayList<>();
        long fill = o.listFill();
        int maxBytes = fill < 0 ? 4096 << (int) Math.min(4, -fill - 1) : 8192;
        long maxEntries = fill > 0 ? fill : Long.MAX_VALUE;
        Listpack.Builder lp = new Listpack.Builder();
        for (int i = 0; i < n; i++) {
            byte[] e = in.readString();
            boolean full = lp.count() > 0
                    && (lp.count() >= maxEntries || (fill < 0 && lp.bytes() + e.length + 11 > maxBytes));
            if (full) {
                nodes.add(lp.build());
                lp = new Listpack.Builder();
            }
            lp.add(e);
        }
        if (lp.count() > 0) {
            nodes.add(lp.build());
        }
        typeAndKey(w, LIST_QUICKLIST_2, key);
        w.length(nodes.size());
        for (byte[] node : nodes) {
            w.length(QUICKLIST_NODE_PACKED);
            w.string(node);
        }
    }

    private static void writeSet(RdbWriter w, byte[] key, byte[] payload, String encoding) {
        RdbInput in = new RdbInput(payload);
        int n = in.readCount();
        if (encoding.equals("intset")) {
            long[] members = new long[n];
            for (int i = 0; i < n; i++) {
                members[i] = Bytes.parseLong(in.readString());
            }
            Arrays.sort(members);
            typeAndKey(w, SET_INTSET, key);
            w.string(OldEncodings.intsetOf(members));
            return;
        }
        typeAndKey(w, SET, key);
        w.length(n);
        for (int i = 0; i < n; i++) {
            w.string(in.readString());
        }
    }

    private static void writeZset(RdbWriter w, byte[] key, byte[] payload, String encoding) {
        RdbInput in = new RdbInput(payload);
        int n = in.readCount();
        byte[][] members = new byte[n][];
        double[] scores = new double[n];
        for (int i = 0; i < n; i++) {
            members[i] = in.readString();
            scores[i] = in.readBinaryDouble();
        }
        if (encoding.equals("listpack")) {
            // the payload runs from the highest score down; a listpack runs upwards
            Listpack.Builder lp = new Listpack.Builder();
            for (int i = n - 1; i >= 0; i--) {
                lp.add(members[i]);
                lp.add(Bytes.of(scoreText(scores[i])));
            }
            typeAndKey(w, ZSET_LISTPACK, key);
            w.string(lp.build());
            return;
        }
        typeAndKey(w, ZSET_2, key);
        w.length(n);
        for (int i = 0; i < n; i++) {
            w.string(members[i]);
            w.binaryDouble(scores[i]);
        }
    }

    /** A score as a listpack stores it: integral values as integers, others as %.17g. */
    static String scoreText(double d) {
        if (d > -4503599627370495.0 && d < 4503599627370496.0 && d == (double) (long) d && !(d == 0 && 1 / d < 0)) {
            return Long.toString((long) d);
        }
        return Bytes.formatDouble(d);
    }

    private static void writeHash(RdbWriter w, byte[] key, byte[] payload, String encoding) {
        RdbInput in = new RdbInput(payload);
        int n = in.readCount();
        if (encoding.equals("listpack")) {
            Listpack.Builder lp = new Listpack.Builder();
            for (int i = 0; i < 2 * n; i++) {
                lp.add(in.readString());
            }
            typeAndKey(w, HASH_LISTPACK, key);
            w.string(lp.build());
            return;
        }
        typeAndKey(w, HASH, key);
        w.length(n);
        for (int i = 0; i < 2 * n; i++) {
            w.string(in.readString());
        }
    }

    // ---------------------------------------------------------------- reading

    /**
     * Reads a value of RDB type {@code t}; malformed data throws {@link RdbFormatException} with
     * Redis's reason, an empty collection {@link RdbFormatException#emptyKey()} once its bytes are
     * consumed.
     */
    static Value read(int t, RdbReader r, Types types) {
        String typeName = switch (t) {
            case STRING -> "string";
            case LIST, LIST_ZIPLIST, LIST_QUICKLIST, LIST_QUICKLIST_2 -> "list";
            case SET, SET_INTSET -> "set";
            case ZSET, ZSET_2, ZSET_ZIPLIST, ZSET_LISTPACK -> "zset";
            case HASH, HASH_ZIPMAP, HASH_ZIPLIST, HASH_LISTPACK -> "hash";
            case STREAM_LISTPACKS, STREAM_LISTPACKS_2 -> "stream";
            case MODULE_2 -> null;
            default -> throw new RdbFormatException("Unknown RDB encoding type " + t);
        };
        if (typeName == null) {
            return readModule(r, types);
        }
        DataType type = types.byName(typeName);
        byte[] payload;
        try {
            payload = switch (typeName) {
                case "string" -> r.readString();
                case "list" -> plainList(t, r);
                case "set" -> plainSet(t, r);
                case "zset" -> plainZset(t, r);
                case "hash" -> plainHash(t, r);
                default -> StreamCodec.read(t, r);
            };
        } catch (IllegalArgumentException e) {
            throw new RdbFormatException("invalid " + typeName + ": " + e.getMessage(), e);
        }
        if (type == null) {
            throw new RdbFormatException("no bundle provides the " + typeName + " type");
        }
        try {
            return type.restore(payload, 0);
        } catch (RuntimeException e) {
            // what the codec leaves to the type is what Redis finds while building the value: duplicates
            throw RdbFormatException.because(restoreReason(t, typeName),
                    new RdbFormatException(String.valueOf(e.getMessage()), e));
        }
    }

    /** Redis's reason when a value of RDB type {@code t} cannot be built (duplicate members). */
    private static String restoreReason(int t, String typeName) {
        return switch (t) {
            case SET, SET_INTSET -> "Duplicate set members detected";
            case ZSET, ZSET_2 -> "Duplicate zset fields detected";
            case HASH -> "Duplicate hash fields detected";
            case ZSET_ZIPLIST, ZSET_LISTPACK, HASH_ZIPLIST, HASH_LISTPACK, HASH_ZIPMAP -> integrityReason(t);
            default -> "invalid " + typeName;
        };
    }

    /** Redis's reason when the blob of a compact encoding fails its integrity check. */
    private static String integrityReason(int t) {
        return switch (t) {
            case LIST_ZIPLIST -> "List ziplist integrity check failed.";
            case LIST_QUICKLIST -> "Ziplist integrity check failed.";
            case LIST_QUICKLIST_2 -> "Listpack integrity check failed.";
            case SET_INTSET -> "Intset integrity check failed.";
            case ZSET_ZIPLIST -> "Zset ziplist integrity check failed.";
            case ZSET_LISTPACK -> "Zset listpack integrity check failed.";
            case HASH_ZIPMAP -> "Zipmap integrity check failed.";
            case HASH_ZIPLIST -> "Hash ziplist integrity check failed.";
            case HASH_LISTPACK -> "Hash listpack integrity check failed.";
            default -> "Stream listpack integrity check failed.";
        };
    }

    /** The elements of a compact encoding's blob; a malformed blob fails with Redis's reason for it. */
    private static List<byte[]> elements(int t, byte[] blob) {
        try {
            return switch (t) {
                case LIST_ZIPLIST, LIST_QUICKLIST, ZSET_ZIPLIST, HASH_ZIPLIST -> OldEncodings.ziplist(blob);
                case HASH_ZIPMAP -> OldEncodings.zipmap(blob);
                default -> Listpack.decode(blob);
            };
        } catch (RdbFormatException e) {
            throw RdbFormatException.because(integrityReason(t), e);
        }
    }

    /**
     * The elements of a field/value (or member/score) blob: an even count, and no field twice
     * (Redis's deep check of pair encodings).
     */
    private static List<byte[]> pairs(int t, byte[] blob) {
        List<byte[]> items = elements(t, blob);
        if (items.size() % 2 != 0) {
            throw RdbFormatException.because(integrityReason(t),
                    new RdbFormatException("an odd number of elements"));
        }
        java.util.Set<java.nio.ByteBuffer> fields = new java.util.HashSet<>();
        for (int i = 0; i < items.size(); i += 2) {
            byte[] field = items.get(i);
            if (!fields.add(java.nio.ByteBuffer.wrap(field))) {
                if (t == HASH_ZIPMAP) {
                    throw new RdbFormatException("Hash zipmap with dup elements, or big length (" + field.length + ")");
                }
                throw RdbFormatException.because(integrityReason(t), new RdbFormatException(
                        (t == HASH_LISTPACK || t == ZSET_LISTPACK ? "listpack" : "ziplist") + " with dup elements"));
            }
        }
        return items;
    }

    private static Value readModule(RdbReader r, Types types) {
        long id = r.readLength();
        DataType type = types.byModuleId(id);
        if (type == null) {
            throw new RdbFormatException("no bundle provides the module type " + moduleName(id)
                    + " (encoding version " + (id & 1023) + ")");
        }
        if (type.moduleFields()) {
            try {
                return type.restore(moduleFields(r, id), (int) (id & 1023));
            } catch (RuntimeException e) {
                throw new RdbFormatException("invalid " + moduleName(id) + " value: " + e.getMessage(), e);
            }
        }
        byte[] payload = null;
        while (true) {
            long opcode = r.readLength();
            if (opcode == MODULE_OPCODE_EOF) {
                break;
            }
            if (opcode != MODULE_OPCODE_STRING || payload != null) {
                throw new RdbFormatException("unexpected module value layout for " + moduleName(id));
            }
            payload = r.readString();
        }
        if (payload == null) {
            throw new RdbFormatException("empty module value for " + moduleName(id));
        }
        try {
            return type.restore(payload, (int) (id & 1023));
        } catch (RuntimeException e) {
            throw new RdbFormatException("invalid " + moduleName(id) + " value: " + e.getMessage(), e);
        }
    }

    /**
     * A module value's fields up to and including EOF, re-encoded plainly (strings decompressed)
     * for a type that reads Redis's field layout itself ({@link DataType#moduleFields()}).
     */
    private static byte[] moduleFields(RdbReader r, long id) {
        RdbWriter out = RdbWriter.inMemory(false);
        while (true) {
            long opcode = r.readLength();
            out.length(opcode);
            switch ((int) Math.min(opcode, Integer.MAX_VALUE)) {
                case MODULE_OPCODE_EOF -> {
                    return out.toByteArray();
                }
                case 1, 2 -> out.length(r.readLength());
                case 3 -> out.raw(r.readRaw(4));
                case 4 -> out.raw(r.readRaw(8));
                case MODULE_OPCODE_STRING -> {
                    byte[] s = r.readString();
                    out.length(s.length).raw(s);
                }
                default -> throw new RdbFormatException("unknown module opcode " + opcode + " in " + moduleName(id));
            }
        }
    }

    private static byte[] plainList(int t, RdbReader r) {
        List<byte[]> all = new ArrayList<>();
        switch (t) {
            case LIST -> {
                int n = r.readCount();
                for (int i = 0; i < n; i++) {
                    all.add(r.readString());
                }
            }
            case LIST_ZIPLIST -> all.addAll(elements(t, r.readString()));
            case LIST_QUICKLIST -> {
                // an empty node is skipped, as Redis does; a list left empty is an empty key
                int nodes = r.readCount();
                for (int i = 0; i < nodes; i++) {
                    byte[] data = r.readString();
                    if (data.length == 0) {
                        throw new RdbFormatException("quicklist node of zero bytes");
                    }
                    all.addAll(elements(t, data));
                }
            }
            default -> {
                int nodes = r.readCount();
                for (int i = 0; i < nodes; i++) {
                    long container = r.readLength();
                    if (container != QUICKLIST_NODE_PLAIN && container != QUICKLIST_NODE_PACKED) {
                        throw new RdbFormatException("Quicklist integrity check failed. (unknown node container "
                                + Long.toUnsignedString(container) + ")");
                    }
                    byte[] data = r.readString();
                    if (data.length == 0) {
                        throw new RdbFormatException("quicklist node of zero bytes");
                    }
                    if (container == QUICKLIST_NODE_PLAIN) {
                        all.add(data);
                    } else {
                        all.addAll(elements(t, data));
                    }
                }
            }
        }
        if (all.isEmpty()) {
            throw RdbFormatException.emptyKey();
        }
        return strings(all, 1);
    }

    private static byte[] plainSet(int t, RdbReader r) {
        if (t == SET_INTSET) {
            long[] members;
            try {
                members = OldEncodings.intset(r.readString());
            } catch (RdbFormatException e) {
                throw RdbFormatException.because(integrityReason(t), e);
            }
            RdbOutput out = new RdbOutput(8 + members.length * 8);
            out.writeLength(members.length);
            for (long m : members) {
                out.writeString(Bytes.fromLong(m));
            }
            return out.toByteArray();
        }
        int n = r.readCount();
        List<byte[]> all = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            all.add(r.readString());
        }
        if (all.isEmpty()) {
            throw RdbFormatException.emptyKey();
        }
        return strings(all, 1);
    }

    private static byte[] plainZset(int t, RdbReader r) {
        RdbOutput out = new RdbOutput();
        switch (t) {
            case ZSET, ZSET_2 -> {
                int n = r.readCount();
                out.writeLength(n);
                boolean nan = false;
                for (int i = 0; i < n; i++) {
                    out.writeString(r.readString());
                    double score = t == ZSET ? r.readStringDouble() : r.readBinaryDouble();
                    nan |= Double.isNaN(score);
                    out.writeBinaryDouble(score);
                }
                if (nan) {
                    throw new RdbFormatException("Zset with NAN score detected");
                }
                if (n == 0) {
                    throw RdbFormatException.emptyKey();
                }
            }
            default -> {
                List<byte[]> items = pairs(t, r.readString());
                if (items.isEmpty()) {
                    throw RdbFormatException.emptyKey();
                }
                out.writeLength(items.size() / 2);
                for (int i = 0; i < items.size(); i += 2) {
                    out.writeString(items.get(i));
                    double score;
                    try {
                        score = Bytes.parseDouble(items.get(i + 1));
                    } catch (NumberFormatException e) {
                        throw RdbFormatException.because(integrityReason(t),
                                new RdbFormatException("a score that is not a number"));
                    }
                    out.writeBinaryDouble(score);
                }
            }
        }
        return out.toByteArray();
    }

    private static byte[] plainHash(int t, RdbReader r) {
        List<byte[]> items;
        if (t == HASH) {
            int n = r.readCount();
            items = new ArrayList<>();
            for (int i = 0; i < 2 * n; i++) {
                items.add(r.readString());
            }
        } else {
            items = pairs(t, r.readString());
        }
        if (items.isEmpty()) {
            throw RdbFormatException.emptyKey();
        }
        return strings(items, 2);
    }

    /** A count (items / perItem) then every item as a string. */
    private static byte[] strings(List<byte[]> items, int perItem) {
        long bytes = 16;
        for (byte[] b : items) {
            bytes += b.length + 5;
        }
        RdbOutput out = new RdbOutput((int) Math.min(Integer.MAX_VALUE - 8, bytes));
        out.writeLength(items.size() / perItem);
        for (byte[] b : items) {
            out.writeString(b);
        }
        return out.toByteArray();
    }
}
