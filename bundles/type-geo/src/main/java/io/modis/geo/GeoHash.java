package io.modis.geo;

/**
 * Redis's geohash: a longitude/latitude pair quantised to {@code step} bits per axis and
 * interleaved (latitude in the even bits, longitude in the odd ones) into one integer. At the
 * full 26 steps the 52-bit result is a sorted-set score (exact in a double), so points near each
 * other on the map have nearby scores and a box of the grid is one score interval.
 *
 * <p>Latitudes are limited to the Web Mercator range (±85.05112878), as Redis limits them; the
 * arithmetic follows Redis's operation for operation so that scores and decoded coordinates are
 * identical to the bit.
 */
final class GeoHash {
    static final int STEP_MAX = 26;
    static final double LAT_MIN = -85.05112878;
    static final double LAT_MAX = 85.05112878;
    static final double LONG_MIN = -180;
    static final double LONG_MAX = 180;

    private static final long EVEN_BITS = 0x5555555555555555L;
    private static final long ODD_BITS = 0xaaaaaaaaaaaaaaaaL;

    private GeoHash() {
    }

    /** A hash of {@code step} bits per axis; step 0 marks an excluded neighbour (and bits 0). */
    record Bits(long bits, int step) {
        static final Bits NONE = new Bits(0, 0);

        boolean isNone() {
            return bits == 0 && step == 0;
        }

        /** The score of the box's first point at 52 bits (scoresOfGeoHashBox's min). */
        long alignedMin() {
            return bits << (52 - step * 2);
        }

        /** The first score past the box at 52 bits (excluded from the box). */
        long alignedEnd() {
            return (bits + 1) << (52 - step * 2);
        }
    }

    /** The rectangle a hash covers. */
    record Area(double longMin, double longMax, double latMin, double latMax) {
    }

    /** True when Redis accepts the pair for indexing. */
    static boolean validLongLat(double longitude, double latitude) {
        return !(longitude < LONG_MIN || longitude > LONG_MAX || latitude < LAT_MIN || latitude > LAT_MAX);
    }

    /** The score GEOADD stores for a valid point. */
    static long score(double longitude, double latitude) {
        return encode(LONG_MIN, LONG_MAX, LAT_MIN, LAT_MAX, longitude, latitude, STEP_MAX).bits();
    }

    static Bits encode(double longitude, double latitude, int step) {
        return encode(LONG_MIN, LONG_MAX, LAT_MIN, LAT_MAX, longitude, latitude, step);
    }

    /**
     * Quantises the point within the given ranges (GEOHASH re-encodes with the standard ±90
     * latitude range). The point must lie within both the ranges and Redis's indexable limits.
     */
    static Bits encode(double longMin, double longMax, double latMin, double latMax,
                       double longitude, double latitude, int step) {
        double latOffset = (latitude - latMin) / (latMax - latMin);
        double longOffset = (longitude - longMin) / (longMax - longMin);
        latOffset *= (double) (1L << step);
        longOffset *= (double) (1L << step);
        // C converts to uint32_t: truncation toward zero; the offsets are never negative here
        return new Bits(interleave((long) latOffset & 0xffffffffL, (long) longOffset & 0xffffffffL), step);
    }

    /** The box of a hash in the indexable ranges (geohashDecode). */
    static Area decode(Bits hash) {
        long separated = deinterleave(hash.bits());
        double latScale = LAT_MAX - LAT_MIN;
        double longScale = LONG_MAX - LONG_MIN;
        long latCell = separated & 0xffffffffL;
        long longCell = separated >>> 32;
        double cells = (double) (1L << hash.step());
        return new Area(
                LONG_MIN + (longCell * 1.0 / cells) * longScale,
                LONG_MIN + ((longCell + 1) * 1.0 / cells) * longScale,
                LAT_MIN + (latCell * 1.0 / cells) * latScale,
                LAT_MIN + ((latCell + 1) * 1.0 / cells) * latScale);
    }

    /**
     * The point a stored score stands for: the centre of its 52-bit box, clamped to the limits.
     * Any score decodes (Redis never fails at step 26); scores that GEOADD did not write give
     * whatever their bits say, as in Redis.
     */
    static double[] decodeScore(double score) {
        Area area = decode(new Bits(toUnsigned(score), STEP_MAX));
        double longitude = Math.min(LONG_MAX, Math.max(LONG_MIN, (area.longMin() + area.longMax()) / 2));
        double latitude = Math.min(LAT_MAX, Math.max(LAT_MIN, (area.latMin() + area.latMax()) / 2));
        return new double[] {longitude, latitude};
    }

    /** C's double to uint64_t conversion as x86-64 compilers perform it. */
    private static long toUnsigned(double d) {
        if (d < 0x1p63) {
            return (long) d;
        }
        return d >= 0x1p64 ? 0 : ((long) (d - 0x1p63)) ^ Long.MIN_VALUE;
    }

    /** The eight neighbours in Redis's order: N, S, E, W, NE, NW, SE, SW (wrapping around). */
    static Bits[] neighbours(Bits hash) {
        return new Bits[] {
            move(hash, 0, 1), move(hash, 0, -1), move(hash, 1, 0), move(hash, -1, 0),
            move(hash, 1, 1), move(hash, -1, 1), move(hash, 1, -1), move(hash, -1, -1),
        };
    }

    private static Bits move(Bits hash, int dx, int dy) {
        long bits = hash.bits();
        int shift = 64 - hash.step() * 2;
        if (dx != 0) {
            bits = (shiftAxis(bits & ODD_BITS, EVEN_BITS >>> shift, dx) & (ODD_BITS >>> shift)) | (bits & EVEN_BITS);
        }
        if (dy != 0) {
            bits = (shiftAxis(bits & EVEN_BITS, ODD_BITS >>> shift, dy) & (EVEN_BITS >>> shift)) | (bits & ODD_BITS);
        }
        return new Bits(bits, hash.step());
    }

    /**
     * Adds or subtracts one cell on the axis held in {@code axis}: filling the other axis' bits
     * with ones ({@code otherMask}) makes the carry or borrow ripple across them.
     */
    private static long shiftAxis(long axis, long otherMask, int direction) {
        return direction > 0 ? axis + (otherMask + 1) : (axis | otherMask) - (otherMask + 1);
    }

    /** Spreads the low 32 bits of each input to alternate bits: x to the even, y to the odd. */
    static long interleave(long x, long y) {
        return spread(x) | (spread(y) << 1);
    }

    private static long spread(long v) {
        v = (v | (v << 16)) & 0x0000FFFF0000FFFFL;
        v = (v | (v << 8)) & 0x00FF00FF00FF00FFL;
        v = (v | (v << 4)) & 0x0F0F0F0F0F0F0F0FL;
        v = (v | (v << 2)) & 0x3333333333333333L;
        v = (v | (v << 1)) & 0x5555555555555555L;
        return v;
    }

    /** The inverse of {@link #interleave}: even bits in the low word, odd bits in the high word. */
    static long deinterleave(long v) {
        return gather(v) | (gather(v >>> 1) << 32);
    }

    private static long gather(long v) {
        v &= 0x5555555555555555L;
        v = (v | (v >>> 1)) & 0x3333333333333333L;
        v = (v | (v >>> 2)) & 0x0F0F0F0F0F0F0F0FL;
        v = (v | (v >>> 4)) & 0x00FF00FF00FF00FFL;
        v = (v | (v >>> 8)) & 0x0000FFFF0000FFFFL;
        v = (v | (v >>> 16)) & 0x00000000FFFFFFFFL;
        return v;
    }
}
