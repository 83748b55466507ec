package io.modis.zsets;

import io.modis.api.Bytes;
import io.modis.api.CommandContext;
import io.modis.api.CommandException;
import io.modis.api.Errors;
import io.modis.api.Reply;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * ZSCAN key cursor [MATCH pattern] [COUNT count]: a compact set is returned whole with cursor
 * 0; a skip-list set is scanned through its hash table with SCAN's guarantees.
 */
final class ZScan {
    private ZScan() {
    }

    static void zscan(CommandContext ctx) {
        long cursor = parseCursor(ctx.arg(2));
        ZSetValue z = ctx.db().get(ctx.arg(1), ZSetValue.class);
        Reply r = ctx.reply();
        if (z == null) {
            r.array(2);
            r.bulk(Bytes.fromLong(0));
            r.array(0);
            return;
        }
        long count = 10;
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
                pattern = p.length == 1 && p[0] == '*' ? null : p;
            } else {
                throw Errors.syntax();
            }
        }
        List<byte[]> members = new ArrayList<>();
        List<Double> scores = new ArrayList<>();
        SkipListZSet table = z.skipList();
        if (table == null) {
            z.visitAll((b, off, len, score) -> {
                members.add(Arrays.copyOfRange(b, off, off + len));
                scores.add(score);
            });
            cursor = 0;
        } else {
            // as Redis: stop after count entries, or after ten times as many buckets visited
            long maxIterations = count > Long.MAX_VALUE / 20 ? Long.MAX_VALUE : count * 20;
            do {
                cursor = table.scan(cursor, n -> {
                    members.add(n.member);
                    scores.add(n.score);
                });
            } while (cursor != 0 && maxIterations-- > 0 && members.size() < count);
        }
        List<Integer> kept = new ArrayList<>(members.size());
        for (int i = 0; i < members.size(); i++) {
            if (pattern == null || Bytes.globMatch(pattern, members.get(i), false)) {
                kept.add(i);
            }
        }
        r.array(2);
        r.bulk(Bytes.of(Long.toUnsignedString(cursor)));
        r.array(kept.size() * 2);
        for (int i : kept) {
            r.bulk(members.get(i));
            r.bulk(Bytes.of(Bytes.formatDouble(scores.get(i))));
        }
    }

    /**
     * An unsigned 64-bit cursor as C's strtoul reads it: no leading blank, an optional sign (a
     * minus wraps around), decimal digits to the end; the empty string is 0.
     */
    static long parseCursor(byte[] b) {
        if (b.length == 0) {
            return 0;
        }
        if (Floats.isSpace(b[0])) {
            throw invalidCursor();
        }
        int i = 0;
        boolean negative = false;
        if (b[0] == '+' || b[0] == '-') {
            negative = b[0] == '-';
            i++;
        }
        if (i == b.length) {
            throw invalidCursor();
        }
        long v = 0;
        long limit = Long.divideUnsigned(-1L, 10);
        long lastDigit = Long.remainderUnsigned(-1L, 10);
        for (; i < b.length; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9 || Long.compareUnsigned(v, limit) > 0 || (v == limit && d > lastDigit)) {
                throw invalidCursor();
            }
            v = v * 10 + d;
        }
        return negative ? -v : v;
    }

    private static CommandException invalidCursor() {
        return new CommandException("ERR invalid cursor");
    }
}
