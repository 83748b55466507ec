package io.modis.lists;

import io.modis.api.CommandContext;
import io.modis.api.CommandException;
import io.modis.api.Errors;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The timeout argument of the blocking list commands: seconds, fractions allowed, 0 = forever.
 * Redis reads it with C's strtold (a long double: decimal or hexadecimal, "inf", a range far
 * beyond a double's) and rounds the milliseconds up; this class accepts and refuses the same
 * texts.
 */
final class BlockTimeout {
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern HEXADECIMAL =
            Pattern.compile("[+-]?0[xX]([0-9a-fA-F]+\\.?[0-9a-fA-F]*|\\.[0-9a-fA-F]+)([pP][+-]?\\d+)?");
    /** The largest finite long double (x87 80-bit), and half the smallest positive one. */
    private static final BigDecimal LONG_DOUBLE_MAX = new BigDecimal("1.18973149535723176502e4932");
    private static final BigDecimal LONG_DOUBLE_UNDERFLOW = new BigDecimal("1.8225997659412373012e-4951");
    private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);

    private BlockTimeout() {
    }

    /**
     * The absolute deadline in Unix milliseconds (0 for none) for the timeout at {@code arg}.
     *
     * @throws CommandException with Redis's errors for a non-number or a negative timeout
     */
    static long deadline(CommandContext ctx, int arg) {
        long ms = millis(new String(ctx.arg(arg), StandardCharsets.ISO_8859_1));
        if (ms == 0) {
            return 0;
        }
        long now = ctx.now();
        return ms > Long.MAX_VALUE - now ? Long.MAX_VALUE : now + ms;
    }

    /** The timeout in milliseconds, rounded up. */
    static long millis(String text) {
        if (isSmallWholeNumber(text)) {
            return Long.parseLong(text) * 1000; // the usual whole seconds, without the general parse
        }
        BigDecimal ms = seconds(text).movePointRight(3).setScale(0, RoundingMode.CEILING);
        // Redis converts to a 64-bit integer; out of range, that gives the most negative
        // integer on the machines it runs on, and so the answer that the timeout is negative.
        if (ms.signum() < 0 || ms.compareTo(LONG_MAX) > 0) {
            throw new CommandException(Errors.TIMEOUT_NEGATIVE);
        }
        return ms.longValueExact();
    }

    private static boolean isSmallWholeNumber(String text) {
        if (text.isEmpty() || text.length() > 15) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static BigDecimal seconds(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        String unsigned = lower.startsWith("+") || lower.startsWith("-") ? lower.substring(1) : lower;
        if (unsigned.equals("inf") || unsigned.equals("infinity")) {
            throw new CommandException(Errors.TIMEOUT_NEGATIVE);
        }
        BigDecimal value;
        try {
            if (DECIMAL.matcher(text).matches()) {
                value = new BigDecimal(text.startsWith("+") ? text.substring(1) : text);
            } else if (HEXADECIMAL.matcher(text).matches()) {
                double d = Double.parseDouble(lower.contains("p") ? lower : lower + "p0");
                if (Double.isInfinite(d)) {
                    throw new CommandException(Errors.TIMEOUT_NEGATIVE); // finite for a long double
                }
                value = new BigDecimal(d);
            } else {
                throw new CommandException(Errors.TIMEOUT_NOT_FLOAT);
            }
        } catch (NumberFormatException e) {
            throw new CommandException(Errors.TIMEOUT_NOT_FLOAT); // an exponent beyond any range
        }
        BigDecimal magnitude = value.abs();
        if (magnitude.compareTo(LONG_DOUBLE_MAX) > 0
                || value.signum() != 0 && magnitude.compareTo(LONG_DOUBLE_UNDERFLOW) < 0) {
            throw new CommandException(Errors.TIMEOUT_NOT_FLOAT);
        }
        return value;
    }
}
