package io.modis.streams;

import java.util.Arrays;

/**
 * A run of consecutive stream entries packed in one byte[] (Redis keeps them in a listpack per
 * radix-tree node), laid out to be as small as Redis's listpack or smaller.
 *
 * <p>The array starts with the master fields: the field names of the first entry put here (a
 * count, then each name). Each entry follows as a header varint holding three flags in its low
 * bits ({@link #DELETED}, {@link #SAME_FIELDS}, {@link #FAR}) and above them the milliseconds
 * of its ID as the delta from the block's master ID (when that delta is 2^60 or more, FAR is set
 * and the delta follows as a varint of its own), then the sequence as a varint (the delta from
 * the master's when the milliseconds are the same, else as it is), then either only its values
 * (when its field names are the master fields, as in Redis's "same fields" flag) or a field
 * count and each field and value. Every field and value is a varint header: an even header 2n
 * is n bytes following it; an odd header is a canonical decimal integer of up to 18 digits
 * (written back as the very same bytes), its zigzag form shifted left by one.
 *
 * <p>Deleting an entry only sets its flag; the block goes away when its last live entry does.
 * Entries are only ever appended, so a block's entries stay in ID order.
 */
final class StreamBlock {
    private static final int DELETED = 1;
    private static final int SAME_FIELDS = 2;
    private static final int FAR = 4;
    private static final int FLAG_BITS = 3;
    /** The block object (header, four longs, a reference, six ints) rounded to 8 bytes. */
    private static final int OBJECT_BYTES = 72;
    private static final int ARRAY_HEADER_BYTES = 16;
    private static final int MAX_INTEGER_DIGITS = 18;
    /** What {@link #packedInteger} returns for a string it does not pack (no packed value is this small). */
    static final long NOT_PACKED = Long.MIN_VALUE;

    /** The ID of the first entry ever put here, the block's key in the index. */
    final long masterMs;
    final long masterSeq;
    private long lastMs;
    private long lastSeq;
    private byte[] data;
    private int used;
    private final int masterPairs;
    private final int firstEntry;
    private int live;
    private int deleted;

    /**
     * An empty block whose master fields are those of {@code pairs} pairs from {@code from}, with
     * room for {@code capacity} bytes (a hint: it grows as needed).
     */
    StreamBlock(StreamId master, byte[][] fieldsAndValues, int from, int pairs, int capacity) {
        masterMs = master.ms();
        masterSeq = master.seq();
        masterPairs = pairs;
        int size = varSize(pairs);
        for (int i = from; i < from + 2 * pairs; i += 2) {
            size += stringSize(fieldsAndValues[i]);
        }
        data = new byte[Math.max(size, capacity)];
        putVar(pairs);
        for (int i = from; i < from + 2 * pairs; i += 2) {
            putString(fieldsAndValues[i]);
        }
        firstEntry = used;
    }

    private StreamBlock(StreamBlock o) {
        masterMs = o.masterMs;
        masterSeq = o.masterSeq;
        lastMs = o.lastMs;
        lastSeq = o.lastSeq;
        data = Arrays.copyOf(o.data, o.used);
        used = o.used;
        masterPairs = o.masterPairs;
        firstEntry = o.firstEntry;
        live = o.live;
        deleted = o.deleted;
    }

    StreamBlock copy() {
        return new StreamBlock(this);
    }

    StreamId master() {
        return new StreamId(masterMs, masterSeq);
    }

    /** Compares the master ID with {@code id}, as {@link StreamId#compareTo} does. */
    int compareMasterTo(StreamId id) {
        return compare(masterMs, masterSeq, id);
    }

    int live() {
        return live;
    }

    /** Live and deleted entries: what Redis counts against stream-node-max-entries. */
    int total() {
        return live + deleted;
    }

    /** Bytes in use: what is counted against stream-node-max-bytes. */
    int bytes() {
        return used;
    }

    /** Heap bytes this block takes: the object and its array, spare room included. */
    long memoryUsage() {
        return OBJECT_BYTES + ARRAY_HEADER_BYTES + ((data.length + 7) & ~7);
    }

    /** Gives back the spare room at the end of the array (once no more entries will come). */
    void seal() {
        if (data.length > used) {
            data = Arrays.copyOf(data, used);
        }
    }

    /** Compares the ID of the last entry put here (deleted or not) with {@code id}. */
    int compareLastTo(StreamId id) {
        return compare(lastMs, lastSeq, id);
    }

    private static int compare(long ms, long seq, StreamId id) {
        int c = Long.compareUnsigned(ms, id.ms());
        return c != 0 ? c : Long.compareUnsigned(seq, id.seq());
    }

