package io.modis.core;

import io.modis.api.Client;
import io.modis.api.Connection;
import io.modis.api.Reply;
import io.modis.api.Session;

import java.util.ArrayList;
import java.util.List;

/** A connected client: its connection, selected database, transaction and blocking state. */
public final class ClientSession implements Client, Session {
    public enum ReplyMode { ON, OFF, SKIP, SKIP_NEXT }

    final Server server;
    final Connection conn;
    final long id;
    final long createdAt = System.currentTimeMillis();
    long lastInteraction = createdAt;
    String name;
    String libName;
    String libVersion;
    int protocol = 2;
    Db db;
    volatile boolean authenticated;
    /** The AOF loader's session: exempt from auth, protected and LOADING checks. */
    boolean loader;
    String user = "default";
    ReplyMode replyMode = ReplyMode.ON;
    boolean noEvict;
    boolean closing;
    /** The connection is gone (set once the server forgot this client). */
    boolean gone;
    String lastCommand = "NULL";

    // MULTI state
    boolean inMulti;
    boolean multiError;
    boolean watchDirty;
    List<byte[][]> queued;
    final List<Watch> watches = new ArrayList<>();

    // pub/sub, as the pub/sub bundle reports it
    int subChannels;
    int subPatterns;
    int subShard;

    /** CLIENT TRACKING settings, null while tracking is off. */
    Tracking.State tracking;

    /** The client's memory as the cron last summed it (counted in used_memory until it goes). */
    long memory;

    /** Since when the unsent output has been over the soft limit, 0 when it is not. */
    long overSoftLimitSince;

    // blocking and pausing
    Blocking.Waiter blockedOn;
    byte[][] pausedCommand;
    boolean executingExec;
    /** True while a script (EVAL, FCALL) of this client runs its commands. */
    boolean inScript;

    /** One watched key; {@code expired}: the key was already logically expired when watched. */
    static final class Watch {
        final ClientSession client;
        final Db db;
        final byte[] key;
        boolean expired;

        Watch(ClientSession client, Db db, byte[] key, boolean expired) {
            this.client = client;
            this.db = db;
            this.key = key;
            this.expired = expired;
        }
    }

    ClientSession(Server server, Connection conn, long id, Db db) {
        this.server = server;
        this.conn = conn;
        this.id = id;
        this.db = db;
    }

    @Override
    public long id() {
        return id;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int protocol() {
        return protocol;
    }

    @Override
    public int dbIndex() {
        return db.id();
    }

    @Override
    public String address() {
        return conn.remoteAddress();
    }

    @Override
    public boolean inMulti() {
        return inMulti || executingExec;
    }

    @Override
    public boolean inScript() {
        return inScript;
    }

    @Override
    public void send(java.util.function.Consumer<Reply> message) {
        if (closing || gone) {
            return;
        }
        // the transport sends replies written outside a command after the current engine task
        message.accept(conn.reply());
        server.checkOutputBuffer(this);
    }

    @Override
    public void subscriptions(int channels, int patterns, int shardChannels) {
        subChannels = channels;
        subPatterns = patterns;
        subShard = shardChannels;
    }

    @Override
    public int subscriptionCount() {
        return subChannels + subPatterns + subShard;
    }

    /** RESP2 subscriber mode: only subscription commands, PING, QUIT and RESET are allowed. */
    boolean inSubscriberMode() {
        return protocol == 2 && subscriptionCount() > 0;
    }

    public Connection connection() {
        return conn;
    }

    public Reply reply() {
        return conn.reply();
    }

    public boolean blocked() {
        return blockedOn != null;
    }

    @Override
    public String user() {
        return user;
    }

    @Override
    public String info() {
        return ClientCommands.infoLine(this, null);
    }

    @Override
    public void kill() {
        if (!closing && !gone) {
            server.close(this);
        }
    }

    @Override
    public boolean execute(byte[][] argv) {
        return server.execute(this, argv);
    }

    @Override
    public boolean authenticated() {
        return authenticated;
    }

    @Override
    public void disconnected() {
        server.disconnected(this);
    }
}
