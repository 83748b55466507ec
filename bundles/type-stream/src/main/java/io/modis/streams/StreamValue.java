package io.modis.streams;

import io.modis.api.DataType;
import io.modis.api.Digest;
import io.modis.api.Value;
import io.modis.streams.StreamBlock.Entry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A stream: entries packed in {@link StreamBlock}s under an index ordered by each block's first
 * ID, plus Redis's bookkeeping (last ID, entries ever added, largest deleted ID) and the
 * consumer groups.
 */
final class StreamValue implements Value {
    private final TreeMap<StreamId, StreamBlock> blocks = new TreeMap<>();
    private long length;
    private long entryBytes;
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
        return 96 + blocks.size() * 80L + entryBytes + groupBytes;
    }

    @Override
    public Value copy() {
        StreamValue s = new StreamValue();
        for (StreamBlock b : blocks.values()) {
            s.blocks.put(b.master, b.copy());
        }
        s.length = length;
        s.entryBytes = entryBytes;
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
        return blocks.size();
    }

    /* ---------------------------------------------------------------- adding */

    /** Appends an entry with an ID the caller checked is greater than {@link #lastId}. */
    void append(StreamId id, byte[][] fieldsAndValues, int from, int pairs, long maxEntries, long maxBytes) {
        Map.Entry<StreamId, StreamBlock> tail = blocks.lastEntry();
        StreamBlock block = tail == null ? null : tail.getValue();
        int size = StreamBlock.encodedSize(id, fieldsAndValues, from, pairs);
        if (block != null) {
            if (maxBytes > 0 && block.bytes() + size >= maxBytes) {
                block = null;
            } else if (maxEntries > 0 && block.total() >= maxEntries) {
                block = null;
            }
        }
        if (block == null) {
            block = new StreamBlock(id);
            blocks.put(id, block);
        }
        block.append(id, fieldsAndValues, from, pairs);
        entryBytes += size;
        length++;
        entriesAdded++;
        lastId = id;
    }

    /* ---------------------------------------------------------------- reading */

    interface EntryVisitor {
        void visit(Entry e);
    }

    void forEachLive(EntryVisitor v) {
        for (StreamBlock b : blocks.values()) {
            for (int off = 0; b.hasEntryAt(off); ) {
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
            StreamId from = blocks.floorKey(start);
            Iterable<StreamBlock> candidates = (from == null ? blocks : blocks.tailMap(from, true)).values();
            for (StreamBlock b : candidates) {
                if (b.master.compareTo(end) > 0) {
                    break;
                }
                for (int off = 0; b.hasEntryAt(off); ) {
                    Entry e = b.read(off);
                    off = e.next();
                    if (e.id().compareTo(end) > 0) {
                        return out;
                    }
                    if (e.deleted() || e.id().compareTo(start) < 0) {
                        continue;
                    }
                    out.add(e);
                    if (count > 0 && out.size() >= count) {
                        return out;
                    }
                }
            }
        } else {
            for (StreamBlock b : blocks.headMap(end, true).descendingMap().values()) {
                if (b.last().compareTo(start) < 0) {
                    break;
                }
                int[] offsets = b.offsets();
                for (int i = offsets.length - 1; i >= 0; i--) {
                    Entry e = b.read(offsets[i]);
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
        Map.Entry<StreamId, StreamBlock> first = blocks.firstEntry();
        return first == null ? StreamId.MAX : first.getKey();
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
        Entry e = find(id);
        if (e == null) {
            return false;
        }
        StreamBlock b = e.block();
        b.markDeleted(e);
        length--;
        if (b.live() == 0) {
            blocks.remove(b.master);
            entryBytes -= b.bytes();
        }
        if (id.compareTo(maxDeletedId) > 0) {
            maxDeletedId = id;
        }
        return true;
    }

    /**
     * Trims from the oldest entries, as Redis's streamTrim: whole blocks while allowed, then (not
     * approximate) entries of the first remaining block. {@code maxLen} < 0 means trim by
     * {@code minId}; {@code limit} 0 means no limit. Returns the number of entries removed.
     */
    long trim(long maxLen, StreamId minId, boolean approximate, long limit) {
        boolean byLength = maxLen >= 0;
        long removed = 0;
        Iterator<StreamBlock> it = blocks.values().iterator();
        while (it.hasNext()) {
            if (byLength && length <= maxLen) {
                break;
            }
            StreamBlock b = it.next();
            int entries = b.live();
            if (limit > 0 && removed + entries > limit) {
                break;
            }
            boolean wholeBlock = byLength ? length - entries >= maxLen : b.last().compareTo(minId) < 0;
            if (wholeBlock) {
                it.remove();
                entryBytes -= b.bytes();
                length -= entries;
                removed += entries;
                continue;
            }
            if (approximate) {
                break;
            }
            for (int off = 0; b.hasEntryAt(off); ) {
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

    /** Internal for restore: the blocks in order. */
    Iterable<StreamBlock> blocks() {
        return blocks.values();
    }
}
