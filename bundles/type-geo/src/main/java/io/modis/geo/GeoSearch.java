package io.modis.geo;

import io.modis.api.Bytes;
import io.modis.api.CommandContext;
import io.modis.api.CommandException;
import io.modis.api.Database;
import io.modis.api.Reply;
import io.modis.api.ScoredMembers;
import io.modis.api.SortedSetFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * GEORADIUS, GEORADIUSBYMEMBER (and their _RO forms), GEOSEARCH and GEOSEARCHSTORE: one search
 * (georadiusGeneric) behind six argument syntaxes. Arguments are checked in Redis's order so the
 * same bad call gets the same error; the search reads the nine grid boxes around the centre as
 * score intervals and keeps the points inside the shape.
 */
final class GeoSearch {
    /** Which syntax the command speaks. */
    enum Form {
        /** GEORADIUS key lon lat radius unit ... */
        RADIUS_COORDS(1, 6, true, false),
        /** GEORADIUSBYMEMBER key member radius unit ... */
        RADIUS_MEMBER(1, 5, true, false),
        RADIUS_COORDS_RO(1, 6, false, false),
        RADIUS_MEMBER_RO(1, 5, false, false),
        /** GEOSEARCH key FROMMEMBER|FROMLONLAT ... BYRADIUS|BYBOX ... */
        SEARCH(1, 2, false, true),
        /** GEOSEARCHSTORE destination key ... [STOREDIST] */
        SEARCH_STORE(2, 3, false, true);

        final int sourceIndex;
        final int optionsFrom;
        final boolean acceptsStore;
        final boolean search;

        Form(int sourceIndex, int optionsFrom, boolean acceptsStore, boolean search) {
            this.sourceIndex = sourceIndex;
            this.optionsFrom = optionsFrom;
            this.acceptsStore = acceptsStore;
            this.search = search;
        }

        boolean byMember() {
            return this == RADIUS_MEMBER || this == RADIUS_MEMBER_RO;
        }
    }

    /** One point found: its member (copied), position, distance in meters and score. */
    private static final class Found {
        final byte[] member;
        final double longitude;
        final double latitude;
        double distance;
        final double score;

        Found(byte[] member, double longitude, double latitude, double distance, double score) {
            this.member = member;
            this.longitude = longitude;
            this.latitude = latitude;
            this.distance = distance;
            this.score = score;
        }
    }

    private static final Comparator<Found> NEAREST_FIRST =
            (a, b) -> a.distance > b.distance ? 1 : a.distance == b.distance ? 0 : -1;

    private final SortedSetFactory sets;

    GeoSearch(SortedSetFactory sets) {
        this.sets = sets;
    }

