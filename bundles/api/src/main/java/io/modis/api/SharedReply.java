package io.modis.api;

import java.util.function.Consumer;

/**
 * One reply delivered to many clients, such as a published message fanned out to a channel's
 * subscribers (see {@link Reply#shared}). Its content is written once for each protocol version
 * that needs it; the transport keeps that encoding here and copies it to every other client of
 * the same version. The content holds no error replies (they would not be counted per client).
 * Used on the engine thread only.
 */
public final class SharedReply {
    private final Consumer<Reply> content;
    private byte[] resp2;
    private byte[] resp3;

    /** @param content writes the reply (the same elements for every client) */
    public SharedReply(Consumer<Reply> content) {
        this.content = content;
    }

    /** Writes the content element by element. */
    public void writeTo(Reply reply) {
        content.accept(reply);
    }

    /** The bytes kept for {@code protocol} (2 or 3), or null if none yet. */
    public byte[] encoded(int protocol) {
        return protocol == 3 ? resp3 : resp2;
    }

    /** Keeps the encoding for {@code protocol}, written by a transport from {@link #writeTo}. */
    public void encoded(int protocol, byte[] bytes) {
        if (protocol == 3) {
            resp3 = bytes;
        } else {
            resp2 = bytes;
        }
    }
}
