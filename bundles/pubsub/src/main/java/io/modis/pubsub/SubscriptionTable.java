package io.modis.pubsub;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The server's side of one kind of subscription (channels, patterns or shard channels): each
 * name with its subscribers. A name exists only while someone is subscribed to it, so that
 * PUBSUB CHANNELS and the INFO counts see live names only and abandoned names free their memory.
 */
final class SubscriptionTable {
    private static final SubscriberList[] NONE = new SubscriberList[0];

    /** In creation order, which is the order PUBLISH tries patterns in. */
    private final Map<Channel, SubscriberList> lists = new LinkedHashMap<>();
    /**
     * The lists as an array, rebuilt only after a name comes or goes: publishing walks every
     * pattern, and a fixed array stays valid even if a delivery changes the table.
     */
    private SubscriberList[] snapshot = NONE;
    private boolean snapshotStale;

    /**
     * Subscribes {@code who}, whose own subscriptions of this kind are {@code own}, to
     * {@code name}. False if it already was.
     */
    boolean subscribe(ClientSubscriptions who, Map<Channel, SubscriberList.Node> own, byte[] name) {
        Channel key = new Channel(name);
        if (own.containsKey(key)) {
            return false;
        }
        SubscriberList list = lists.get(key);
        if (list == null) {
            list = new SubscriberList(key);
            lists.put(key, list);
            snapshotStale = true;
        }
        own.put(key, list.append(who));
        return true;
    }

    /** Unsubscribes the owner of {@code own} from {@code name}. False if it was not subscribed. */
    boolean unsubscribe(Map<Channel, SubscriberList.Node> own, byte[] name) {
        SubscriberList.Node node = own.remove(new Channel(name));
        if (node == null) {
            return false;
        }
        detach(node);
        return true;
    }

    /** Takes a subscriber's node out of its list, and the name out of the table once unused. */
    void detach(SubscriberList.Node node) {
        SubscriberList list = node.list;
        list.remove(node);
        if (list.isEmpty()) {
            lists.remove(list.key);
            snapshotStale = true;
        }
    }

    /** The subscribers of exactly {@code name}, or null. */
    SubscriberList get(byte[] name) {
        return lists.isEmpty() ? null : lists.get(new Channel(name));
    }

    /** Every list, in the order the names were first subscribed. Do not modify. */
    SubscriberList[] all() {
        if (snapshotStale) {
            snapshot = lists.values().toArray(NONE);
            snapshotStale = false;
        }
        return snapshot;
    }

    int size() {
        return lists.size();
    }

    boolean isEmpty() {
        return lists.isEmpty();
    }
}
