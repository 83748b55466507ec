package io.modis.streams;

/**
 * A delivered but not yet acknowledged entry (Redis's streamNACK): shared by the group's PEL and
 * its owner's PEL. The owner is null only for an entry XCLAIM FORCE created before it is claimed.
 */
final class PendingEntry {
    long deliveryTime;
    long deliveryCount;
    StreamConsumer consumer;

    PendingEntry(StreamConsumer consumer, long deliveryTime, long deliveryCount) {
        this.consumer = consumer;
        this.deliveryTime = deliveryTime;
        this.deliveryCount = deliveryCount;
    }
}
