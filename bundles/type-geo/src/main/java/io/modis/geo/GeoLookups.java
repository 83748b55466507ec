package io.modis.geo;

import io.modis.api.CommandContext;
import io.modis.api.Reply;
import io.modis.api.ScoredMembers;

/** GEOPOS, GEOHASH and GEODIST: members' positions read back from their scores. */
final class GeoLookups {
    private static final byte[] BASE32 = "0123456789bcdefghjkmnpqrstuvwxyz".getBytes();

    private GeoLookups() {
    }

    static void geopos(CommandContext ctx) {
        ScoredMembers z = ctx.db().get(ctx.arg(1), ScoredMembers.class);
        Reply r = ctx.reply();
        r.array(ctx.argc() - 2);
        for (int j = 2; j < ctx.argc(); j++) {
            double score = z == null ? Double.NaN : z.score(ctx.arg(j));
            if (Double.isNaN(score)) {
                r.nilArray();
                continue;
            }
            double[] xy = GeoHash.decodeScore(score);
            r.array(2);
            GeoFormat.coordinate(r, xy[0]);
            GeoFormat.coordinate(r, xy[1]);
        }
    }

    /**
     * The standard 11-character geohash: the stored point re-encoded over the usual ±90 latitude
     * range (the index uses Mercator's ±85.05); 52 bits fill ten characters, the eleventh is '0'.
     */
    static void geohash(CommandContext ctx) {
        ScoredMembers z = ctx.db().get(ctx.arg(1), ScoredMembers.class);
        Reply r = ctx.reply();
        r.array(ctx.argc() - 2);
        for (int j = 2; j < ctx.argc(); j++) {
            double score = z == null ? Double.NaN : z.score(ctx.arg(j));
            if (Double.isNaN(score)) {
                r.nil();
                continue;
            }
            double[] xy = GeoHash.decodeScore(score);
            long bits = GeoHash.encode(-180, 180, -90, 90, xy[0], xy[1], GeoHash.STEP_MAX).bits();
            byte[] text = new byte[11];
            for (int i = 0; i < 10; i++) {
                text[i] = BASE32[(int) ((bits >>> (52 - (i + 1) * 5)) & 0x1f)];
            }
            text[10] = BASE32[0];
            r.bulk(text);
        }
    }

    static void geodist(CommandContext ctx) {
        double toMeters = 1;
        if (ctx.argc() == 5) {
            toMeters = GeoArgs.unit(ctx.arg(4));
        } else if (ctx.argc() > 5) {
            throw GeoArgs.syntax();
        }
        ScoredMembers z = ctx.db().get(ctx.arg(1), ScoredMembers.class);
        Reply r = ctx.reply();
        if (z == null) {
            r.nil();
            return;
        }
        double score1 = z.score(ctx.arg(2));
        double score2 = z.score(ctx.arg(3));
        if (Double.isNaN(score1) || Double.isNaN(score2)) {
            r.nil();
            return;
        }
        double[] a = GeoHash.decodeScore(score1);
        double[] b = GeoHash.decodeScore(score2);
        GeoFormat.distance(r, GeoDistance.between(a[0], a[1], b[0], b[1]) / toMeters);
    }
}
