package io.modis.sets;

import java.nio.charset.StandardCharsets;

/**
 * Tells whether a member can live in an intset: a decimal integer in Redis's strict form
 * (string2ll: optional '-', no '+', no leading zeros or spaces, within 64 bits). It answers
 * without exceptions because most members of a hashtable-encoded set are not numbers at all.
 */
final class StrictLong {
    private static final int MAX_DIGITS = 19;
    private static final byte[] MIN_DIGITS = "9223372036854775808".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MAX_DIGITS_VALUE = "9223372036854775807".getBytes(StandardCharsets.US_ASCII);

    private StrictLong() {
    }

    /** True when {@link io.modis.api.Bytes#parseLong(byte[])} accepts {@code b}. */
    static boolean matches(byte[] b) {
        int n = b.length;
        if (n == 0) {
            return false;
        }
        if (n == 1 && b[0] == '0') {
            return true;
        }
        boolean negative = b[0] == '-';
        int start = negative ? 1 : 0;
        int digits = n - start;
        if (digits == 0 || digits > MAX_DIGITS || b[start] < '1' || b[start] > '9') {
            return false;
        }
        for (int i = start + 1; i < n; i++) {
            if (b[i] < '0' || b[i] > '9') {
                return false;
            }
        }
        if (digits < MAX_DIGITS) {
            return true;
        }
        byte[] limit = negative ? MIN_DIGITS : MAX_DIGITS_VALUE;
        for (int i = 0; i < MAX_DIGITS; i++) {
            int d = b[start + i] - limit[i];
            if (d != 0) {
                return d < 0;
            }
        }
        return true;
    }
}
