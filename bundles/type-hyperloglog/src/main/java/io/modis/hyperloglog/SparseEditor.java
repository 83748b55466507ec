package io.modis.hyperloglog;

import static io.modis.hyperloglog.HllFormat.CACHE_FLAG_OFFSET;
import static io.modis.hyperloglog.HllFormat.HEADER_SIZE;
import static io.modis.hyperloglog.HllFormat.STALE_BIT;
import static io.modis.hyperloglog.Sparse.VAL_MAX_LEN;
import static io.modis.hyperloglog.Sparse.VAL_MAX_VALUE;
import static io.modis.hyperloglog.Sparse.ZERO_MAX_LEN;

import java.util.Arrays;

/**
 * A sparse HLL string being changed: raises one register at a time by splitting the opcode
 * that covers it and re-merging equal neighbours, byte for byte as Redis does, so that the
 * same additions give the same string. The buffer keeps a zero byte after the content (an
 * XZERO cut short by corruption reads it) and room for the largest split.
 */
final class SparseEditor {
    /** {@link #raise} result: the register changed. */
    static final int CHANGED = 1;
    /** {@link #raise} result: the register already held as much. */
    static final int UNCHANGED = 0;
    /** {@link #raise} result: the body is corrupted. */
    static final int CORRUPTED = -1;
    /** {@link #raise} result: nothing changed; the value needs the dense encoding first. */
    static final int NEEDS_DENSE = 2;

    /** A split turns one opcode into at most XZERO VAL XZERO: three bytes more. */
    private static final int MAX_GROWTH = 3;

    private byte[] buf;
    private int len;

    SparseEditor(byte[] hll, int length) {
        buf = Arrays.copyOf(hll, length + MAX_GROWTH + 1);
        len = length;
    }

    int length() {
        return len;
    }

    /** The buffer; valid up to {@link #length()}. */
    byte[] buffer() {
        return buf;
    }

    byte[] toBytes() {
        return Arrays.copyOf(buf, len);
    }

    void invalidateCache() {
        buf[CACHE_FLAG_OFFSET] |= (byte) STALE_BIT;
    }

    /**
     * Sets register {@code index} to {@code count} if it holds less. The sparse form cannot
     * hold values above 32, nor grow past {@code maxBytes}: then nothing changes and the
     * answer is {@link #NEEDS_DENSE}.
     */
    int raise(int index, int count, long maxBytes) {
        if (count > VAL_MAX_VALUE) {
            return NEEDS_DENSE;
        }
        ensureRoom();

        // find the opcode covering the register, and the one before it
        int p = HEADER_SIZE;
        int end = len;
        int prev = -1;
        long first = 0;
        long span = 0;
        while (p < end) {
            int op = buf[p] & 0xff;
            int oplen = 1;
            if (Sparse.isZero(op)) {
                span = Sparse.zeroLength(op);
            } else if (Sparse.isVal(op)) {
                span = Sparse.valLength(op);
            } else {
                span = Sparse.xzeroLength(op, buf[p + 1] & 0xff);
                oplen = 2;
            }
            if (index <= first + span - 1) {
                break;
            }
            prev = p;
            p += oplen;
            first += span;
        }
        if (span == 0 || p >= end) {
            return CORRUPTED;
        }

        int op = buf[p] & 0xff;
        boolean isXzero = Sparse.isXzero(op);
        int next = isXzero ? p + 2 : p + 1;
        if (next >= end) {
            next = -1;
        }

        if (Sparse.isVal(op)) {
            if (Sparse.valValue(op) >= count) {
                return UNCHANGED;
            }
            if (Sparse.valLength(op) == 1) {
                buf[p] = Sparse.val(count, 1);
                mergeNeighbours(prev);
                return CHANGED;
            }
        } else if (Sparse.isZero(op) && Sparse.zeroLength(op) == 1) {
            buf[p] = Sparse.val(count, 1);
            mergeNeighbours(prev);
            return CHANGED;
        }

        byte[] seq = split(op, index, first, first + span - 1, count);
        int seqlen = seq.length;
        int delta = seqlen - (isXzero ? 2 : 1);
        if (delta > 0 && len + delta > maxBytes) {
            return NEEDS_DENSE;
        }
        if (delta != 0 && next >= 0) {
            System.arraycopy(buf, next, buf, next + delta, end - next);
        }
        setLength(len + delta);
        System.arraycopy(seq, 0, buf, p, seqlen);
        mergeNeighbours(prev);
        return CHANGED;
    }

    /**
     * The opcodes replacing {@code op} (covering registers first..last) once register
     * {@code index} holds {@code count}: the run before it, the new VAL, the run after it.
     */
    private static byte[] split(int op, int index, long first, long last, int count) {
        byte[] seq = new byte[5];
        int n = 0;
        if (!Sparse.isVal(op)) {
            if (index != first) {
                n = zeroRun(seq, n, (int) (index - first));
            }
            seq[n++] = Sparse.val(count, 1);
            if (index != last) {
                n = zeroRun(seq, n, (int) (last - index));
            }
        } else {
            int current = Sparse.valValue(op);
            if (index != first) {
                seq[n++] = Sparse.val(current, (int) (index - first));
            }
            seq[n++] = Sparse.val(count, 1);
            if (index != last) {
                seq[n++] = Sparse.val(current, (int) (last - index));
            }
        }
        return Arrays.copyOf(seq, n);
    }

    private static int zeroRun(byte[] seq, int n, int length) {
        if (length > ZERO_MAX_LEN) {
            Sparse.writeXzero(seq, n, length);
            return n + 2;
        }
        seq[n] = Sparse.zero(length);
        return n + 1;
    }

    /**
     * Joins adjacent VAL opcodes of equal value while their runs fit one opcode, looking at up
     * to five opcodes from the one before the change; then marks the cached count stale.
     */
    private void mergeNeighbours(int prev) {
        int p = prev >= 0 ? prev : HEADER_SIZE;
        int scan = 5;
        while (p < len && scan-- != 0) {
            int op = buf[p] & 0xff;
            if (Sparse.isXzero(op)) {
                p += 2;
                continue;
            }
            if (Sparse.isZero(op)) {
                p++;
                continue;
            }
            if (p + 1 < len && Sparse.isVal(buf[p + 1] & 0xff)) {
                int nextOp = buf[p + 1] & 0xff;
                int value = Sparse.valValue(op);
                if (value == Sparse.valValue(nextOp)) {
                    int run = Sparse.valLength(op) + Sparse.valLength(nextOp);
                    if (run <= VAL_MAX_LEN) {
                        buf[p + 1] = Sparse.val(value, run);
                        System.arraycopy(buf, p + 1, buf, p, len - p);
                        setLength(len - 1);
                        continue;
                    }
                }
            }
            p++;
        }
        invalidateCache();
    }

    private void setLength(int newLength) {
        len = newLength;
        buf[len] = 0;
    }

    private void ensureRoom() {
        if (buf.length < len + MAX_GROWTH + 1) {
            buf = Arrays.copyOf(buf, Math.max(len + MAX_GROWTH + 1, buf.length + (buf.length >> 1)));
        }
    }
}
