package io.modis.acl;

import io.modis.api.CommandFlag;
import io.modis.api.CommandSpec;

import java.util.List;
import java.util.Locale;

/** Redis 7.0's ACL categories: a command's declared ones plus those its flags imply. */
final class Categories {
    /** In Redis's order (ACL CAT lists them so). */
    static final List<String> NAMES = List.of("keyspace", "read", "write", "set", "sortedset", "list", "hash",
            "string", "bitmap", "hyperloglog", "geo", "stream", "pubsub", "admin", "fast", "slow", "blocking",
            "dangerous", "connection", "transaction", "scripting");

    private Categories() {
    }

    /** The bit of category {@code name} (any case), or 0 if unknown. */
    static long bit(String name) {
        int i = NAMES.indexOf(name.toLowerCase(Locale.ROOT));
        return i < 0 ? 0 : 1L << i;
    }

    /** The categories of {@code spec} as a bit mask, implied ones included. */
    static long of(CommandSpec spec) {
        long m = 0;
        for (String c : spec.aclCategories()) {
            m |= bit(c);
        }
        if (spec.has(CommandFlag.WRITE)) {
            m |= bit("write");
        }
        if (spec.has(CommandFlag.READONLY) && (m & bit("scripting")) == 0) {
            m |= bit("read");
        }
        if (spec.has(CommandFlag.ADMIN)) {
            m |= bit("admin") | bit("dangerous");
        }
        if (spec.has(CommandFlag.PUBSUB)) {
            m |= bit("pubsub");
        }
        if (spec.has(CommandFlag.FAST)) {
            m |= bit("fast");
        }
        if (spec.has(CommandFlag.BLOCKING)) {
            m |= bit("blocking");
        }
        if ((m & bit("fast")) == 0) {
            m |= bit("slow");
        }
        return m;
    }
}
