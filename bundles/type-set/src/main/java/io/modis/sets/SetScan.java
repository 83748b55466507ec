package io.modis.sets;

import io.modis.api.Bytes;
import io.modis.api.CommandContext;
import io.modis.api.CommandException;
import io.modis.api.Errors;
import io.modis.api.Reply;
import java.util.ArrayList;
import java.util.List;

/**
 * SSCAN key cursor [MATCH pattern] [COUNT count], as Redis's scanGenericCommand runs it for a
 * set. A hash table is walked a few buckets at a time with the reverse-binary cursor (members
 * present for the whole scan come back at least once); an intset is small, so it is returned
 * whole with cursor 0 whatever cursor was given.
 */
final class SetScan {
    private static final String INVALID_CURSOR = "ERR invalid cursor";
    private static final long DEFAULT_COUNT = 10;
    /** A sparse table is walked for at most this many times COUNT buckets per call. */
    private static final long MAX_BUCKETS_PER_COUNT = 10;

    private SetScan() {
    }

    static void sscan(CommandContext ctx) {
        long cursor = parseCursor(ctx.arg(2));
        SetValue set = ctx.db().get(ctx.arg(1), SetValue.class);
        Reply reply = ctx.reply();
        if (set == null) {
            reply.array(2);
            reply.bulk(Bytes.fromLong(0));
            reply.array(0);
            return;
        }
        long count = DEFAULT_COUNT;
        byte[] pattern = null;
        int argc = ctx.argc();
        for (int i = 3; i < argc; i += 2) {
            boolean hasValue = i + 1 < argc;
            if (hasValue && Bytes.is(ctx.arg(i), "count")) {
                count = ctx.argLong(i + 1);
                if (count < 1) {
                    throw Errors.syntax();
                }
            } else if (hasValue && Bytes.is(ctx.arg(i), "match")) {
                byte[] p = ctx.arg(i + 1);
                // "*" matches everything: no need to test each member.
                pattern = p.length == 1 && p[0] == '*' ? null : p;
            } else {
                throw Errors.syntax();
            }
        }
        List<byte[]> members = new ArrayList<>();
        if (set.isIntset()) {
            set.forEachMember(members::add);
            cursor = 0;
        } else {
            long budget = count * MAX_BUCKETS_PER_COUNT;
            do {
                cursor = set.scanStep(cursor, members::add);
            } while (cursor != 0 && budget-- > 0 && members.size() < count);
        }
        if (pattern != null) {
            byte[] p = pattern;
            members.removeIf(m -> !Bytes.globMatch(p, m, false));
        }
        reply.array(2);
        reply.bulk(Bytes.fromLong(cursor));
        reply.array(members.size());
        for (byte[] m : members) {
            reply.bulk(m);
        }
    }

    /**
     * A cursor as C's strtoul reads it, which Redis uses: an optional sign (a '-' wraps around),
     * decimal digits, nothing else, no leading space, no overflow past 64 unsigned bits. An
     * empty cursor is 0.
     */
    static long parseCursor(byte[] b) {
        int i = 0;
        int n = b.length;
        boolean negative = false;
        if (n > 0 && (b[0] == '+' || b[0] == '-')) {
            negative = b[0] == '-';
            i++;
        }
        if (i == n) {
            if (n == 0) {
                return 0;
            }
            throw new CommandException(INVALID_CURSOR);
        }
        long v = 0;
        for (; i < n; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                throw new CommandException(INVALID_CURSOR);
            }
            // v * 10 + d must stay within 2^64 - 1, compared as unsigned
            if (Long.compareUnsigned(v, Long.divideUnsigned(-1L, 10)) > 0) {
                throw new CommandException(INVALID_CURSOR);
            }
            long next = v * 10 + d;
            if (Long.compareUnsigned(next, v * 10) < 0) {
                throw new CommandException(INVALID_CURSOR);
            }
            v = next;
        }
        return negative ? -v : v;
    }
}
