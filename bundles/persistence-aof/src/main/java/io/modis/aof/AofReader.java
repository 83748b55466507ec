package io.modis.aof;

import java.io.IOException;
import java.io.InputStream;

/**
 * Reads commands from an AOF stream as Redis's loader does: RESP arrays of bulk strings, lines
 * starting with '#' (timestamp annotations) skipped. A stream that ends inside a command is
 * {@link Truncated}; anything else that is not a command is {@link BadFormat}. Both carry the
 * offset at which the last whole command ended.
 */
final class AofReader {
    /** Longest line Redis's loader reads at once (annotations, "*argc", "$len"). */
    static final int MAX_LINE = 1024;

    static class Problem extends IOException {
        final long validUpTo;
        final long offset;

        Problem(String message, long validUpTo, long offset) {
            super(message);
            this.validUpTo = validUpTo;
            this.offset = offset;
        }
    }

    /** The stream ended in the middle of a command. */
    static final class Truncated extends Problem {
        Truncated(long validUpTo, long offset) {
            super("unexpected end of file", validUpTo, offset);
        }
    }

    /** Bytes that are not a command. */
    static final class BadFormat extends Problem {
        BadFormat(String what, long validUpTo, long offset) {
            super(what, validUpTo, offset);
        }
    }

    private final InputStream in;
    private final byte[] buf = new byte[64 * 1024];
    private int pos;
    private int limit;
    private long consumed;
    private long validUpTo;
    /** The last "#TS:" annotation seen, or -1. */
    long lastTimestamp = -1;

    AofReader(InputStream in) {
        this.in = in;
    }

    /** Offset of the end of the last whole command. */
    long validUpTo() {
        return validUpTo;
    }

    long offset() {
        return consumed + pos;
    }

    /** The next command, or null at a clean end of the stream. */
    byte[][] next() throws IOException {
        while (true) {
            long start = offset();
            String line = readLine(true);
            if (line == null) {
                return null;
            }
            if (line.startsWith("#")) {
                if (line.startsWith("#TS:")) {
                    try {
                        lastTimestamp = Long.parseLong(line.substring(4).trim());
                    } catch (NumberFormatException ignored) {
                        // an annotation we do not understand is skipped, as Redis does
                    }
                }
                validUpTo = offset();
                continue;
            }
            if (line.isEmpty() || line.charAt(0) != '*') {
                throw new BadFormat("expected '*' at offset " + start, validUpTo, start);
            }
            if (line.length() == 1) {
                throw new Truncated(validUpTo, start);
            }
            long argc = atol(line, 1);
            if (argc < 1 || argc > Integer.MAX_VALUE / 2) {
                throw new BadFormat("bad argument count at offset " + start, validUpTo, start);
            }
            byte[][] argv = new byte[(int) argc][];
            for (int j = 0; j < argc; j++) {
                long at = offset();
                String len = readLine(false);
                if (len.isEmpty() || len.charAt(0) != '$') {
                    throw new BadFormat("expected '$' at offset " + at, validUpTo, at);
                }
                long n = atol(len, 1);
                if (n < 0 || n > Integer.MAX_VALUE - 16) {
                    throw new BadFormat("bad bulk length at offset " + at, validUpTo, at);
                }
                byte[] arg = new byte[(int) n];
                readFully(arg);
                skip(2);
                argv[j] = arg;
            }
            validUpTo = offset();
            return argv;
        }
    }

    /** Reads one line like fgets (up to MAX_LINE bytes); null at EOF before any byte when allowed. */
    private String readLine(boolean eofOk) throws IOException {
        StringBuilder sb = new StringBuilder();
        int n = 0;
        while (n < MAX_LINE - 1) {
            if (pos == limit && !fill()) {
                if (n == 0 && eofOk) {
                    return null;
                }
                throw new Truncated(validUpTo, offset());
            }
            byte b = buf[pos++];
            n++;
            if (b == '\n') {
                break;
            }
            sb.append((char) (b & 0xff));
        }
        int l = sb.length();
        if (l > 0 && sb.charAt(l - 1) == '\r') {
            sb.setLength(l - 1);
        }
        return sb.toString();
    }

    private void readFully(byte[] dst) throws IOException {
        int off = 0;
        while (off < dst.length) {
            if (pos == limit && !fill()) {
                throw new Truncated(validUpTo, offset());
            }
            int k = Math.min(limit - pos, dst.length - off);
            System.arraycopy(buf, pos, dst, off, k);
            pos += k;
            off += k;
        }
    }

    private void skip(int n) throws IOException {
        for (int i = 0; i < n; i++) {
            if (pos == limit && !fill()) {
                throw new Truncated(validUpTo, offset());
            }
            pos++;
        }
    }

    private boolean fill() throws IOException {
        consumed += limit;
        pos = 0;
        limit = 0;
        int r = in.read(buf, 0, buf.length);
        if (r <= 0) {
            return false;
        }
        limit = r;
        return true;
    }

    /** strtol-like: leading digits, anything after ignored. */
    private static long atol(String s, int from) {
        int i = from;
        boolean neg = false;
        if (i < s.length() && (s.charAt(i) == '-' || s.charAt(i) == '+')) {
            neg = s.charAt(i) == '-';
            i++;
        }
        long v = 0;
        while (i < s.length() && Character.isDigit(s.charAt(i)) && v < Long.MAX_VALUE / 10) {
            v = v * 10 + (s.charAt(i) - '0');
            i++;
        }
        return neg ? -v : v;
    }

}
