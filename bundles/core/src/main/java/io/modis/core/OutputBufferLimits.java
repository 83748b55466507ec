package io.modis.core;

import io.modis.core.config.ConfigRegistry;

import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * client-output-buffer-limit: for each client class, a hard limit on the bytes of replies
 * waiting to be sent, and a soft limit that may be exceeded for at most some seconds. A client
 * over either is disconnected, so a consumer that cannot keep up never makes the server's
 * memory grow without bound. 0 disables a limit.
 */
record OutputBufferLimits(Limit normal, Limit replica, Limit pubsub) {
    record Limit(long hard, long soft, long softSeconds) {
    }

    static final OutputBufferLimits DEFAULTS = new OutputBufferLimits(new Limit(0, 0, 0),
            new Limit(256L << 20, 64L << 20, 60), new Limit(32L << 20, 8L << 20, 60));

    /**
     * Parses "class hard soft seconds ..." as Redis does: only the classes named change, the
     * others keep their limits in {@code base}.
     */
    static OutputBufferLimits parse(String text, OutputBufferLimits base) {
        String[] w = text.trim().isEmpty() ? new String[0] : text.trim().split("\\s+");
        if (w.length % 4 != 0) {
            throw new IllegalArgumentException("Wrong number of arguments in buffer limit configuration.");
        }
        Limit normal = base.normal;
        Limit replica = base.replica;
        Limit pubsub = base.pubsub;
        for (int i = 0; i < w.length; i += 4) {
            Limit l = limit(w[i + 1], w[i + 2], w[i + 3]);
            switch (w[i].toLowerCase(Locale.ROOT)) {
                case "normal" -> normal = l;
                case "slave", "replica" -> replica = l;
                case "pubsub" -> pubsub = l;
                default -> throw new IllegalArgumentException(
                        "Invalid client class specified in buffer limit configuration.");
            }
        }
        return new OutputBufferLimits(normal, replica, pubsub);
    }

    private static Limit limit(String hard, String soft, String seconds) {
        try {
            long h = ConfigRegistry.memory(hard);
            long s = ConfigRegistry.memory(soft);
            long sec = Long.parseLong(seconds);
            if (h < 0 || s < 0 || sec < 0) {
                throw new NumberFormatException();
            }
            return new Limit(h, s, sec);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("Error in hard, soft or soft_seconds setting in buffer limit configuration.");
        }
    }

    /** As CONFIG GET prints it. */
    String format() {
        return "normal " + text(normal) + " slave " + text(replica) + " pubsub " + text(pubsub);
    }

    private static String text(Limit l) {
        return l.hard + " " + l.soft + " " + l.softSeconds;
    }

    /**
     * True when a client holding {@code pending} unsent bytes must be disconnected;
     * {@code overSoftSince} tracks since when it has been over the soft limit (0: not over).
     */
    static boolean exceeded(Limit l, long pending, ClientSession c, LongSupplier clock) {
        if (l.hard > 0 && pending >= l.hard) {
            return true;
        }
        if (l.soft > 0 && pending >= l.soft) {
            // the clock is read only here: this runs for every message sent to a subscriber
            long nowMillis = clock.getAsLong();
            if (c.overSoftLimitSince == 0) {
                c.overSoftLimitSince = nowMillis;
                return false;
            }
            return nowMillis - c.overSoftLimitSince > l.softSeconds * 1000;
        }
        c.overSoftLimitSince = 0;
        return false;
    }
}
