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

    /**
     * Config-file and command-line directives that no parameter took, in the order given, each as
     * its words (name first): {@code loadmodule path args...}, and module parameters
     * ({@code name.param value}) read before their module was loaded.
     */
    default java.util.List<java.util.List<String>> directives() {
        return java.util.List.of();
    }

    /**
     * Sets a parameter as CONFIG SET does (protected parameters included).
     *
     * @throws CommandException with Redis's CONFIG SET error when the name is unknown or the
     *     value is refused
     */
    default void set(String name, String value) {
        throw new UnsupportedOperationException("this configuration is read-only");
    }
}
