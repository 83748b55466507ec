package io.modis.geo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Redis's number formats for geo replies and errors. */
class GeoFormatTest {
    @Test
    void distancesHaveFourDecimalsRoundedHalfToEven() {
        assertEquals("0.0000", GeoFormat.distance(0));
        assertEquals("0.0001", GeoFormat.distance(0.0001));
        assertEquals("166274.1516", GeoFormat.distance(166274.15156960033));
        assertEquals("0.0002", GeoFormat.distance(0.00025)); // 2.5 units: the even neighbour
        assertEquals("1.0000", GeoFormat.distance(0.99999));
        assertEquals("-922337203685477.5808", GeoFormat.distance(Double.NaN));
    }

    @Test
    void coordinatesAreSeventeenDecimalsWithoutTrailingZeros() {
        assertEquals("13.36138933897018433", GeoFormat.coordinate(13.361389338970184));
        assertEquals("180", GeoFormat.coordinate(180.0));
        assertEquals("-0.5", GeoFormat.coordinate(-0.5));
        assertEquals("0", GeoFormat.coordinate(-1e-30));
    }

    @Test
    void errorPairsPrintLikePrintfF() {
        assertEquals("200.000000", GeoFormat.fixed6(200));
        assertEquals("85.051129", GeoFormat.fixed6(85.0511288));
        assertEquals("-0.000000", GeoFormat.fixed6(-0.0));
        assertEquals("inf", GeoFormat.fixed6(Double.POSITIVE_INFINITY));
    }
}
