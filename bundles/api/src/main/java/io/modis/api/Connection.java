package io.modis.api;

/**
 * The transport's side of a client connection, used by the core on the engine thread.
 * Implemented by the transport bundle (RESP over TCP or unix socket).
 */
public interface Connection {
    /** The writer for replies to this connection (switches protocol with {@link #protocol(int)}). */
    Reply reply();

    /** Switches the reply protocol (HELLO). */
    void protocol(int version);

    /** "ip:port" of the peer. */
    String remoteAddress();

    /** "ip:port" of our end. */
    String localAddress();

    /** The file descriptor number if known, else -1. */
    int fd();

    boolean unixSocket();

    /** Sends what is buffered. */
    void flush();

    /** Closes after the replies already written are sent. */
    void close();

    /**
     * Closes now, dropping replies not yet sent (a client over its output buffer limit). The
     * session hears {@link Session#disconnected()} once the connection is gone.
     */
    default void abort() {
        close();
    }

    /** Continues with commands held while the session was blocked or paused. */
    void resume();

    /** Bytes received but not yet executed (query buffer). */
    int queryBufferSize();

    /** Bytes of replies not yet sent (output buffer). */
    long outputBufferSize();

    /** Room allocated for the query buffer beyond {@link #queryBufferSize()} (CLIENT LIST qbuf-free). */
    default long queryBufferFree() {
        return 0;
    }

    /** Bytes of the arguments of a command received only in part so far (CLIENT LIST argv-mem). */
    default long partialArgvSize() {
        return 0;
    }

    /**
     * Called by the client cron about ten times a second: gives back query-buffer room the client
     * no longer needs (all of it after two idle seconds).
     */
    default void trimQueryBuffer() {
    }

    /**
     * True when a command may converse with its client while it runs ({@link #takeCommand},
     * {@link #flushNow}): the connection's I/O is served on the engine thread (io-threads 1).
     */
    default boolean conversational() {
        return false;
    }

    /**
     * Takes out the next command this connection received and has not run (it will not run), or
     * returns null when none is queued; the transport then reads on. For a command that
     * converses with its client while it runs (the Lua debugger); engine thread only.
     */
    default byte[][] takeCommand() {
        return null;
    }

    /**
     * Sends what is buffered now, without waiting for earlier writes to become durable (a
     * conversation in the middle of a command, see {@link #conversational()}).
     */
    default void flushNow() {
        flush();
    }

    /** True once the connection is closed (the peer hung up, or it was closed). */
    default boolean closed() {
        return false;
    }
}
