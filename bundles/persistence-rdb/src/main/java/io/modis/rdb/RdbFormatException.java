package io.modis.rdb;

/** Malformed RDB data: a file or a DUMP payload that cannot be loaded. */
final class RdbFormatException extends RuntimeException {
    RdbFormatException(String message) {
        super(message);
    }

    RdbFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
