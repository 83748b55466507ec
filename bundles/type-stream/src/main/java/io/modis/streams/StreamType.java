package io.modis.streams;

import io.modis.api.Bytes;
import io.modis.api.DataType;
import io.modis.api.RdbInput;
import io.modis.api.RdbOutput;
import io.modis.api.Value;
import java.nio.ByteBuffer;
import java.util.Map;

/**
 * The stream {@link DataType}: one instance, the one every {@link StreamValue#type()} returns.
 *
 * <p>The payload is this bundle's own layout, not Redis's RDB_TYPE_STREAM_LISTPACKS listpacks:
 * the live entries (ID, field/value pairs), the stream's bookkeeping, then each group with its
 * PEL and consumers.
 */
final class StreamType implements DataType {
    static final StreamType INSTANCE = new StreamType();
    static final int RDB_TYPE_STREAM_LISTPACKS = 15;
    static final long DEFAULT_NODE_MAX_BYTES = 4096;
    static final long DEFAULT_NODE_MAX_ENTRIES = 100;

    volatile long nodeMaxBytes = DEFAULT_NODE_MAX_BYTES;
    volatile long nodeMaxEntries = DEFAULT_NODE_MAX_ENTRIES;

    private StreamType() {
    }

    @Override
    public String name() {
        return "stream";
    }

    /** A deleted or replaced stream wakes its blocked readers (their stream or group is gone). */
    @Override
    public boolean wakesWaitersWhenRemoved() {
        return true;
    }

    @Override
    public int rdbType() {
        return RDB_TYPE_STREAM_LISTPACKS;
    }

    @Override
    public byte[] serialize(Value value) {
        StreamValue s = (StreamValue) value;
        RdbOutput out = new RdbOutput(64 + (int) Math.min(s.memoryUsage(), 1 << 20));
        out.writeLength(s.length());
        s.forEachLive(e -> {
            writeId(out, e.id());
            byte[][] fields = e.block().fields(e);
            out.writeLength(e.pairs());
            for (byte[] f : fields) {
                out.writeString(f);
            }
        });
        writeId(out, s.lastId);
        writeId(out, s.maxDeletedId);
        out.writeLength(s.entriesAdded);
        out.writeLength(s.groups.size());
        for (Map.Entry<byte[], ConsumerGroup> ge : s.groups.entrySet()) {
            ConsumerGroup g = ge.getValue();
            out.writeString(ge.getKey());
            writeId(out, g.lastId);
            out.writeLength(g.entriesRead + 1);
            out.writeLength(g.pending.size());
            for (Map.Entry<StreamId, PendingEntry> p : g.pending.entrySet()) {
                writeId(out, p.getKey());
                out.writeLength(p.getValue().deliveryTime);
                out.writeLength(p.getValue().deliveryCount);
            }
            out.writeLength(g.consumers.size());
            for (StreamConsumer c : g.consumers.values()) {
                out.writeString(c.name);
                out.writeLength(c.seenTime);
                out.writeLength(c.pending.size());
                for (StreamId id : c.pending.keySet()) {
                    writeId(out, id);
                }
            }
        }
        return out.toByteArray();
    }

    @Override
    public Value restore(byte[] payload, int encodingVersion) {
        try {
            return read(new RdbInput(payload));
        } catch (RuntimeException e) {
            throw e instanceof IllegalArgumentException ? e : new IllegalArgumentException("malformed stream", e);
        }
    }

