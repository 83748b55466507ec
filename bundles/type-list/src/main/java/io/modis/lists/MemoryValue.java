package io.modis.lists;

import io.modis.api.Bytes;
import java.util.Arrays;

/** Memory sizes as Redis's memtoull reads them: digits, then b, k, kb, m, mb, g or gb. */
final class MemoryValue {
    private MemoryValue() {
    }

    /** The size in bytes, or -1 if {@code text} is not such a value (or does not fit 64 bits). */
    static long parse(byte[] text) {
        int digits = 0;
        while (digits < text.length && text[digits] >= '0' && text[digits] <= '9') {
            digits++;
        }
        long unit = unit(Bytes.lower(Arrays.copyOfRange(text, digits, text.length)));
        if (unit < 0) {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < digits; i++) {
            int d = text[i] - '0';
            if (value > (Long.MAX_VALUE - d) / 10) {
                return -1;
            }
            value = value * 10 + d;
        }
        if (value != 0 && unit > Long.MAX_VALUE / value) {
            return -1;
        }
        return value * unit;
    }

    private static long unit(String suffix) {
        return switch (suffix) {
            case "", "b" -> 1;
            case "k" -> 1000;
            case "kb" -> 1024;
            case "m" -> 1000 * 1000;
            case "mb" -> 1024 * 1024;
            case "g" -> 1000L * 1000 * 1000;
            case "gb" -> 1024L * 1024 * 1024;
            default -> -1;
        };
    }
}
