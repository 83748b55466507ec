package io.modis.api;

/**
 * Writes one command's reply in the client's protocol (RESP2 or RESP3). Aggregates are written
 * as a header followed by exactly that many elements ({@code map(n)} takes 2n elements). In
 * RESP2 maps and sets degrade to arrays, doubles to bulk strings, booleans to integers, nulls to
 * the null bulk string, as Redis does.
 */
public interface Reply {
    /** 2 or 3. */
    int protocol();

    /** A simple string ({@code +OK}); must not contain CR or LF. */
    void simple(String s);

    /** An error line, without '-'; e.g. {@code ERR syntax error}. */
    void error(String message);

    /** An integer reply ({@code :n}). */
    void integer(long v);

    /** A bulk string: binary-safe bytes. */
    void bulk(byte[] b);

    /** A bulk string of {@code len} bytes of {@code b} from {@code off}. */
    void bulk(byte[] b, int off, int len);

    /** A bulk string of the UTF-8 bytes of {@code s} (for fixed words; keys and values are byte[]). */
    default void bulk(String s) {
        bulk(Bytes.of(s));
    }

    /** The null reply: {@code $-1} in RESP2, {@code _} in RESP3. */
    void nil();

    /** The null array: {@code *-1} in RESP2, {@code _} in RESP3. */
    void nilArray();

    /** An array header: exactly {@code n} elements follow. */
    void array(int n);

    /** A map header of {@code n} pairs (2n elements follow); a flat array of 2n in RESP2. */
    void map(int n);

    /** A set header ({@code ~} in RESP3, an array in RESP2): {@code n} elements follow. */
    void set(int n);

    /** A push header (RESP3 {@code >}, an array in RESP2), for out-of-band messages. */
    void push(int n);

    /** A double: RESP3 {@code ,} or a RESP2 bulk string in Redis's formatting. */
    void dbl(double d);

    /** A boolean: RESP3 {@code #t}/{@code #f}, RESP2 integer 1/0. */
    void bool(boolean b);

    /** RESP3 verbatim string ({@code =}); a bulk string in RESP2. */
    void verbatim(String format, byte[] text);

    /** A big number: RESP3 {@code (}, a RESP2 bulk string. */
    void bigNumber(String digits);

    /**
     * A RESP3 attribute map of {@code n} pairs that precedes the next reply. Attributes do not
     * exist in RESP2: callers write them only when {@link #protocol()} is 3.
     */
    default void attribute(int n) {
        throw new UnsupportedOperationException("attributes are not supported by this reply writer");
    }

    /** The {@code +OK} reply. */
    default void ok() {
        simple("OK");
    }

    /**
     * Writes a reply that many clients receive alike (a pub/sub message to every subscriber of
     * a channel). A writer that sends bytes encodes it once per protocol version and copies those
     * bytes for each further client; this default writes its content element by element.
     */
    default void shared(SharedReply reply) {
        reply.writeTo(this);
    }

    /** Number of error replies written so far on this writer. */
    long errors();

    /** The last error message written (for errorstats), or null. */
    String lastError();
}
