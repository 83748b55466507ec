package io.modis.api;

/** CRC-64/Jones (reflected, as Redis's crc64.c computes it) for DUMP-style payloads. */
final class Crc64 {
    private static final long POLY = 0x95AC9329AC4BC9B5L; // 0xad93d23594c935a9 reflected
    private static final long[] TABLE = new long[256];

    static {
        for (int i = 0; i < 256; i++) {
            long c = i;
            for (int k = 0; k < 8; k++) {
                c = (c & 1) != 0 ? (c >>> 1) ^ POLY : c >>> 1;
            }
            TABLE[i] = c;
        }
    }

    private Crc64() {
    }

    static long update(long crc, byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            crc = TABLE[(int) ((crc ^ b[i]) & 0xff)] ^ (crc >>> 8);
        }
        return crc;
    }
}
