package io.modis.api;

/**
 * A service told about client life-cycle events, on the engine thread: bundles that keep state
 * per client (pub/sub subscriptions, tracking) drop it here.
 */
public interface ClientListener {
    /** The client's connection is gone. */
    default void closed(Client client) {
    }

    /** The client ran RESET: forget what it set up (subscriptions, tracking). */
    default void reset(Client client) {
    }
}
