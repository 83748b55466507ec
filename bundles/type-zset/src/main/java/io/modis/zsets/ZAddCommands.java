package io.modis.zsets;

import io.modis.api.Bytes;
import io.modis.api.CommandContext;
import io.modis.api.CommandException;
import io.modis.api.Database;
import io.modis.api.Errors;

/** ZADD and ZINCRBY (zaddGenericCommand): one parser, ZINCRBY being ZADD with INCR. */
final class ZAddCommands {
    static final String NAN_RESULT = "ERR resulting score is not a number (NaN)";
    static final String XX_AND_NX = "ERR XX and NX options at the same time are not compatible";
    static final String GT_LT_NX = "ERR GT, LT, and/or NX options at the same time are not compatible";
    static final String INCR_SINGLE_PAIR = "ERR INCR option supports a single increment-element pair";

    private ZAddCommands() {
    }

    static void zadd(CommandContext ctx) {
        add(ctx, 0);
    }

    static void zincrby(CommandContext ctx) {
        add(ctx, ZSetValue.INCR);
    }

    private static void add(CommandContext ctx, int flags) {
        int argc = ctx.argc();
        boolean changed = false;
        int scoreIdx = 2;
        for (; scoreIdx < argc; scoreIdx++) {
            byte[] opt = ctx.arg(scoreIdx);
            if (Bytes.is(opt, "nx")) {
                flags |= ZSetValue.NX;
            } else if (Bytes.is(opt, "xx")) {
                flags |= ZSetValue.XX;
            } else if (Bytes.is(opt, "ch")) {
                changed = true;
            } else if (Bytes.is(opt, "incr")) {
                flags |= ZSetValue.INCR;
            } else if (Bytes.is(opt, "gt")) {
                flags |= ZSetValue.GT;
            } else if (Bytes.is(opt, "lt")) {
                flags |= ZSetValue.LT;
            } else {
                break;
            }
        }
        boolean incr = (flags & ZSetValue.INCR) != 0;
        boolean nx = (flags & ZSetValue.NX) != 0;
        boolean xx = (flags & ZSetValue.XX) != 0;
        boolean gt = (flags & ZSetValue.GT) != 0;
        boolean lt = (flags & ZSetValue.LT) != 0;

        int elements = argc - scoreIdx;
        if (elements % 2 != 0 || elements == 0) {
            throw Errors.syntax();
        }
        elements /= 2;
        if (nx && xx) {
            throw new CommandException(XX_AND_NX);
        }
        if ((gt && nx) || (lt && nx) || (gt && lt)) {
            throw new CommandException(GT_LT_NX);
        }
        if (incr && elements > 1) {
            throw new CommandException(INCR_SINGLE_PAIR);
        }
        // every score is checked before anything changes: the command does all or nothing
        double[] scores = new double[elements];
        for (int j = 0; j < elements; j++) {
            scores[j] = Args.score(ctx.arg(scoreIdx + 2 * j));
        }

        Database db = ctx.db();
        byte[] key = ctx.arg(1);
        ZSetValue z = db.get(key, ZSetValue.class);
        if (z == null && xx) {
            reply(ctx, incr, changed, 0, 0, 0, 0);
            return;
        }
        ListpackLimits limits = ListpackLimits.of(ctx.config());
        if (z == null) {
            z = ZSetValue.create(limits, ctx.arg(scoreIdx + 1).length);
            db.add(key, z);
        }
        ZSetValue.Outcome outcome = new ZSetValue.Outcome();
        int added = 0;
        int updated = 0;
        int processed = 0;
        double score = 0;
        for (int j = 0; j < elements; j++) {
            if (!z.add(ctx.arg(scoreIdx + 2 * j + 1), scores[j], flags, limits, outcome)) {
                // only INCR can produce NaN, and it takes a single pair: nothing was changed
                throw new CommandException(NAN_RESULT);
            }
            int f = outcome.flags();
            if ((f & ZSetValue.ADDED) != 0) {
                added++;
            }
            if ((f & ZSetValue.UPDATED) != 0) {
                updated++;
            }
            if ((f & ZSetValue.NOP) == 0) {
                processed++;
                score = outcome.score();
            }
        }
        reply(ctx, incr, changed, added, updated, processed, score);
        if (added + updated > 0) {
            ctx.dirty(added + updated);
            ctx.touched(db, key);
            ctx.notify('z', incr ? "zincr" : "zadd", key, db);
        }
    }

    private static void reply(CommandContext ctx, boolean incr, boolean changed, int added, int updated,
                              int processed, double score) {
        if (incr) {
            if (processed > 0) {
                ctx.reply().dbl(score);
            } else {
                ctx.reply().nil();
            }
        } else {
            ctx.reply().integer(changed ? added + updated : added);
        }
    }
}
