package io.modis.rdb;

/**
 * Malformed RDB data: a file or a DUMP payload that cannot be loaded. The message is Redis's
 * reason where Redis has one ("Ziplist integrity check failed." ...), followed by what Modis
 * found in parentheses. An empty collection is its own case ({@link #emptyKey()}): Redis skips
 * such keys when it loads a file and refuses them in RESTORE.
 */
final class RdbFormatException extends RuntimeException {
    private final boolean emptyKey;
    private final byte[] key;
    private final int type;

    RdbFormatException(String message) {
        this(message, null);
    }

    RdbFormatException(String message, Throwable cause) {
        this(message, cause, false, null, -1);
    }

    private RdbFormatException(String message, Throwable cause, boolean emptyKey, byte[] key, int type) {
        super(message, cause);
        this.emptyKey = emptyKey;
        this.key = key;
        this.type = type;
    }

    /** A collection without elements (read to its end, so loading can go on after it). */
    static RdbFormatException emptyKey() {
        return new RdbFormatException("empty key", null, true, null, -1);
    }

    /** {@code detail} (Modis's own words) under Redis's {@code reason} for the same failure. */
    static RdbFormatException because(String reason, RdbFormatException detail) {
        return new RdbFormatException(reason + " (" + detail.getMessage() + ")", detail);
    }

    /** The same failure, noting the key and RDB type being read when it happened. */
    RdbFormatException reading(byte[] readingKey, int readingType) {
        return new RdbFormatException(getMessage(), this, emptyKey, readingKey, readingType);
    }

    boolean isEmptyKey() {
        return emptyKey;
    }

    /** The key whose value was being read, or null. */
    byte[] key() {
        return key;
    }

    /** The RDB type of the value being read, or -1. */
    int type() {
        return type;
    }
}
