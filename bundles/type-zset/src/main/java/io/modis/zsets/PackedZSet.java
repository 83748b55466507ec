package io.modis.zsets;

import java.util.Arrays;

/**
 * The compact encoding Redis calls "listpack": one exactly-sized byte array holding every entry
 * in order, each entry being
 *
 * <pre>
 *   varint(member length) | member bytes | score
 * </pre>
 *
 * where the score is either an even varint (an integer score {@code i}, |i| &lt;= 2^53, stored as
 * {@code zigzag(i) << 1}: one byte for -31..31) or the byte 0x01 followed by the 8 bytes of the
 * double, little endian. Every change copies the array, as a listpack reallocates; lookups are
 * linear scans, cheap at the sizes this encoding is used for.
 */
final class PackedZSet implements ZSetEncoding {
    private static final byte[] EMPTY = new byte[0];
    /** Integers up to 2^53 in magnitude are exactly representable, so they round-trip. */
    private static final double LARGEST_EXACT_INTEGER = 0x1p53;
    /** First byte of a score stored as a raw double; integer codes are even, so never equal it. */
    private static final int DOUBLE_MARK = 1;
    /** This object and the array's header, as a 64-bit JVM with compressed pointers lays them out. */
    private static final long OVERHEAD = 24 + 16;

    private byte[] buf;
    private int count;

    PackedZSet() {
        this(EMPTY, 0);
    }

    private PackedZSet(byte[] buf, int count) {
        this.buf = buf;
        this.count = count;
    }

    @Override
    public String name() {
        return "listpack";
    }

    @Override
    public long length() {
        return count;
    }

    /** Size of the packed entries in bytes. */
    int byteSize() {
        return buf.length;
    }

    /* ---------------------------------------------------------------- reading entries */

    /** One decoded entry; {@link #load} moves it to the entry at an offset. */
    private final class At {
        int off;
        int memberOff;
        int memberLen;
        double score;
        /** Offset of the next entry. */
        int end;

        boolean load(int p) {
            if (p >= buf.length) {
                return false;
            }
            off = p;
            memberLen = (int) readVarint(buf, p);
            memberOff = p + varintSize(memberLen);
            int q = memberOff + memberLen;
            if ((buf[q] & DOUBLE_MARK) != 0) {
                score = Double.longBitsToDouble(readLongLE(buf, q + 1));
                end = q + 9;
            } else {
                long code = readVarint(buf, q);
                end = q + varintSize(code);
                long zigzag = code >>> 1;
                score = (zigzag >>> 1) ^ -(zigzag & 1);
            }
            return true;
        }

        boolean isMember(byte[] m) {
            return memberLen == m.length && Arrays.equals(buf, memberOff, memberOff + memberLen, m, 0, m.length);
        }

        /** This entry sorts after (score, member). */
        boolean after(double s, byte[] m) {
            return score > s
                    || (score == s && Arrays.compareUnsigned(buf, memberOff, memberOff + memberLen, m, 0, m.length) > 0);
        }

        void visit(EntryVisitor v) {
            v.visit(buf, memberOff, memberLen, score);
        }
    }

    private At find(byte[] member) {
        At e = new At();
        for (int p = 0; e.load(p); p = e.end) {
            if (e.isMember(member)) {
                return e;
            }
        }
        return null;
    }

    private int offsetOfRank(long rank) {
        At e = new At();
        int p = 0;
        for (long r = 0; r < rank; r++) {
            e.load(p);
            p = e.end;
        }
        return p;
    }

    /** Offsets of the first {@code n} entries. */
    private int[] offsets(int n) {
        int[] out = new int[n];
        At e = new At();
        int p = 0;
        for (int i = 0; i < n; i++) {
            out[i] = p;
            e.load(p);
            p = e.end;
        }
        return out;
    }

    /* ---------------------------------------------------------------- ZSetEncoding */

    @Override
    public double score(byte[] member) {
        At e = find(member);
        return e == null ? Double.NaN : e.score;
    }

    @Override
    public void insert(byte[] member, double score) {
        At e = new At();
        int p = 0;
        while (e.load(p) && !e.after(score, member)) {
            p = e.end;
        }
        int size = entrySize(member.length, score);
        byte[] grown = new byte[buf.length + size];
        System.arraycopy(buf, 0, grown, 0, p);
        writeEntry(grown, p, member, 0, member.length, score);
        System.arraycopy(buf, p, grown, p + size, buf.length - p);
        buf = grown;
        count++;
    }

    @Override
    public void changeScore(byte[] member, double oldScore, double newScore) {
        delete(member);
        insert(member, newScore);
    }

    @Override
    public boolean delete(byte[] member) {
        At e = find(member);
        if (e == null) {
            return false;
        }
        cut(e.off, e.end, 1);
        return true;
    }

    private void cut(int from, int to, int entries) {
        byte[] shrunk = new byte[buf.length - (to - from)];
        System.arraycopy(buf, 0, shrunk, 0, from);
        System.arraycopy(buf, to, shrunk, from, buf.length - to);
        buf = shrunk;
        count -= entries;
    }

    @Override
    public long rank(byte[] member) {
        At e = new At();
        long rank = 0;
        for (int p = 0; e.load(p); p = e.end, rank++) {
            if (e.isMember(member)) {
                return rank;
            }
        }
        return -1;
    }

