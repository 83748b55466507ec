package io.modis.geo;

/**
 * The area a search covers: a circle (BYRADIUS, GEORADIUS) or a box aligned with the meridians
 * (BYBOX) around a centre. Sizes are in the request's unit; {@code toMeters} converts them.
 */
record GeoShape(double longitude, double latitude, boolean circle, double radius, double width, double height,
                double toMeters) {

    static GeoShape circle(double longitude, double latitude, double radius, double toMeters) {
        return new GeoShape(longitude, latitude, true, radius, 0, 0, toMeters);
    }

    static GeoShape box(double longitude, double latitude, double width, double height, double toMeters) {
        return new GeoShape(longitude, latitude, false, 0, width, height, toMeters);
    }

    /**
     * The distance in meters from the centre to a point inside the shape, or -1 when the point
     * is outside. The box test measures the latitude and longitude offsets separately, the
     * longitude one along the point's own parallel, as Redis does.
     */
    double distanceIfInside(double lon, double lat) {
        if (circle) {
            double d = GeoDistance.between(longitude, latitude, lon, lat);
            return d > radius * toMeters ? -1 : d;
        }
        double widthMeters = width * toMeters;
        double heightMeters = height * toMeters;
        if (GeoDistance.latitudeDistance(lat, latitude) > heightMeters / 2) {
            return -1;
        }
        if (GeoDistance.between(lon, lat, longitude, lat) > widthMeters / 2) {
            return -1;
        }
        return GeoDistance.between(longitude, latitude, lon, lat);
    }

    /** Meters from the centre to the farthest point of the shape (a box's corner). */
    double reachMeters() {
        double r = circle ? radius : Math.sqrt((width / 2) * (width / 2) + (height / 2) * (height / 2));
        return r * toMeters;
    }

    /** Bounding box {minLon, minLat, maxLon, maxLat} of the shape, as Redis estimates it. */
    double[] bounds() {
        double halfHeight = toMeters * (circle ? radius : height / 2);
        double halfWidth = toMeters * (circle ? radius : width / 2);
        double latDelta = GeoDistance.toDegrees(halfHeight / GeoDistance.EARTH_RADIUS_METERS);
        double longDeltaTop = GeoDistance.toDegrees(halfWidth / GeoDistance.EARTH_RADIUS_METERS
                / Math.cos(GeoDistance.toRadians(latitude + latDelta)));
        double longDeltaBottom = GeoDistance.toDegrees(halfWidth / GeoDistance.EARTH_RADIUS_METERS
                / Math.cos(GeoDistance.toRadians(latitude - latDelta)));
        // the parallel nearer the pole is the shorter one, so it needs the wider longitude span
        boolean south = latitude < 0;
        double longDelta = south ? longDeltaBottom : longDeltaTop;
        return new double[] {longitude - longDelta, latitude - latDelta, longitude + longDelta, latitude + latDelta};
    }
}
