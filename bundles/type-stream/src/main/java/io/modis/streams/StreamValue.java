package io.modis.streams;

import io.modis.api.DataType;
import io.modis.api.Digest;
import io.modis.api.Value;
import io.modis.streams.StreamBlock.Entry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A stream: entries packed in {@link StreamBlock}s under an index ordered by each block's master
 * ID (an array of blocks searched by bisection, where Redis has a radix tree), plus Redis's
 * bookkeeping (last ID, entries ever added, largest deleted ID) and the consumer groups.
 */
final class StreamValue implements Value {
    private static final StreamBlock[] NO_BLOCKS = {};
    /** The value object with its index array's header, rounded. */
    private static final int OBJECT_BYTES = 96;

    /** The blocks, oldest first, in {@code blocks[head .. head + count)}. */
    private StreamBlock[] blocks = NO_BLOCKS;
    private int head;
    private int count;
    /** Sum of the blocks' {@link StreamBlock#memoryUsage}. */
    private long blockBytes;
    private long length;
    StreamId lastId = StreamId.MIN;
    StreamId maxDeletedId = StreamId.MIN;
    long entriesAdded;
    final TreeMap<byte[], ConsumerGroup> groups = new TreeMap<>(Arrays::compareUnsigned);

    @Override
    public DataType type() {
        return StreamType.INSTANCE;
    }

    @Override
    public String encoding() {
        return "stream";
    }

    @Override
    public long memoryUsage() {
        long groupBytes = 0;
        for (ConsumerGroup g : groups.values()) {
            groupBytes += g.memoryUsage();
        }
        return OBJECT_BYTES + 4L * blocks.length + blockBytes + groupBytes;
    }

    @Override
    public Value copy() {
        StreamValue s = new StreamValue();
        s.blocks = new StreamBlock[count];
        for (int i = 0; i < count; i++) {
            s.blocks[i] = block(i).copy();
            s.blockBytes += s.blocks[i].memoryUsage();
        }
        s.count = count;
        s.length = length;
        s.lastId = lastId;
        s.maxDeletedId = maxDeletedId;
        s.entriesAdded = entriesAdded;
        for (Map.Entry<byte[], ConsumerGroup> g : groups.entrySet()) {
            s.groups.put(g.getKey().clone(), g.getValue().copy());
        }
        return s;
    }

    @Override
    public void digest(Digest d) {
        forEachLive(e -> {
            d.add(e.id().toBytes());
            for (byte[] f : e.block().fields(e)) {
                d.add(f);
            }
        });
        d.add(lastId.toBytes());
    }

    long length() {
        return length;
    }

    int blockCount() {
        return count;
    }

    /* ---------------------------------------------------------------- the block index */

    private StreamBlock block(int i) {
        return blocks[head + i];
    }

    private void addBlock(StreamBlock b) {
        if (head + count == blocks.length) {
            StreamBlock[] to = head > 0 && count < blocks.length / 2 ? blocks
                    : new StreamBlock[Math.max(2, 2 * blocks.length)];
            System.arraycopy(blocks, head, to, 0, count);
            if (to == blocks) {
                Arrays.fill(blocks, count, head + count, null);
            }
            blocks = to;
            head = 0;
        }
        blocks[head + count++] = b;
        blockBytes += b.memoryUsage();
    }

    private void removeBlock(int i) {
        blockBytes -= block(i).memoryUsage();
        if (i == 0) {
            blocks[head++] = null;
        } else {
            System.arraycopy(blocks, head + i + 1, blocks, head + i, count - i - 1);
            blocks[head + count - 1] = null;
        }
        count--;
        if (count == 0) {
            head = 0;
        }
        if (blocks.length > 16 && count < blocks.length / 4) {
            blocks = Arrays.copyOfRange(blocks, head, head + 2 * count);
            head = 0;
        }
    }

    /** The index of the last block whose master ID is at most {@code id}, or -1. */
    private int floorBlock(StreamId id) {
        int lo = 0;
        int hi = count - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (block(mid).compareMasterTo(id) <= 0) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return hi;
    }

    /* ---------------------------------------------------------------- adding */

