package io.modis.rdb;

import io.modis.api.Bytes;
import io.modis.api.RdbInput;
import io.modis.api.RdbOutput;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Streams between the stream bundle's own payload (live entries, last ID, max deleted ID,
 * entries added, then groups with PEL and consumers; IDs as 16-byte big-endian strings) and
 * Redis's RDB_TYPE_STREAM_LISTPACKS(_2): listpack nodes keyed by their master ID, each node a
 * master entry (count, deleted, master fields) followed by delta-encoded entries.
 */
final class StreamCodec {
    private static final int FLAG_DELETED = 1;
    private static final int FLAG_SAMEFIELDS = 2;

    private StreamCodec() {
    }

    private record Entry(long ms, long seq, byte[][] fields) {
    }

    // ---------------------------------------------------------------- writing

    static void write(RdbWriter w, byte[] payload, ValueCodec.WriteOptions o) {
        RdbInput in = new RdbInput(payload);
        long count = in.readLength();
        List<Entry> entries = new ArrayList<>();
        for (long i = 0; i < count; i++) {
            long[] id = id(in.readString());
            int pairs = in.readCount();
            byte[][] fields = new byte[2 * pairs][];
            for (int f = 0; f < fields.length; f++) {
                fields[f] = in.readString();
            }
            entries.add(new Entry(id[0], id[1], fields));
        }
        List<List<Entry>> nodes = split(entries, o);
        w.length(nodes.size());
        for (List<Entry> node : nodes) {
            Entry master = node.get(0);
            w.string(idBytes(master.ms, master.seq));
            w.string(nodeListpack(node));
        }
        w.length(entries.size());
        long[] last = id(in.readString());
        w.length(last[0]).length(last[1]);
        if (entries.isEmpty()) {
            w.length(0).length(0);
        } else {
            w.length(entries.get(0).ms).length(entries.get(0).seq);
        }
        long[] maxDeleted = id(in.readString());
        w.length(maxDeleted[0]).length(maxDeleted[1]);
        w.length(in.readLength());
        int groups = in.readCount();
        w.length(groups);
        for (int g = 0; g < groups; g++) {
            w.string(in.readString());
            long[] gid = id(in.readString());
            w.length(gid[0]).length(gid[1]);
            w.length(in.readLength() - 1);
            int pel = in.readCount();
            w.length(pel);
            for (int p = 0; p < pel; p++) {
                w.raw(in.readString());
                w.millis(in.readLength());
                w.length(in.readLength());
            }
            int consumers = in.readCount();
            w.length(consumers);
            for (int c = 0; c < consumers; c++) {
                w.string(in.readString());
                w.millis(in.readLength());
                int owned = in.readCount();
                w.length(owned);
                for (int k = 0; k < owned; k++) {
                    w.raw(in.readString());
                }
            }
        }
    }

    private static List<List<Entry>> split(List<Entry> entries, ValueCodec.WriteOptions o) {
        List<List<Entry>> nodes = new ArrayList<>();
        List<Entry> node = new ArrayList<>();
        long bytes = 0;
        long maxEntries = o.streamNodeMaxEntries() <= 0 ? Long.MAX_VALUE : o.streamNodeMaxEntries();
        long maxBytes = o.streamNodeMaxBytes() <= 0 ? Long.MAX_VALUE : o.streamNodeMaxBytes();
        for (Entry e : entries) {
            long size = 8;
            for (byte[] f : e.fields) {
                size += f.length + 2;
            }
            if (!node.isEmpty() && (node.size() >= maxEntries || bytes + size > maxBytes)) {
                nodes.add(node);
                node = new ArrayList<>();
                bytes = 0;
            }
            node.add(e);
            bytes += size;
        }
        if (!node.isEmpty()) {
            nodes.add(node);
        }
        return nodes;
    }

    private static byte[] nodeListpack(List<Entry> node) {
        Entry master = node.get(0);
        int masterFields = master.fields.length / 2;
        Listpack.Builder lp = new Listpack.Builder();
        lp.add(node.size()).add(0).add(masterFields);
        for (int i = 0; i < masterFields; i++) {
            lp.add(master.fields[2 * i]);
        }
        lp.add(0);
        for (Entry e : node) {
            int n = e.fields.length / 2;
            boolean same = n == masterFields;
            for (int i = 0; same && i < n; i++) {
                same = Arrays.equals(e.fields[2 * i], master.fields[2 * i]);
            }
            lp.add(same ? FLAG_SAMEFIELDS : 0);
            lp.add(e.ms - master.ms);
            lp.add(e.seq - master.seq);
            if (!same) {
                lp.add(n);
            }
            for (int i = 0; i < n; i++) {
                if (!same) {
                    lp.add(e.fields[2 * i]);
                }
                lp.add(e.fields[2 * i + 1]);
            }
            lp.add(same ? n + 3 : 2L * n + 4);
        }
        return lp.build();
    }

