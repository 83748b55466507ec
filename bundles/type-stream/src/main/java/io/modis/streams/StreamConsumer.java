package io.modis.streams;

import java.util.TreeMap;

/** A consumer of a group: its name, when it was last seen, and the entries it owns. */
final class StreamConsumer {
    final byte[] name;
    long seenTime;
    final TreeMap<StreamId, PendingEntry> pending = new TreeMap<>();

    StreamConsumer(byte[] name, long seenTime) {
        this.name = name;
        this.seenTime = seenTime;
    }
}
