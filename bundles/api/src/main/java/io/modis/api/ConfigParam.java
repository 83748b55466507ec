package io.modis.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A configuration parameter: its redis.conf / CONFIG name, type, default and what to do when
 * it changes. Contributed by bundles through {@link ConfigProvider}. Values reach listeners
 * parsed: Boolean for BOOL, Long for INT and MEMORY, String for ENUM and STRING, and whatever
 * the parser returns for SPECIAL.
 */
public final class ConfigParam {
    public enum Type { BOOL, INT, MEMORY, ENUM, STRING, SPECIAL }

    /** IMMUTABLE: only from the config file / command line. PROTECTED: needs enable-protected-configs. */
    public enum Flag { IMMUTABLE, PROTECTED, SENSITIVE, HIDDEN, MULTI_ARG }

    private final String name;
    private final List<String> aliases;
    private final Type type;
    private final String defaultValue;
    private final long min;
    private final long max;
    private final List<String> enumValues;
    private final List<Flag> flags;
    private final Function<String, Object> parser;
    private final Function<Object, String> formatter;
    private final Consumer<Object> listener;

    private ConfigParam(Builder b) {
        this.name = b.name;
        this.aliases = List.copyOf(b.aliases);
        this.type = b.type;
        this.defaultValue = b.defaultValue;
        this.min = b.min;
        this.max = b.max;
        this.enumValues = List.copyOf(b.enumValues);
        this.flags = List.copyOf(b.flags);
        this.parser = b.parser;
        this.formatter = b.formatter;
        this.listener = b.listener;
    }

    public static Builder bool(String name, boolean def) {
        return new Builder(name, Type.BOOL, def ? "yes" : "no");
    }

    public static Builder integer(String name, long def, long min, long max) {
        Builder b = new Builder(name, Type.INT, Long.toString(def));
        b.min = min;
        b.max = max;
        return b;
    }

    public static Builder memory(String name, long def, long min, long max) {
        Builder b = new Builder(name, Type.MEMORY, Long.toString(def));
        b.min = min;
        b.max = max;
        return b;
    }

    public static Builder enumeration(String name, String def, String... values) {
        Builder b = new Builder(name, Type.ENUM, def);
        b.enumValues.addAll(List.of(values));
        return b;
    }

    public static Builder string(String name, String def) {
        return new Builder(name, Type.STRING, def);
    }

    /**
     * A parameter with its own syntax: {@code parser} turns the text into a value or throws
     * IllegalArgumentException with the reason; {@code formatter} writes it back for CONFIG GET.
     */
    public static Builder special(String name, String def, Function<String, Object> parser,
                                  Function<Object, String> formatter) {
        Builder b = new Builder(name, Type.SPECIAL, def);
        b.parser = parser;
        b.formatter = formatter;
        return b;
    }

    public String name() {
        return name;
    }

    public List<String> aliases() {
        return aliases;
    }

    public Type type() {
        return type;
    }

    public String defaultValue() {
        return defaultValue;
    }

    public long min() {
        return min;
    }

    public long max() {
        return max;
    }

    public List<String> enumValues() {
        return enumValues;
    }

    public boolean has(Flag f) {
        return flags.contains(f);
    }

    public Function<String, Object> parser() {
        return parser;
    }

    public Function<Object, String> formatter() {
        return formatter;
    }

    /** Called on the engine thread with the new parsed value; may throw IllegalArgumentException to refuse. */
    public Consumer<Object> listener() {
        return listener;
    }

    public static final class Builder {
        private final String name;
        private final List<String> aliases = new ArrayList<>();
        private final Type type;
        private final String defaultValue;
        private long min = Long.MIN_VALUE;
        private long max = Long.MAX_VALUE;
        private final List<String> enumValues = new ArrayList<>();
        private final List<Flag> flags = new ArrayList<>();
        private Function<String, Object> parser;
        private Function<Object, String> formatter;
        private Consumer<Object> listener;

        private Builder(String name, Type type, String def) {
            this.name = name.toLowerCase(Locale.ROOT);
            this.type = type;
            this.defaultValue = def;
        }

        public Builder alias(String a) {
            aliases.add(a.toLowerCase(Locale.ROOT));
            return this;
        }

        public Builder flags(Flag... f) {
            flags.addAll(List.of(f));
            return this;
        }

        public Builder onChange(Consumer<Object> l) {
            this.listener = l;
            return this;
        }

        public ConfigParam build() {
            return new ConfigParam(this);
        }
    }
}
