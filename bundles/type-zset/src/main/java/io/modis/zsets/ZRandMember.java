package io.modis.zsets;

import io.modis.api.Bytes;
import io.modis.api.CommandContext;
import io.modis.api.CommandException;
import io.modis.api.Errors;
import io.modis.api.Reply;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * ZRANDMEMBER key [count [WITHSCORES]]: a positive count asks for distinct members, a negative
 * one for that many independent draws. Every draw picks a rank uniformly.
 */
final class ZRandMember {
    /** Above this share of the set, distinct members are drawn by shuffling rather than retrying. */
    private static final int SHUFFLE_RATIO = 3;

    private ZRandMember() {
    }

    static void zrandmember(CommandContext ctx) {
        if (ctx.argc() >= 3) {
            long l = Args.rangedLong(ctx, 2, -Long.MAX_VALUE, Long.MAX_VALUE, null);
            if (ctx.argc() > 4 || (ctx.argc() == 4 && !Bytes.is(ctx.arg(3), "withscores"))) {
                throw Errors.syntax();
            }
            boolean withScores = ctx.argc() == 4;
            if (withScores && (l < -Long.MAX_VALUE / 2 || l > Long.MAX_VALUE / 2)) {
                throw new CommandException("ERR value is out of range");
            }
            withCount(ctx, l, withScores);
            return;
        }
        ZSetValue z = ctx.db().get(ctx.arg(1), ZSetValue.class);
        if (z == null) {
            ctx.reply().nil();
            return;
        }
        z.visit(ThreadLocalRandom.current().nextLong(z.length()), 1, false, (b, off, len, s) -> ctx.reply().bulk(b, off, len));
    }

    private static void withCount(CommandContext ctx, long l, boolean withScores) {
        Reply r = ctx.reply();
        ZSetValue z = ctx.db().get(ctx.arg(1), ZSetValue.class);
        if (z == null || l == 0) {
            r.array(0);
            return;
        }
        long size = z.length();
        long count = Math.abs(l);
        EntryVisitor out = Replies.entries(r, withScores);
        ThreadLocalRandom random = ThreadLocalRandom.current();
        if (l < 0 || count == 1) {
            Replies.header(r, count, withScores);
            RankAccess access = z.rankAccess();
            for (long i = 0; i < count; i++) {
                access.visit(random.nextLong(size), out);
            }
            return;
        }
        if (count >= size) {
            Replies.header(r, size, withScores);
            z.visitAll(out);
            return;
        }
        Replies.header(r, count, withScores);
        RankAccess access = z.rankAccess();
        if (count * SHUFFLE_RATIO > size) {
            // a partial Fisher-Yates shuffle of all the ranks
            long[] ranks = new long[(int) size];
            for (int i = 0; i < ranks.length; i++) {
                ranks[i] = i;
            }
            for (int i = 0; i < count; i++) {
                int j = i + random.nextInt(ranks.length - i);
                long t = ranks[i];
                ranks[i] = ranks[j];
                ranks[j] = t;
                access.visit(ranks[i], out);
            }
            return;
        }
        Set<Long> picked = new HashSet<>();
        while (picked.size() < count) {
            long rank = random.nextLong(size);
            if (picked.add(rank)) {
                access.visit(rank, out);
            }
        }
    }
}
