package io.modis.geo;

/**
 * Distances on Redis's spherical earth: the haversine great-circle formula with the radius Redis
 * uses (6372797.560856 m), evaluated in the same order as Redis so results agree to the last
 * printed digit.
 */
final class GeoDistance {
    static final double EARTH_RADIUS_METERS = 6372797.560856;
    /** Degrees to radians, as one constant: the product rounds like Redis's. */
    private static final double DEG_TO_RAD = Math.PI / 180.0;

    private GeoDistance() {
    }

    static double toRadians(double degrees) {
        return degrees * DEG_TO_RAD;
    }

    static double toDegrees(double radians) {
        return radians / DEG_TO_RAD;
    }

    /** Meters along a meridian between two latitudes. */
    static double latitudeDistance(double lat1, double lat2) {
        return EARTH_RADIUS_METERS * Math.abs(toRadians(lat2) - toRadians(lat1));
    }

    /** Meters between two points, with Java's fast functions (may differ from Redis in the last bit). */
    static double between(double lon1, double lat1, double lon2, double lat2) {
        return haversine(lon1, lat1, lon2, lat2, false);
    }

    /** Meters between two points, bit for bit as Redis computes them (slow; for STOREDIST). */
    static double exactlyAsRedis(double lon1, double lat1, double lon2, double lat2) {
        return haversine(lon1, lat1, lon2, lat2, true);
    }

    private static double haversine(double lon1, double lat1, double lon2, double lat2, boolean exact) {
        double lon1r = toRadians(lon1);
        double lon2r = toRadians(lon2);
        double v = exact ? CorrectlyRounded.sin((lon2r - lon1r) / 2) : Math.sin((lon2r - lon1r) / 2);
        if (v == 0.0) {
            // same meridian: the cheaper formula, which is also what Redis answers there
            return latitudeDistance(lat1, lat2);
        }
        double lat1r = toRadians(lat1);
        double lat2r = toRadians(lat2);
        double u = exact ? CorrectlyRounded.sin((lat2r - lat1r) / 2) : Math.sin((lat2r - lat1r) / 2);
        double cosines = exact ? CorrectlyRounded.cos(lat1r) * CorrectlyRounded.cos(lat2r)
                : Math.cos(lat1r) * Math.cos(lat2r);
        double a = u * u + cosines * v * v;
        double root = Math.sqrt(a);
        return 2.0 * EARTH_RADIUS_METERS * (exact ? CorrectlyRounded.asin(root) : Math.asin(root));
    }
}