    void run(CommandContext ctx, Form form) {
        Database db = ctx.db();
        ScoredMembers source = db.get(ctx.arg(form.sourceIndex), ScoredMembers.class);
        byte[] storeKey = form == Form.SEARCH_STORE ? ctx.arg(1) : null;
        boolean storeDist = false;

        double longitude = 0;
        double latitude = 0;
        boolean circle = false;
        double radius = 0;
        double width = 0;
        double height = 0;
        double toMeters = 0;
        if (form == Form.RADIUS_COORDS || form == Form.RADIUS_COORDS_RO) {
            double[] xy = GeoArgs.longLat(ctx, 2);
            longitude = xy[0];
            latitude = xy[1];
            circle = true;
            radius = radius(ctx, 4);
            toMeters = GeoArgs.unit(ctx.arg(5));
        } else if (form.byMember() && source != null) {
            double[] xy = memberPosition(source, ctx.arg(2));
            longitude = xy[0];
            latitude = xy[1];
            circle = true;
            radius = radius(ctx, 3);
            toMeters = GeoArgs.unit(ctx.arg(4));
        }

        boolean withDist = false;
        boolean withHash = false;
        boolean withCoord = false;
        boolean fromMember = false;
        boolean fromLonLat = false;
        boolean byRadius = false;
        boolean byBox = false;
        int sort = 0; // 0 none, 1 ascending, -1 descending
        boolean any = false;
        long count = 0;
        int argc = ctx.argc();
        for (int i = form.optionsFrom; i < argc; i++) {
            byte[] arg = ctx.arg(i);
            int left = argc - i - 1;
            if (Bytes.is(arg, "withdist")) {
                withDist = true;
            } else if (Bytes.is(arg, "withhash")) {
                withHash = true;
            } else if (Bytes.is(arg, "withcoord")) {
                withCoord = true;
            } else if (Bytes.is(arg, "any")) {
                any = true;
            } else if (Bytes.is(arg, "asc")) {
                sort = 1;
            } else if (Bytes.is(arg, "desc")) {
                sort = -1;
            } else if (Bytes.is(arg, "count") && left >= 1) {
                count = ctx.argLong(i + 1);
                if (count <= 0) {
                    throw new CommandException("ERR COUNT must be > 0");
                }
                i++;
            } else if (Bytes.is(arg, "store") && left >= 1 && form.acceptsStore) {
                storeKey = ctx.arg(++i);
                storeDist = false;
            } else if (Bytes.is(arg, "storedist") && left >= 1 && form.acceptsStore) {
                storeKey = ctx.arg(++i);
                storeDist = true;
            } else if (Bytes.is(arg, "storedist") && form == Form.SEARCH_STORE) {
                storeDist = true;
            } else if (Bytes.is(arg, "frommember") && left >= 1 && form.search && !fromLonLat) {
                if (source != null) {
                    double[] xy = memberPosition(source, ctx.arg(i + 1));
                    longitude = xy[0];
                    latitude = xy[1];
                }
                fromMember = true;
                i++;
            } else if (Bytes.is(arg, "fromlonlat") && left >= 2 && form.search && !fromMember) {
                double[] xy = GeoArgs.longLat(ctx, i + 1);
                longitude = xy[0];
                latitude = xy[1];
                fromLonLat = true;
                i += 2;
            } else if (Bytes.is(arg, "byradius") && left >= 2 && form.search && !byBox) {
                radius = radius(ctx, i + 1);
                toMeters = GeoArgs.unit(ctx.arg(i + 2));
                circle = true;
                byRadius = true;
                i += 2;
            } else if (Bytes.is(arg, "bybox") && left >= 3 && form.search && !byRadius) {
                width = GeoArgs.number(ctx, i + 1, "need numeric width");
                height = GeoArgs.number(ctx, i + 2, "need numeric height");
                if (height < 0 || width < 0) {
                    throw new CommandException("ERR height or width cannot be negative");
                }
                toMeters = GeoArgs.unit(ctx.arg(i + 3));
                circle = false;
                byBox = true;
                i += 3;
            } else {
                throw GeoArgs.syntax();
            }
        }

        if (storeKey != null && (withDist || withHash || withCoord)) {
            throw new CommandException("ERR " + (form == Form.SEARCH_STORE ? "GEOSEARCHSTORE" : "STORE option in GEORADIUS")
                    + " is not compatible with WITHDIST, WITHHASH and WITHCOORD options");
        }
        if (form.search && !(fromMember || fromLonLat)) {
            throw new CommandException("ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for "
                    + new String(ctx.arg(0), StandardCharsets.ISO_8859_1));
        }
        if (form.search && !(byRadius || byBox)) {
            throw new CommandException("ERR exactly one of BYRADIUS and BYBOX can be specified for "
                    + new String(ctx.arg(0), StandardCharsets.ISO_8859_1));
        }
        if (any && count == 0) {
            throw new CommandException("ERR the ANY argument requires COUNT argument");
        }

        if (source == null) {
            if (storeKey != null) {
                deleteDestination(ctx, db, storeKey);
                ctx.reply().integer(0);
            } else {
                ctx.reply().array(0);
            }
            return;
        }
        if (count != 0 && sort == 0 && !any) {
            // the nearest N are what COUNT asks for, so COUNT implies ASC unless ANY says otherwise
            sort = 1;
        }

        GeoShape shape = circle ? GeoShape.circle(longitude, latitude, radius, toMeters)
                : GeoShape.box(longitude, latitude, width, height, toMeters);
        List<Found> found = collect(source, shape, any ? count : 0);
        if (found.isEmpty() && storeKey == null) {
            ctx.reply().array(0);
            return;
        }
        int returned = (int) (count == 0 || found.size() < count ? found.size() : count);
        if (sort != 0) {
            found.sort(sort > 0 ? NEAREST_FIRST : NEAREST_FIRST.reversed());
        }
        for (int i = 0; i < returned; i++) {
            found.get(i).distance /= toMeters;
        }
        if (storeKey == null) {
            reply(ctx.reply(), found, returned, withDist, withHash, withCoord);
        } else {
            store(ctx, db, storeKey, found, returned, storeDist ? shape : null,
                    form.search ? "geosearchstore" : "georadiusstore");
        }
    }

