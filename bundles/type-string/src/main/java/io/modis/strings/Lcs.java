package io.modis.strings;

import java.util.ArrayList;
import java.util.List;

/**
 * The longest common subsequence of two byte strings, computed as Redis's LCS command does: the
 * classic dynamic-programming table, then a walk back from the end that rebuilds the sequence
 * and collects the matching ranges, last range first.
 */
final class Lcs {
    /** One contiguous match: positions in a and b (inclusive), and its length. */
    record Match(int aStart, int aEnd, int bStart, int bEnd) {
        int length() {
            return aEnd - aStart + 1;
        }
    }

    private final int length;
    private final byte[] sequence;
    private final List<Match> matches;

    private Lcs(int length, byte[] sequence, List<Match> matches) {
        this.length = length;
        this.sequence = sequence;
        this.matches = matches;
    }

    /** Bytes of transient memory the table takes (Redis limits it to proto-max-bulk-len). */
    static long tableBytes(int alen, int blen) {
        return (alen + 1L) * (blen + 1L) * Integer.BYTES;
    }

    /** The LCS length only. */
    static int length(byte[] a, byte[] b) {
        int[] table = table(a, b);
        return table[table.length - 1];
    }

    /**
     * The LCS and its matches of at least {@code minMatchLen} bytes, in the order Redis emits
     * them (from the end of the strings towards their start).
     */
    static Lcs compute(byte[] a, byte[] b, long minMatchLen) {
        int[] table = table(a, b);
        int alen = a.length;
        int blen = b.length;
        int stride = blen + 1;
        int idx = table[table.length - 1];
        int length = idx;
        byte[] sequence = new byte[idx];
        List<Match> matches = new ArrayList<>();

        // aStart == alen means "no range open"
        int aStart = alen;
        int aEnd = 0;
        int bStart = 0;
        int bEnd = 0;
        int i = alen;
        int j = blen;
        while (i > 0 && j > 0) {
            boolean emit = false;
            if (a[i - 1] == b[j - 1]) {
                sequence[idx - 1] = a[i - 1];
                if (aStart == alen) {
                    aStart = i - 1;
                    aEnd = i - 1;
                    bStart = j - 1;
                    bEnd = j - 1;
                } else if (aStart == i && bStart == j) {
                    aStart--;
                    bStart--;
                } else {
                    emit = true;
                }
                if (aStart == 0 || bStart == 0) {
                    emit = true;
                }
                idx--;
                i--;
                j--;
            } else {
                if (table[(i - 1) * stride + j] > table[i * stride + j - 1]) {
                    i--;
                } else {
                    j--;
                }
                if (aStart != alen) {
                    emit = true;
                }
            }
            if (emit) {
                Match m = new Match(aStart, aEnd, bStart, bEnd);
                if (minMatchLen == 0 || m.length() >= minMatchLen) {
                    matches.add(m);
                }
                aStart = alen;
            }
        }
        return new Lcs(length, sequence, List.copyOf(matches));
    }

    /** table[i * (blen + 1) + j] is the LCS length of a[0..i) and b[0..j). */
    private static int[] table(byte[] a, byte[] b) {
        int alen = a.length;
        int blen = b.length;
        int stride = blen + 1;
        int[] t = new int[(alen + 1) * stride];
        for (int i = 1; i <= alen; i++) {
            byte ai = a[i - 1];
            int row = i * stride;
            int prev = row - stride;
            for (int j = 1; j <= blen; j++) {
                if (ai == b[j - 1]) {
                    t[row + j] = t[prev + j - 1] + 1;
                } else {
                    t[row + j] = Math.max(t[prev + j], t[row + j - 1]);
                }
            }
        }
        return t;
    }

    int length() {
        return length;
    }

    byte[] sequence() {
        return sequence;
    }

    List<Match> matches() {
        return matches;
    }
}
