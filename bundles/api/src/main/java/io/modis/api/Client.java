package io.modis.api;

/** What a handler may know and change about the connection that sent the command. */
public interface Client {
    long id();

    /** CLIENT SETNAME's name, or null. */
    String name();

    /** 2 or 3. */
    int protocol();

    /** The selected database index. */
    int dbIndex();

    /** "ip:port" of the peer, or "/path:0" for a unix socket. */
    String address();

    /** True while the client is in MULTI, and when the command runs inside EXEC. */
    boolean inMulti();

    /** True when the command is called from a script (Lua) rather than a connection. */
    boolean inScript();

    /**
     * Sends an out-of-band message to this client (a pub/sub message, an invalidation): the
     * writer gets the client's reply stream and should write a RESP3 push (RESP2 clients read it
     * as an array). Messages are flushed when the engine finishes its current task. Ignored once
     * the client is closing.
     */
    void send(java.util.function.Consumer<Reply> message);

    /**
     * The pub/sub bundle's subscription counts for this client: CLIENT LIST shows them, and a
     * RESP2 client with any subscription is in subscriber mode (only the (P|S)SUBSCRIBE,
     * (P|S)UNSUBSCRIBE, PING, QUIT and RESET commands are allowed).
     */
    void subscriptions(int channels, int patterns, int shardChannels);

    /** Channels + patterns + shard channels this client is subscribed to. */
    int subscriptionCount();

    /** The ACL user the client is authenticated as ("default" until AUTH). */
    default String user() {
        return "default";
    }

    /** The client as one CLIENT LIST line (ACL LOG's client-info). */
    default String info() {
        return "id=" + id() + " addr=" + address() + " name=" + (name() == null ? "" : name()) + " user=" + user();
    }

    /** Closes the connection once the replies already written are sent (ACL user deleted). */
    default void kill() {
    }
}
