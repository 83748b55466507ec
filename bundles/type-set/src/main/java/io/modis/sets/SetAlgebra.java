package io.modis.sets;

import io.modis.api.Bytes;
import io.modis.api.CommandContext;
import io.modis.api.CommandException;
import io.modis.api.Database;
import io.modis.api.Errors;
import io.modis.api.Reply;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * SMEMBERS, SINTER, SINTERCARD, SINTERSTORE, SUNION, SUNIONSTORE, SDIFF and SDIFFSTORE, as
 * t_set.c computes them. A missing key is an empty set; a key of another type fails the whole
 * command before anything changes. Results are built as fresh sets (so they start as intsets)
 * and stored results replace the destination and its TTL.
 */
final class SetAlgebra {
    private static final Comparator<SetValue> BY_SIZE = Comparator.comparingLong(SetValue::length);
    /** Missing sets count as empty, and go last when sorting by decreasing size. */
    private static final Comparator<SetValue> BY_SIZE_DESCENDING =
            Comparator.comparingLong((SetValue s) -> s == null ? 0 : s.length()).reversed();

    private enum Op { UNION, DIFF }

    private SetAlgebra() {
    }

    static void smembers(CommandContext ctx) {
        intersect(ctx, 1, 1, null, false, 0);
    }

    static void sinter(CommandContext ctx) {
        intersect(ctx, 1, ctx.argc() - 1, null, false, 0);
    }

    static void sinterstore(CommandContext ctx) {
        intersect(ctx, 2, ctx.argc() - 2, ctx.arg(1), false, 0);
    }

    /** SINTERCARD numkeys key [key ...] [LIMIT limit]. */
    static void sintercard(CommandContext ctx) {
        int argc = ctx.argc();
        long numkeys = Arguments.longOr(ctx.arg(1), "ERR numkeys should be greater than 0");
        if (numkeys < 1) {
            throw new CommandException("ERR numkeys should be greater than 0");
        }
        if (numkeys > argc - 2) {
            throw new CommandException("ERR Number of keys can't be greater than number of args");
        }
        long limit = 0;
        for (int j = 2 + (int) numkeys; j < argc; j++) {
            if (Bytes.is(ctx.arg(j), "limit") && j < argc - 1) {
                j++;
                limit = Arguments.longOr(ctx.arg(j), "ERR LIMIT can't be negative");
                if (limit < 0) {
                    throw new CommandException("ERR LIMIT can't be negative");
                }
            } else {
                throw Errors.syntax();
            }
        }
        intersect(ctx, 2, (int) numkeys, null, true, limit);
    }

    static void sunion(CommandContext ctx) {
        unionOrDiff(ctx, 1, ctx.argc() - 1, null, Op.UNION);
    }

    static void sunionstore(CommandContext ctx) {
        unionOrDiff(ctx, 2, ctx.argc() - 2, ctx.arg(1), Op.UNION);
    }

    static void sdiff(CommandContext ctx) {
        unionOrDiff(ctx, 1, ctx.argc() - 1, null, Op.DIFF);
    }

    static void sdiffstore(CommandContext ctx) {
        unionOrDiff(ctx, 2, ctx.argc() - 2, ctx.arg(1), Op.DIFF);
    }

    /* ---------------------------------------------------------------- intersection */

    /**
     * The intersection of the {@code count} sets named from argument {@code first}: replied as a
     * set, stored at {@code dstKey}, or only counted (up to {@code limit}, 0 = no limit).
     */
    private static void intersect(CommandContext ctx, int first, int count, byte[] dstKey,
                                  boolean cardinalityOnly, long limit) {
        Database db = ctx.db();
        SetValue[] sets = new SetValue[count];
        boolean anyMissing = false;
        for (int j = 0; j < count; j++) {
            sets[j] = db.get(ctx.arg(first + j), SetValue.class);
            anyMissing |= sets[j] == null;
        }
        Reply reply = ctx.reply();
        if (anyMissing) {
            if (dstKey != null) {
                deleteDestination(ctx, db, dstKey);
                reply.integer(0);
            } else if (cardinalityOnly) {
                reply.integer(0);
            } else {
                reply.set(0);
            }
            return;
        }
        // Walk the smallest set and probe the others.
        Arrays.sort(sets, BY_SIZE);
        SetValue smallest = sets[0];
        long max = SetType.INSTANCE.maxIntsetEntries();
        SetValue result = dstKey != null ? SetValue.newIntset() : null;
        List<byte[]> found = dstKey == null && !cardinalityOnly ? new ArrayList<>() : null;
        long[] cardinality = new long[1];
        IntSet ints = smallest.intset();
        if (ints != null) {
            for (int i = 0, n = ints.size(); i < n; i++) {
                long v = ints.get(i);
                if (!inAllOthers(sets, v)) {
                    continue;
                }
                cardinality[0]++;
                if (result != null) {
                    result.addLong(v, max);
                } else if (found != null) {
                    found.add(Bytes.fromLong(v));
                } else if (limit > 0 && cardinality[0] >= limit) {
                    break;
                }
            }
        } else {
            smallest.forEachMemberWhile(member -> {
                if (!inAllOthers(sets, member)) {
                    return true;
                }
                cardinality[0]++;
                if (result != null) {
                    result.add(member, max);
                } else if (found != null) {
                    found.add(member);
                } else {
                    return limit == 0 || cardinality[0] < limit;
                }
                return true;
            });
        }
        if (cardinalityOnly) {
            reply.integer(cardinality[0]);
        } else if (dstKey != null) {
            store(ctx, db, dstKey, result, "sinterstore");
        } else {
            reply.set(found.size());
            for (byte[] member : found) {
                reply.bulk(member);
            }
        }
    }

