package io.modis.pubsub;

import java.util.Arrays;

/**
 * A channel or pattern name as a map key: the bytes, compared by content. It is comparable so
 * that a HashMap whose buckets collide (crafted names) falls back to balanced trees, keeping
 * lookups logarithmic instead of linear.
 */
final class Channel implements Comparable<Channel> {
    final byte[] name;
    private final int hash;

    Channel(byte[] name) {
        this.name = name;
        this.hash = Arrays.hashCode(name);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Channel c && c.hash == hash && Arrays.equals(c.name, name);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public int compareTo(Channel o) {
        return Arrays.compareUnsigned(name, o.name);
    }
}