    /** Appends an entry with an ID the caller checked is greater than {@link #lastId}. */
    void append(StreamId id, byte[][] fieldsAndValues, int from, int pairs, long maxEntries, long maxBytes) {
        StreamBlock block = count == 0 ? null : block(count - 1);
        // XSETID may have lowered the last ID below deleted entries: keep each block in ID order
        // and the index in master-ID order (a block left without live entries is dropped).
        while (block != null && block.live() == 0 && block.compareLastTo(id) >= 0) {
            removeBlock(count - 1);
            block = count == 0 ? null : block(count - 1);
        }
        int capacityHint = 0;
        if (block != null) {
            boolean full = (maxEntries > 0 && block.total() >= maxEntries) || block.compareLastTo(id) >= 0;
            if (!full) {
                long before = block.memoryUsage();
                boolean same = block.hasMasterFields(fieldsAndValues, from, pairs);
                full = !block.tryAppend(id, fieldsAndValues, from, pairs, same, maxBytes);
                blockBytes += block.memoryUsage() - before;
            }
            if (!full) {
                added(id);
                return;
            }
            // The next block is likely to fill up as this one did: start it about that size.
            blockBytes -= block.memoryUsage();
            block.seal();
            blockBytes += block.memoryUsage();
            capacityHint = block.bytes() + (block.bytes() >> 3);
            if (maxBytes > 0 && maxBytes < capacityHint) {
                capacityHint = (int) maxBytes;
            }
        }
        block = new StreamBlock(id, fieldsAndValues, from, pairs, capacityHint);
        block.tryAppend(id, fieldsAndValues, from, pairs, true, 0);
        addBlock(block);
        added(id);
    }

    private void added(StreamId id) {
        length++;
        entriesAdded++;
        lastId = id;
    }

    /* ---------------------------------------------------------------- reading */

    interface EntryVisitor {
        void visit(Entry e);
    }

    void forEachLive(EntryVisitor v) {
        for (int i = 0; i < count; i++) {
            StreamBlock b = block(i);
            for (int off = b.firstEntry(); b.hasEntryAt(off); ) {
                Entry e = b.read(off);
                if (!e.deleted()) {
                    v.visit(e);
                }
                off = e.next();
            }
        }
    }

    /** Live entries with start <= ID <= end, ascending or descending, at most count (0: all). */
    List<Entry> range(StreamId start, StreamId end, boolean reverse, long count) {
        List<Entry> out = new ArrayList<>();
        if (start.compareTo(end) > 0) {
            return out;
        }
        if (!reverse) {
            for (int i = Math.max(floorBlock(start), 0); i < this.count; i++) {
                StreamBlock b = block(i);
                if (b.compareMasterTo(end) > 0) {
                    break;
                }
                for (int off = b.seek(start, true); b.hasEntryAt(off); ) {
                    Entry e = b.read(off);
                    off = e.next();
                    if (e.deleted()) {
                        continue;
                    }
                    if (e.id().compareTo(end) > 0) {
                        return out;
                    }
                    if (e.id().compareTo(start) < 0) {
                        continue;
                    }
                    out.add(e);
                    if (count > 0 && out.size() >= count) {
                        return out;
                    }
                }
            }
        } else {
            for (int i = floorBlock(end); i >= 0; i--) {
                StreamBlock b = block(i);
                if (b.compareLastTo(start) < 0) {
                    break;
                }
                int[] offsets = b.offsets(b.seek(end, false));
                for (int k = offsets.length - 1; k >= 0; k--) {
                    Entry e = b.read(offsets[k]);
                    if (e.id().compareTo(start) < 0) {
                        return out;
                    }
                    if (e.deleted() || e.id().compareTo(end) > 0) {
                        continue;
                    }
                    out.add(e);
                    if (count > 0 && out.size() >= count) {
                        return out;
                    }
                }
            }
        }
        return out;
    }

    /** The live entry with this ID, or null. */
    Entry find(StreamId id) {
        List<Entry> one = range(id, id, false, 1);
        return one.isEmpty() ? null : one.get(0);
    }

    /** The first live entry's ID, 0-0 when empty (Redis's first_id). */
    StreamId firstId() {
        if (length == 0) {
            return StreamId.MIN;
        }
        List<Entry> first = range(StreamId.MIN, StreamId.MAX, false, 1);
        return first.isEmpty() ? StreamId.MIN : first.get(0).id();
    }

    /** The first entry's ID even if deleted (what Redis rewrites MINID ~ to); the max ID when empty. */
    StreamId firstIdIncludingDeleted() {
        return count == 0 ? StreamId.MAX : block(0).master();
    }

    /** The last live entry's ID, 0-0 when empty. */
    StreamId lastValidId() {
        if (length == 0) {
            return StreamId.MIN;
        }
        List<Entry> last = range(StreamId.MIN, StreamId.MAX, true, 1);
        return last.isEmpty() ? StreamId.MIN : last.get(0).id();
    }

    /* ---------------------------------------------------------------- removing */

