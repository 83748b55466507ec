package io.modis.api;

/**
 * A command parked on keys (BLPOP and friends). The core calls {@link #serve} after a command,
 * EXEC or script that signalled one of the keys ready, for blocked clients in the order they
 * blocked; {@link #timeout} when the timeout passes first.
 */
public interface BlockedCommand {
    /** Tries again with the keys now ready; writes the reply and returns true if done. */
    boolean serve(CommandContext ctx);

    /**
     * Tries again because {@code readyKey} was signalled ready, as Redis serves a client from
     * the key that became ready. By default any of the keys may serve ({@link #serve(CommandContext)}).
     */
    default boolean serve(CommandContext ctx, byte[] readyKey) {
        return serve(ctx);
    }

    /** Writes the reply for a timeout (usually a null array). */
    default void timeout(Reply reply) {
        reply.nilArray();
    }
}