    private static boolean inAllOthers(SetValue[] sets, long v) {
        for (int j = 1; j < sets.length; j++) {
            if (sets[j] != sets[0] && !sets[j].containsLong(v)) {
                return false;
            }
        }
        return true;
    }

    private static boolean inAllOthers(SetValue[] sets, byte[] member) {
        for (int j = 1; j < sets.length; j++) {
            if (sets[j] != sets[0] && !sets[j].contains(member)) {
                return false;
            }
        }
        return true;
    }

    /* ---------------------------------------------------------------- union and difference */

    private static void unionOrDiff(CommandContext ctx, int first, int count, byte[] dstKey, Op op) {
        Database db = ctx.db();
        SetValue[] sets = new SetValue[count];
        boolean sameAsFirst = false;
        for (int j = 0; j < count; j++) {
            sets[j] = db.get(ctx.arg(first + j), SetValue.class);
            if (j > 0 && sets[j] == sets[0]) {
                sameAsFirst = true;
            }
        }
        long max = SetType.INSTANCE.maxIntsetEntries();
        SetValue result = SetValue.newIntset();
        if (op == Op.UNION) {
            for (SetValue s : sets) {
                if (s != null) {
                    addAll(result, s, max);
                }
            }
        } else if (sets[0] != null && !sameAsFirst) {
            if (probeFirstIsCheaper(sets)) {
                diffByProbing(sets, result, max);
            } else {
                diffByRemoving(sets, result, max);
            }
        }
        if (dstKey != null) {
            store(ctx, db, dstKey, result, op == Op.UNION ? "sunionstore" : "sdiffstore");
            return;
        }
        Reply reply = ctx.reply();
        reply.set((int) result.length());
        result.forEachMember(reply::bulk);
    }

    /**
     * Redis's choice between its two difference algorithms: probing every member of the first
     * set in the others costs |first| * sets (halved, as it stops early on a hit), removing every
     * member of the others costs their total size.
     */
    private static boolean probeFirstIsCheaper(SetValue[] sets) {
        long probeWork = 0;
        long removeWork = 0;
        for (SetValue s : sets) {
            if (s != null) {
                probeWork += sets[0].length();
                removeWork += s.length();
            }
        }
        return probeWork / 2 <= removeWork;
    }

    /** Keeps the members of the first set found in none of the others (biggest others first). */
    private static void diffByProbing(SetValue[] sets, SetValue result, long max) {
        if (sets.length > 2) {
            Arrays.sort(sets, 1, sets.length, BY_SIZE_DESCENDING);
        }
        sets[0].forEachMember(member -> {
            for (int j = 1; j < sets.length; j++) {
                if (sets[j] != null && sets[j].contains(member)) {
                    return;
                }
            }
            result.add(member, max);
        });
    }

    /** Copies the first set, then removes the members of every other one until nothing is left. */
    private static void diffByRemoving(SetValue[] sets, SetValue result, long max) {
        addAll(result, sets[0], max);
        for (int j = 1; j < sets.length && result.length() > 0; j++) {
            if (sets[j] != null) {
                sets[j].forEachMember(result::remove);
            }
        }
    }

    private static void addAll(SetValue into, SetValue from, long max) {
        IntSet ints = from.intset();
        if (ints != null) {
            for (int i = 0, n = ints.size(); i < n; i++) {
                into.addLong(ints.get(i), max);
            }
        } else {
            from.forEachMember(member -> into.add(member, max));
        }
    }

    /* ---------------------------------------------------------------- destinations */

    /** Stores a non-empty result (replacing any value and TTL), or deletes the destination. */
    private static void store(CommandContext ctx, Database db, byte[] dstKey, SetValue result, String event) {
        if (result.length() > 0) {
            db.set(dstKey, result);
            ctx.touched(db, dstKey);
            ctx.reply().integer(result.length());
            ctx.notify('s', event, dstKey, db);
            ctx.dirty(1);
        } else {
            ctx.reply().integer(0);
            deleteDestination(ctx, db, dstKey);
        }
    }

    private static void deleteDestination(CommandContext ctx, Database db, byte[] dstKey) {
        if (db.delete(dstKey)) {
            ctx.dirty(1);
            ctx.touched(db, dstKey);
            ctx.notify('g', "del", dstKey, db);
        }
    }
}
