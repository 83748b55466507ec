package io.modis.hyperloglog;

import io.modis.api.StringValue;

/**
 * The byte layout Redis gives an HLL string, shared by both encodings: a 16-byte header
 * ({@code "HYLL"}, the encoding byte, three unused bytes, the cached cardinality as a
 * little-endian 64-bit number whose top bit marks it stale) followed by the registers.
 */
final class HllFormat {
    /** log2 of the register count. */
    static final int P = 14;
    /** Hash bits left after the register index; a run of zeros counts at most Q + 1. */
    static final int Q = 64 - P;
    static final int REGISTERS = 1 << P;
    static final int REGISTER_MASK = REGISTERS - 1;
    static final int BITS = 6;
    static final int REGISTER_MAX = (1 << BITS) - 1;
    static final int HEADER_SIZE = 16;
    static final int DENSE_SIZE = HEADER_SIZE + (REGISTERS * BITS + 7) / 8;

    static final byte DENSE = 0;
    static final byte SPARSE = 1;
    static final int ENCODING_OFFSET = 4;
    static final int CARDINALITY_OFFSET = 8;
    /** The byte holding the cache's "stale" bit (its most significant bit). */
    static final int CACHE_FLAG_OFFSET = 15;
    static final int STALE_BIT = 0x80;

    static final String NOT_HLL = "WRONGTYPE Key is not a valid HyperLogLog string value.";
    static final String CORRUPTED = "INVALIDOBJ Corrupted HLL object detected";

    private HllFormat() {
    }

    /**
     * True if the string looks like an HLL the way Redis checks it before any command uses it:
     * header, magic, a known encoding, and for dense the exact length. Sparse bodies are only
     * validated when walked.
     */
    static boolean isHll(StringValue v) {
        if (v.isInt()) {
            return false;
        }
        int length = v.length();
        if (length < HEADER_SIZE) {
            return false;
        }
        if (v.byteAt(0) != 'H' || v.byteAt(1) != 'Y' || v.byteAt(2) != 'L' || v.byteAt(3) != 'L') {
            return false;
        }
        int encoding = v.byteAt(ENCODING_OFFSET) & 0xff;
        if (encoding > SPARSE) {
            return false;
        }
        return encoding != DENSE || length == DENSE_SIZE;
    }

    static boolean isSparse(StringValue v) {
        return v.byteAt(ENCODING_OFFSET) == SPARSE;
    }

    static boolean cacheValid(StringValue v) {
        return (v.byteAt(CACHE_FLAG_OFFSET) & STALE_BIT) == 0;
    }

    static long cachedCardinality(StringValue v) {
        long card = 0;
        for (int i = 7; i >= 0; i--) {
            card = (card << 8) | (v.byteAt(CARDINALITY_OFFSET + i) & 0xff);
        }
        return card;
    }

    /** The cardinality as the header stores it, little endian. */
    static byte[] cardinalityBytes(long card) {
        byte[] out = new byte[8];
        for (int i = 0; i < 8; i++) {
            out[i] = (byte) (card >>> (8 * i));
        }
        return out;
    }

    /** An empty HLL as PFADD creates it: sparse, its 16384 zero registers in one XZERO opcode. */
    static byte[] emptySparse() {
        byte[] b = new byte[HEADER_SIZE + 2];
        b[0] = 'H';
        b[1] = 'Y';
        b[2] = 'L';
        b[3] = 'L';
        b[ENCODING_OFFSET] = SPARSE;
        Sparse.writeXzero(b, HEADER_SIZE, REGISTERS);
        return b;
    }
}