    private static double radius(CommandContext ctx, int i) {
        double r = GeoArgs.number(ctx, i, "need numeric radius");
        if (r < 0) {
            throw new CommandException("ERR radius cannot be negative");
        }
        return r;
    }

    private static double[] memberPosition(ScoredMembers source, byte[] member) {
        double score = source.score(member);
        if (Double.isNaN(score)) {
            throw new CommandException("ERR could not decode requested zset member");
        }
        return GeoHash.decodeScore(score);
    }

    /**
     * The points of the nine boxes that lie in the shape, box by box in Redis's order, each box
     * in score order; with a {@code limit} (ANY) the walk stops once that many are found. A box
     * equal to the one read just before it is skipped (huge radii make neighbours coincide).
     */
    private static List<Found> collect(ScoredMembers source, GeoShape shape, long limit) {
        GeoHash.Bits[] boxes = GeoCover.boxes(shape);
        List<Found> found = new ArrayList<>();
        int lastRead = 0;
        for (int i = 0; i < boxes.length; i++) {
            GeoHash.Bits box = boxes[i];
            if (box.isNone()) {
                continue;
            }
            if (lastRead != 0 && box.equals(boxes[lastRead])) {
                continue;
            }
            if (limit != 0 && found.size() >= limit) {
                break;
            }
            source.forEachInScoreRange(box.alignedMin(), box.alignedEnd(), (b, off, len, score) -> {
                double[] xy = GeoHash.decodeScore(score);
                double distance = shape.distanceIfInside(xy[0], xy[1]);
                if (distance >= 0) {
                    found.add(new Found(Arrays.copyOfRange(b, off, off + len), xy[0], xy[1], distance, score));
                }
                return limit == 0 || found.size() < limit;
            });
            lastRead = i;
        }
        return found;
    }

    private static void reply(Reply r, List<Found> found, int returned, boolean withDist, boolean withHash,
                              boolean withCoord) {
        int extras = (withDist ? 1 : 0) + (withHash ? 1 : 0) + (withCoord ? 1 : 0);
        r.array(returned);
        for (int i = 0; i < returned; i++) {
            Found f = found.get(i);
            if (extras > 0) {
                r.array(extras + 1);
            }
            r.bulk(f.member);
            if (withDist) {
                GeoFormat.distance(r, f.distance);
            }
            if (withHash) {
                r.integer((long) f.score);
            }
            if (withCoord) {
                r.array(2);
                GeoFormat.coordinate(r, f.longitude);
                GeoFormat.coordinate(r, f.latitude);
            }
        }
    }

    /**
     * Writes the first {@code returned} points as a sorted set at {@code key}, or deletes it for
     * none. With {@code distancesFrom} (STOREDIST) the scores are the distances in the request's
     * unit, recomputed bit for bit as Redis does since they are shown in full.
     */
    private void store(CommandContext ctx, Database db, byte[] key, List<Found> found, int returned,
                       GeoShape distancesFrom, String event) {
        if (returned == 0) {
            deleteDestination(ctx, db, key);
            ctx.reply().integer(0);
            return;
        }
        ScoredMembers result = sets.createSortedSet(found.get(0).member.length);
        for (int i = 0; i < returned; i++) {
            Found f = found.get(i);
            double score = distancesFrom == null ? f.score
                    : GeoDistance.exactlyAsRedis(distancesFrom.longitude(), distancesFrom.latitude(), f.longitude,
                            f.latitude) / distancesFrom.toMeters();
            result.put(f.member, score);
        }
        db.set(key, result);
        ctx.touched(db, key);
        ctx.notify('z', event, key, db);
        ctx.dirty(returned);
        ctx.reply().integer(returned);
    }

    private static void deleteDestination(CommandContext ctx, Database db, byte[] key) {
        if (db.delete(key)) {
            ctx.touched(db, key);
            ctx.notify('g', "del", key, db);
            ctx.dirty(1);
        }
    }
}
