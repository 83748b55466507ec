package io.modis.hashes;

import io.modis.api.DataType;
import io.modis.api.Digest;
import io.modis.api.Fields;
import io.modis.api.Reply;
import io.modis.api.Value;
import io.modis.api.dict.Dict;
import java.util.Arrays;

/**
 * A hash: a {@link Listpack} while it is small, a {@link Dict} of field to value once it passed
 * a listpack limit (Redis's "listpack" and "hashtable" encodings). Like Redis it never converts
 * back. Field and value arrays kept in the table are never modified, so arrays handed in by a
 * command are stored as they are.
 */
final class HashValue implements Fields {
    /** Object header plus the fields of this class, and of a Listpack. */
    private static final int SHELL_BYTES = 32;
    private static final int LISTPACK_SHELL_BYTES = 24;
    /** A Dict and its bookkeeping, without buckets and entries. */
    private static final int DICT_SHELL_BYTES = 64;
    /** A Dict.Entry: header, key, value, expiry, lru and next. */
    private static final int DICT_ENTRY_BYTES = 40;
    private static final int BUCKET_BYTES = 4;

    /** The listpack form, null once converted. */
    private Listpack pack;
    /** The hashtable form, null while a listpack. */
    private Dict<byte[]> table;
    /** Running estimate of the table's entries and their arrays. */
    private long tableEntryBytes;

    HashValue() {
        pack = new Listpack();
    }

    private HashValue(Listpack pack, Dict<byte[]> table, long tableEntryBytes) {
        this.pack = pack;
        this.table = table;
        this.tableEntryBytes = tableEntryBytes;
    }

    // ---------------------------------------------------------------- Value

    @Override
    public DataType type() {
        return HashType.INSTANCE;
    }

    @Override
    public String encoding() {
        return pack != null ? "listpack" : "hashtable";
    }

    @Override
    public long memoryUsage() {
        if (pack != null) {
            return SHELL_BYTES + LISTPACK_SHELL_BYTES + arrayBytes(pack.capacity());
        }
        return SHELL_BYTES + DICT_SHELL_BYTES + table.buckets() * BUCKET_BYTES + tableEntryBytes;
    }

    @Override
    public HashValue copy() {
        if (pack != null) {
            return new HashValue(pack.copy(), null, 0);
        }
        Dict<byte[]> d = new Dict<>();
        d.expand(table.size());
        table.forEach(e -> d.put(e.key.clone(), e.value.clone()));
        return new HashValue(null, d, tableEntryBytes);
    }

    @Override
    public void digest(Digest d) {
        forEach((f, fo, fl, v, vo, vl) -> d.addUnordered(Arrays.copyOfRange(f, fo, fo + fl),
                Arrays.copyOfRange(v, vo, vo + vl)));
    }

    @Override
    public String hashTableStats() {
        return table == null ? null : table.stats();
    }

    @Override
    public byte[] field(byte[] field) {
        return get(field);
    }

    // ---------------------------------------------------------------- reads

    boolean isListpack() {
        return pack != null;
    }

    /** The listpack form; only while {@link #isListpack()}. */
    Listpack listpack() {
        return pack;
    }

    /** The hashtable form; only once converted. */
    Dict<byte[]> table() {
        return table;
    }

    int size() {
        return pack != null ? pack.pairs() : (int) table.size();
    }

    /** The value of {@code field} (a copy for a listpack), or null. */
    byte[] get(byte[] field) {
        if (pack != null) {
            int pos = pack.find(field);
            return pos < 0 ? null : pack.bytesAt(pack.next(pos));
        }
        return table.get(field);
    }

    /** Writes the value of {@code field} as a bulk string without copying it; false when absent. */
    boolean replyValue(Reply reply, byte[] field) {
        if (pack != null) {
            int pos = pack.find(field);
            if (pos < 0) {
                return false;
            }
            int valuePos = pack.next(pos);
            reply.bulk(pack.buffer(), pack.data(valuePos), pack.length(valuePos));
            return true;
        }
        byte[] v = table.get(field);
        if (v == null) {
            return false;
        }
        reply.bulk(v);
        return true;
    }

    boolean contains(byte[] field) {
        return pack != null ? pack.find(field) >= 0 : table.find(field) != null;
    }

    /** Length of the value of {@code field}, 0 when absent. */
    int valueLength(byte[] field) {
        if (pack != null) {
            int pos = pack.find(field);
            return pos < 0 ? 0 : pack.length(pack.next(pos));
        }
        byte[] v = table.get(field);
        return v == null ? 0 : v.length;
    }

