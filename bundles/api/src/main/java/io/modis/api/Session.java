package io.modis.api;

/** The core's side of a connection: the transport feeds it parsed commands on the engine thread. */
public interface Session {
    /**
     * Runs one command. Returns false when the session cannot take more commands now (blocked,
     * paused, or closing): the transport keeps the rest and waits for {@link Connection#resume()}.
     */
    boolean execute(byte[][] argv);

    /** Called once when the connection is gone. */
    void disconnected();

    /** The client id, as CLIENT ID answers. */
    long id();

    /**
     * False while the server requires a password this client has not given: the transport then
     * limits request sizes as Redis does for unauthenticated clients. Read from I/O threads.
     */
    default boolean authenticated() {
        return true;
    }
}
