package io.modis.streams;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * A consumer group (Redis's streamCG): the last delivered ID, how many entries it has read
 * (-1 when unknown), the pending entries list and the consumers, ordered by name as Redis's
 * radix tree orders them.
 */
final class ConsumerGroup {
    static final long INVALID_ENTRIES_READ = -1;

    StreamId lastId;
    long entriesRead;
    final TreeMap<StreamId, PendingEntry> pending = new TreeMap<>();
    final TreeMap<byte[], StreamConsumer> consumers = new TreeMap<>(Arrays::compareUnsigned);

    ConsumerGroup(StreamId lastId, long entriesRead) {
        this.lastId = lastId;
        this.entriesRead = entriesRead;
    }

    StreamConsumer consumer(byte[] name) {
        return consumers.get(name);
    }

    /** Adds a consumer; null if one of that name exists. */
    StreamConsumer createConsumer(byte[] name, long now) {
        if (consumers.containsKey(name)) {
            return null;
        }
        StreamConsumer c = new StreamConsumer(name.clone(), now);
        consumers.put(c.name, c);
        return c;
    }

    /** Removes a consumer and its pending entries from the group's PEL. */
    void deleteConsumer(StreamConsumer c) {
        for (StreamId id : c.pending.keySet()) {
            pending.remove(id);
        }
        consumers.remove(c.name);
    }

    /** Drops a pending entry from the group and from its owner. */
    void acknowledge(StreamId id, PendingEntry p) {
        pending.remove(id);
        if (p.consumer != null) {
            p.consumer.pending.remove(id);
        }
    }

    /** Gives a pending entry to {@code to}, moving it out of its previous owner's PEL. */
    void assign(StreamId id, PendingEntry p, StreamConsumer to) {
        if (p.consumer != to) {
            if (p.consumer != null) {
                p.consumer.pending.remove(id);
            }
            to.pending.put(id, p);
            p.consumer = to;
        }
    }

    ConsumerGroup copy() {
        ConsumerGroup g = new ConsumerGroup(lastId, entriesRead);
        for (StreamConsumer c : consumers.values()) {
            StreamConsumer nc = new StreamConsumer(c.name.clone(), c.seenTime);
            g.consumers.put(nc.name, nc);
        }
        for (Map.Entry<StreamId, PendingEntry> e : pending.entrySet()) {
            PendingEntry p = e.getValue();
            StreamConsumer owner = p.consumer == null ? null : g.consumers.get(p.consumer.name);
            PendingEntry np = new PendingEntry(owner, p.deliveryTime, p.deliveryCount);
            g.pending.put(e.getKey(), np);
            if (owner != null) {
                owner.pending.put(e.getKey(), np);
            }
        }
        return g;
    }

    long memoryUsage() {
        return 96 + pending.size() * 120L + consumers.size() * 96L;
    }
}
