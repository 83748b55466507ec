package io.modis.hyperloglog;

import static io.modis.hyperloglog.HllFormat.DENSE;
import static io.modis.hyperloglog.HllFormat.DENSE_SIZE;
import static io.modis.hyperloglog.HllFormat.ENCODING_OFFSET;
import static io.modis.hyperloglog.HllFormat.HEADER_SIZE;
import static io.modis.hyperloglog.HllFormat.REGISTERS;

/**
 * The sparse encoding: a run-length list of opcodes after the header, read left to right.
 * <ul>
 * <li>ZERO {@code 00xxxxxx}: 1..64 registers at zero;</li>
 * <li>XZERO {@code 01xxxxxx yyyyyyyy}: 1..16384 registers at zero (14-bit length - 1);</li>
 * <li>VAL {@code 1vvvvvxx}: 1..4 registers at value 1..32.</li>
 * </ul>
 * A well-formed body covers exactly 16384 registers. These readers never trust the body:
 * they report whether it was well formed, and like Redis with the CVE-2025-32023 fix (which
 * the maintained 7.0 packages carry) they reject any run that reaches past the last register.
 */
final class Sparse {
    static final int VAL_MAX_VALUE = 32;
    static final int VAL_MAX_LEN = 4;
    static final int ZERO_MAX_LEN = 64;

    private Sparse() {
    }

    static boolean isZero(int op) {
        return (op & 0xc0) == 0;
    }

    static boolean isXzero(int op) {
        return (op & 0xc0) == 0x40;
    }

    static boolean isVal(int op) {
        return (op & 0x80) != 0;
    }

    static int zeroLength(int op) {
        return (op & 0x3f) + 1;
    }

    static int xzeroLength(int op, int next) {
        return ((op & 0x3f) << 8 | next) + 1;
    }

    static int valValue(int op) {
        return ((op >>> 2) & 0x1f) + 1;
    }

    static int valLength(int op) {
        return (op & 0x3) + 1;
    }

    static byte val(int value, int length) {
        return (byte) (((value - 1) << 2 | (length - 1)) | 0x80);
    }

    static byte zero(int length) {
        return (byte) (length - 1);
    }

    static void writeXzero(byte[] b, int at, int length) {
        int l = length - 1;
        b[at] = (byte) ((l >>> 8) | 0x40);
        b[at + 1] = (byte) l;
    }

    /** The byte after an opcode's first one; a truncated XZERO reads zero there. */
    private static int second(byte[] hll, int len, int at) {
        return at + 1 < len ? hll[at + 1] & 0xff : 0;
    }

    /**
     * Adds each register's value to {@code histogram}; false if the body does not cover
     * exactly 16384 registers (the counts are then partial and meaningless).
     */
    static boolean histogram(byte[] hll, int len, int[] histogram) {
        int idx = 0;
        int p = HEADER_SIZE;
        while (p < len) {
            int op = hll[p] & 0xff;
            int run;
            int value;
            if (isZero(op)) {
                run = zeroLength(op);
                value = 0;
            } else if (isXzero(op)) {
                run = xzeroLength(op, second(hll, len, p));
                value = 0;
            } else {
                run = valLength(op);
                value = valValue(op);
            }
            if (idx + run > REGISTERS) {
                return false;
            }
            idx += run;
            histogram[value] += run;
            p += isXzero(op) ? 2 : 1;
        }
        return idx == REGISTERS;
    }

    /** max[i] = max(max[i], register i); false (max partly updated) if the body is corrupted. */
    static boolean mergeInto(byte[] max, byte[] hll, int len) {
        int idx = 0;
        int p = HEADER_SIZE;
        while (p < len) {
            int op = hll[p] & 0xff;
            if (isVal(op)) {
                int run = valLength(op);
                if (idx + run > REGISTERS) {
                    return false;
                }
                int value = valValue(op);
                for (int end = idx + run; idx < end; idx++) {
                    if (value > max[idx]) {
                        max[idx] = (byte) value;
                    }
                }
                p++;
            } else {
                int run = isZero(op) ? zeroLength(op) : xzeroLength(op, second(hll, len, p));
                if (idx + run > REGISTERS) {
                    return false;
                }
                idx += run;
                p += isZero(op) ? 1 : 2;
            }
        }
        return idx == REGISTERS;
    }

    /**
     * The dense form of a sparse HLL string: same header (cached cardinality included) with
     * the dense encoding byte; null if the body is corrupted.
     */
    static byte[] toDense(byte[] hll, int len) {
        byte[] dense = new byte[DENSE_SIZE];
        System.arraycopy(hll, 0, dense, 0, HEADER_SIZE);
        dense[ENCODING_OFFSET] = DENSE;
        int idx = 0;
        int p = HEADER_SIZE;
        while (p < len) {
            int op = hll[p] & 0xff;
            if (isVal(op)) {
                int run = valLength(op);
                if (idx + run > REGISTERS) {
                    return null;
                }
                int value = valValue(op);
                for (int end = idx + run; idx < end; idx++) {
                    Dense.set(dense, idx, value);
                }
                p++;
            } else {
                int run = isZero(op) ? zeroLength(op) : xzeroLength(op, second(hll, len, p));
                if (idx + run > REGISTERS) {
                    return null;
                }
                idx += run;
                p += isZero(op) ? 1 : 2;
            }
        }
        return idx == REGISTERS ? dense : null;
    }

    /** PFDEBUG DECODE's listing: "z:len", "Z:len" and "v:value,len" separated by spaces. */
    static String decode(byte[] hll, int len) {
        StringBuilder out = new StringBuilder();
        int p = HEADER_SIZE;
        while (p < len) {
            int op = hll[p] & 0xff;
            if (isZero(op)) {
                out.append("z:").append(zeroLength(op)).append(' ');
                p++;
            } else if (isXzero(op)) {
                out.append("Z:").append(xzeroLength(op, second(hll, len, p))).append(' ');
                p += 2;
            } else {
                out.append("v:").append(valValue(op)).append(',').append(valLength(op)).append(' ');
                p++;
            }
        }
        if (out.length() > 0) {
            out.setLength(out.length() - 1);
        }
        return out.toString();
    }
}
