package io.modis.streams;

import io.modis.api.Bytes;
import io.modis.api.CommandException;

/**
 * A stream entry ID: two unsigned 64-bit numbers, milliseconds and sequence, ordered as Redis
 * orders them (unsigned, ms first).
 */
record StreamId(long ms, long seq) implements Comparable<StreamId> {
    static final StreamId MIN = new StreamId(0, 0);
    static final StreamId MAX = new StreamId(-1L, -1L);
    static final String INVALID = "ERR Invalid stream ID specified as stream command argument";

    @Override
    public int compareTo(StreamId o) {
        int c = Long.compareUnsigned(ms, o.ms);
        return c != 0 ? c : Long.compareUnsigned(seq, o.seq);
    }

    boolean isZero() {
        return ms == 0 && seq == 0;
    }

    /** The next ID, or null when this is the largest one. */
    StreamId next() {
        if (seq != -1L) {
            return new StreamId(ms, seq + 1);
        }
        return ms == -1L ? null : new StreamId(ms + 1, 0);
    }

    /** The previous ID, or null when this is 0-0. */
    StreamId previous() {
        if (seq != 0) {
            return new StreamId(ms, seq - 1);
        }
        return ms == 0 ? null : new StreamId(ms - 1, -1L);
    }

    byte[] toBytes() {
        return Bytes.of(toString());
    }

    @Override
    public String toString() {
        return Long.toUnsignedString(ms) + "-" + Long.toUnsignedString(seq);
    }

    /** An ID as XADD writes it: {@code ms-seq}, {@code ms} (seq 0) or {@code ms-*}. */
    static Parsed parseForAdd(byte[] arg) {
        return parse(arg, 0, true, true);
    }

    /** A complete ID: {@code ms-seq} or {@code ms} (seq 0); "-" and "+" are refused. */
    static StreamId parseStrict(byte[] arg) {
        return parse(arg, 0, true, false).id();
    }

    /**
     * A range bound: "-" and "+" are the extremes, a missing sequence is {@code missingSeq};
     * {@code (} makes it exclusive (then "-" and "+" are not allowed).
     */
    static Bound parseBound(byte[] arg, long missingSeq) {
        if (arg.length > 1 && arg[0] == '(') {
            byte[] rest = new byte[arg.length - 1];
            System.arraycopy(arg, 1, rest, 0, rest.length);
            return new Bound(parse(rest, missingSeq, true, false).id(), true);
        }
        return new Bound(parse(arg, missingSeq, false, false).id(), false);
    }

    /** An ID that may omit its sequence ({@code missingSeq}) and may be "-" or "+". */
    static StreamId parseLoose(byte[] arg, long missingSeq) {
        return parse(arg, missingSeq, false, false).id();
    }

    record Parsed(StreamId id, boolean seqGiven) {
    }

    record Bound(StreamId id, boolean exclusive) {
    }

    private static Parsed parse(byte[] b, long missingSeq, boolean strict, boolean allowStarSeq) {
        if (b.length > 127 || b.length == 0) {
            throw new CommandException(INVALID);
        }
        if (!strict && b.length == 1 && (b[0] == '-' || b[0] == '+')) {
            return new Parsed(b[0] == '-' ? MIN : MAX, true);
        }
        int dash = -1;
        for (int i = 0; i < b.length; i++) {
            if (b[i] == '-') {
                dash = i;
                break;
            }
        }
        long ms = parseUnsigned(b, 0, dash < 0 ? b.length : dash);
        if (dash < 0) {
            return new Parsed(new StreamId(ms, missingSeq), true);
        }
        if (allowStarSeq && dash == b.length - 2 && b[dash + 1] == '*') {
            return new Parsed(new StreamId(ms, 0), false);
        }
        long seq = parseUnsigned(b, dash + 1, b.length);
        return new Parsed(new StreamId(ms, seq), true);
    }

    /** Decimal digits as an unsigned 64-bit number, as Redis's string2ull accepts them. */
    private static long parseUnsigned(byte[] b, int from, int to) {
        if (from >= to) {
            throw new CommandException(INVALID);
        }
        int i = from;
        if (b[i] == '+' && to - from > 1) {
            i++;
        }
        long v = 0;
        for (; i < to; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                throw new CommandException(INVALID);
            }
            long hi = Math.multiplyHigh(v, 10) + ((v >> 63) & 10);
            long lo = v * 10;
            if (hi != 0) {
                throw new CommandException(INVALID);
            }
            long sum = lo + d;
            if (Long.compareUnsigned(sum, lo) < 0) {
                throw new CommandException(INVALID);
            }
            v = sum;
        }
        return v;
    }
}
