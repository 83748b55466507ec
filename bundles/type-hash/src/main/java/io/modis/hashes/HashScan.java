package io.modis.hashes;

import io.modis.api.Bytes;
import io.modis.api.CommandContext;
import io.modis.api.CommandException;
import io.modis.api.Errors;
import io.modis.api.Reply;
import io.modis.api.dict.Dict;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * HSCAN key cursor [MATCH pattern] [COUNT count]. A table is walked with the Dict's
 * reverse-binary cursor, so every field present for the whole scan is returned at least once;
 * a listpack is small by definition and is returned whole in one call with cursor 0, as Redis
 * does. As in Redis, the cursor is checked first, then the key, then the options.
 */
final class HashScan {
    static final String INVALID_CURSOR = "ERR invalid cursor";
    private static final long DEFAULT_COUNT = 10;
    /** Buckets visited per requested element at most, so sparse tables cannot stall a call. */
    private static final long MAX_VISITS_PER_ELEMENT = 10;

    private HashScan() {
    }

    static void hscan(CommandContext ctx) {
        long cursor = parseCursor(ctx.arg(2));
        HashValue hash = ctx.db().get(ctx.arg(1), HashValue.class);
        Reply reply = ctx.reply();
        if (hash == null) {
            reply.array(2);
            reply.bulk(Bytes.fromLong(0));
            reply.array(0);
            return;
        }
        long count = DEFAULT_COUNT;
        byte[] pattern = null;
        for (int i = 3; i < ctx.argc(); i += 2) {
            boolean hasValue = i + 1 < ctx.argc();
            if (hasValue && Bytes.is(ctx.arg(i), "count")) {
                count = ctx.argLong(i + 1);
                if (count < 1) {
                    throw Errors.syntax();
                }
            } else if (hasValue && Bytes.is(ctx.arg(i), "match")) {
                byte[] p = ctx.arg(i + 1);
                pattern = p.length == 1 && p[0] == '*' ? null : p; // "*" matches everything
            } else {
                throw Errors.syntax();
            }
        }
        List<byte[]> pairs = new ArrayList<>();
        long next = 0;
        if (hash.isListpack()) {
            hash.forEach((f, fo, fl, v, vo, vl) -> {
                pairs.add(Arrays.copyOfRange(f, fo, fo + fl));
                pairs.add(Arrays.copyOfRange(v, vo, vo + vl));
            });
        } else {
            next = scanTable(hash.table(), cursor, count, pairs);
        }
        int kept = 0;
        for (int i = 0; i < pairs.size(); i += 2) {
            if (pattern == null || Bytes.globMatch(pattern, pairs.get(i), false)) {
                pairs.set(kept++, pairs.get(i));
                pairs.set(kept++, pairs.get(i + 1));
            }
        }
        reply.array(2);
        reply.bulk(Bytes.of(Long.toUnsignedString(next)));
        reply.array(kept);
        for (int i = 0; i < kept; i++) {
            reply.bulk(pairs.get(i));
        }
    }

    /** Scans buckets until about {@code count} pairs are collected; returns the next cursor. */
    private static long scanTable(Dict<byte[]> table, long cursor, long count, List<byte[]> out) {
        long visitsLeft = count > Long.MAX_VALUE / MAX_VISITS_PER_ELEMENT ? Long.MAX_VALUE
                : count * MAX_VISITS_PER_ELEMENT;
        long wanted = count > Long.MAX_VALUE / 2 ? Long.MAX_VALUE : count * 2;
        do {
            cursor = table.scan(cursor, e -> {
                out.add(e.key);
                out.add(e.value);
            });
        } while (cursor != 0 && visitsLeft-- > 0 && out.size() < wanted);
        return cursor;
    }

    /**
     * An unsigned 64-bit decimal cursor as C's strtoul reads it: no leading space, an optional
     * sign (a minus wraps around), digits up to the end of the string or a NUL; empty is 0.
     */
    static long parseCursor(byte[] b) {
        int end = 0;
        while (end < b.length && b[end] != 0) {
            end++;
        }
        if (end == 0) {
            return 0;
        }
        if (isSpace(b[0])) {
            throw new CommandException(INVALID_CURSOR);
        }
        int i = 0;
        boolean negative = false;
        if (b[0] == '+' || b[0] == '-') {
            negative = b[0] == '-';
            i++;
        }
        if (i == end) {
            throw new CommandException(INVALID_CURSOR);
        }
        long limit = Long.divideUnsigned(-1L, 10);
        long v = 0;
        for (; i < end; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                throw new CommandException(INVALID_CURSOR);
            }
            if (Long.compareUnsigned(v, limit) > 0 || (v == limit && d > Long.remainderUnsigned(-1L, 10))) {
                throw new CommandException(INVALID_CURSOR);
            }
            v = v * 10 + d;
        }
        return negative ? -v : v;
    }

    private static boolean isSpace(byte c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x0b || c == '\f';
    }
}
