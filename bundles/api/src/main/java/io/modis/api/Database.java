package io.modis.api;

import java.util.function.Consumer;

/**
 * One numbered database. Lookups expire keys lazily (a key past its TTL is gone). Keys passed
 * in are never kept unless the call stores them; keys and values are not copied.
 */
public interface Database {
    int id();

    /** The value, or null if absent or expired (a read: updates access time). */
    Value get(byte[] key);

    /**
     * The value if present and of {@code type}; null if absent.
     *
     * @throws CommandException WRONGTYPE if the key holds another type
     */
    <T extends Value> T get(byte[] key, Class<T> type);

    boolean exists(byte[] key);

    /** The value, or null if absent or expired, without counting a hit or touching its access time (persistence). */
    default Value peek(byte[] key) {
        return get(key);
    }

    /** Adds or replaces the value and clears any TTL (SET semantics). */
    void set(byte[] key, Value value);

    /** Adds or replaces the value, keeping an existing TTL. */
    void setKeepTtl(byte[] key, Value value);

    /** Adds a key that the caller knows is absent. */
    void add(byte[] key, Value value);

    /** Removes the key; true if it existed. */
    boolean delete(byte[] key);

    /** Absolute expiry time in ms since the epoch, or -1 if none; -2 if the key does not exist. */
    long expireAt(byte[] key);

    /** Sets the absolute expiry; the key must exist. */
    void setExpireAt(byte[] key, long unixMillis);

    /** Removes the TTL; true if there was one. */
    boolean persist(byte[] key);

    long size();

    long expiresSize();

    /** A random existing key, or null if the database is empty. */
    byte[] randomKey();

    /**
     * One SCAN step over the keys: calls {@code out} for the keys of about {@code count} buckets
     * and returns the next cursor (0 when done). Keys present for the whole scan are returned
     * at least once, across resizes.
     */
    long scan(long cursor, int count, Consumer<byte[]> out);

    /** Calls {@code out} for every key (KEYS). */
    void forEachKey(Consumer<byte[]> out);

    /** Removes every key. */
    void clear();

    /** What {@link #forEachEntry} visits: a key, its value and its expiry (ms, or -1). */
    interface EntryVisitor {
        void visit(byte[] key, Value value, long expireAt);
    }

    /**
     * Visits every key, expired ones included, without touching access times or expiring
     * anything (saving a snapshot).
     */
    default void forEachEntry(EntryVisitor visitor) {
        forEachKey(k -> visitor.visit(k, get(k), expireAt(k)));
    }

    /**
     * One step of a walk over the entries (a snapshot): visits the entries of about
     * {@code count} buckets, expired ones included, without touching access times, and returns
     * the next cursor (0 when done). An entry may be visited twice if the table is resized between
     * steps; {@link #raw} entries carry a mark to tell.
     */
    default long scanEntries(long cursor, int count, java.util.function.Consumer<io.modis.api.dict.Dict.Entry<Value>> out) {
        throw new UnsupportedOperationException();
    }

    /** The entry under {@code key}, expired or not, without touching it; null if absent. */
    default io.modis.api.dict.Dict.Entry<Value> raw(byte[] key) {
        return null;
    }

    /**
     * Sets a key's access information as RESTORE IDLETIME/FREQ and RDB loading do: the idle
     * time in seconds when {@code idleSeconds >= 0}, or the LFU counter when {@code freq >= 0}.
     */
    default void setAccess(byte[] key, long idleSeconds, int freq) {
    }
}