    // ---------------------------------------------------------------- reading

    static byte[] read(int type, RdbReader r) {
        List<Entry> entries = new ArrayList<>();
        int nodes = r.readCount();
        for (int i = 0; i < nodes; i++) {
            byte[] key = r.readString();
            if (key.length != 16) {
                throw new RdbFormatException("Stream node key entry is not the size of a stream ID");
            }
            long[] master = id(key);
            byte[] lp = r.readString();
            try {
                List<byte[]> items = Listpack.decode(lp);
                if (items.isEmpty()) {
                    throw new RdbFormatException("empty listpack inside a stream");
                }
                readNode(master, items, entries);
            } catch (RdbFormatException e) {
                throw RdbFormatException.because("Stream listpack integrity check failed.", e);
            }
        }
        long length = r.readLength();
        long lastMs = r.readLength();
        long lastSeq = r.readLength();
        long maxDelMs = 0;
        long maxDelSeq = 0;
        long entriesAdded;
        if (type == ValueCodec.STREAM_LISTPACKS_2) {
            r.readLength();
            r.readLength();
            maxDelMs = r.readLength();
            maxDelSeq = r.readLength();
            entriesAdded = r.readLength();
        } else {
            entriesAdded = length;
        }
        if (length != entries.size()) {
            throw new RdbFormatException("stream length " + length + " but " + entries.size() + " entries");
        }
        if (!entries.isEmpty()) {
            Entry lastEntry = entries.get(entries.size() - 1);
            if (compare(lastMs, lastSeq, lastEntry.ms, lastEntry.seq) < 0) {
                throw new RdbFormatException("stream last ID below its entries");
            }
        }
        RdbOutput out = new RdbOutput(256);
        out.writeLength(entries.size());
        for (Entry e : entries) {
            out.writeString(idBytes(e.ms, e.seq));
            out.writeLength(e.fields.length / 2);
            for (byte[] f : e.fields) {
                out.writeString(f);
            }
        }
        out.writeString(idBytes(lastMs, lastSeq));
        out.writeString(idBytes(maxDelMs, maxDelSeq));
        out.writeLength(entriesAdded);
        int groups = r.readCount();
        out.writeLength(groups);
        Set<ByteBuffer> groupNames = new HashSet<>();
        for (int g = 0; g < groups; g++) {
            byte[] name = r.readString();
            if (!groupNames.add(ByteBuffer.wrap(name))) {
                throw new RdbFormatException("Duplicated consumer group name " + Bytes.str(name));
            }
            out.writeString(name);
            long gms = r.readLength();
            long gseq = r.readLength();
            out.writeString(idBytes(gms, gseq));
            long entriesRead;
            if (type == ValueCodec.STREAM_LISTPACKS_2) {
                entriesRead = r.readLength();
                if (entriesRead < -1) {
                    throw new RdbFormatException("invalid consumer group entries-read counter");
                }
            } else {
                entriesRead = estimateEntriesRead(entries, length, entriesAdded, lastMs, lastSeq, gms, gseq);
            }
            out.writeLength(entriesRead + 1);
            readPending(r, out);
        }        return out.toByteArray();
    }

    /**
     * A group's PEL and consumers, checked as Redis's loader checks them: no ID twice in the PEL,
     * no consumer twice, each consumer's IDs in the group's PEL and owned once, and (Redis's deep
     * check) no PEL entry without a consumer.
     */
    private static void readPending(RdbReader r, RdbOutput out) {
        int pel = r.readCount();
        out.writeLength(pel);
        Set<ByteBuffer> all = new HashSet<>();
        for (int p = 0; p < pel; p++) {
            byte[] id = r.readRaw(16);
            if (!all.add(ByteBuffer.wrap(id))) {
                throw new RdbFormatException("Duplicated global PEL entry loading stream consumer group");
            }
            out.writeString(id);
            out.writeLength(nonNegative(r.readMillis()));
            out.writeLength(nonNegative(r.readLength()));
        }
        int consumers = r.readCount();
        out.writeLength(consumers);
        Set<ByteBuffer> unowned = new HashSet<>(all);
        Set<ByteBuffer> names = new HashSet<>();
        for (int c = 0; c < consumers; c++) {
            byte[] name = r.readString();
            if (!names.add(ByteBuffer.wrap(name))) {
                throw new RdbFormatException("Duplicate stream consumer detected.");
            }
            out.writeString(name);
            out.writeLength(nonNegative(r.readMillis()));
            int owned = r.readCount();
            out.writeLength(owned);
            for (int k = 0; k < owned; k++) {
                byte[] id = r.readRaw(16);
                ByteBuffer key = ByteBuffer.wrap(id);
                if (!all.contains(key)) {
                    throw new RdbFormatException("Consumer entry not found in group global PEL");
                }
                if (!unowned.remove(key)) {
                    // Redis's words, its two spaces included
                    throw new RdbFormatException("Duplicated consumer PEL entry  loading a stream consumer group");
                }
                out.writeString(id);
            }
        }
        if (!unowned.isEmpty()) {
            throw new RdbFormatException("Stream CG PEL entry without consumer");
        }
    }