    private StreamValue read(RdbInput in) {
        StreamValue s = new StreamValue();
        long entries = in.readLength();
        StreamId previous = null;
        for (long i = 0; i < entries; i++) {
            StreamId id = readId(in);
            if (previous != null && id.compareTo(previous) <= 0) {
                throw new IllegalArgumentException("stream IDs out of order");
            }
            int pairs = in.readCount();
            if (pairs == 0) {
                throw new IllegalArgumentException("stream entry without fields");
            }
            byte[][] fields = new byte[2 * pairs][];
            for (int f = 0; f < fields.length; f++) {
                fields[f] = in.readString();
            }
            s.append(id, fields, 0, pairs, nodeMaxEntries, nodeMaxBytes);
            previous = id;
        }
        StreamId last = readId(in);
        if (previous != null && last.compareTo(previous) < 0) {
            throw new IllegalArgumentException("stream last ID below its entries");
        }
        s.lastId = last;
        s.maxDeletedId = readId(in);
        s.entriesAdded = in.readLength();
        long groups = in.readLength();
        for (long gi = 0; gi < groups; gi++) {
            byte[] name = in.readString();
            ConsumerGroup g = new ConsumerGroup(readId(in), in.readLength() - 1);
            long pel = in.readLength();
            for (long p = 0; p < pel; p++) {
                StreamId id = readId(in);
                g.pending.put(id, new PendingEntry(null, in.readLength(), in.readLength()));
            }
            long consumers = in.readLength();
            for (long ci = 0; ci < consumers; ci++) {
                StreamConsumer c = g.createConsumer(in.readString(), 0);
                if (c == null) {
                    throw new IllegalArgumentException("duplicate consumer");
                }
                c.seenTime = in.readLength();
                long owned = in.readLength();
                for (long o = 0; o < owned; o++) {
                    StreamId id = readId(in);
                    PendingEntry p = g.pending.get(id);
                    if (p == null || p.consumer != null) {
                        throw new IllegalArgumentException("consumer PEL entry not in the group PEL");
                    }
                    p.consumer = c;
                    c.pending.put(id, p);
                }
            }
            if (s.groups.put(name, g) != null) {
                throw new IllegalArgumentException("duplicate consumer group");
            }
        }
        if (!in.atEnd()) {
            throw new IllegalArgumentException("trailing bytes after the stream");
        }
        return s;
    }

    /** IDs are unsigned 64-bit pairs, so they go as one 16-byte big-endian string. */
    private static void writeId(RdbOutput out, StreamId id) {
        out.writeString(ByteBuffer.allocate(16).putLong(id.ms()).putLong(id.seq()).array());
    }

    private static StreamId readId(RdbInput in) {
        byte[] b = in.readString();
        if (b.length != 16) {
            throw new IllegalArgumentException("bad stream ID");
        }
        ByteBuffer buf = ByteBuffer.wrap(b);
        return new StreamId(buf.getLong(), buf.getLong());
    }

    /**
     * The stream as Redis's AOF rewrite writes it: an XADD per entry (or XADD MAXLEN 0 for an
     * empty stream), XSETID with the bookkeeping, then per group XGROUP CREATE and per consumer
     * XCLAIM ... JUSTID FORCE for each pending entry it owns (XGROUP CREATECONSUMER if none).
     */
    @Override
    public void rewrite(byte[] key, Value value, java.util.function.Consumer<byte[][]> out) {
        StreamValue s = (StreamValue) value;
        if (s.length() > 0) {
            s.forEachLive(e -> {
                byte[][] fields = e.block().fields(e);
                byte[][] cmd = new byte[3 + fields.length][];
                cmd[0] = Bytes.of("XADD");
                cmd[1] = key;
                cmd[2] = e.id().toBytes();
                System.arraycopy(fields, 0, cmd, 3, fields.length);
                out.accept(cmd);
            });
        } else {
            out.accept(new byte[][] {Bytes.of("XADD"), key, Bytes.of("MAXLEN"), Bytes.of("0"), Bytes.of("0-1"),
                    Bytes.of("x"), Bytes.of("y")});
        }
        out.accept(new byte[][] {Bytes.of("XSETID"), key, s.lastId.toBytes(), Bytes.of("ENTRIESADDED"),
                Bytes.fromLong(s.entriesAdded), Bytes.of("MAXDELETEDID"), s.maxDeletedId.toBytes()});
        for (Map.Entry<byte[], ConsumerGroup> ge : s.groups.entrySet()) {
            byte[] group = ge.getKey();
            ConsumerGroup g = ge.getValue();
            out.accept(new byte[][] {Bytes.of("XGROUP"), Bytes.of("CREATE"), key, group, g.lastId.toBytes(),
                    Bytes.of("ENTRIESREAD"), Bytes.fromLong(g.entriesRead)});
            for (StreamConsumer c : g.consumers.values()) {
                if (c.pending.isEmpty()) {
                    out.accept(new byte[][] {Bytes.of("XGROUP"), Bytes.of("CREATECONSUMER"), key, group, c.name});
                    continue;
                }
                for (Map.Entry<StreamId, PendingEntry> p : c.pending.entrySet()) {
                    out.accept(new byte[][] {Bytes.of("XCLAIM"), key, group, c.name, Bytes.of("0"),
                            p.getKey().toBytes(), Bytes.of("TIME"), Bytes.fromLong(p.getValue().deliveryTime),
                            Bytes.of("RETRYCOUNT"), Bytes.fromLong(p.getValue().deliveryCount), Bytes.of("JUSTID"),
                            Bytes.of("FORCE")});
                }
            }
        }
    }
}
