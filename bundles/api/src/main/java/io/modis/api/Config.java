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

    /**
     * Adds an apply step to a parameter someone else provides, run when CONFIG SET changes it,
     * after every value of that CONFIG SET was accepted (Redis's apply phase): it puts the new
     * value into effect (listen on a new port, say) or throws IllegalArgumentException with
     * Redis's reason, which fails the CONFIG SET and restores every value it changed (steps
     * that already ran are called again with the old value).
     *
     * @param apply receives the parsed value (or the text of a parameter no bundle provides)
     * @return removes the step (call it when the bundle stops)
     */
    default Runnable onApply(String name, java.util.function.Consumer<Object> apply) {
        return () -> { };
    }
}
