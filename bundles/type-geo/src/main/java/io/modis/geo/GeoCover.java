package io.modis.geo;

/**
 * The grid boxes a search reads (geohashCalculateAreasByShapeWGS84): the box holding the centre
 * at a precision chosen from the search size, and its eight neighbours, minus the neighbours the
 * shape's bounding box does not reach. Each box is one score interval of the sorted set.
 */
final class GeoCover {
    private static final double MERCATOR_MAX = 20037726.37;

    private GeoCover() {
    }

    /** Centre first, then N, S, E, W, NE, NW, SE, SW; excluded ones are {@link GeoHash.Bits#NONE}. */
    static GeoHash.Bits[] boxes(GeoShape shape) {
        double[] bounds = shape.bounds();
        double minLon = bounds[0];
        double minLat = bounds[1];
        double maxLon = bounds[2];
        double maxLat = bounds[3];
        int steps = estimateSteps(shape.reachMeters(), shape.latitude());

        GeoHash.Bits hash = GeoHash.encode(shape.longitude(), shape.latitude(), steps);
        GeoHash.Bits[] around = GeoHash.neighbours(hash);
        GeoHash.Area area = GeoHash.decode(hash);

        // near a box edge the estimate can be too fine for the neighbours to cover the shape
        GeoHash.Area north = GeoHash.decode(around[0]);
        GeoHash.Area south = GeoHash.decode(around[1]);
        GeoHash.Area east = GeoHash.decode(around[2]);
        GeoHash.Area west = GeoHash.decode(around[3]);
        boolean tooFine = north.latMax() < maxLat || south.latMin() > minLat
                || east.longMax() < maxLon || west.longMin() > minLon;
        if (steps > 1 && tooFine) {
            steps--;
            hash = GeoHash.encode(shape.longitude(), shape.latitude(), steps);
            around = GeoHash.neighbours(hash);
            area = GeoHash.decode(hash);
        }

        if (steps >= 2) {
            if (area.latMin() < minLat) {
                exclude(around, 1, 7, 6);
            }
            if (area.latMax() > maxLat) {
                exclude(around, 0, 4, 5);
            }
            if (area.longMin() < minLon) {
                exclude(around, 3, 7, 5);
            }
            if (area.longMax() > maxLon) {
                exclude(around, 2, 6, 4);
            }
        }
        GeoHash.Bits[] all = new GeoHash.Bits[9];
        all[0] = hash;
        System.arraycopy(around, 0, all, 1, 8);
        return all;
    }

    private static void exclude(GeoHash.Bits[] around, int... which) {
        for (int i : which) {
            around[i] = GeoHash.Bits.NONE;
        }
    }

    /** Bits per axis for a search of {@code meters}: coarser towards the poles (geohashEstimateStepsByRadius). */
    static int estimateSteps(double meters, double latitude) {
        if (meters == 0) {
            return 26;
        }
        int step = 1;
        while (meters < MERCATOR_MAX) {
            meters *= 2;
            step++;
        }
        step -= 2;
        if (latitude > 66 || latitude < -66) {
            step--;
            if (latitude > 80 || latitude < -80) {
                step--;
            }
        }
        return Math.max(1, Math.min(26, step));
    }
}
