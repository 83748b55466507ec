package io.modis.hyperloglog;

import static io.modis.hyperloglog.HllFormat.BITS;
import static io.modis.hyperloglog.HllFormat.HEADER_SIZE;
import static io.modis.hyperloglog.HllFormat.REGISTERS;
import static io.modis.hyperloglog.HllFormat.REGISTER_MAX;

import io.modis.api.StringValue;

/**
 * The dense encoding: 16384 six-bit registers packed from the least significant bit of each
 * byte upwards, register i starting at bit 6*i after the header. A register whose first bit
 * is 0 or 2 fits in one byte; at 4 or 6 it spills into the next byte.
 */
final class Dense {
    private Dense() {
    }

    /** Register {@code reg} of a whole dense HLL string (header included). */
    static int get(byte[] hll, int reg) {
        int bit = reg * BITS;
        int at = HEADER_SIZE + (bit >>> 3);
        int shift = bit & 7;
        int v = (hll[at] & 0xff) >>> shift;
        if (shift > 8 - BITS) {
            v |= (hll[at + 1] & 0xff) << (8 - shift);
        }
        return v & REGISTER_MAX;
    }

    static void set(byte[] hll, int reg, int value) {
        int bit = reg * BITS;
        int at = HEADER_SIZE + (bit >>> 3);
        int shift = bit & 7;
        hll[at] = (byte) ((hll[at] & ~(REGISTER_MAX << shift)) | (value << shift));
        if (shift > 8 - BITS) {
            int high = 8 - shift;
            hll[at + 1] = (byte) ((hll[at + 1] & ~(REGISTER_MAX >>> high)) | (value >>> high));
        }
    }

    /** Register {@code reg} read straight from a stored dense value. */
    static int get(StringValue hll, int reg) {
        int bit = reg * BITS;
        int at = HEADER_SIZE + (bit >>> 3);
        int shift = bit & 7;
        int v = (hll.byteAt(at) & 0xff) >>> shift;
        if (shift > 8 - BITS) {
            v |= (hll.byteAt(at + 1) & 0xff) << (8 - shift);
        }
        return v & REGISTER_MAX;
    }

    /**
     * Raises register {@code reg} of a stored dense value to {@code count} in place, if that is
     * higher than what it holds; true if it changed.
     */
    static boolean raise(StringValue hll, int reg, int count) {
        if (count <= get(hll, reg)) {
            return false;
        }
        int bit = reg * BITS;
        int at = HEADER_SIZE + (bit >>> 3);
        int shift = bit & 7;
        hll.setByte(at, (byte) ((hll.byteAt(at) & ~(REGISTER_MAX << shift)) | (count << shift)));
        if (shift > 8 - BITS) {
            int high = 8 - shift;
            hll.setByte(at + 1, (byte) ((hll.byteAt(at + 1) & ~(REGISTER_MAX >>> high)) | (count >>> high)));
        }
        return true;
    }

    /** Adds each register's value to {@code histogram} (64 slots). */
    static void histogram(byte[] hll, int[] histogram) {
        // four registers fill three bytes exactly: decode them a group at a time
        for (int at = HEADER_SIZE, end = HEADER_SIZE + REGISTERS * BITS / 8; at < end; at += 3) {
            int b0 = hll[at] & 0xff;
            int b1 = hll[at + 1] & 0xff;
            int b2 = hll[at + 2] & 0xff;
            histogram[b0 & 63]++;
            histogram[(b0 >>> 6 | b1 << 2) & 63]++;
            histogram[(b1 >>> 4 | b2 << 4) & 63]++;
            histogram[b2 >>> 2]++;
        }
    }

    /** max[i] = max(max[i], register i) for every register. */
    static void mergeInto(byte[] max, byte[] hll) {
        for (int reg = 0, at = HEADER_SIZE; reg < REGISTERS; reg += 4, at += 3) {
            int b0 = hll[at] & 0xff;
            int b1 = hll[at + 1] & 0xff;
            int b2 = hll[at + 2] & 0xff;
            raise(max, reg, b0 & 63);
            raise(max, reg + 1, (b0 >>> 6 | b1 << 2) & 63);
            raise(max, reg + 2, (b1 >>> 4 | b2 << 4) & 63);
            raise(max, reg + 3, b2 >>> 2);
        }
    }

    private static void raise(byte[] max, int reg, int value) {
        if (value > max[reg]) {
            max[reg] = (byte) value;
        }
    }
}
