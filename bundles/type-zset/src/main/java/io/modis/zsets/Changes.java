package io.modis.zsets;

import io.modis.api.CommandContext;
import io.modis.api.Database;

/** What every change to a sorted set tells the rest of the server, in Redis's order. */
final class Changes {
    private Changes() {
    }

    /**
     * A set was changed by {@code changes} changes: WATCH and client caching learn it, the 'z'
     * event {@code event} fires, and an emptied set is deleted with a "del" event.
     */
    static void changed(CommandContext ctx, Database db, byte[] key, ZSetValue z, String event, long changes) {
        ctx.notify('z', event, key, db);
        deleteIfEmpty(ctx, db, key, z);
        ctx.touched(db, key);
        ctx.dirty(changes);
    }

    static boolean deleteIfEmpty(CommandContext ctx, Database db, byte[] key, ZSetValue z) {
        if (z.length() != 0) {
            return false;
        }
        db.delete(key);
        ctx.notify('g', "del", key, db);
        return true;
    }

    /**
     * Stores a freshly built result at {@code dst} (the *STORE commands) and replies with its
     * size; an empty result deletes {@code dst} instead.
     */
    static void store(CommandContext ctx, byte[] dst, ZSetValue result, String event) {
        Database db = ctx.db();
        if (result != null && result.length() > 0) {
            db.set(dst, result);
            ctx.touched(db, dst);
            ctx.reply().integer(result.length());
            ctx.notify('z', event, dst, db);
            ctx.dirty(1);
            return;
        }
        ctx.reply().integer(0);
        if (db.delete(dst)) {
            ctx.touched(db, dst);
            ctx.notify('g', "del", dst, db);
            ctx.dirty(1);
        }
    }
}
