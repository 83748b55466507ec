package io.modis.transport.resp;

import io.netty.buffer.ByteBuf;
import io.netty.util.ByteProcessor;
import java.util.Arrays;
import java.util.function.LongSupplier;

/**
 * Turns the bytes a client sends into commands, one {@code byte[][]} argv at a time, with the
 * rules and error replies of Redis 7.0's request parser: multibulk requests ({@code *N} then N
 * {@code $len} bulks) and inline requests (a line of words).
 *
 * <p>Stateful and owned by one connection's I/O thread. A multibulk request may arrive in any
 * number of reads: the arguments complete so far are kept here and consumed from the input, so
 * the input only ever holds the unparsed tail.
 */
final class RespDecoder {
    /** Longest count line or inline request awaited without its terminator (64KB). */
    static final int MAX_LINE = 64 * 1024;
    /** Largest multibulk count: Redis keeps argc in an int. */
    static final long MAX_MULTIBULK = Integer.MAX_VALUE;
    /** proto-max-bulk-len cannot be set below 1MB, so shorter bulks need no config look-up. */
    static final long MIN_BULK_LIMIT = 1024 * 1024;
    /** Bulks up to this size get their array at once; larger ones grow as data arrives. */
    static final int EAGER_BULK = 1024 * 1024;
    /** The largest array the JVM reliably allocates. */
    static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    static final String INVALID_MULTIBULK = "ERR Protocol error: invalid multibulk length";
    static final String INVALID_BULK = "ERR Protocol error: invalid bulk length";
    static final String BIG_MBULK_COUNT = "ERR Protocol error: too big mbulk count string";
    static final String BIG_BULK_COUNT = "ERR Protocol error: too big bulk count string";
    static final String BIG_INLINE = "ERR Protocol error: too big inline request";
    static final String UNBALANCED = "ERR Protocol error: unbalanced quotes in request";

    /*
     * Redis scans its query buffer with strchr, which stops at a NUL byte: a count line or an
     * inline line with a NUL before its terminator is never complete. Same here.
     */
    private static final ByteProcessor FIND_CR = b -> b != '\r' && b != 0;
    private static final ByteProcessor FIND_LF = b -> b != '\n' && b != 0;

    private final LongSupplier maxBulkLen;
    private final java.util.function.BooleanSupplier authenticated;

    /** Bulks still expected in the current multibulk request; 0 between requests. */
    private long bulksLeft;
    private byte[][] argv;
    private int argc;
    /** Length of the bulk being read, -1 while its "$len" line is awaited. */
    private long bulkLen = -1;
    /** The bulk being filled across reads (null when it is read in one go). */
    private byte[] bulk;
    private int bulkFilled;
    /** Bytes of the arguments of the current request completed so far. */
    private long argvBytes;
    /** The last integer parsed by {@link #parseInteger}. */
    private long number;

    /** @param maxBulkLen reads proto-max-bulk-len; asked only for bulks longer than 1MB */
    RespDecoder(LongSupplier maxBulkLen) {
        this(maxBulkLen, () -> true);
    }

    /** @param authenticated false while the client must still authenticate (tighter limits) */
    RespDecoder(LongSupplier maxBulkLen, java.util.function.BooleanSupplier authenticated) {
        this.maxBulkLen = maxBulkLen;
        this.authenticated = authenticated;
    }

    /**
     * Reads the next complete command from {@code in}, consuming its bytes.
     *
     * @return the command's arguments (never empty), or null when {@code in} holds no complete
     *     command yet (what was consumed is kept for the next call)
     */
    byte[][] decode(ByteBuf in) throws ProtocolException {
        while (bulksLeft == 0) {
            if (!in.isReadable()) {
                return null;
            }
            if (in.getByte(in.readerIndex()) == '*') {
                if (!readMultibulkCount(in)) {
                    return null;
                }
            } else {
                byte[][] inline = readInline(in);
                if (inline == null) {
                    return null;
                }
                if (inline.length > 0) {
                    return inline;
                }
            }
        }
        while (bulksLeft > 0) {
            if (bulkLen < 0 && !readBulkLength(in)) {
                return null;
            }
            byte[] arg = readBulk(in);
            if (arg == null) {
                return null;
            }
            addArg(arg);
        }
        byte[][] command = argv;
        argv = null;
        argc = 0;
        argvBytes = 0;
        return command;
    }

    /** Bytes of a large bulk received so far, which no longer sit in the input buffer. */
    long pendingBytes() {
        return bulk == null ? 0 : bulkFilled;
    }

    /** Bytes of the arguments of a request received in part (CLIENT LIST argv-mem). */
    long partialArgvBytes() {
        return argvBytes;
    }

    /** Length of the argument being read, or -1 between arguments. */
    long bulkLength() {
        return bulkLen;
    }

    /** Reads "*N\r\n"; false if the line is incomplete. An N of 0 or less is an empty request. */
    private boolean readMultibulkCount(ByteBuf in) throws ProtocolException {
        int start = in.readerIndex();
        int cr = findLineEnd(in, FIND_CR);
        if (cr < 0) {
            if (in.readableBytes() > MAX_LINE) {
                throw new ProtocolException(BIG_MBULK_COUNT, "too big mbulk count string");
            }
            return false;
        }
        if (in.writerIndex() - cr < 2) {
            return false; // the byte after '\r' has not arrived
        }
        if (!parseInteger(in, start + 1, cr - start - 1) || number > MAX_MULTIBULK) {
            throw new ProtocolException(INVALID_MULTIBULK, "invalid mbulk count");
        }
        if (number > 10 && !authenticated.getAsBoolean()) {
            throw new ProtocolException("ERR Protocol error: unauthenticated multibulk length", "unauth mbulk count");
        }
        in.readerIndex(cr + 2);
        if (number > 0) {
            bulksLeft = number;
            // like Redis, do not trust a huge count before its arguments arrive
            argv = new byte[(int) Math.min(number, 1024)][];
            argc = 0;
        }
        return true;
    }

