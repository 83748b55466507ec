package io.modis.zsets;

import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * The order of a large sorted set: a skip list whose links carry spans (how many entries each
 * link jumps over), so that rank lookups and "the entry at rank r" are O(log N) like searches.
 * The same structure as Redis's zskiplist, with 1-based ranks internally.
 */
final class ZSkipList {
    static final int MAX_LEVEL = 32;

    /**
     * One entry. The member array is shared with the hash table and never modified. The links of
     * the two lowest levels are fields of the node (3 in 4 nodes have one level, 15 in 16 at most
     * two): a search hop there reads one object, the next node, instead of the node's link array
     * and then the node, and most of a large set's hops that miss the CPU cache are there. Higher
     * levels live in arrays (their nodes are few and stay cached).
     */
    static final class Node {
        final byte[] member;
        double score;
        Node backward;
        private Node next0;
        private Node next1;
        private int span0;
        private int span1;
        /** Levels 3 and up, or null. */
        private final Node[] nextHi;
        private final int[] spanHi;
        private final int levels;

        Node(int level, double score, byte[] member) {
            this.member = member;
            this.score = score;
            this.levels = level;
            this.nextHi = level > 2 ? new Node[level - 2] : null;
            this.spanHi = level > 2 ? new int[level - 2] : null;
        }

        int level() {
            return levels;
        }

        /** The next node at level {@code i} (0 = the list order). */
        Node next(int i) {
            return i == 0 ? next0 : i == 1 ? next1 : nextHi[i - 2];
        }

        void setNext(int i, Node n) {
            if (i == 0) {
                next0 = n;
            } else if (i == 1) {
                next1 = n;
            } else {
                nextHi[i - 2] = n;
            }
        }

        /** How many entries the level-{@code i} link jumps over. */
        int span(int i) {
            return i == 0 ? span0 : i == 1 ? span1 : spanHi[i - 2];
        }

        void setSpan(int i, int span) {
            if (i == 0) {
                span0 = span;
            } else if (i == 1) {
                span1 = span;
            } else {
                spanHi[i - 2] = span;
            }
        }

        void addSpan(int i, int delta) {
            setSpan(i, span(i) + delta);
        }
    }

    private final Node header = new Node(MAX_LEVEL, 0, null);
    private Node tail;
    private int length;
    private int level = 1;

    int length() {
        return length;
    }

    Node first() {
        return header.next(0);
    }

    Node last() {
        return tail;
    }

    /** (s1, m1) sorts before (s2, m2). */
    private static boolean before(double s1, byte[] m1, double s2, byte[] m2) {
        return s1 < s2 || (s1 == s2 && Arrays.compareUnsigned(m1, m2) < 0);
    }

