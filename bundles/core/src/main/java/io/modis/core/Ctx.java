package io.modis.core;

import io.modis.api.BlockedCommand;
import io.modis.api.Client;
import io.modis.api.CommandContext;
import io.modis.api.CommandSpec;
import io.modis.api.Config;
import io.modis.api.Database;
import io.modis.api.Keyspace;
import io.modis.api.Reply;
import io.modis.api.ServerLog;

import java.util.List;

/** The context of the command running now; one per call depth, reused across commands. */
final class Ctx implements CommandContext {
    private final Server server;
    ClientSession client;
    CommandSpec spec;
    byte[][] argv;
    Reply reply;
    long dirty;
    boolean explicitPropagation;

    Ctx(Server server) {
        this.server = server;
    }

    void reset(ClientSession c, CommandSpec s, byte[][] a, Reply r) {
        client = c;
        spec = s;
        argv = a;
        reply = r;
        dirty = 0;
        explicitPropagation = false;
    }

    @Override
    public int argc() {
        return argv.length;
    }

    @Override
    public byte[] arg(int i) {
        return argv[i];
    }

    @Override
    public byte[][] args() {
        return argv;
    }

    @Override
    public Reply reply() {
        return reply;
    }

    @Override
    public Client client() {
        return client;
    }

    @Override
    public Database db() {
        return client.db;
    }

    @Override
    public Keyspace keyspace() {
        return server;
    }

    @Override
    public Config config() {
        return server.config;
    }

    @Override
    public ServerLog log() {
        return server.log;
    }

    @Override
    public long now() {
        return server.now();
    }

    @Override
    public CommandSpec command() {
        return spec;
    }

    @Override
    public void dirty(long changes) {
        dirty += changes;
    }

    @Override
    public void propagate(byte[]... effect) {
        explicitPropagation = true;
        server.propagate(client.db.id(), effect);
    }

    @Override
    public void propagateToReplicas(byte[]... effect) {
        explicitPropagation = true;
        server.propagateToReplicas(client.db.id(), effect);
    }

    @Override
    public void propagateNothing() {
        explicitPropagation = true;
    }

    @Override
    public void touched(Database db, byte[] key) {
        server.touched((Db) db, key);
    }

    @Override
    public void notify(char type, String event, byte[] key, Database db) {
        server.notifyEvent(type, event, key, db.id());
    }

    @Override
    public void keyReady(Database db, byte[] key) {
        server.blocking.signal((Db) db, key);
    }

    @Override
    public void block(List<byte[]> keys, long timeoutMillis, BlockedCommand command) {
        server.block(client, keys, timeoutMillis, command, spec, argv);
    }

    @Override
    public boolean replyAbandoned() {
        server.checkOutputBuffer(client);
        return client.closing;
    }

    @Override
    public boolean mayReadAnyKey() {
        io.modis.api.AccessControl ac = server.accessControl;
        return ac == null || ac.readsAnyKey(client, spec, argv);
    }

    @Override
    public CommandSpec lookupCommand(byte[][] command) {
        return ScriptCalls.lookup(server, command);
    }

    @Override
    public void callFromScript(byte[][] command, Reply to) {
        ScriptCalls.call(server, client, command, to);
    }

    @Override
    public void runScript(Runnable body) {
        ScriptCalls.run(server, client, body);
    }

    @Override
    public boolean scriptBusy(boolean eval) {
        return ScriptCalls.busy(server, client, eval);
    }

    @Override
    public boolean scriptDenyDisabled() {
        return server.scriptDenyDisabled;
    }

    @Override
    public boolean scriptOutOfMemory() {
        return ScriptCalls.outOfMemory(server, client);
    }

    @Override
    public boolean mustObey() {
        return client.loader;
    }

    @Override
    public void scriptCallRejected(byte[][] command, String error) {
        ScriptCalls.rejected(server, command, error);
    }

    @Override
    public void replyCountedError(String error) {
        reply.error(error);
        server.errorsCounted++;
    }

    @Override
    public boolean aclPermits(byte[][] command) {
        return ScriptCalls.permits(server, client, command);
    }

    @Override
    public boolean scriptDebugAvailable() {
        return client.conn.conversational();
    }

    @Override
    public void scriptDebugSend() {
        client.conn.flushNow();
    }

    @Override
    public byte[][] scriptDebugReceive() {
        return ScriptCalls.debugReceive(server, client);
    }
}
