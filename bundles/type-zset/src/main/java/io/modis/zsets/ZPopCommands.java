package io.modis.zsets;

import io.modis.api.BlockedCommand;
import io.modis.api.Bytes;
import io.modis.api.CommandContext;
import io.modis.api.Database;
import io.modis.api.Errors;
import io.modis.api.Reply;
import io.modis.api.Value;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Popping the lowest or highest entries: ZPOPMIN, ZPOPMAX, ZMPOP and the blocking BZPOPMIN,
 * BZPOPMAX and BZMPOP (genericZpopCommand, blockingGenericZpopCommand). Whatever the command,
 * a pop is propagated as ZPOPMIN/ZPOPMAX key [count].
 */
final class ZPopCommands {
    static final String NUMKEYS = "ERR numkeys should be greater than 0";
    static final String COUNT = "ERR count should be greater than 0";
    private static final byte[] ZPOPMIN = Bytes.of("ZPOPMIN");
    private static final byte[] ZPOPMAX = Bytes.of("ZPOPMAX");

    /**
     * The shape of a pop reply: with the key first (multi-key commands), entries nested as
     * [member, score] pairs, and a null instead of an empty array when nothing was popped.
     */
    record Shape(boolean withKey, boolean nested, boolean nilWhenEmpty) {
    }

    private ZPopCommands() {
    }

    static void zpopmin(CommandContext ctx) {
        zpop(ctx, false);
    }

    static void zpopmax(CommandContext ctx) {
        zpop(ctx, true);
    }

    private static void zpop(CommandContext ctx, boolean max) {
        if (ctx.argc() > 3) {
            throw Errors.syntax();
        }
        // -1: no count given, a single pop that RESP3 still answers flat
        long count = ctx.argc() == 3 ? Args.positiveLong(ctx, 2, null) : -1;
        boolean nested = ctx.reply().protocol() > 2 && count != -1;
        pop(ctx, List.of(ctx.arg(1)), max, count, new Shape(false, nested, false));
    }

    static void zmpop(CommandContext ctx) {
        multiPop(ctx, 1, false);
    }

    static void bzmpop(CommandContext ctx) {
        multiPop(ctx, 2, true);
    }

    static void bzpopmin(CommandContext ctx) {
        bzpop(ctx, false);
    }

    static void bzpopmax(CommandContext ctx) {
        bzpop(ctx, true);
    }

    private static void bzpop(CommandContext ctx, boolean max) {
        List<byte[]> keys = Arrays.asList(ctx.args()).subList(1, ctx.argc() - 1);
        blockingPop(ctx, keys, max, ctx.argc() - 1, -1, new Shape(true, false, false));
    }

    /** ZMPOP and BZMPOP: [timeout] numkeys key... MIN|MAX [COUNT count]. */
    private static void multiPop(CommandContext ctx, int numkeysIdx, boolean blocking) {
        int argc = ctx.argc();
        long numkeys = Args.rangedLong(ctx, numkeysIdx, 1, Long.MAX_VALUE, NUMKEYS);
        if (numkeys >= argc - numkeysIdx - 1) {
            throw Errors.syntax();
        }
        int whereIdx = numkeysIdx + (int) numkeys + 1;
        boolean max;
        if (Bytes.is(ctx.arg(whereIdx), "min")) {
            max = false;
        } else if (Bytes.is(ctx.arg(whereIdx), "max")) {
            max = true;
        } else {
            throw Errors.syntax();
        }
        long count = -1;
        for (int j = whereIdx + 1; j < argc; j++) {
            if (count == -1 && Bytes.is(ctx.arg(j), "count") && j + 1 < argc) {
                count = Args.rangedLong(ctx, ++j, 1, Long.MAX_VALUE, COUNT);
            } else {
                throw Errors.syntax();
            }
        }
        if (count == -1) {
            count = 1;
        }
        List<byte[]> keys = Arrays.asList(ctx.args()).subList(numkeysIdx + 1, whereIdx);
        Shape shape = new Shape(true, true, true);
        if (blocking) {
            blockingPop(ctx, keys, max, 1, count, shape);
        } else {
            Popped p = pop(ctx, keys, max, count, shape);
            if (p != null) {
                propagate(ctx, p, max, true);
            }
        }
    }

