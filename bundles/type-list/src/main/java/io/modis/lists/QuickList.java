package io.modis.lists;

import java.util.Arrays;

/**
 * A list of binary elements laid out like Redis's quicklist: a sequence of {@link Node}s, most
 * of them packed byte arrays of several elements, with elements too large for a node kept
 * alone in a plain node. Nodes sit in a circular array, so both ends are reached in O(1) and an
 * index is found by skipping whole nodes from the nearer end.
 *
 * <p>How full a packed node may get follows {@code list-max-listpack-size} (the fill, captured
 * when the list is made): a negative fill caps a node's bytes at 4, 8, 16, 32 or 64 KiB, a
 * positive one caps its element count (and its bytes at 8 KiB). Elements at least as large as
 * {@link ListTuning#plainThreshold()}, or too large for any packed node, get a plain node.
 *
 * <p>Indexes given to the methods are valid (0 ≤ index < length, or ≤ length to insert);
 * commands resolve negative and out-of-range indexes first.
 */
class QuickList {
    /** Receives one element: its bytes are {@code buf[off, off + len)}, to read and not keep. */
    @FunctionalInterface
    interface ElementVisitor {
        /** Returns false to stop the walk. */
        boolean visit(byte[] buf, int off, int len);
    }

    private static final int[] SIZE_LIMITS = {4096, 8192, 16384, 32768, 65536};
    /** The byte cap of a node limited by count, as Redis's SIZE_SAFETY_LIMIT. */
    private static final int COUNTED_NODE_MAX_BYTES = 8192;
    /** What Redis adds to an element's size when guessing whether it still fits a node. */
    private static final int ENTRY_OVERHEAD_ESTIMATE = 8;
    private static final int MAX_FILL = (1 << 15) - 1;
    private static final Node[] NO_NODES = new Node[0];
    /** The list object's header and fields. */
    private static final int OVERHEAD = 48;

    private final int fill;
    private Node[] ring = NO_NODES;
    private int head;
    private int nodeCount;
    private long count;
    /** Sum of the nodes' footprints, kept as they change. */
    private long nodeBytes;

    QuickList(int fill) {
        this.fill = Math.max(-SIZE_LIMITS.length, Math.min(MAX_FILL, fill));
    }

    /** Number of elements. */
    public final long length() {
        return count;
    }

    final int fill() {
        return fill;
    }

    /** Estimated heap bytes of the whole list. */
    final long footprint() {
        return OVERHEAD + Node.arrayFootprint(ring.length * 4) + nodeBytes;
    }

    final int nodeCount() {
        return nodeCount;
    }

    /* ------------------------------------------------------------ node sizing */

    private int maxPackedBytes() {
        return fill < 0 ? SIZE_LIMITS[-fill - 1] : COUNTED_NODE_MAX_BYTES;
    }

    /** True if an element of {@code len} bytes gets a plain node of its own. */
    private boolean standalone(int len) {
        return len >= ListTuning.plainThreshold() || Node.entrySize(len) > maxPackedBytes();
    }

    /** Whether packed node {@code n} may take one more element of {@code len} bytes. */
    private boolean allowsInsert(Node n, int len) {
        if (n == null || n.plain) {
            return false;
        }
        long newSize = (long) n.used() + len + ENTRY_OVERHEAD_ESTIMATE;
        if (fill < 0) {
            return newSize <= SIZE_LIMITS[-fill - 1];
        }
        return newSize <= COUNTED_NODE_MAX_BYTES && n.count < fill;
    }

    private Node newNode(byte[] element, boolean atFront) {
        if (standalone(element.length)) {
            return Node.plain(element);
        }
        int size = Node.entrySize(element.length);
        Node n = Node.packed(Math.min(maxPackedBytes(), 2 * size), atFront);
        if (atFront) {
            n.addFirst(element);
        } else {
            n.addLast(element);
        }
        return n;
    }

    /* ------------------------------------------------------------ the ring of nodes */

    private Node node(int i) {
        return ring[(head + i) & (ring.length - 1)];
    }

    private void insertNode(int at, Node n) {
        if (nodeCount == ring.length) {
            resizeRing(Math.max(4, ring.length * 2));
        }
        int mask = ring.length - 1;
        if (at < nodeCount - at) {
            head = (head - 1) & mask;
            for (int k = 0; k < at; k++) {
                ring[(head + k) & mask] = ring[(head + k + 1) & mask];
            }
        } else {
            for (int k = nodeCount; k > at; k--) {
                ring[(head + k) & mask] = ring[(head + k - 1) & mask];
            }
        }
        ring[(head + at) & mask] = n;
        nodeCount++;
        nodeBytes += n.footprint();
    }

