package io.modis.streams;

import io.modis.api.Bytes;
import io.modis.api.CommandContext;
import io.modis.api.Database;
import io.modis.streams.StreamBlock.Entry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Delivering entries to a consumer of a group, as Redis's streamReplyWithRange does for
 * XREADGROUP: new entries advance the group and enter the PELs (propagated as XCLAIM), history
 * reads re-deliver the consumer's own pending entries. Also the effects replicas need.
 */
final class GroupDelivery {
    private static final byte[] XCLAIM = Bytes.of("XCLAIM");
    private static final byte[] XGROUP = Bytes.of("XGROUP");
    private static final byte[] ZERO = Bytes.of("0");
    private static final byte[] TIME = Bytes.of("TIME");
    private static final byte[] RETRYCOUNT = Bytes.of("RETRYCOUNT");
    private static final byte[] FORCE = Bytes.of("FORCE");
    private static final byte[] JUSTID = Bytes.of("JUSTID");
    private static final byte[] LASTID = Bytes.of("LASTID");
    private static final byte[] SETID = Bytes.of("SETID");
    private static final byte[] ENTRIESREAD = Bytes.of("ENTRIESREAD");
    private static final byte[] CREATECONSUMER = Bytes.of("CREATECONSUMER");

    private GroupDelivery() {
    }

    /** A delivered item: the entry, or only its ID when it was deleted (history reads). */
    record Item(StreamId id, Entry entry) {
    }

    /** Finds the consumer, refreshing its seen time, or creates it (notifying and counting it). */
    static StreamConsumer consumer(CommandContext ctx, ConsumerGroup g, byte[] key, byte[] groupName, byte[] name,
                                   boolean propagateCreation) {
        StreamConsumer c = g.consumer(name);
        if (c != null) {
            c.seenTime = ctx.now();
            return c;
        }
        c = g.createConsumer(name, ctx.now());
        Database db = ctx.db();
        ctx.dirty(1);
        ctx.notify('t', "xgroup-createconsumer", key, db);
        if (propagateCreation) {
            ctx.propagate(XGROUP, CREATECONSUMER, key, groupName, name);
        }
        return c;
    }

    /** New entries after {@code start}'s predecessor: advances the group, fills the PELs. */
    static List<Item> deliverNew(CommandContext ctx, StreamValue s, ConsumerGroup g, StreamConsumer c,
                                 byte[] key, byte[] groupName, StreamId start, long count, boolean noAck) {
        List<Entry> entries = s.range(start, StreamId.MAX, false, count);
        List<Item> out = new ArrayList<>(entries.size());
        boolean propagateLastId = false;
        long now = ctx.now();
        for (Entry e : entries) {
            StreamId id = e.id();
            if (id.compareTo(g.lastId) > 0) {
                s.advanceGroup(g, id);
                if (noAck) {
                    propagateLastId = true;
                }
            }
            out.add(new Item(id, e));
            if (!noAck) {
                PendingEntry p = g.pending.get(id);
                if (p == null) {
                    p = new PendingEntry(c, now, 1);
                    g.pending.put(id, p);
                    c.pending.put(id, p);
                } else {
                    g.assign(id, p, c);
                    p.deliveryTime = now;
                    p.deliveryCount = 1;
                }
                propagateClaim(ctx, key, g, groupName, id, p);
            }
        }
        if (propagateLastId) {
            propagateGroupId(ctx, key, g, groupName);
        }
        return out;
    }

    /** The consumer's pending entries from {@code start}: each is delivered once more. */
    static List<Item> deliverHistory(CommandContext ctx, StreamValue s, StreamConsumer c, StreamId start,
                                     long count) {
        List<Item> out = new ArrayList<>();
        for (Map.Entry<StreamId, PendingEntry> pe : c.pending.tailMap(start, true).entrySet()) {
            if (count > 0 && out.size() >= count) {
                break;
            }
            Entry e = s.find(pe.getKey());
            out.add(new Item(pe.getKey(), e));
            if (e != null) {
                pe.getValue().deliveryTime = ctx.now();
                pe.getValue().deliveryCount++;
            }
        }
        return out;
    }

    static void reply(io.modis.api.Reply r, List<Item> items) {
        r.array(items.size());
        for (Item it : items) {
            if (it.entry() != null) {
                StreamReplies.entry(r, it.entry());
            } else {
                r.array(2);
                StreamReplies.id(r, it.id());
                r.nilArray();
            }
        }
    }

    /** XCLAIM key group consumer 0 id TIME t RETRYCOUNT n FORCE JUSTID LASTID last (streamPropagateXCLAIM). */
    static void propagateClaim(CommandContext ctx, byte[] key, ConsumerGroup g, byte[] groupName, StreamId id,
                               PendingEntry p) {
        ctx.propagate(XCLAIM, key, groupName, p.consumer == null ? Bytes.EMPTY : p.consumer.name, ZERO, id.toBytes(),
                TIME, Bytes.fromLong(p.deliveryTime), RETRYCOUNT, Bytes.fromLong(p.deliveryCount), FORCE, JUSTID,
                LASTID, g.lastId.toBytes());
    }

    /** XGROUP SETID key group last ENTRIESREAD n (streamPropagateGroupID). */
    static void propagateGroupId(CommandContext ctx, byte[] key, ConsumerGroup g, byte[] groupName) {
        ctx.propagate(XGROUP, SETID, key, groupName, g.lastId.toBytes(), ENTRIESREAD, Bytes.fromLong(g.entriesRead));
    }
}
