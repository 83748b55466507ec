package io.modis.core;

import java.util.Locale;

/** maxmemory-policy: which keys may be evicted, and how candidates are ranked. */
enum EvictionPolicy {
    NOEVICTION(false, false, false, false),
    ALLKEYS_LRU(true, true, false, false),
    ALLKEYS_LFU(true, false, true, false),
    ALLKEYS_RANDOM(true, false, false, false),
    VOLATILE_LRU(false, true, false, false),
    VOLATILE_LFU(false, false, true, false),
    VOLATILE_RANDOM(false, false, false, false),
    VOLATILE_TTL(false, false, false, true);

    /** Candidates come from every key (else only keys with a TTL). */
    final boolean allKeys;
    final boolean lru;
    final boolean lfu;
    final boolean ttl;

    EvictionPolicy(boolean allKeys, boolean lru, boolean lfu, boolean ttl) {
        this.allKeys = allKeys;
        this.lru = lru;
        this.lfu = lfu;
        this.ttl = ttl;
    }

    boolean random() {
        return this == ALLKEYS_RANDOM || this == VOLATILE_RANDOM;
    }

    static EvictionPolicy of(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT).replace('-', '_'));
    }
}