    /** True if these are the master fields, so an entry can leave its field names out. */
    boolean hasMasterFields(byte[][] fieldsAndValues, int from, int pairs) {
        if (pairs != masterPairs) {
            return false;
        }
        int[] pos = {varSize(masterPairs)};
        for (int i = from; i < from + 2 * pairs; i += 2) {
            if (!matchString(pos, fieldsAndValues[i])) {
                return false;
            }
        }
        return true;
    }

    /**
     * Appends an entry with an ID above every ID here, unless the block would then hold
     * {@code maxBytes} or more (0: no limit): then it returns false and the block holds what it
     * held. {@code sameFields} is what {@link #hasMasterFields} said. The array grows by half
     * when full.
     */
    boolean tryAppend(StreamId id, byte[][] fieldsAndValues, int from, int pairs, boolean sameFields, long maxBytes) {
        // Header, a far delta, sequence, field count: at most 10 bytes each; a string's header 5.
        int bound = 40;
        for (int i = from; i < from + 2 * pairs; i++) {
            bound += 5 + fieldsAndValues[i].length;
        }
        if (used + bound > data.length) {
            data = Arrays.copyOf(data, Math.max(used + bound, data.length + (data.length >> 1)));
        }
        int start = used;
        long msDelta = id.ms() - masterMs;
        int flags = sameFields ? SAME_FIELDS : 0;
        if (isFar(msDelta)) {
            putVar(flags | FAR);
            putVar(msDelta);
        } else {
            putVar(msDelta << FLAG_BITS | flags);
        }
        putVar(msDelta == 0 ? id.seq() - masterSeq : id.seq());
        if (sameFields) {
            for (int i = from + 1; i < from + 2 * pairs; i += 2) {
                putString(fieldsAndValues[i]);
            }
        } else {
            putVar(pairs);
            for (int i = from; i < from + 2 * pairs; i++) {
                putString(fieldsAndValues[i]);
            }
        }
        if (maxBytes > 0 && used >= maxBytes) {
            used = start;
            return false;
        }
        live++;
        lastMs = id.ms();
        lastSeq = id.seq();
        return true;
    }

    /** Offset of the first entry. */
    int firstEntry() {
        return firstEntry;
    }

    boolean hasEntryAt(int off) {
        return off < used;
    }

    /** The entry starting at {@code off} ({@link #firstEntry} is the first; {@link Entry#next} the following). */
    Entry read(int off) {
        int[] pos = {off};
        long header = getVar(pos);
        int flags = (int) header & ((1 << FLAG_BITS) - 1);
        long msDelta = (flags & FAR) != 0 ? getVar(pos) : header >>> FLAG_BITS;
        long seq = getVar(pos);
        StreamId id = new StreamId(masterMs + msDelta, msDelta == 0 ? masterSeq + seq : seq);
        boolean sameFields = (flags & SAME_FIELDS) != 0;
        int pairs = sameFields ? masterPairs : (int) getVar(pos);
        int fields = pos[0];
        for (int i = sameFields ? pairs : 2 * pairs; i > 0; i--) {
            skipString(pos);
        }
        return new Entry(this, id, (flags & DELETED) != 0, off, fields, pairs, sameFields, pos[0]);
    }

    /**
     * The offset of the first entry whose ID is at least {@code id} (above it if not
     * {@code inclusive}), deleted or not; {@link #bytes} if there is none. It decodes IDs only.
     */
    int seek(StreamId id, boolean inclusive) {
        int[] pos = {firstEntry};
        while (pos[0] < used) {
            int off = pos[0];
            long header = getVar(pos);
            int flags = (int) header & ((1 << FLAG_BITS) - 1);
            long msDelta = (flags & FAR) != 0 ? getVar(pos) : header >>> FLAG_BITS;
            long seq = getVar(pos);
            int c = compare(masterMs + msDelta, msDelta == 0 ? masterSeq + seq : seq, id);
            if (c > 0 || (c == 0 && inclusive)) {
                return off;
            }
            skipFields(pos, flags);
        }
        return used;
    }

    /** Moves {@code pos} from after an entry's ID past its fields. */
    private void skipFields(int[] pos, int flags) {
        int strings = (flags & SAME_FIELDS) != 0 ? masterPairs : 2 * (int) getVar(pos);
        for (int i = strings; i > 0; i--) {
            skipString(pos);
        }
    }