    /** What visits each pair: the field and value as ranges of arrays that must not be kept. */
    @FunctionalInterface
    interface PairVisitor {
        void visit(byte[] field, int fieldOff, int fieldLen, byte[] value, int valueOff, int valueLen);
    }

    /** Visits every pair once: listpack order, or table order. */
    void forEach(PairVisitor visitor) {
        if (pack != null) {
            byte[] b = pack.buffer();
            int pos = 0;
            for (int i = pack.pairs(); i > 0; i--) {
                int valuePos = pack.next(pos);
                visitor.visit(b, pack.data(pos), pack.length(pos), b, pack.data(valuePos), pack.length(valuePos));
                pos = pack.next(valuePos);
            }
        } else {
            table.forEach(e -> visitor.visit(e.key, 0, e.key.length, e.value, 0, e.value.length));
        }
    }

    // ---------------------------------------------------------------- changes

    /**
     * Converts ahead of a write whose arguments {@code args[from..to]} are about to be stored:
     * any of them longer than the value limit, or all of them together pushing the listpack past
     * its size cap, make it a table first (Redis's hashTypeTryConversion).
     */
    void prepareFor(byte[][] args, int from, int to, HashLimits limits) {
        if (pack == null) {
            return;
        }
        long sum = 0;
        for (int i = from; i <= to; i++) {
            if (!limits.fits(args[i].length)) {
                convert();
                return;
            }
            sum += args[i].length;
        }
        if (pack.used() + sum > HashLimits.MAX_LISTPACK_BYTES) {
            convert();
        }
    }

    /** Makes room for adding these pairs to a listpack in one copy (see {@link #trim()}). */
    void reserve(byte[][] args, int from, int to) {
        if (pack == null) {
            return;
        }
        long bytes = 0;
        for (int i = from; i <= to; i++) {
            bytes += args[i].length + 5;
        }
        pack.reserve(bytes);
    }

    /** Gives back room reserved and not used; call after {@link #reserve}. */
    void trim() {
        if (pack != null) {
            pack.trim();
        }
    }

    /**
     * Sets {@code field} to {@code value} (arrays the hash may keep); converts when the pair is
     * too long for a listpack or the listpack grows past the entry limit. Returns true when the
     * field is new.
     */
    boolean set(byte[] field, byte[] value, HashLimits limits) {
        if (pack != null && (!limits.fits(field.length) || !limits.fits(value.length)
                || (long) pack.used() + field.length + value.length > HashLimits.MAX_LISTPACK_BYTES)) {
            convert();
        }
        if (pack != null) {
            boolean added = pack.put(field, value);
            if (pack.pairs() > limits.maxEntries()) {
                convert();
            }
            return added;
        }
        Dict.Entry<byte[]> e = table.addOrFind(field);
        boolean added = e.value == null;
        if (added) {
            tableEntryBytes += DICT_ENTRY_BYTES + arrayBytes(field.length) + arrayBytes(value.length);
        } else {
            tableEntryBytes += arrayBytes(value.length) - arrayBytes(e.value.length);
        }
        e.value = value;
        return added;
    }

    /** Removes {@code field}; returns whether it was there. */
    boolean delete(byte[] field) {
        if (pack != null) {
            return pack.remove(field);
        }
        Dict.Entry<byte[]> e = table.remove(field);
        if (e == null) {
            return false;
        }
        tableEntryBytes -= DICT_ENTRY_BYTES + arrayBytes(e.key.length) + arrayBytes(e.value.length);
        table.resizeIfNeeded(); // shrinks after deletions as Redis does
        return true;
    }

    /** Turns the listpack into a table (never the other way). */
    void convert() {
        if (pack == null) {
            return;
        }
        Dict<byte[]> d = new Dict<>();
        d.expand(pack.pairs());
        long bytes = 0;
        byte[] b = pack.buffer();
        int pos = 0;
        for (int i = pack.pairs(); i > 0; i--) {
            int valuePos = pack.next(pos);
            byte[] field = Arrays.copyOfRange(b, pack.data(pos), pack.data(pos) + pack.length(pos));
            byte[] value = Arrays.copyOfRange(b, pack.data(valuePos), pack.data(valuePos) + pack.length(valuePos));
            d.put(field, value);
            bytes += DICT_ENTRY_BYTES + arrayBytes(field.length) + arrayBytes(value.length);
            pos = pack.next(valuePos);
        }
        table = d;
        tableEntryBytes = bytes;
        pack = null;
    }

    /** Heap bytes of a byte array of {@code n} elements: a 16-byte header, 8-byte aligned. */
    static long arrayBytes(long n) {
        return 16 + ((n + 7) & ~7L);
    }
}
