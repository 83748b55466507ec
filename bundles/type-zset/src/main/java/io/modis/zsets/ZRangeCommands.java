package io.modis.zsets;

import io.modis.api.Bytes;
import io.modis.api.CommandContext;
import io.modis.api.CommandException;
import io.modis.api.Database;
import io.modis.api.Errors;
import io.modis.api.Reply;
import java.util.Arrays;
import java.util.function.Function;

/**
 * The range commands (zrangeGenericCommand and friends): ZRANGE with its BYSCORE, BYLEX, REV,
 * LIMIT and WITHSCORES options, ZRANGESTORE, the older Z[REV]RANGE[BYSCORE|BYLEX] forms, ZCOUNT,
 * ZLEXCOUNT and ZREMRANGEBY{RANK,SCORE,LEX}.
 *
 * <p>Every range is resolved to a run of ranks first, so the reply's length is known before it
 * is written and both encodings share one code path.
 */
final class ZRangeCommands {
    static final String LIMIT_NEEDS_BY = "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX";
    static final String WITHSCORES_AND_BYLEX = "ERR syntax error, WITHSCORES not supported in combination with BYLEX";

    /** How the range's two ends are read. */
    enum By { RANK, SCORE, LEX }

    /** A run of ranks: {@code count} entries from rank {@code start}, walking down when {@code reverse}. */
    record Run(long start, long count, boolean reverse) {
        static final Run EMPTY = new Run(0, 0, false);

        /** The lowest rank of the run. */
        long low() {
            return reverse ? start - count + 1 : start;
        }
    }

    private ZRangeCommands() {
    }

    static void zrange(CommandContext ctx) {
        range(ctx, 1, null, null, null);
    }

    static void zrangestore(CommandContext ctx) {
        range(ctx, 2, ctx.arg(1), null, null);
    }

    static void zrevrange(CommandContext ctx) {
        range(ctx, 1, null, By.RANK, true);
    }

    static void zrangebyscore(CommandContext ctx) {
        range(ctx, 1, null, By.SCORE, false);
    }

    static void zrevrangebyscore(CommandContext ctx) {
        range(ctx, 1, null, By.SCORE, true);
    }

    static void zrangebylex(CommandContext ctx) {
        range(ctx, 1, null, By.LEX, false);
    }

    static void zrevrangebylex(CommandContext ctx) {
        range(ctx, 1, null, By.LEX, true);
    }

    /**
     * The shared range command: {@code keyIdx} is the source key, followed by the two ends and
     * the options; {@code dst} is ZRANGESTORE's destination (null to reply); {@code by} and
     * {@code reverse} are fixed by the older commands, null when options choose them.
     */
    private static void range(CommandContext ctx, int keyIdx, byte[] dst, By by, Boolean reverse) {
        boolean store = dst != null;
        boolean withScores = false;
        long offset = 0;
        long limit = -1;
        int argc = ctx.argc();
        for (int j = keyIdx + 3; j < argc; j++) {
            byte[] opt = ctx.arg(j);
            int left = argc - j - 1;
            if (!store && Bytes.is(opt, "withscores")) {
                withScores = true;
            } else if (Bytes.is(opt, "limit") && left >= 2) {
                offset = ctx.argLong(j + 1);
                limit = ctx.argLong(j + 2);
                j += 2;
            } else if (reverse == null && Bytes.is(opt, "rev")) {
                reverse = true;
            } else if (by == null && Bytes.is(opt, "bylex")) {
                by = By.LEX;
            } else if (by == null && Bytes.is(opt, "byscore")) {
                by = By.SCORE;
            } else {
                throw Errors.syntax();
            }
        }
        boolean rev = reverse != null && reverse;
        if (by == null) {
            by = By.RANK;
        }
        if (limit != -1 && by == By.RANK) {
            throw new CommandException(LIMIT_NEEDS_BY);
        }
        if (withScores && by == By.LEX) {
            throw new CommandException(WITHSCORES_AND_BYLEX);
        }
        // by score or lex, the reversed forms take the range as max then min
        int minIdx = keyIdx + 1;
        int maxIdx = keyIdx + 2;
        if (rev && by != By.RANK) {
            minIdx = keyIdx + 2;
            maxIdx = keyIdx + 1;
        }
        long start = 0;
        long end = 0;
        ScoreRange scores = null;
        LexRange lex = null;
        switch (by) {
            case RANK -> {
                start = ctx.argLong(minIdx);
                end = ctx.argLong(maxIdx);
            }
            case SCORE -> scores = Args.scoreRange(ctx.arg(minIdx), ctx.arg(maxIdx));
            case LEX -> lex = Args.lexRange(ctx.arg(minIdx), ctx.arg(maxIdx));
        }

        ZSetValue z = ctx.db().get(ctx.arg(keyIdx), ZSetValue.class);
        Run run;
        if (z == null) {
            run = Run.EMPTY;
        } else if (by == By.RANK) {
            run = rankRun(z.length(), start, end, rev);
        } else {
            long first = by == By.SCORE ? z.firstRank(scores) : z.firstRank(lex);
            long last = first < 0 ? -1 : by == By.SCORE ? z.lastRank(scores) : z.lastRank(lex);
            run = limitedRun(z.length(), first, last, offset, limit, rev);
        }
        if (store) {
            storeRun(ctx, dst, z, run);
        } else {
            Reply r = ctx.reply();
            Replies.header(r, run.count, withScores);
            if (run.count > 0) {
                z.visit(run.start, run.count, run.reverse, Replies.entries(r, withScores));
            }
        }
    }

