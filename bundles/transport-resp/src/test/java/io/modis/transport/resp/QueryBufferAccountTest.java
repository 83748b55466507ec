package io.modis.transport.resp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The query buffer figures CLIENT LIST reports, following Redis's sizing rules. */
class QueryBufferAccountTest {
    private final QueryBufferAccount qb = new QueryBufferAccount();

    @Test
    void aFirstSmallCommandGetsRoomForOneRead() {
        qb.read(40, 0, 0);
        qb.parsed(0);
        assertEquals(0, qb.length());
        assertEquals(16 * 1024, qb.free(), "PROTO_IOBUF_LEN, allocated exactly the first time");
    }

    @Test
    void anIdleClientGivesItsRoomBackAfterTwoSeconds() {
        qb.read(40, 0, 0);
        qb.parsed(0);
        qb.trim(2_000, -1);
        assertEquals(16 * 1024, qb.free(), "two seconds are not yet more than two");
        qb.trim(3_000, -1);
        assertEquals(0, qb.free());
        assertEquals(0, qb.length());
    }

    @Test
    void aPartialCommandIsCountedAsPending() {
        qb.read(100, 0, 0);
        qb.parsed(30);
        assertEquals(30, qb.length());
        assertEquals(16 * 1024 - 30, qb.free());
    }

    @Test
    void aLargeArgumentGetsRoomForItselfThenShrinksToTheRecentPeak() {
        qb.read(4096, 0, 0);
        qb.parsed(4096);
        // the rest of a 400000-byte argument (plus CRLF) is awaited: room for exactly it
        qb.read(65536, 400_002 - 4096 + 30, 10);
        qb.parsed(69632);
        assertEquals(400_032, qb.length() + qb.free());
        qb.read(400_032 - 69632, 330_400, 20);
        qb.parsed(0);
        assertEquals(400_032, qb.free(), "the room stays after the command");
        qb.trim(100, -1);
        assertEquals(400_032, qb.free(), "not while the peak of the last cycle was the large argument");
        qb.read(40, 0, 150);
        qb.parsed(0);
        qb.trim(200, -1);
        assertEquals(40, qb.free(), "trimmed down to the recent peak, not to nothing");
    }

    @Test
    void roomForAnArgumentStillArrivingIsKept() {
        qb.read(1000, 0, 0);
        qb.parsed(1000);
        qb.read(30_000, 100_002 - 1000, 10);
        qb.parsed(31_000);
        qb.trim(500, 100_000);
        assertEquals(31_000, qb.length());
        assertEquals(100_000 - 31_000, qb.free(), "trimmed, but not below the argument being read");
    }

    @Test
    void laterReadsGrowGreedily() {
        qb.read(16 * 1024, 0, 0);
        qb.parsed(16 * 1024);
        qb.read(100, 0, 1);
        qb.parsed(16 * 1024 + 100);
        assertEquals(2 * (16 * 1024 + 16 * 1024), qb.length() + qb.free(), "doubled, as sdsMakeRoomFor does");
    }

    @Test
    void aClosedConnectionHoldsNothing() {
        qb.read(40, 0, 0);
        qb.parsed(10);
        qb.clear();
        assertEquals(0, qb.length());
        assertEquals(0, qb.free());
    }
}
