package io.modis.examples.ratelimit;

/**
 * The generic cell rate algorithm as redis-cell runs it, in nanoseconds. A bucket's whole state
 * is its theoretical arrival time (TAT): the time at which it would be empty again if requests
 * kept arriving at exactly the allowed rate. A request of {@code quantity} moves the TAT forward
 * by {@code quantity} emission intervals; it is refused when the new TAT would lie more than the
 * delay variation tolerance ({@code max_burst + 1} intervals) ahead of now.
 */
final class Gcra {
    static final long NANOS_PER_SECOND = 1_000_000_000L;

    /**
     * One decision. {@code newTat} is the TAT to store when the request is allowed (the key then
     * lives {@code ttl} ns); when limited nothing is stored. Durations are in ns; retry_after is
     * -1 s when the request is allowed (or could never be).
     */
    record Decision(boolean limited, long limit, long remaining, long retryAfter, long resetAfter,
                    long newTat, long ttl) {
    }

    private Gcra() {
    }

    /**
     * The ns between two requests at the allowed rate (redis-cell's {@code Rate::per_period}),
     * or 0 when {@code count} or {@code periodSeconds} is 0.
     */
    static long emissionInterval(long count, long periodSeconds) {
        if (count == 0 || periodSeconds == 0) {
            return 0;
        }
        double ns;
        try {
            ns = Math.multiplyExact(periodSeconds, NANOS_PER_SECOND);
        } catch (ArithmeticException e) {
            ns = periodSeconds * (double) NANOS_PER_SECOND;
        }
        return (long) (ns / count);
    }

    /**
     * Decides a request at {@code now} against a bucket whose stored TAT is {@code tat}
     * ({@code -1} when the key is absent). All arguments are non-negative and the emission
     * interval is positive.
     *
     * @throws ArithmeticException if the parameters overflow 64-bit nanoseconds
     */
    static Decision decide(long tat, long now, long maxBurst, long emission, long quantity) {
        long limit = Math.addExact(maxBurst, 1);
        long tolerance = Math.multiplyExact(emission, limit);
        long increment = Math.multiplyExact(emission, quantity);
        long start = tat < 0 ? now : tat;
        long current = Math.max(now, start);
        long newTat = Math.addExact(current, increment);
        long allowAt = newTat - tolerance;
        long diff = now - allowAt;
        boolean limited;
        long retryAfter = -NANOS_PER_SECOND;
        long ttl;
        if (diff < 0) {
            if (increment <= tolerance) {
                retryAfter = -diff;
            }
            limited = true;
            ttl = start - now;
        } else {
            limited = false;
            ttl = newTat - now;
        }
        long remaining = 0;
        long next = tolerance - ttl;
        if (next > -emission) {
            remaining = (long) ((double) (next / 1000) / (double) (emission / 1000));
        }
        return new Decision(limited, limit, remaining, retryAfter, ttl, limited ? -1 : newTat, ttl);
    }

    /**
     * A duration as the whole seconds redis-cell replies with: truncated, plus one when a
     * millisecond or more of a second is left over, so a client never retries too early.
     */
    static long replySeconds(long ns) {
        long seconds = ns / NANOS_PER_SECOND;
        long subsecMillis = (ns % NANOS_PER_SECOND) / 1_000_000;
        return subsecMillis > 0 ? seconds + 1 : seconds;
    }
}
