package io.modis.bitmaps;

import io.modis.api.Bytes;
import java.util.Arrays;

/** BITOP's operations, computed eight bytes at a time; shorter inputs count as zero-padded. */
enum BitOperation {
    AND("and"), OR("or"), XOR("xor"), NOT("not");

    private final String lowerName;

    BitOperation(String lowerName) {
        this.lowerName = lowerName;
    }

    /** The operation named by {@code name} (any case), or null. */
    static BitOperation named(byte[] name) {
        for (BitOperation op : values()) {
            if (Bytes.is(name, op.lowerName)) {
                return op;
            }
        }
        return null;
    }

    /** The result over {@code inputs} (empty arrays for missing keys), as long as the longest. */
    byte[] apply(byte[][] inputs) {
        int length = 0;
        for (byte[] in : inputs) {
            length = Math.max(length, in.length);
        }
        byte[] out = Arrays.copyOf(inputs[0], length);
        if (this == NOT) {
            invert(out);
            return out;
        }
        for (int k = 1; k < inputs.length; k++) {
            byte[] in = inputs[k];
            // one tight loop per operation: the JIT compiles each to plain word instructions
            switch (this) {
                case AND -> {
                    and(out, in);
                    // past a shorter input, AND meets zeros
                    Arrays.fill(out, in.length, length, (byte) 0);
                }
                case OR -> or(out, in);
                default -> xor(out, in);
            }
        }
        return out;
    }

    private static void invert(byte[] b) {
        int i = 0;
        for (; i + 8 <= b.length; i += 8) {
            BitArrays.word(b, i, ~BitArrays.word(b, i));
        }
        for (; i < b.length; i++) {
            b[i] = (byte) ~b[i];
        }
    }

    private static void and(byte[] out, byte[] in) {
        int i = 0;
        for (; i + 8 <= in.length; i += 8) {
            BitArrays.word(out, i, BitArrays.word(out, i) & BitArrays.word(in, i));
        }
        for (; i < in.length; i++) {
            out[i] &= in[i];
        }
    }

    private static void or(byte[] out, byte[] in) {
        int i = 0;
        for (; i + 8 <= in.length; i += 8) {
            BitArrays.word(out, i, BitArrays.word(out, i) | BitArrays.word(in, i));
        }
        for (; i < in.length; i++) {
            out[i] |= in[i];
        }
    }

    private static void xor(byte[] out, byte[] in) {
        int i = 0;
        for (; i + 8 <= in.length; i += 8) {
            BitArrays.word(out, i, BitArrays.word(out, i) ^ BitArrays.word(in, i));
        }
        for (; i < in.length; i++) {
            out[i] ^= in[i];
        }
    }
}