    /** Offsets of the entries before offset {@code end}, in order (for walking backwards). */
    int[] offsets(int end) {
        int[] out = new int[total()];
        int n = 0;
        int[] pos = {firstEntry};
        while (pos[0] < end) {
            out[n++] = pos[0];
            int flags = (int) getVar(pos) & ((1 << FLAG_BITS) - 1);
            if ((flags & FAR) != 0) {
                getVar(pos);
            }
            getVar(pos);
            skipFields(pos, flags);
        }
        return n == out.length ? out : Arrays.copyOf(out, n);
    }

    void markDeleted(Entry e) {
        // The flags are the low bits of the header's first byte: the varint keeps its length.
        data[e.offset()] |= DELETED;
        live--;
        deleted++;
    }

    /**
     * Calls {@code out} with each field and value of {@code e} in order. Integers are rendered
     * into a scratch array that the next call may overwrite: {@code out} copies what it keeps.
     */
    void forEachField(Entry e, FieldVisitor out) {
        int[] values = {e.fieldsOffset()};
        int[] fields = e.sameFields() ? new int[] {varSize(masterPairs)} : values;
        byte[] digits = null;
        for (int i = 0; i < e.pairs(); i++) {
            digits = visitString(fields, out, digits);
            digits = visitString(values, out, digits);
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
                 boolean sameFields, int next) {
    }

    /* ---------------------------------------------------------------- strings and integers */

    /** The string's value if it is a decimal integer this layout packs, else {@link #NOT_PACKED}. */
    static long packedInteger(byte[] s) {
        int n = s.length;
        if (n == 0 || n > MAX_INTEGER_DIGITS + 1) {
            return NOT_PACKED;
        }
        boolean negative = s[0] == '-';
        int start = negative ? 1 : 0;
        int digits = n - start;
        if (digits == 0 || digits > MAX_INTEGER_DIGITS || (s[start] == '0' && (digits > 1 || negative))) {
            return NOT_PACKED;
        }
        long v = 0;
        for (int i = start; i < n; i++) {
            int d = s[i] - '0';
            if (d < 0 || d > 9) {
                return NOT_PACKED;
            }
            v = v * 10 + d;
        }
        return negative ? -v : v;
    }

    private static long header(byte[] s) {
        long v = packedInteger(s);
        if (v == NOT_PACKED) {
            return (long) s.length << 1;
        }
        return (((v << 1) ^ (v >> 63)) << 1) | 1;
    }

    private static int stringSize(byte[] s) {
        long h = header(s);
        return varSize(h) + ((h & 1) == 0 ? s.length : 0);
    }

    private void putString(byte[] s) {
        long h = header(s);
        putVar(h);
        if ((h & 1) == 0) {
            System.arraycopy(s, 0, data, used, s.length);
            used += s.length;
        }
    }

    private void skipString(int[] pos) {
        long h = getVar(pos);
        if ((h & 1) == 0) {
            pos[0] += (int) (h >>> 1);
        }
    }

    /** True (and {@code pos} past it) if the string at {@code pos} is {@code s}. */
    private boolean matchString(int[] pos, byte[] s) {
        long h = getVar(pos);
        if (h != header(s)) {
            return false;
        }
        if ((h & 1) == 0) {
            int from = pos[0];
            pos[0] += s.length;
            return Arrays.equals(data, from, from + s.length, s, 0, s.length);
        }
        return true;
    }

    private byte[] visitString(int[] pos, FieldVisitor out, byte[] digits) {
        long h = getVar(pos);
        if ((h & 1) == 0) {
            int len = (int) (h >>> 1);
            out.accept(data, pos[0], len);
            pos[0] += len;
            return digits;
        }
        long zigzag = h >>> 1;
        long v = (zigzag >>> 1) ^ -(zigzag & 1);
        byte[] buf = digits == null ? new byte[MAX_INTEGER_DIGITS + 1] : digits;
        int start = buf.length;
        long rest = Math.abs(v);
        while (rest >= 100) {
            int twoDigits = (int) (rest % 100);
            rest /= 100;
            buf[--start] = (byte) ('0' + twoDigits % 10);
            buf[--start] = (byte) ('0' + twoDigits / 10);
        }
        if (rest >= 10) {
            buf[--start] = (byte) ('0' + rest % 10);
            rest /= 10;
        }
        buf[--start] = (byte) ('0' + rest);
        if (v < 0) {
            buf[--start] = '-';
        }
        out.accept(buf, start, buf.length - start);
        return buf;
    }

    /* ---------------------------------------------------------------- varints */

    /** True if a milliseconds delta does not fit in the header beside the flags. */
    private static boolean isFar(long msDelta) {
        return msDelta >>> (Long.SIZE - FLAG_BITS - 1) != 0;
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