    /** What a pop took: from which key, how many entries. */
    record Popped(byte[] key, long count) {
    }

    /**
     * Pops up to {@code count} entries (-1: one) from the first existing key, replying in
     * {@code shape}; WRONGTYPE if that key is not a sorted set. Returns what was popped, or null.
     */
    static Popped pop(CommandContext ctx, List<byte[]> keys, boolean max, long count, Shape shape) {
        Database db = ctx.db();
        Reply r = ctx.reply();
        byte[] key = null;
        ZSetValue z = null;
        for (byte[] k : keys) {
            Value v = db.get(k);
            if (v == null) {
                continue;
            }
            if (!(v instanceof ZSetValue zv)) {
                throw Errors.wrongType();
            }
            key = k;
            z = zv;
            break;
        }
        if (z == null) {
            if (shape.nilWhenEmpty) {
                r.nilArray();
            } else {
                r.array(0);
            }
            return null;
        }
        if (count == 0) {
            r.array(0);
            return null;
        }
        long n = Math.min(count == -1 ? 1 : count, z.length());
        if (shape.withKey && shape.nested) {
            r.array(2);
            r.bulk(key);
            r.array(Replies.length(n));
        } else if (shape.withKey) {
            r.array(Replies.length(n * 2 + 1));
            r.bulk(key);
        } else {
            r.array(Replies.length(shape.nested ? n : n * 2));
        }
        boolean nested = shape.nested;
        long length = z.length();
        z.visit(max ? length - 1 : 0, n, max, (b, off, len, score) -> {
            if (nested) {
                r.array(2);
            }
            r.bulk(b, off, len);
            r.dbl(score);
        });
        if (max) {
            z.removeRanks(length - n, length - 1);
        } else {
            z.removeRanks(0, n - 1);
        }
        Changes.changed(ctx, db, key, z, max ? "zpopmax" : "zpopmin", n);
        return new Popped(key, n);
    }

    /** Propagates a pop as ZPOPMIN/ZPOPMAX key [count]. */
    private static void propagate(CommandContext ctx, Popped p, boolean max, boolean withCount) {
        byte[] name = max ? ZPOPMAX : ZPOPMIN;
        if (withCount) {
            ctx.propagate(name, p.key, Bytes.fromLong(p.count));
        } else {
            ctx.propagate(name, p.key);
        }
    }

    /**
     * The blocking pops: pop now from the first non-empty key, or park the client until one of
     * the keys gets entries or the timeout passes. {@code count} is -1 for BZPOPMIN/BZPOPMAX,
     * which propagate without a count.
     */
    private static void blockingPop(CommandContext ctx, List<byte[]> keys, boolean max, int timeoutIdx, long count,
                                    Shape shape) {
        long deadline = Args.deadline(ctx, timeoutIdx);
        Database db = ctx.db();
        for (byte[] key : keys) {
            Value v = db.get(key);
            if (v == null) {
                continue;
            }
            if (!(v instanceof ZSetValue)) {
                throw Errors.wrongType();
            }
            Popped p = pop(ctx, List.of(key), max, count, shape);
            propagate(ctx, p, max, count != -1);
            return;
        }
        if (ctx.client().inMulti() || ctx.client().inScript()) {
            ctx.reply().nilArray();
            return;
        }
        List<byte[]> waitingOn = new ArrayList<>(keys);
        ctx.block(waitingOn, deadline, new BlockedCommand() {
            /** Any key that holds a sorted set now, in argument order. */
            @Override
            public boolean serve(CommandContext served) {
                for (byte[] key : waitingOn) {
                    if (serve(served, key)) {
                        return true;
                    }
                }
                return false;
            }

            /** The key signalled ready; absent, or of another type: stay blocked, as Redis 7.0 does. */
            @Override
            public boolean serve(CommandContext served, byte[] readyKey) {
                if (!(served.db().get(readyKey) instanceof ZSetValue z) || z.length() == 0) {
                    return false;
                }
                Popped p = pop(served, List.of(readyKey), max, count, shape);
                propagate(served, p, max, count != -1);
                return true;
            }
        });
    }
}