    @Override
    public void visit(long start, long n, boolean reverse, EntryVisitor visitor) {
        At e = new At();
        if (!reverse) {
            int p = offsetOfRank(start);
            for (long i = 0; i < n && e.load(p); i++) {
                e.visit(visitor);
                p = e.end;
            }
            return;
        }
        int[] offs = offsets((int) start + 1);
        for (long i = 0; i < n; i++) {
            e.load(offs[(int) (start - i)]);
            e.visit(visitor);
        }
    }

    @Override
    public long firstRank(ScoreRange range) {
        At e = new At();
        long rank = 0;
        for (int p = 0; e.load(p); p = e.end, rank++) {
            if (range.aboveMin(e.score)) {
                return range.belowMax(e.score) ? rank : -1;
            }
        }
        return -1;
    }

    @Override
    public long lastRank(ScoreRange range) {
        At e = new At();
        long rank = 0;
        long last = -1;
        double lastScore = 0;
        for (int p = 0; e.load(p) && range.belowMax(e.score); p = e.end, rank++) {
            last = rank;
            lastScore = e.score;
        }
        return last >= 0 && range.aboveMin(lastScore) ? last : -1;
    }

    @Override
    public long firstRank(LexRange range) {
        At e = new At();
        long rank = 0;
        for (int p = 0; e.load(p); p = e.end, rank++) {
            if (range.aboveMin(buf, e.memberOff, e.memberLen)) {
                return range.belowMax(buf, e.memberOff, e.memberLen) ? rank : -1;
            }
        }
        return -1;
    }

    @Override
    public long lastRank(LexRange range) {
        At e = new At();
        long rank = 0;
        long last = -1;
        int lastOff = 0;
        for (int p = 0; e.load(p) && range.belowMax(buf, e.memberOff, e.memberLen); p = e.end, rank++) {
            last = rank;
            lastOff = e.off;
        }
        if (last < 0) {
            return -1;
        }
        e.load(lastOff);
        return range.aboveMin(buf, e.memberOff, e.memberLen) ? last : -1;
    }

    @Override
    public void deleteRanks(long start, long end) {
        int from = offsetOfRank(start);
        At e = new At();
        int to = from;
        for (long r = start; r <= end; r++) {
            e.load(to);
            to = e.end;
        }
        cut(from, to, (int) (end - start + 1));
    }

    @Override
    public RankAccess rankAccess() {
        int[] offs = offsets(count);
        At e = new At();
        return (rank, visitor) -> {
            e.load(offs[(int) rank]);
            e.visit(visitor);
        };
    }

    @Override
    public long memoryUsage() {
        return OVERHEAD + align8(buf.length);
    }

    @Override
    public PackedZSet copy() {
        return new PackedZSet(buf.clone(), count);
    }

    /* ---------------------------------------------------------------- building */

    /** Appends entries given in order, then makes the set (for conversions and bulk loads). */
    static final class Builder {
        private byte[] out;
        private int size;
        private int entries;

        Builder(int expectedBytes) {
            out = new byte[Math.max(16, expectedBytes)];
        }

        void add(byte[] member, int off, int len, double score) {
            int need = entrySize(len, score);
            if (size + need > out.length) {
                out = Arrays.copyOf(out, Math.max(out.length * 2, size + need));
            }
            size = writeEntry(out, size, member, off, len, score);
            entries++;
        }

        PackedZSet build() {
            return new PackedZSet(size == out.length ? out : Arrays.copyOf(out, size), entries);
        }
    }

    /** Bytes an entry takes. */
    static int entrySize(int memberLength, double score) {
        long code = integerCode(score);
        return varintSize(memberLength) + memberLength + (code >= 0 ? varintSize(code) : 9);
    }

    private static int writeEntry(byte[] to, int p, byte[] member, int off, int len, double score) {
        p = writeVarint(to, p, len);
        System.arraycopy(member, off, to, p, len);
        p += len;
        long code = integerCode(score);
        if (code >= 0) {
            return writeVarint(to, p, code);
        }
        to[p++] = DOUBLE_MARK;
        long bits = Double.doubleToRawLongBits(score);
        for (int i = 0; i < 8; i++) {
            to[p++] = (byte) (bits >>> (8 * i));
        }
        return p;
    }

    /** The even varint code of an integer score, or -1 when the score must be stored whole. */
    private static long integerCode(double s) {
        if (s >= -LARGEST_EXACT_INTEGER && s <= LARGEST_EXACT_INTEGER) {
            long l = (long) s;
            // -0.0 is kept as a double so that its sign survives
            if (l == s && (l != 0 || Double.doubleToRawLongBits(s) == 0)) {
                return ((l << 1) ^ (l >> 63)) << 1;
            }
        }
        return -1;
    }

    private static int writeVarint(byte[] to, int p, long v) {
        while ((v & ~0x7FL) != 0) {
            to[p++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        to[p++] = (byte) v;
        return p;
    }

    private static long readVarint(byte[] b, int p) {
        long v = 0;
        int shift = 0;
        while (true) {
            int x = b[p++];
            v |= (long) (x & 0x7F) << shift;
            if (x >= 0) {
                return v;
            }
            shift += 7;
        }
    }

    private static int varintSize(long v) {
        int n = 1;
        while ((v & ~0x7FL) != 0) {
            v >>>= 7;
            n++;
        }
        return n;
    }

    private static long readLongLE(byte[] b, int p) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v |= (long) (b[p + i] & 0xFF) << (8 * i);
        }
        return v;
    }

    static long align8(long bytes) {
        return (bytes + 7) & ~7L;
    }
}
