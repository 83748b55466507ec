package io.modis.api;

/**
 * Receives keyspace events (the source of keyspace notifications) on the engine thread.
 * {@code type} is Redis's class letter: g $ l s h z x e t m d n.
 */
public interface KeyspaceEventListener {
    void event(char type, String event, byte[] key, int db);
}
