package io.modis.rdb;

/**
 * The CRC-64 Redis puts after an RDB file and a DUMP payload: the Jones polynomial
 * (0xad93d23594c935a9), bits reflected, initial value 0, no final xor. Table driven, one byte
 * at a time.
 */
final class Crc64 {
    private static final long REFLECTED_POLY = 0x95ac9329ac4bc9b5L;
    private static final long[] TABLE = new long[256];

    static {
        for (int n = 0; n < 256; n++) {
            long crc = n;
            for (int k = 0; k < 8; k++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ REFLECTED_POLY : crc >>> 1;
            }
            TABLE[n] = crc;
        }
    }

    private Crc64() {
    }

    static long update(long crc, byte[] b, int off, int len) {
        for (int i = off, end = off + len; i < end; i++) {
            crc = TABLE[(int) ((crc ^ b[i]) & 0xFF)] ^ (crc >>> 8);
        }
        return crc;
    }

    static long of(byte[] b, int off, int len) {
        return update(0, b, off, len);
    }
}
