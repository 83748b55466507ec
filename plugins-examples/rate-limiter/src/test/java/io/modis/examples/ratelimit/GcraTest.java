package io.modis.examples.ratelimit;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * GCRA decisions at chosen instants, each expected value worked out by hand: 5 requests per
 * burst (max_burst 4), one request per second, so the emission interval is 1 s and the delay
 * variation tolerance 5 s.
 */
class GcraTest {
    private static final long S = Gcra.NANOS_PER_SECOND;
    private static final long MS = 1_000_000L;
    private static final long T0 = 1_700_000_000_000L * MS;
    private static final long E = Gcra.emissionInterval(1, 1);

    private long tat = -1;

    /** Runs one request and returns [limited, limit, remaining, retry_after s, reset_after s]. */
    private long[] request(long now, long quantity) {
        Gcra.Decision d = Gcra.decide(tat, now, 4, E, quantity);
        if (!d.limited()) {
            tat = d.newTat();
        }
        return new long[] {d.limited() ? 1 : 0, d.limit(), d.remaining(), Gcra.replySeconds(d.retryAfter()),
                Gcra.replySeconds(d.resetAfter())};
    }

    private static void expect(long[] expected, long[] actual) {
        assertEquals(java.util.Arrays.toString(expected), java.util.Arrays.toString(actual));
    }

    @Test
    void emissionIntervalIsThePeriodSharedOutOverTheCount() {
        assertEquals(S, E);
        assertEquals(200 * MS, Gcra.emissionInterval(5, 1));
        assertEquals(20 * S, Gcra.emissionInterval(6, 120));
        assertEquals(0, Gcra.emissionInterval(0, 60));
        assertEquals(0, Gcra.emissionInterval(10, 0));
    }

    @Test
    void aBurstThenRefillAtTheRate() {
        // a fresh bucket: each request moves the TAT one second past now
        expect(new long[] {0, 5, 4, -1, 1}, request(T0, 1));
        expect(new long[] {0, 5, 3, -1, 2}, request(T0, 1));
        expect(new long[] {0, 5, 2, -1, 3}, request(T0, 1));
        expect(new long[] {0, 5, 1, -1, 4}, request(T0, 1));
        expect(new long[] {0, 5, 0, -1, 5}, request(T0, 1));
        // TAT is now T0+5s; one more would need T0+6s-5s = T0+1s <= now: retry in 1 s
        expect(new long[] {1, 5, 0, 1, 5}, request(T0, 1));
        // 3 s later three units have leaked: TAT T0+5s -> T0+6s, ttl 3 s, 2 left
        expect(new long[] {0, 5, 2, -1, 3}, request(T0 + 3 * S, 1));
        // 100 ms later: TAT T0+7s, ttl 3.9 s (replied as 4), 1.1 units left (replied as 1)
        expect(new long[] {0, 5, 1, -1, 4}, request(T0 + 3 * S + 100 * MS, 1));
        // a peek (quantity 0) changes nothing: ttl 3.9 s, 1.1 units
        expect(new long[] {0, 5, 1, -1, 4}, request(T0 + 3 * S + 100 * MS, 0));
        // two units at once, 1.5 s later: TAT T0+7s -> T0+9s, ttl 4.4 s, 0.6 units left
        expect(new long[] {0, 5, 0, -1, 5}, request(T0 + 4 * S + 600 * MS, 2));
        // long idle: the bucket is empty again
        expect(new long[] {0, 5, 4, -1, 1}, request(T0 + 60 * S, 1));
    }

    @Test
    void aRequestLargerThanTheBurstIsRefusedWithoutARetryTime() {
        // 6 units exceed the tolerance of 5 at any time: retry_after stays -1
        expect(new long[] {1, 5, 5, -1, 0}, request(T0, 6));
        assertEquals(-1, tat, "nothing stored");
        expect(new long[] {0, 5, 0, -1, 5}, request(T0, 5));
    }

    @Test
    void replySecondsRoundUpFromOneMillisecond() {
        assertEquals(-1, Gcra.replySeconds(-S));
        assertEquals(0, Gcra.replySeconds(0));
        assertEquals(0, Gcra.replySeconds(999_999));
        assertEquals(1, Gcra.replySeconds(MS));
        assertEquals(1, Gcra.replySeconds(S));
        assertEquals(2, Gcra.replySeconds(S + MS));
    }
}
