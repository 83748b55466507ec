package io.modis.bitmaps;

import io.modis.api.StringValue;

/**
 * Reads and writes a field of 1 to 64 bits at any bit offset. A field spans at most 9 bytes,
 * handled as one 72-bit window: the first 8 bytes in a big-endian long ({@code hi}) and the
 * ninth in {@code lo}. Bytes past the end of the string read as zero.
 */
final class FieldBits {
    private FieldBits() {
    }

    /** Something to read a field from: byte {@code index} as 0..255, 0 past the end. */
    @FunctionalInterface
    interface Source {
        int byteAt(long index);
    }

    static Source of(byte[] b) {
        return i -> i < b.length ? b[(int) i] & 0xff : 0;
    }

    static Source of(StringValue v) {
        int length = v.length();
        return i -> i < length ? v.byteAt((int) i) & 0xff : 0;
    }

    /** The field's bits, right-aligned and unsigned. */
    static long read(Source src, long offset, int bits) {
        long first = offset >>> 3;
        int span = span(offset, bits);
        long hi = 0;
        for (int i = 0; i < 8; i++) {
            hi = hi << 8 | (i < span ? src.byteAt(first + i) : 0);
        }
        int lo = span > 8 ? src.byteAt(first + 8) : 0;
        int shift = shift(offset, bits);
        long raw = shift >= 8 ? hi >>> (shift - 8) : hi << (8 - shift) | lo >>> shift;
        return raw & mask(bits);
    }

    /** Writes the low {@code bits} of {@code value}; the string must already hold the field's bytes. */
    static void write(StringValue v, long offset, int bits, long value) {
        long first = offset >>> 3;
        int span = span(offset, bits);
        Source src = of(v);
        long hi = 0;
        for (int i = 0; i < 8; i++) {
            hi = hi << 8 | (i < span ? src.byteAt(first + i) : 0);
        }
        int lo = span > 8 ? src.byteAt(first + 8) : 0;
        long field = value & mask(bits);
        int shift = shift(offset, bits);
        if (shift >= 8) {
            long m = mask(bits) << (shift - 8);
            hi = hi & ~m | field << (shift - 8);
        } else {
            // the field's low (8 - shift) bits go to the ninth byte, the rest ends hi
            int inLo = 8 - shift;
            lo = lo & ((1 << shift) - 1) | (int) (field & ((1 << inLo) - 1)) << shift;
            long m = mask(bits - inLo);
            hi = hi & ~m | field >>> inLo;
        }
        for (int i = 0; i < span; i++) {
            byte b = i < 8 ? (byte) (hi >>> (56 - 8 * i)) : (byte) lo;
            v.setByte((int) (first + i), b);
        }
    }

    /** How many bytes the field touches (1..9). */
    private static int span(long offset, int bits) {
        return (int) (((offset & 7) + bits + 7) >>> 3);
    }

    /** How far the field's last bit is from the end of the 72-bit window (1..71). */
    private static int shift(long offset, int bits) {
        return 72 - (int) (offset & 7) - bits;
    }

    private static long mask(int bits) {
        return bits == 64 ? -1L : (1L << bits) - 1;
    }
}