    /** A level with probability 1/4 of going one higher, as Redis draws it. */
    private static int randomLevel() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int level = 1;
        while (level < MAX_LEVEL && (random.nextInt() & 0xFFFF) < 0xFFFF / 4) {
            level++;
        }
        return level;
    }

    /** Inserts an entry whose member is not present yet; returns its node. */
    Node insert(double score, byte[] member) {
        int newLevel = randomLevel();
        // sized to the levels in use (not MAX_LEVEL): a ZADD on a large set makes less garbage
        int levels = Math.max(level, newLevel);
        Node[] update = new Node[levels];
        int[] rank = new int[levels];
        Node x = header;
        for (int i = level - 1; i >= 0; i--) {
            rank[i] = i == level - 1 ? 0 : rank[i + 1];
            while (x.next(i) != null && before(x.next(i).score, x.next(i).member, score, member)) {
                rank[i] += x.span(i);
                x = x.next(i);
            }
            update[i] = x;
        }
        if (newLevel > level) {
            for (int i = level; i < newLevel; i++) {
                rank[i] = 0;
                update[i] = header;
                update[i].setSpan(i, length);
            }
            level = newLevel;
        }
        x = new Node(newLevel, score, member);
        for (int i = 0; i < newLevel; i++) {
            x.setNext(i, update[i].next(i));
            update[i].setNext(i, x);
            x.setSpan(i, update[i].span(i) - (rank[0] - rank[i]));
            update[i].setSpan(i, (rank[0] - rank[i]) + 1);
        }
        for (int i = newLevel; i < level; i++) {
            update[i].addSpan(i, 1);
        }
        x.backward = update[0] == header ? null : update[0];
        if (x.next(0) != null) {
            x.next(0).backward = x;
        } else {
            tail = x;
        }
        length++;
        return x;
    }

    /** The path to the position of (score, member): for each level, the last node before it. */
    private Node[] pathTo(double score, byte[] member) {
        Node[] update = new Node[level];
        Node x = header;
        for (int i = level - 1; i >= 0; i--) {
            while (x.next(i) != null && before(x.next(i).score, x.next(i).member, score, member)) {
                x = x.next(i);
            }
            update[i] = x;
        }
        return update;
    }

    private void unlink(Node x, Node[] update) {
        for (int i = 0; i < level; i++) {
            if (update[i].next(i) == x) {
                update[i].addSpan(i, x.span(i) - 1);
                update[i].setNext(i, x.next(i));
            } else {
                update[i].addSpan(i, -1);
            }
        }
        if (x.next(0) != null) {
            x.next(0).backward = x.backward;
        } else {
            tail = x.backward;
        }
        while (level > 1 && header.next(level - 1) == null) {
            level--;
        }
        length--;
    }

    /** Removes the entry (score, member); false if it is not there. */
    boolean delete(double score, byte[] member) {
        Node[] update = pathTo(score, member);
        Node x = update[0].next(0);
        if (x != null && x.score == score && Arrays.equals(x.member, member)) {
            unlink(x, update);
            return true;
        }
        return false;
    }

    /**
     * Gives {@code node} a new score: in place when its neighbours still bracket it, otherwise by
     * moving it. Returns the node now holding the entry.
     */
    Node updateScore(Node node, double newScore) {
        // the neighbours are known from the node itself: no search when it stays in place
        if ((node.backward == null || node.backward.score < newScore)
                && (node.next(0) == null || node.next(0).score > newScore)) {
            node.score = newScore;
            return node;
        }
        Node[] update = pathTo(node.score, node.member);
        Node x = update[0].next(0);
        unlink(x, update);
        return insert(newScore, x.member);
    }

    /** 1-based rank of (score, member), or 0 when absent. */
    long rank(double score, byte[] member) {
        Node x = header;
        long rank = 0;
        for (int i = level - 1; i >= 0; i--) {
            while (x.next(i) != null && (x.next(i).score < score
                    || (x.next(i).score == score && Arrays.compareUnsigned(x.next(i).member, member) <= 0))) {
                rank += x.span(i);
                x = x.next(i);
            }
            if (x != header && x.score == score && Arrays.equals(x.member, member)) {
                return rank;
            }
        }
        return 0;
    }

    /** The node at a 1-based rank, or null. */
    Node byRank(long rank) {
        Node x = header;
        long traversed = 0;
        for (int i = level - 1; i >= 0; i--) {
            while (x.next(i) != null && traversed + x.span(i) <= rank) {
                traversed += x.span(i);
                x = x.next(i);
            }
            if (traversed == rank) {
                return x == header ? null : x;
            }
        }
        return null;
    }

    /** 0-based rank of the first entry in range, or -1. */
    long firstRank(ScoreRange range) {
        if (tail == null || !range.aboveMin(tail.score)) {
            return -1;
        }
        Node x = header;
        long traversed = 0;
        for (int i = level - 1; i >= 0; i--) {
            while (x.next(i) != null && !range.aboveMin(x.next(i).score)) {
                traversed += x.span(i);
                x = x.next(i);
            }
        }
        x = x.next(0);
        return x != null && range.belowMax(x.score) ? traversed : -1;
    }

    /** 0-based rank of the last entry in range, or -1. */
    long lastRank(ScoreRange range) {
        Node x = header;
        long traversed = 0;
        for (int i = level - 1; i >= 0; i--) {
            while (x.next(i) != null && range.belowMax(x.next(i).score)) {
                traversed += x.span(i);
                x = x.next(i);
            }
        }
        return x != header && range.aboveMin(x.score) ? traversed - 1 : -1;
    }

    long firstRank(LexRange range) {
        if (tail == null || !range.aboveMin(tail.member)) {
            return -1;
        }
        Node x = header;
        long traversed = 0;
        for (int i = level - 1; i >= 0; i--) {
            while (x.next(i) != null && !range.aboveMin(x.next(i).member)) {
                traversed += x.span(i);
                x = x.next(i);
            }
        }
        x = x.next(0);
        return x != null && range.belowMax(x.member) ? traversed : -1;
    }

    long lastRank(LexRange range) {
        Node x = header;
        long traversed = 0;
        for (int i = level - 1; i >= 0; i--) {
            while (x.next(i) != null && range.belowMax(x.next(i).member)) {
                traversed += x.span(i);
                x = x.next(i);
            }
        }
        return x != header && range.aboveMin(x.member) ? traversed - 1 : -1;
    }

    /** Removes 1-based ranks {@code start..end} inclusive, handing each removed node to {@code removed}. */
    void deleteRange(long start, long end, Consumer<Node> removed) {
        Node[] update = new Node[level];
        Node x = header;
        long traversed = 0;
        for (int i = level - 1; i >= 0; i--) {
            while (x.next(i) != null && traversed + x.span(i) < start) {
                traversed += x.span(i);
                x = x.next(i);
            }
            update[i] = x;
        }
        traversed++;
        x = x.next(0);
        while (x != null && traversed <= end) {
            Node next = x.next(0);
            unlink(x, update);
            removed.accept(x);
            traversed++;
            x = next;
        }
    }
}
