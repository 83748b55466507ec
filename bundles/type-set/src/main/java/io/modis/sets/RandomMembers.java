package io.modis.sets;

import io.modis.api.Bytes;
import io.modis.api.CommandContext;
import io.modis.api.CommandException;
import io.modis.api.Database;
import io.modis.api.Errors;
import io.modis.api.Reply;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * SPOP and SRANDMEMBER with Redis 7.0's strategies, which decide both cost and the shape of the
 * randomness: popping or drawing one at a time while the count is small against the size, and
 * otherwise working from the members that will not be returned.
 *
 * <p>SPOP is replicated as its effect: one SREM per popped member, or a DEL when it empties the
 * set through a count.
 */
final class RandomMembers {
    /** SPOP with a count builds a new set of the survivors once the set is at most this many times the rest. */
    private static final long SPOP_MOVE_STRATEGY_MUL = 5;
    /** SRANDMEMBER copies and thins the set once it is at most this many times the count. */
    private static final long SRANDMEMBER_SUB_STRATEGY_MUL = 3;

    private static final byte[] SREM = Bytes.of("SREM");
    private static final byte[] DEL = Bytes.of("DEL");
    private static final String MUST_BE_POSITIVE = "ERR value is out of range, must be positive";
    private static final String COUNT_OUT_OF_RANGE =
            "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807";
    /** The largest reply array the reply writer can announce. */
    private static final long MAX_REPLY_ELEMENTS = Integer.MAX_VALUE;

    private RandomMembers() {
    }

    /* ---------------------------------------------------------------- SPOP */

    static void spop(CommandContext ctx) {
        if (ctx.argc() == 3) {
            spopWithCount(ctx);
            return;
        }
        if (ctx.argc() > 3) {
            throw Errors.syntax();
        }
        Database db = ctx.db();
        byte[] key = ctx.arg(1);
        SetValue set = db.get(key, SetValue.class);
        if (set == null) {
            ctx.reply().nil();
            return;
        }
        byte[] member = set.popRandom();
        ctx.notify('s', "spop", key, db);
        ctx.propagate(SREM, key, member);
        ctx.reply().bulk(member);
        if (set.length() == 0) {
            db.delete(key);
            ctx.notify('g', "del", key, db);
        }
        ctx.touched(db, key);
        ctx.dirty(1);
    }

    private static void spopWithCount(CommandContext ctx) {
        long count = Arguments.longOr(ctx.arg(2), MUST_BE_POSITIVE);
        if (count < 0) {
            throw new CommandException(MUST_BE_POSITIVE);
        }
        Database db = ctx.db();
        byte[] key = ctx.arg(1);
        SetValue set = db.get(key, SetValue.class);
        Reply reply = ctx.reply();
        if (set == null || count == 0) {
            reply.set(0);
            return;
        }
        long size = set.length();
        ctx.notify('s', "spop", key, db);
        ctx.dirty(Math.min(count, size));
        if (count >= size) {
            // Everything goes: reply with the whole set and replicate the deletion.
            reply.set((int) size);
            set.forEachMember(reply::bulk);
            db.delete(key);
            ctx.notify('g', "del", key, db);
            ctx.propagate(DEL, key);
            ctx.touched(db, key);
            return;
        }
        reply.set((int) count);
        long remaining = size - count;
        if (remaining * SPOP_MOVE_STRATEGY_MUL > count) {
            for (long i = 0; i < count; i++) {
                byte[] member = set.popRandom();
                reply.bulk(member);
                ctx.propagate(SREM, key, member);
            }
        } else {
            // Most members go: draw the few that stay into a new set and hand out the rest.
            long max = SetType.INSTANCE.maxIntsetEntries();
            SetValue survivors = null;
            for (long i = 0; i < remaining; i++) {
                byte[] member = set.popRandom();
                if (survivors == null) {
                    survivors = SetValue.forFirstMember(member);
                }
                survivors.add(member, max);
            }
            set.forEachMember(member -> {
                reply.bulk(member);
                ctx.propagate(SREM, key, member);
            });
            set.replaceContents(survivors);
        }
        ctx.touched(db, key);
    }

    /* ---------------------------------------------------------------- SRANDMEMBER */

    static void srandmember(CommandContext ctx) {
        if (ctx.argc() == 3) {
            srandmemberWithCount(ctx);
            return;
        }
        if (ctx.argc() > 3) {
            throw Errors.syntax();
        }
        SetValue set = ctx.db().get(ctx.arg(1), SetValue.class);
        if (set == null) {
            ctx.reply().nil();
        } else {
            ctx.reply().bulk(set.randomMember());
        }
    }

    /**
     * A positive count returns distinct members, a negative one may repeat them; either way the
     * reply is an array, even in RESP3.
     */
    private static void srandmemberWithCount(CommandContext ctx) {
        long requested = ctx.argLong(2);
        if (requested == Long.MIN_VALUE) {
            throw new CommandException(COUNT_OUT_OF_RANGE);
        }
        boolean distinct = requested >= 0;
        long count = Math.abs(requested);
        SetValue set = ctx.db().get(ctx.arg(1), SetValue.class);
        Reply reply = ctx.reply();
        if (set == null || count == 0) {
            reply.array(0);
            return;
        }
        long size = set.length();
        if (!distinct || count == 1) {
            if (count > MAX_REPLY_ELEMENTS) {
                throw new CommandException("ERR value is out of range");
            }
            reply.array((int) count);
            for (long i = 0; i < count; i++) {
                reply.bulk(set.randomMember());
            }
            return;
        }
        if (count >= size) {
            reply.array((int) size);
            set.forEachMember(reply::bulk);
            return;
        }
        List<byte[]> picked;
        if (count * SRANDMEMBER_SUB_STRATEGY_MUL > size) {
            picked = withoutRandomMembers(set.members(), (int) count);
        } else {
            picked = set.distinctRandomMembers((int) count);
        }
        reply.array(picked.size());
        for (byte[] member : picked) {
            reply.bulk(member);
        }
    }

    /** Removes random members from {@code all} until {@code count} are left; returns them. */
    private static List<byte[]> withoutRandomMembers(List<byte[]> all, int count) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int left = all.size();
        while (left > count) {
            int victim = random.nextInt(left);
            all.set(victim, all.get(left - 1));
            left--;
        }
        return all.subList(0, count);
    }
}