    /** Reads "$len\r\n"; false if the line is incomplete. */
    private boolean readBulkLength(ByteBuf in) throws ProtocolException {
        int start = in.readerIndex();
        int cr = findLineEnd(in, FIND_CR);
        if (cr < 0) {
            if (in.readableBytes() > MAX_LINE) {
                throw new ProtocolException(BIG_BULK_COUNT, "too big bulk count string");
            }
            return false;
        }
        if (in.writerIndex() - cr < 2) {
            return false;
        }
        byte first = in.getByte(start);
        if (first != '$') {
            throw new ProtocolException("ERR Protocol error: expected '$', got '" + (char) (first & 0xff) + "'",
                    "expected $ but got something else");
        }
        if (!parseInteger(in, start + 1, cr - start - 1) || number < 0
                || (number > MIN_BULK_LIMIT && number > maxBulkLen.getAsLong()) || number > MAX_ARRAY) {
            throw new ProtocolException(INVALID_BULK, "invalid bulk length");
        }
        if (number > 16384 && !authenticated.getAsBoolean()) {
            throw new ProtocolException("ERR Protocol error: unauthenticated bulk length", "unauth bulk length");
        }
        in.readerIndex(cr + 2);
        bulkLen = number;
        return true;
    }

    /**
     * Reads the bulk's bytes and the two bytes that end it (not checked, as in Redis); null
     * while they have not all arrived.
     */
    private byte[] readBulk(ByteBuf in) {
        int len = (int) bulkLen;
        if (bulk == null) {
            if (in.readableBytes() >= len + 2L) {
                byte[] arg = new byte[len];
                in.readBytes(arg);
                in.skipBytes(2);
                bulkLen = -1;
                return arg;
            }
            // a bulk spread over reads is copied out of the input as it arrives
            bulk = new byte[len <= EAGER_BULK ? len : Math.max(EAGER_BULK, Math.min(len, in.readableBytes()))];
            bulkFilled = 0;
        }
        int take = Math.min(in.readableBytes(), len - bulkFilled);
        if (take > 0) {
            if (bulkFilled + take > bulk.length) {
                // grow by doubling, capped at the declared length so the last growth is exact
                long target = Math.max((long) bulk.length * 2, bulkFilled + (long) take);
                bulk = Arrays.copyOf(bulk, (int) Math.min(target, len));
            }
            in.readBytes(bulk, bulkFilled, take);
            bulkFilled += take;
        }
        if (bulkFilled < len || in.readableBytes() < 2) {
            return null;
        }
        in.skipBytes(2);
        byte[] arg = bulk;
        bulk = null;
        bulkFilled = 0;
        bulkLen = -1;
        return arg;
    }

    private void addArg(byte[] arg) {
        if (argc == argv.length) {
            argv = Arrays.copyOf(argv, (int) Math.min((long) argv.length * 2, argc + bulksLeft));
        }
        argv[argc++] = arg;
        argvBytes += arg.length;
        bulksLeft--;
    }

    /** Reads an inline request up to '\n' (a '\r' before it is dropped); null if incomplete. */
    private byte[][] readInline(ByteBuf in) throws ProtocolException {
        int start = in.readerIndex();
        int lf = findLineEnd(in, FIND_LF);
        if (lf < 0) {
            if (in.readableBytes() > MAX_LINE) {
                throw new ProtocolException(BIG_INLINE, "too big inline request");
            }
            return null;
        }
        int end = lf > start && in.getByte(lf - 1) == '\r' ? lf - 1 : lf;
        byte[] line = new byte[end - start];
        in.getBytes(start, line);
        byte[][] args = InlineSplitter.split(line);
        if (args == null) {
            throw new ProtocolException(UNBALANCED, "unbalanced quotes in inline request");
        }
        in.readerIndex(lf + 1);
        return args;
    }

    /** Index of the terminator, or -1 if absent (or hidden behind a NUL). */
    private static int findLineEnd(ByteBuf in, ByteProcessor finder) {
        int i = in.forEachByte(finder);
        return i < 0 || in.getByte(i) == 0 ? -1 : i;
    }

    /**
     * Parses a strict decimal integer into {@link #number}: optional '-', no '+', no blanks, no
     * leading zeros, at most 20 characters, no overflow.
     */
    private boolean parseInteger(ByteBuf in, int from, int len) {
        if (len == 0 || len > 20) {
            return false;
        }
        if (len == 1 && in.getByte(from) == '0') {
            number = 0;
            return true;
        }
        int i = from;
        int end = from + len;
        boolean negative = in.getByte(i) == '-';
        if (negative && ++i == end) {
            return false;
        }
        byte first = in.getByte(i);
        if (first < '1' || first > '9') {
            return false;
        }
        // accumulated negatively so that Long.MIN_VALUE fits
        long limit = negative ? Long.MIN_VALUE : -Long.MAX_VALUE;
        long v = 0;
        for (; i < end; i++) {
            int d = in.getByte(i) - '0';
            if (d < 0 || d > 9 || v < limit / 10) {
                return false;
            }
            v *= 10;
            if (v < limit + d) {
                return false;
            }
            v -= d;
        }
        number = negative ? v : -v;
        return true;
    }
}
