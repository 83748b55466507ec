package io.modis.geo;

import io.modis.api.Bytes;
import io.modis.api.CommandContext;
import io.modis.api.Database;
import io.modis.api.ScoredMembers;
import io.modis.api.SortedSetFactory;

/**
 * GEOADD key [NX|XX] [CH] longitude latitude member ...: each point becomes its 52-bit geohash
 * score. Redis runs it as the ZADD it amounts to, so that is what it replies, notifies ("zadd")
 * and propagates.
 */
final class GeoAdd {
    private static final byte[] ZADD = Bytes.of("zadd");

    private final SortedSetFactory sets;

    GeoAdd(SortedSetFactory sets) {
        this.sets = sets;
    }

    void geoadd(CommandContext ctx) {
        int argc = ctx.argc();
        boolean nx = false;
        boolean xx = false;
        boolean ch = false;
        int first = 2;
        for (; first < argc; first++) {
            byte[] opt = ctx.arg(first);
            if (Bytes.is(opt, "nx")) {
                nx = true;
            } else if (Bytes.is(opt, "xx")) {
                xx = true;
            } else if (Bytes.is(opt, "ch")) {
                ch = true;
            } else {
                break;
            }
        }
        int elements = (argc - first) / 3;
        if ((argc - first) % 3 != 0 || (nx && xx) || elements == 0) {
            throw GeoArgs.syntax();
        }
        // every point is checked before anything changes
        long[] scores = new long[elements];
        for (int j = 0; j < elements; j++) {
            double[] xy = GeoArgs.longLat(ctx, first + 3 * j);
            scores[j] = GeoHash.score(xy[0], xy[1]);
        }

        Database db = ctx.db();
        byte[] key = ctx.arg(1);
        ScoredMembers z = db.get(key, ScoredMembers.class);
        if (z == null && xx) {
            ctx.reply().integer(0);
            return;
        }
        boolean created = z == null;
        if (created) {
            z = sets.createSortedSet(ctx.arg(first + 2).length);
        }
        int added = 0;
        int updated = 0;
        for (int j = 0; j < elements; j++) {
            byte[] member = ctx.arg(first + 3 * j + 2);
            double score = scores[j];
            double current = z.score(member);
            boolean present = !Double.isNaN(current);
            if ((present && nx) || (!present && xx)) {
                continue;
            }
            if (!present) {
                z.put(member, score);
                added++;
            } else if (current != score) {
                z.put(member, score);
                updated++;
            }
        }
        if (created) {
            db.add(key, z);
        }
        ctx.reply().integer(ch ? added + updated : added);
        if (added + updated > 0) {
            ctx.dirty(added + updated);
            ctx.touched(db, key);
            ctx.notify('z', "zadd", key, db);
            ctx.propagate(asZadd(ctx, first, scores));
        }
    }

    /** ZADD key [options as given] score member ...: the command Redis propagates instead. */
    private static byte[][] asZadd(CommandContext ctx, int first, long[] scores) {
        byte[][] argv = new byte[first + scores.length * 2][];
        argv[0] = ZADD;
        for (int i = 1; i < first; i++) {
            argv[i] = ctx.arg(i);
        }
        for (int j = 0; j < scores.length; j++) {
            argv[first + 2 * j] = Bytes.of(Long.toString(scores[j]));
            argv[first + 2 * j + 1] = ctx.arg(first + 3 * j + 2);
        }
        return argv;
    }
}
