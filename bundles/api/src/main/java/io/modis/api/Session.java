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
}
