package io.modis.transport.resp;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits an inline command line into arguments with the quoting rules Redis applies to inline
 * requests and redis-cli input: blanks separate words; "double quotes" understand \n \r \t \b
 * \a, \xHH and backslash-anything; 'single quotes' understand only \'; a closing quote must be
 * followed by a blank or the end of the line.
 */
final class InlineSplitter {
    private InlineSplitter() {
    }

    /** The arguments of {@code line}, or null when its quotes are unbalanced. */
    static byte[][] split(byte[] line) {
        List<byte[]> args = new ArrayList<>();
        ByteArrayOutputStream word = new ByteArrayOutputStream();
        int n = line.length;
        int p = 0;
        while (true) {
            while (p < n && isBlank(line[p])) {
                p++;
            }
            if (p == n) {
                return args.toArray(new byte[0][]);
            }
            word.reset();
            p = readWord(line, p, word);
            if (p < 0) {
                return null;
            }
            args.add(word.toByteArray());
        }
    }

    /** Reads one word starting at {@code p}; returns the position after it, or -1 on bad quotes. */
    private static int readWord(byte[] line, int p, ByteArrayOutputStream word) {
        int n = line.length;
        boolean inDouble = false;
        boolean inSingle = false;
        while (true) {
            int c = p < n ? line[p] : -1;
            if (inDouble) {
                if (c == '\\' && at(line, p + 1) == 'x' && isHex(at(line, p + 2)) && isHex(at(line, p + 3))) {
                    word.write(hex(line[p + 2]) * 16 + hex(line[p + 3]));
                    p += 4;
                } else if (c == '\\' && p + 1 < n) {
                    word.write(unescape(line[p + 1]));
                    p += 2;
                } else if (c == '"') {
                    return closeQuote(line, p);
                } else if (c < 0 && p >= n) {
                    return -1;
                } else {
                    word.write(c);
                    p++;
                }
            } else if (inSingle) {
                if (c == '\\' && at(line, p + 1) == '\'') {
                    word.write('\'');
                    p += 2;
                } else if (c == '\'') {
                    return closeQuote(line, p);
                } else if (c < 0 && p >= n) {
                    return -1;
                } else {
                    word.write(c);
                    p++;
                }
            } else {
                if (p >= n || c == ' ' || c == '\n' || c == '\r' || c == '\t') {
                    return p;
                }
                if (c == '"') {
                    inDouble = true;
                } else if (c == '\'') {
                    inSingle = true;
                } else {
                    word.write(c);
                }
                p++;
            }
        }
    }

    /** After a closing quote only a blank or the end of the line may follow. */
    private static int closeQuote(byte[] line, int quote) {
        int next = quote + 1;
        if (next < line.length && !isBlank(line[next])) {
            return -1;
        }
        return next;
    }

    private static int at(byte[] line, int i) {
        return i < line.length ? line[i] : -1;
    }

    private static int unescape(byte c) {
        switch (c) {
            case 'n':
                return '\n';
            case 'r':
                return '\r';
            case 't':
                return '\t';
            case 'b':
                return '\b';
            case 'a':
                return 7;
            default:
                return c;
        }
    }

    /** C's isspace in the C locale: bytes above 0x7f are never blanks. */
    private static boolean isBlank(byte c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x0b || c == '\f';
    }

    private static boolean isHex(int c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static int hex(byte c) {
        if (c <= '9') {
            return c - '0';
        }
        return (c | 0x20) - 'a' + 10;
    }
}
