package io.modis.pubsub;

import io.modis.api.Client;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One client's subscriptions. Each maps the name to the client's node in the server's list for
 * that name, so that leaving a channel touches nothing but that node.
 */
final class ClientSubscriptions {
    final Client client;
    final Map<Channel, SubscriberList.Node> channels = new LinkedHashMap<>();
    final Map<Channel, SubscriberList.Node> patterns = new LinkedHashMap<>();
    final Map<Channel, SubscriberList.Node> shardChannels = new LinkedHashMap<>();

    ClientSubscriptions(Client client) {
        this.client = client;
    }

    boolean isEmpty() {
        return channels.isEmpty() && patterns.isEmpty() && shardChannels.isEmpty();
    }

    /** Tells the core the counts: they decide RESP2 subscriber mode and show in CLIENT LIST. */
    void report() {
        client.subscriptions(channels.size(), patterns.size(), shardChannels.size());
    }
}
