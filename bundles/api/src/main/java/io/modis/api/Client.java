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
}