    /** Ranks {@code start..end} as ZRANGE reads them: negative from the end, clipped to the set. */
    static Run rankRun(long length, long start, long end, boolean reverse) {
        if (start < 0) {
            start += length;
        }
        if (end < 0) {
            end += length;
        }
        if (start < 0) {
            start = 0;
        }
        if (start > end || start >= length) {
            return Run.EMPTY;
        }
        if (end >= length) {
            end = length - 1;
        }
        long count = end - start + 1;
        return new Run(reverse ? length - 1 - start : start, count, reverse);
    }

    /**
     * The entries between ranks {@code first..last} after LIMIT: skip {@code offset} from the
     * start of the walk, then at most {@code limit} (all when negative). A negative offset walks
     * off the end, so it selects nothing, as in Redis.
     */
    private static Run limitedRun(long length, long first, long last, long offset, long limit, boolean reverse) {
        if ((offset > 0 && offset >= length) || first < 0 || last < first || offset < 0) {
            return Run.EMPTY;
        }
        long count = last - first + 1 - offset;
        if (count <= 0) {
            return Run.EMPTY;
        }
        if (limit >= 0) {
            count = Math.min(count, limit);
        }
        return count == 0 ? Run.EMPTY : new Run(reverse ? last - offset : first + offset, count, reverse);
    }

    private static void storeRun(CommandContext ctx, byte[] dst, ZSetValue z, Run run) {
        ZSetValue result = null;
        if (run.count > 0) {
            SortedEntries entries = new SortedEntries((int) Math.min(run.count, 1 << 16));
            z.visit(run.low(), run.count, false,
                    (b, off, len, score) -> entries.add(Arrays.copyOfRange(b, off, off + len), score));
            result = entries.toValue(ListpackLimits.of(ctx.config()));
        }
        Changes.store(ctx, dst, result, "zrangestore");
    }

    /* ---------------------------------------------------------------- counting */

    static void zcount(CommandContext ctx) {
        ScoreRange range = Args.scoreRange(ctx.arg(2), ctx.arg(3));
        ZSetValue z = ctx.db().get(ctx.arg(1), ZSetValue.class);
        long count = 0;
        if (z != null) {
            long first = z.firstRank(range);
            count = first < 0 ? 0 : z.lastRank(range) - first + 1;
        }
        ctx.reply().integer(count);
    }

    static void zlexcount(CommandContext ctx) {
        LexRange range = Args.lexRange(ctx.arg(2), ctx.arg(3));
        ZSetValue z = ctx.db().get(ctx.arg(1), ZSetValue.class);
        long count = 0;
        if (z != null) {
            long first = z.firstRank(range);
            count = first < 0 ? 0 : z.lastRank(range) - first + 1;
        }
        ctx.reply().integer(count);
    }

    /* ---------------------------------------------------------------- removing ranges */

    static void zremrangebyrank(CommandContext ctx) {
        long start = ctx.argLong(2);
        long end = ctx.argLong(3);
        remove(ctx, "zremrangebyrank", z -> rankRun(z.length(), start, end, false));
    }

    static void zremrangebyscore(CommandContext ctx) {
        ScoreRange range = Args.scoreRange(ctx.arg(2), ctx.arg(3));
        remove(ctx, "zremrangebyscore", z -> span(z.firstRank(range), z.lastRank(range)));
    }

    static void zremrangebylex(CommandContext ctx) {
        LexRange range = Args.lexRange(ctx.arg(2), ctx.arg(3));
        remove(ctx, "zremrangebylex", z -> span(z.firstRank(range), z.lastRank(range)));
    }

    private static Run span(long first, long last) {
        return first < 0 || last < first ? Run.EMPTY : new Run(first, last - first + 1, false);
    }

    private static void remove(CommandContext ctx, String event, Function<ZSetValue, Run> select) {
        Database db = ctx.db();
        byte[] key = ctx.arg(1);
        ZSetValue z = db.get(key, ZSetValue.class);
        if (z == null) {
            ctx.reply().integer(0);
            return;
        }
        Run run = select.apply(z);
        long deleted = run.count == 0 ? 0 : z.removeRanks(run.start, run.start + run.count - 1);
        if (deleted > 0) {
            Changes.changed(ctx, db, key, z, event, deleted);
        }
        ctx.reply().integer(deleted);
    }
}