    /** Deletes the entry with this ID; false if there is none. */
    boolean delete(StreamId id) {
        int i = floorBlock(id);
        Entry e = i < 0 ? null : find(block(i), id);
        if (e == null) {
            return false;
        }
        StreamBlock b = e.block();
        b.markDeleted(e);
        length--;
        if (b.live() == 0) {
            removeBlock(i);
        }
        if (id.compareTo(maxDeletedId) > 0) {
            maxDeletedId = id;
        }
        return true;
    }

    private static Entry find(StreamBlock b, StreamId id) {
        int off = b.seek(id, true);
        if (!b.hasEntryAt(off)) {
            return null;
        }
        Entry e = b.read(off);
        return e.id().equals(id) && !e.deleted() ? e : null;
    }

    /**
     * Trims from the oldest entries, as Redis's streamTrim: whole blocks while allowed, then (not
     * approximate) entries of the first remaining block. {@code maxLen} < 0 means trim by
     * {@code minId}; {@code limit} 0 means no limit. Returns the number of entries removed.
     */
    long trim(long maxLen, StreamId minId, boolean approximate, long limit) {
        boolean byLength = maxLen >= 0;
        long removed = 0;
        while (count > 0) {
            if (byLength && length <= maxLen) {
                break;
            }
            StreamBlock b = block(0);
            int entries = b.live();
            if (limit > 0 && removed + entries > limit) {
                break;
            }
            boolean wholeBlock = byLength ? length - entries >= maxLen : b.compareLastTo(minId) < 0;
            if (wholeBlock) {
                removeBlock(0);
                length -= entries;
                removed += entries;
                continue;
            }
            if (approximate) {
                break;
            }
            for (int off = b.firstEntry(); b.hasEntryAt(off); ) {
                Entry e = b.read(off);
                off = e.next();
                boolean stop = byLength ? length <= maxLen : e.id().compareTo(minId) >= 0;
                if (stop) {
                    break;
                }
                if (!e.deleted()) {
                    b.markDeleted(e);
                    length--;
                    removed++;
                }
            }
            break;
        }
        return removed;
    }

    /* ---------------------------------------------------------------- consumer-group arithmetic */

    /** True if a deleted entry may lie between start and end (Redis's streamRangeHasTombstones). */
    boolean rangeHasTombstones(StreamId start, StreamId end) {
        if (length == 0 || maxDeletedId.isZero()) {
            return false;
        }
        if (firstId().compareTo(maxDeletedId) > 0) {
            return false;
        }
        StreamId s = start == null ? StreamId.MIN : start;
        StreamId e = end == null ? StreamId.MAX : end;
        return s.compareTo(maxDeletedId) <= 0 && maxDeletedId.compareTo(e) <= 0;
    }

    /** How many entries precede and include {@code id} since the first ever, or -1 if unknown. */
    long estimateDistanceFromFirstEverEntry(StreamId id) {
        if (entriesAdded == 0) {
            return 0;
        }
        if (length == 0 && id.compareTo(lastId) < 1) {
            return entriesAdded;
        }
        int cmpLast = id.compareTo(lastId);
        if (cmpLast == 0) {
            return entriesAdded;
        } else if (cmpLast > 0) {
            return ConsumerGroup.INVALID_ENTRIES_READ;
        }
        StreamId first = firstId();
        int cmpFirst = id.compareTo(first);
        if (maxDeletedId.isZero() || maxDeletedId.compareTo(first) < 0) {
            if (cmpFirst < 0) {
                return entriesAdded - length;
            } else if (cmpFirst == 0) {
                return entriesAdded - length + 1;
            }
        }
        return ConsumerGroup.INVALID_ENTRIES_READ;
    }

    /** The group's lag as XINFO reports it, or null when it cannot be known. */
    Long lag(ConsumerGroup g) {
        if (entriesAdded == 0) {
            return 0L;
        }
        if (g.entriesRead != ConsumerGroup.INVALID_ENTRIES_READ && !rangeHasTombstones(g.lastId, null)) {
            return entriesAdded - g.entriesRead;
        }
        long read = estimateDistanceFromFirstEverEntry(g.lastId);
        return read == ConsumerGroup.INVALID_ENTRIES_READ ? null : entriesAdded - read;
    }

    /** Moves the group's last ID to an entry being delivered, updating entries-read as Redis does. */
    void advanceGroup(ConsumerGroup g, StreamId id) {
        if (g.entriesRead != ConsumerGroup.INVALID_ENTRIES_READ && !rangeHasTombstones(id, null)) {
            g.entriesRead++;
        } else if (entriesAdded != 0) {
            g.entriesRead = estimateDistanceFromFirstEverEntry(id);
        }
        g.lastId = id;
    }
}
