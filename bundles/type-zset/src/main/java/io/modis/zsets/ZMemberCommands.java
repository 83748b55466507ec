package io.modis.zsets;

import io.modis.api.CommandContext;
import io.modis.api.Database;
import io.modis.api.Reply;

/** The commands about single members: ZREM, ZCARD, ZSCORE, ZMSCORE, ZRANK and ZREVRANK. */
final class ZMemberCommands {
    private ZMemberCommands() {
    }

    static void zrem(CommandContext ctx) {
        Database db = ctx.db();
        byte[] key = ctx.arg(1);
        ZSetValue z = db.get(key, ZSetValue.class);
        if (z == null) {
            ctx.reply().integer(0);
            return;
        }
        long deleted = 0;
        for (int j = 2; j < ctx.argc() && z.length() > 0; j++) {
            if (z.remove(ctx.arg(j))) {
                deleted++;
            }
        }
        if (deleted > 0) {
            Changes.changed(ctx, db, key, z, "zrem", deleted);
        }
        ctx.reply().integer(deleted);
    }

    static void zcard(CommandContext ctx) {
        ZSetValue z = ctx.db().get(ctx.arg(1), ZSetValue.class);
        ctx.reply().integer(z == null ? 0 : z.length());
    }

    static void zscore(CommandContext ctx) {
        ZSetValue z = ctx.db().get(ctx.arg(1), ZSetValue.class);
        replyScore(ctx.reply(), z == null ? Double.NaN : z.score(ctx.arg(2)));
    }

    static void zmscore(CommandContext ctx) {
        ZSetValue z = ctx.db().get(ctx.arg(1), ZSetValue.class);
        Reply r = ctx.reply();
        r.array(ctx.argc() - 2);
        for (int j = 2; j < ctx.argc(); j++) {
            replyScore(r, z == null ? Double.NaN : z.score(ctx.arg(j)));
        }
    }

    private static void replyScore(Reply r, double score) {
        if (Double.isNaN(score)) {
            r.nil();
        } else {
            r.dbl(score);
        }
    }

    static void zrank(CommandContext ctx) {
        rank(ctx, false);
    }

    static void zrevrank(CommandContext ctx) {
        rank(ctx, true);
    }

    private static void rank(CommandContext ctx, boolean reverse) {
        ZSetValue z = ctx.db().get(ctx.arg(1), ZSetValue.class);
        long rank = z == null ? -1 : z.rank(ctx.arg(2), reverse);
        if (rank < 0) {
            ctx.reply().nil();
        } else {
            ctx.reply().integer(rank);
        }
    }
}