    private void removeNode(int at) {
        int mask = ring.length - 1;
        nodeBytes -= ring[(head + at) & mask].footprint();
        if (at < nodeCount - 1 - at) {
            for (int k = at; k > 0; k--) {
                ring[(head + k) & mask] = ring[(head + k - 1) & mask];
            }
            ring[head] = null;
            head = (head + 1) & mask;
        } else {
            for (int k = at; k < nodeCount - 1; k++) {
                ring[(head + k) & mask] = ring[(head + k + 1) & mask];
            }
            ring[(head + nodeCount - 1) & mask] = null;
        }
        nodeCount--;
        if (nodeCount == 0) {
            ring = NO_NODES;
            head = 0;
        } else if (ring.length > 8 && nodeCount < ring.length / 4) {
            resizeRing(ring.length / 2);
        }
    }

    private void resizeRing(int capacity) {
        Node[] next = new Node[capacity];
        for (int i = 0; i < nodeCount; i++) {
            next[i] = node(i);
        }
        ring = next;
        head = 0;
    }

    /** Node index in the high half, entry index within that node in the low half. */
    private long locate(long index) {
        if (index < count - index) {
            long before = 0;
            for (int i = 0;; i++) {
                Node n = node(i);
                if (index < before + n.count) {
                    return ((long) i << 32) | (index - before);
                }
                before += n.count;
            }
        }
        long after = count;
        for (int i = nodeCount - 1;; i--) {
            Node n = node(i);
            long first = after - n.count;
            if (index >= first) {
                return ((long) i << 32) | (index - first);
            }
            after = first;
        }
    }

    /* ------------------------------------------------------------ both ends */

    final void pushFirst(byte[] element) {
        Node first = nodeCount > 0 ? node(0) : null;
        if (!standalone(element.length) && allowsInsert(first, element.length)) {
            long before = first.footprint();
            first.addFirst(element);
            nodeBytes += first.footprint() - before;
        } else {
            retire(first);
            insertNode(0, newNode(element, true));
        }
        count++;
    }

    final void pushLast(byte[] element) {
        Node last = nodeCount > 0 ? node(nodeCount - 1) : null;
        if (!standalone(element.length) && allowsInsert(last, element.length)) {
            long before = last.footprint();
            last.addLast(element);
            nodeBytes += last.footprint() - before;
        } else {
            retire(last);
            insertNode(nodeCount, newNode(element, false));
        }
        count++;
    }

    /**
     * As {@link #pushLast}, for an array its owner may still change: a plain node gets a copy
     * (a packed node copies the bytes anyway).
     */
    final void pushLastCopy(byte[] element) {
        pushLast(standalone(element.length) ? element.clone() : element);
    }

    /** A node that an end push passes by will rarely grow again: give back its free room. */
    private void retire(Node n) {
        if (n != null && !n.plain) {
            long before = n.footprint();
            n.trim();
            nodeBytes += n.footprint() - before;
        }
    }

    final byte[] popFirst() {
        return pop(true);
    }

    final byte[] popLast() {
        return pop(false);
    }

    private byte[] pop(boolean head) {
        int at = head ? 0 : nodeCount - 1;
        Node n = node(at);
        byte[] element;
        if (n.count == 1) {
            element = n.elementAt(n.start);
            removeNode(at);
        } else {
            long before = n.footprint();
            element = head ? n.removeFirst() : n.removeLast();
            nodeBytes += n.footprint() - before;
        }
        count--;
        return element;
    }

    /* ------------------------------------------------------------ reading */

    /** A copy of the element at {@code index} (a plain node's array itself: never modified). */
    final byte[] get(long index) {
        long at = locate(index);
        Node n = node((int) (at >>> 32));
        return n.elementAt(n.offsetOf((int) at));
    }

    /**
     * Visits elements from {@code index} towards the tail ({@code forward}) or the head, until
     * the end of the list or the visitor returns false. Returns false if the visitor stopped.
     */
    final boolean walk(long index, boolean forward, ElementVisitor visitor) {
        if (count == 0) {
            return true;
        }
        long at = locate(index);
        int ni = (int) (at >>> 32);
        Node n = node(ni);
        int pos = n.offsetOf((int) at);
        if (forward) {
            while (true) {
                while (pos < n.end) {
                    int len = n.lengthAt(pos);
                    int data = n.dataAt(pos, len);
                    if (!visitor.visit(n.buf, data, len)) {
                        return false;
                    }
                    pos = n.plain ? n.end : data + len + Node.lengthSize(len);
                }
                if (++ni == nodeCount) {
                    return true;
                }
                n = node(ni);
                pos = n.start;
            }
        }
        int entryEnd = n.next(pos);
        while (true) {
            while (entryEnd > n.start) {
                int len = n.lengthBefore(entryEnd);
                int entryStart = n.plain ? n.start : entryEnd - Node.entrySize(len);
                if (!visitor.visit(n.buf, n.dataAt(entryStart, len), len)) {
                    return false;
                }
                entryEnd = entryStart;
            }
            if (--ni < 0) {
                return true;
            }
            n = node(ni);
            entryEnd = n.end;
        }
    }

