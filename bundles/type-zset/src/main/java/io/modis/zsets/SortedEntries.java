package io.modis.zsets;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashSet;

/**
 * Entries collected for a result (ZUNION and friends, ZRANGESTORE, RDB loading): kept in
 * parallel arrays, put in sorted-set order by {@link #sort}, and turned into a set encoded as
 * Redis encodes a freshly built one. Member arrays are handed over and kept.
 */
public final class SortedEntries {
    private byte[][] members;
    private double[] scores;
    private int size;
    private int longest;

    public SortedEntries(int expected) {
        int capacity = Math.max(4, expected);
        members = new byte[capacity][];
        scores = new double[capacity];
    }

    public void add(byte[] member, double score) {
        if (size == members.length) {
            members = Arrays.copyOf(members, size * 2);
            scores = Arrays.copyOf(scores, size * 2);
        }
        members[size] = member;
        scores[size] = score;
        size++;
        longest = Math.max(longest, member.length);
    }

    public int size() {
        return size;
    }

    public byte[] member(int i) {
        return members[i];
    }

    public double score(int i) {
        return scores[i];
    }

    /** Orders the entries by score, then member bytes (scores must not be NaN). */
    public void sort() {
        Integer[] order = new Integer[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> {
            double sa = scores[a];
            double sb = scores[b];
            if (sa < sb) {
                return -1;
            }
            if (sa > sb) {
                return 1;
            }
            return Arrays.compareUnsigned(members[a], members[b]);
        });
        byte[][] m = new byte[size][];
        double[] s = new double[size];
        for (int i = 0; i < size; i++) {
            m[i] = members[order[i]];
            s[i] = scores[order[i]];
        }
        members = m;
        scores = s;
    }

    /** True when some member appears twice (a corrupt payload). */
    boolean hasDuplicateMembers() {
        HashSet<ByteBuffer> seen = new HashSet<>();
        for (int i = 0; i < size; i++) {
            if (!seen.add(ByteBuffer.wrap(members[i]))) {
                return true;
            }
        }
        return false;
    }

    /**
     * The sorted set of these entries, which must be sorted and have distinct members: compact
     * when within the limits, a skip list otherwise.
     */
    public ZSetValue toValue(ListpackLimits limits) {
        if (limits.fits(size, longest)) {
            int bytes = 0;
            for (int i = 0; i < size; i++) {
                bytes += PackedZSet.entrySize(members[i].length, scores[i]);
            }
            PackedZSet.Builder builder = new PackedZSet.Builder(bytes);
            for (int i = 0; i < size; i++) {
                builder.add(members[i], 0, members[i].length, scores[i]);
            }
            return new ZSetValue(builder.build());
        }
        SkipListZSet skipList = new SkipListZSet();
        // highest first, so that every insertion lands at the head of the list
        for (int i = size - 1; i >= 0; i--) {
            skipList.insert(members[i], scores[i]);
        }
        return new ZSetValue(skipList);
    }
}