    private static long nonNegative(long v) {
        if (v < 0) {
            throw new RdbFormatException("negative time or count in a stream");
        }
        return v;
    }

    /** Redis's estimate of a group's entries-read counter for streams saved before 7.0. */
    private static long estimateEntriesRead(List<Entry> entries, long length, long added, long lastMs, long lastSeq,
                                            long ms, long seq) {
        if (added == 0) {
            return 0;
        }
        int cmpLast = compare(ms, seq, lastMs, lastSeq);
        if (length == 0 && cmpLast <= 0) {
            return added;
        }
        if (cmpLast == 0) {
            return added;
        }
        if (cmpLast > 0) {
            return -1;
        }
        Entry first = entries.isEmpty() ? null : entries.get(0);
        int cmpFirst = first == null ? 1 : compare(ms, seq, first.ms, first.seq);
        if (cmpFirst < 0) {
            return added - length;
        }
        if (cmpFirst == 0) {
            return added - length + 1;
        }
        return -1;
    }

    private static void readNode(long[] master, List<byte[]> items, List<Entry> out) {
        int[] at = {0};
        long valid = integer(items, at);
        long deleted = integer(items, at);
        long masterFields = integer(items, at);
        if (valid < 0 || deleted < 0 || masterFields < 0 || masterFields > items.size()) {
            throw new RdbFormatException("invalid stream master entry");
        }
        byte[][] fieldNames = new byte[(int) masterFields][];
        for (int i = 0; i < masterFields; i++) {
            fieldNames[i] = item(items, at);
        }
        if (integer(items, at) != 0) {
            throw new RdbFormatException("stream master entry not terminated");
        }
        long seen = 0;
        long live = 0;
        while (at[0] < items.size()) {
            int start = at[0];
            long flags = integer(items, at);
            long ms = master[0] + integer(items, at);
            long seq = master[1] + integer(items, at);
            byte[][] fields;
            if ((flags & FLAG_SAMEFIELDS) != 0) {
                fields = new byte[2 * fieldNames.length][];
                for (int i = 0; i < fieldNames.length; i++) {
                    fields[2 * i] = fieldNames[i];
                    fields[2 * i + 1] = item(items, at);
                }
            } else {
                long n = integer(items, at);
                if (n <= 0 || n > items.size()) {
                    throw new RdbFormatException("invalid stream entry field count");
                }
                fields = new byte[(int) (2 * n)][];
                for (int i = 0; i < fields.length; i++) {
                    fields[i] = item(items, at);
                }
            }
            long lpCount = integer(items, at);
            if (lpCount != at[0] - start - 1) {
                throw new RdbFormatException("stream entry lp-count mismatch");
            }
            seen++;
            if ((flags & FLAG_DELETED) == 0) {
                if (fields.length == 0) {
                    throw new RdbFormatException("stream entry without fields");
                }
                if (!out.isEmpty()) {
                    Entry prev = out.get(out.size() - 1);
                    if (compare(ms, seq, prev.ms, prev.seq) <= 0) {
                        throw new RdbFormatException("stream IDs out of order");
                    }
                }
                out.add(new Entry(ms, seq, fields));
                live++;
            }
        }
        if (seen != valid + deleted || live != valid) {
            throw new RdbFormatException("stream node counts do not match its entries");
        }
    }

    private static byte[] item(List<byte[]> items, int[] at) {
        if (at[0] >= items.size()) {
            throw new RdbFormatException("stream listpack ends inside an entry");
        }
        return items.get(at[0]++);
    }

    private static long integer(List<byte[]> items, int[] at) {
        try {
            return Bytes.parseLong(item(items, at));
        } catch (NumberFormatException e) {
            throw new RdbFormatException("stream listpack item is not an integer");
        }
    }

    private static int compare(long ams, long aseq, long bms, long bseq) {
        int c = Long.compareUnsigned(ams, bms);
        return c != 0 ? c : Long.compareUnsigned(aseq, bseq);
    }

    static byte[] idBytes(long ms, long seq) {
        return ByteBuffer.allocate(16).putLong(ms).putLong(seq).array();
    }

    private static long[] id(byte[] b) {
        if (b.length != 16) {
            throw new RdbFormatException("bad stream ID");
        }
        ByteBuffer buf = ByteBuffer.wrap(b);
        return new long[] {buf.getLong(), buf.getLong()};
    }
}
