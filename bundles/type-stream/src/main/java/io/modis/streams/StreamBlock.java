package io.modis.streams;

import java.util.Arrays;

/**
 * A run of consecutive stream entries packed in one byte[] (Redis keeps them in a listpack per
 * radix-tree node). Each entry is a flag byte (1 = deleted), the ID as varints (milliseconds as
 * a delta from the block's first ID, then the sequence), the field count, and each field and
 * value as a varint length followed by its bytes. Deleting an entry only sets its flag; the
 * block goes away when its last live entry does.
 */
final class StreamBlock {
    private static final int DELETED = 1;

    /** The ID of the first entry ever put here, the block's key in the index. */
    final StreamId master;
    private byte[] data;
    private int used;
    private int live;
    private int deleted;
    private StreamId last;

    StreamBlock(StreamId master) {
        this.master = master;
        this.data = new byte[64];
    }

    private StreamBlock(StreamBlock o) {
        master = o.master;
        data = Arrays.copyOf(o.data, o.used);
        used = o.used;
        live = o.live;
        deleted = o.deleted;
        last = o.last;
    }

    StreamBlock copy() {
        return new StreamBlock(this);
    }

    int live() {
        return live;
    }

    /** Live and deleted entries: what Redis counts against stream-node-max-entries. */
    int total() {
        return live + deleted;
    }

    int bytes() {
        return used;
    }

    long memoryUsage() {
        return 48 + 16 + data.length;
    }

    /** The ID of the last entry put here, deleted or not. */
    StreamId last() {
        return last;
    }

    /** Bytes an entry of these fields takes (to decide whether it still fits). */
    static int encodedSize(StreamId id, byte[][] fieldsAndValues, int from, int pairs) {
        int n = 1 + 10 + varSize(id.seq()) + varSize(pairs);
        for (int i = from; i < from + 2 * pairs; i++) {
            n += varSize(fieldsAndValues[i].length) + fieldsAndValues[i].length;
        }
        return n;
    }

    void append(StreamId id, byte[][] fieldsAndValues, int from, int pairs) {
        ensure(encodedSize(id, fieldsAndValues, from, pairs));
        data[used++] = 0;
        putVar(id.ms() - master.ms());
        putVar(id.seq());
        putVar(pairs);
        for (int i = from; i < from + 2 * pairs; i++) {
            byte[] f = fieldsAndValues[i];
            putVar(f.length);
            System.arraycopy(f, 0, data, used, f.length);
            used += f.length;
        }
        live++;
        last = id;
    }

    /** The entry starting at {@code off} (0 is the first; {@link Entry#next} the following). */
    Entry read(int off) {
        boolean isDeleted = (data[off] & DELETED) != 0;
        int[] pos = {off + 1};
        long ms = master.ms() + getVar(pos);
        long seq = getVar(pos);
        int pairs = (int) getVar(pos);
        int fields = pos[0];
        for (int i = 0; i < 2 * pairs; i++) {
            int len = (int) getVar(pos);
            pos[0] += len;
        }
        return new Entry(this, new StreamId(ms, seq), isDeleted, off, fields, pairs, pos[0]);
    }

    boolean hasEntryAt(int off) {
        return off < used;
    }

    /** Offsets of every entry, in order (for walking backwards). */
    int[] offsets() {
        int[] out = new int[total()];
        int n = 0;
        for (int off = 0; off < used; off = read(off).next()) {
            out[n++] = off;
        }
        return n == out.length ? out : Arrays.copyOf(out, n);
    }

    void markDeleted(Entry e) {
        data[e.offset()] |= DELETED;
        live--;
        deleted++;
    }

    /** Calls {@code out} with each field and value of {@code e} in order. */
    void forEachField(Entry e, FieldVisitor out) {
        int[] pos = {e.fieldsOffset()};
        for (int i = 0; i < 2 * e.pairs(); i++) {
            int len = (int) getVar(pos);
            out.accept(data, pos[0], len);
            pos[0] += len;
        }
    }

    byte[][] fields(Entry e) {
        byte[][] out = new byte[2 * e.pairs()][];
        int[] n = {0};
        forEachField(e, (b, off, len) -> out[n[0]++] = Arrays.copyOfRange(b, off, off + len));
        return out;
    }

    @FunctionalInterface
    interface FieldVisitor {
        void accept(byte[] buf, int off, int len);
    }

    /** One decoded entry header; its fields stay in the block. */
    record Entry(StreamBlock block, StreamId id, boolean deleted, int offset, int fieldsOffset, int pairs,
                 int next) {
    }

    private void ensure(int extra) {
        if (used + extra > data.length) {
            data = Arrays.copyOf(data, Math.max(used + extra, data.length * 2));
        }
    }

    private void putVar(long v) {
        while ((v & ~0x7FL) != 0) {
            data[used++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        data[used++] = (byte) v;
    }

    private long getVar(int[] pos) {
        long v = 0;
        int shift = 0;
        while (true) {
            byte b = data[pos[0]++];
            v |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return v;
            }
            shift += 7;
        }
    }

    private static int varSize(long v) {
        int n = 1;
        while ((v & ~0x7FL) != 0) {
            v >>>= 7;
            n++;
        }
        return n;
    }
}
