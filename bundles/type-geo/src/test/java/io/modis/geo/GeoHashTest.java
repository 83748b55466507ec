package io.modis.geo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The 52-bit interleaved geohash that geo scores are made of. */
class GeoHashTest {
    @Test
    void geohashScoresRoundTripToTheCellCentre() {
        long score = GeoHash.score(13.361389, 38.115556);
        assertEquals(3479099956230698L, score);
        double[] xy = GeoHash.decodeScore(score);
        assertEquals("13.36138933897018433", GeoFormat.coordinate(xy[0]));
        assertEquals("38.11555639549629859", GeoFormat.coordinate(xy[1]));
        assertEquals(12345L, GeoHash.deinterleave(GeoHash.interleave(12345, 0)));
        assertEquals(678L << 32, GeoHash.deinterleave(GeoHash.interleave(0, 678)));
    }

    @Test
    void neighboursWrapAroundTheAntimeridian() {
        GeoHash.Bits east = GeoHash.encode(179.99, 0, 4);
        GeoHash.Bits[] around = GeoHash.neighbours(east);
        GeoHash.Area wrapped = GeoHash.decode(around[2]);
        assertEquals(-180.0, wrapped.longMin());
        assertEquals(GeoHash.decode(east).latMin(), wrapped.latMin());
    }
}
