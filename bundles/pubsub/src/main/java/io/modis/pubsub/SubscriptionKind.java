package io.modis.pubsub;

import io.modis.api.Bytes;
import java.util.Map;

/**
 * The three kinds of subscription and the words their confirmations and messages carry. A
 * confirmation's count is the client's channels plus patterns, or its shard channels alone
 * (Redis counts shard subscriptions apart).
 */
enum SubscriptionKind {
    CHANNEL("subscribe", "unsubscribe", "message") {
        @Override
        Map<Channel, SubscriberList.Node> own(ClientSubscriptions c) {
            return c.channels;
        }
    },
    PATTERN("psubscribe", "punsubscribe", "pmessage") {
        @Override
        Map<Channel, SubscriberList.Node> own(ClientSubscriptions c) {
            return c.patterns;
        }
    },
    SHARD_CHANNEL("ssubscribe", "sunsubscribe", "smessage") {
        @Override
        Map<Channel, SubscriberList.Node> own(ClientSubscriptions c) {
            return c.shardChannels;
        }

        @Override
        int confirmationCount(ClientSubscriptions c) {
            return c.shardChannels.size();
        }
    };

    final byte[] subscribed;
    final byte[] unsubscribed;
    final byte[] message;

    SubscriptionKind(String subscribed, String unsubscribed, String message) {
        this.subscribed = Bytes.of(subscribed);
        this.unsubscribed = Bytes.of(unsubscribed);
        this.message = Bytes.of(message);
    }

    /** The client's own subscriptions of this kind, by name, in the order it made them. */
    abstract Map<Channel, SubscriberList.Node> own(ClientSubscriptions c);

    int confirmationCount(ClientSubscriptions c) {
        return c.channels.size() + c.patterns.size();
    }
}
