package io.modis.pubsub;

import io.modis.api.Reply;
import io.modis.api.SharedReply;
import java.util.function.Consumer;

/**
 * The out-of-band frames pub/sub writes: RESP3 pushes, which RESP2 clients read as arrays. They
 * go through {@code Client.send}, which, like Redis's pushes, ignores CLIENT REPLY OFF/SKIP.
 */
final class Messages {
    private static final byte[] PMESSAGE = SubscriptionKind.PATTERN.message;

    private Messages() {
    }

    /** [subscribe|unsubscribe|... , name or null, count]. */
    static Consumer<Reply> confirmation(byte[] word, byte[] name, int count) {
        return r -> {
            r.push(3);
            r.bulk(word);
            if (name == null) {
                r.nil();
            } else {
                r.bulk(name);
            }
            r.integer(count);
        };
    }

    /**
     * [message|smessage, channel, payload], the same for every subscriber: encoded once per
     * protocol and copied to each (see {@link SharedReply}).
     */
    static Consumer<Reply> message(byte[] word, byte[] channel, byte[] payload) {
        SharedReply shared = new SharedReply(r -> {
            r.push(3);
            r.bulk(word);
            r.bulk(channel);
            r.bulk(payload);
        });
        return r -> r.shared(shared);
    }

    /** [pmessage, pattern, channel, payload], shared by the pattern's subscribers. */
    static Consumer<Reply> patternMessage(byte[] pattern, byte[] channel, byte[] payload) {
        SharedReply shared = new SharedReply(r -> {
            r.push(4);
            r.bulk(PMESSAGE);
            r.bulk(pattern);
            r.bulk(channel);
            r.bulk(payload);
        });
        return r -> r.shared(shared);
    }
}
