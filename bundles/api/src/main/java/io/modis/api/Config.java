package io.modis.api;

/** Reads the current configuration. Names are case-insensitive. */
public interface Config {
    /** The value as CONFIG GET prints it, or null for an unknown parameter. */
    String get(String name);

    /** The parsed value (Boolean, Long, String or a SPECIAL parameter's object). */
    Object value(String name);

    default long getLong(String name) {
        return (Long) value(name);
    }

    default boolean getBool(String name) {
        return (Boolean) value(name);
    }
}
