package io.modis.api;

/**
 * Creates sorted sets for bundles that store results as sorted sets but do not own the type
 * (GEORADIUS STORE, GEOSEARCHSTORE, GEOADD on a new key). The sorted-set {@link DataType}
 * service (property {@code modis.type=zset}) implements it; a user takes that service and casts
 * it. A bundle cannot create the values itself: only the type's bundle knows their classes.
 */
public interface SortedSetFactory {
    /**
     * A new empty sorted set, encoded as a set created by ZADD whose first member is
     * {@code firstMemberLength} bytes long would be (compact unless the limits forbid it);
     * {@link ScoredMembers#put} then converts it as it grows. It must receive a member before it
     * is stored under a key: the keyspace holds no empty collections.
     */
    ScoredMembers createSortedSet(int firstMemberLength);
}