    /** The index of the first element equal to {@code element}, or -1. */
    final long indexOf(byte[] element) {
        long[] index = {0};
        boolean missing = walk(0, true, (buf, off, len) -> {
            if (len == element.length && Arrays.equals(buf, off, off + len, element, 0, len)) {
                return false;
            }
            index[0]++;
            return true;
        });
        return missing ? -1 : index[0];
    }

    /* ------------------------------------------------------------ changes in the middle */

    /** Replaces the element at {@code index}. */
    final void set(long index, byte[] element) {
        long at = locate(index);
        int ni = (int) (at >>> 32);
        Node n = node(ni);
        boolean big = standalone(element.length);
        if (!n.plain && !big) {
            long before = n.footprint();
            n.replaceAt(n.offsetOf((int) at), element);
            nodeBytes += n.footprint() - before;
        } else if (n.plain && big) {
            removeNode(ni);
            insertNode(ni, Node.plain(element));
        } else {
            removeRange(index, 1);
            insert(index, element);
        }
    }

    /** Inserts {@code element} so that it becomes the element at {@code index} (≤ length). */
    final void insert(long index, byte[] element) {
        if (index == 0) {
            pushFirst(element);
            return;
        }
        if (index == count) {
            pushLast(element);
            return;
        }
        long at = locate(index);
        int ni = (int) (at >>> 32);
        int ei = (int) at;
        Node n = node(ni);
        int len = element.length;
        boolean big = standalone(len);
        if (ei == 0) {
            // between two nodes: join either neighbour if it has room
            Node previous = node(ni - 1);
            if (big) {
                insertNode(ni, Node.plain(element));
            } else if (allowsInsert(previous, len)) {
                grow(previous, () -> previous.addLast(element));
            } else if (allowsInsert(n, len)) {
                grow(n, () -> n.addFirst(element));
            } else {
                insertNode(ni, newNode(element, false));
            }
        } else if (!big && allowsInsert(n, len)) {
            grow(n, () -> n.insertAt(n.offsetOf(ei), element));
        } else {
            long before = n.footprint();
            Node tail = n.splitAt(ei, n.offsetOf(ei));
            nodeBytes += n.footprint() - before;
            insertNode(ni + 1, tail);
            if (big) {
                insertNode(ni + 1, Node.plain(element));
            } else if (allowsInsert(n, len)) {
                grow(n, () -> n.addLast(element));
            } else if (allowsInsert(tail, len)) {
                grow(tail, () -> tail.addFirst(element));
            } else {
                insertNode(ni + 1, newNode(element, false));
            }
        }
        count++;
    }

    /** Runs a change of packed node {@code n} and accounts for its new size. */
    private void grow(Node n, Runnable change) {
        long before = n.footprint();
        change.run();
        nodeBytes += n.footprint() - before;
    }

    /** Removes {@code n} elements from {@code start} on. */
    final void removeRange(long start, long n) {
        if (n <= 0) {
            return;
        }
        long at = locate(start);
        int ni = (int) (at >>> 32);
        int ei = (int) at;
        long left = n;
        while (left > 0) {
            Node node = node(ni);
            if (ei == 0 && left >= node.count) {
                left -= node.count;
                removeNode(ni);
                continue;
            }
            int k = (int) Math.min(left, node.count - ei);
            int from = node.offsetOf(ei);
            int to = from;
            for (int j = 0; j < k; j++) {
                to = node.next(to);
            }
            long before = node.footprint();
            node.removeBytes(from, to, k);
            nodeBytes += node.footprint() - before;
            left -= k;
            ni++;
            ei = 0;
        }
        count -= n;
    }

    /**
     * Removes up to {@code max} elements equal to {@code element} (all when {@code max} is 0),
     * the first ones from the head, or from the tail when {@code fromTail}; returns how many.
     */
    final long removeEqual(byte[] element, long max, boolean fromTail) {
        long removed = 0;
        int ni = fromTail ? nodeCount - 1 : 0;
        while (ni >= 0 && ni < nodeCount && (max == 0 || removed < max)) {
            Node n = node(ni);
            long quota = max == 0 ? 0 : max - removed;
            int here;
            if (n.plain) {
                here = n.elementEquals(0, element) ? 1 : 0;
            } else {
                long before = n.footprint();
                here = fromTail ? n.removeEqualFromEnd(element, quota) : n.removeEqualFromStart(element, quota);
                nodeBytes += n.footprint() - before;
            }
            removed += here;
            if (here > 0 && (n.plain || n.count == 0)) {
                removeNode(ni);
                if (!fromTail) {
                    continue;
                }
            } else if (!fromTail) {
                ni++;
                continue;
            }
            ni--;
        }
        count -= removed;
        return removed;
    }

    /* ------------------------------------------------------------ copies */

    /** Copies every node of {@code from} (a list with the same fill) into this empty list. */
    final void copyFrom(QuickList from) {
        resizeRing(Math.max(4, Integer.highestOneBit(Math.max(1, from.nodeCount)) * 2));
        for (int i = 0; i < from.nodeCount; i++) {
            insertNode(nodeCount, from.node(i).copy());
        }
        count = from.count;
    }
}
