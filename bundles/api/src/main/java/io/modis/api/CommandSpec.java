package io.modis.api;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A command's metadata, the data the core builds its command table, COMMAND INFO/DOCS/GETKEYS,
 * MULTI queueing and script and ACL checks from. Arity follows Redis: positive means exactly
 * that many arguments (name included), negative means at least -arity.
 */
public final class CommandSpec {
    private final String name;
    private final int arity;
    private final Set<CommandFlag> flags;
    /** The flags as bits by ordinal: {@link #has} is on every command's path. */
    private final long flagBits;
    private final List<String> aclCategories;
    private final int firstKey;
    private final int lastKey;
    private final int keyStep;
    private final List<KeySpec> keySpecs;
    private final String group;
    private final String since;
    private final String summary;
    private final String complexity;
    private final List<Command> subcommands;
    private final KeyFinder keyFinder;
    private final ChannelSpec channels;

    private CommandSpec(Builder b) {
        this.name = b.name;
        this.arity = b.arity;
        this.flags = b.flags.isEmpty() ? Set.of() : Set.copyOf(b.flags);
        long bits = 0;
        for (CommandFlag f : b.flags) {
            bits |= 1L << f.ordinal();
        }
        this.flagBits = bits;
        this.aclCategories = List.copyOf(b.aclCategories);
        this.firstKey = b.firstKey;
        this.lastKey = b.lastKey;
        this.keyStep = b.keyStep;
        this.keySpecs = List.copyOf(b.keySpecs);
        this.group = b.group;
        this.since = b.since;
        this.summary = b.summary;
        this.complexity = b.complexity;
        this.subcommands = List.copyOf(b.subcommands);
        this.keyFinder = b.keyFinder;
        this.channels = b.channels;
    }

    /** Starts a spec; {@code name} is case-insensitive, subcommands are named "parent|sub". */
    public static Builder of(String name, int arity) {
        return new Builder(name.toLowerCase(Locale.ROOT), arity);
    }

    /** Lowercase full name, "config|get" for a subcommand. */
    public String name() {
        return name;
    }

    public int arity() {
        return arity;
    }

    public Set<CommandFlag> flags() {
        return flags;
    }

    public boolean has(CommandFlag f) {
        return (flagBits & (1L << f.ordinal())) != 0;
    }

    /** ACL categories without '@', e.g. "string", "fast". */
    public List<String> aclCategories() {
        return aclCategories;
    }

    public int firstKey() {
        return firstKey;
    }

    public int lastKey() {
        return lastKey;
    }

    public int keyStep() {
        return keyStep;
    }

    public List<KeySpec> keySpecs() {
        return keySpecs;
    }

    public String group() {
        return group;
    }

    public String since() {
        return since;
    }

    public String summary() {
        return summary;
    }

    public String complexity() {
        return complexity;
    }

    public List<Command> subcommands() {
        return subcommands;
    }

    /** The command's own key finder, or null when its key specs locate its keys. */
    public KeyFinder keyFinder() {
        return keyFinder;
    }

    /** Where the channel arguments are (pub/sub commands), or null. */
    public ChannelSpec channels() {
        return channels;
    }

    /** True if {@code argc} arguments (name included) satisfy the arity. */
    public boolean arityAccepts(int argc) {
        return arity >= 0 ? argc == arity : argc >= -arity;
    }

    public static final class Builder {
        private final String name;
        private final int arity;
        private final EnumSet<CommandFlag> flags = EnumSet.noneOf(CommandFlag.class);
        private final List<String> aclCategories = new ArrayList<>();
        private int firstKey;
        private int lastKey;
        private int keyStep;
        private final List<KeySpec> keySpecs = new ArrayList<>();
        private String group = "generic";
        private String since = "1.0.0";
        private String summary = "";
        private String complexity = "";
        private final List<Command> subcommands = new ArrayList<>();
        private KeyFinder keyFinder;
        private ChannelSpec channels;

        private Builder(String name, int arity) {
            this.name = name;
            this.arity = arity;
        }

        /** Locates keys in each call (for commands whose specs include unknown ones). */
        public Builder keyFinder(KeyFinder finder) {
            this.keyFinder = finder;
            return this;
        }

        /** Declares the command's channel arguments (publish / subscribe commands). */
        public Builder channels(ChannelSpec spec) {
            this.channels = spec;
            return this;
        }

        public Builder flags(CommandFlag... f) {
            flags.addAll(Arrays.asList(f));
            return this;
        }

        /** ACL categories, with or without '@'. */
        public Builder acl(String... categories) {
            for (String c : categories) {
                aclCategories.add(c.startsWith("@") ? c.substring(1) : c);
            }
            return this;
        }

        /**
         * Legacy key positions (first, last, step); also adds a matching range key spec with
         * {@code keyFlags} unless explicit key specs are given.
         */
        public Builder keys(int first, int last, int step) {
            this.firstKey = first;
            this.lastKey = last;
            this.keyStep = step;
            return this;
        }

        public Builder keySpec(KeySpec spec) {
            keySpecs.add(spec);
            return this;
        }

        public Builder group(String g) {
            this.group = g;
            return this;
        }

        public Builder since(String s) {
            this.since = s;
            return this;
        }

        public Builder summary(String s) {
            this.summary = s;
            return this;
        }

        public Builder complexity(String c) {
            this.complexity = c;
            return this;
        }

        public Builder subcommand(Command c) {
            subcommands.add(c);
            return this;
        }

        public CommandSpec build() {
            return new CommandSpec(this);
        }
    }
}
