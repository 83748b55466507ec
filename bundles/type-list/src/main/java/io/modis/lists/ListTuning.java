package io.modis.lists;

/**
 * The list settings every list reads, server-wide as in Redis: {@code list-max-listpack-size}
 * (the fill a new list takes), {@code list-compress-depth} (accepted and remembered; nodes are
 * not compressed) and DEBUG QUICKLIST-PACKED-THRESHOLD (the element size from which an element
 * gets a plain node of its own). They are static because the list type itself is one
 * process-wide {@link ListType#INSTANCE}, which must restore values with them too. Written on
 * the engine thread by configuration changes and DEBUG; volatile so a value restored on
 * another thread sees the latest.
 */
final class ListTuning {
    static final int DEFAULT_FILL = -2;
    static final long DEFAULT_PLAIN_THRESHOLD = 1L << 30;
    /** Thresholds from just under 4 GiB up are refused, as Redis does. */
    static final long MAX_PLAIN_THRESHOLD = (1L << 32) - (1 << 20);

    private static volatile int fill = DEFAULT_FILL;
    private static volatile int compressDepth;
    private static volatile long plainThreshold = DEFAULT_PLAIN_THRESHOLD;

    private ListTuning() {
    }

    static int fill() {
        return fill;
    }

    static void fill(int value) {
        fill = value;
    }

    static int compressDepth() {
        return compressDepth;
    }

    static void compressDepth(int value) {
        compressDepth = value;
    }

    static long plainThreshold() {
        return plainThreshold;
    }

    /** Sets the plain-node threshold; 0 restores the default. False if out of range. */
    static boolean plainThreshold(long bytes) {
        if (bytes < 0 || bytes > MAX_PLAIN_THRESHOLD) {
            return false;
        }
        plainThreshold = bytes == 0 ? DEFAULT_PLAIN_THRESHOLD : bytes;
        return true;
    }
}
