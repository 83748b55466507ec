package io.modis.core;

import io.modis.api.Bytes;
import io.modis.api.Command;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The command table: names (lowercase) to commands, with subcommands under their container.
 * Lookups by the raw argument bytes go through a small open-addressing index so that the hot
 * path allocates nothing.
 */
public final class CommandTable {
    /** A registered command with its live statistics. */
    public static final class Entry {
        public final Command command;
        public final Entry parent;
        final Map<String, Entry> subcommands = new LinkedHashMap<>();
        public long calls;
        public long micros;
        public long rejectedCalls;
        public long failedCalls;
        /** Call durations in nanoseconds (latency-tracking), created at the first call. */
        public org.HdrHistogram.Histogram latency;

        Entry(Command command, Entry parent) {
            this.command = command;
            this.parent = parent;
        }

        public String fullName() {
            return command.spec().name();
        }

        public Entry subcommand(byte[] name) {
            return subcommands.get(Bytes.lower(name));
        }

        public Collection<Entry> subcommands() {
            return subcommands.values();
        }

        public boolean isContainer() {
            return !subcommands.isEmpty();
        }
    }

    private final Map<String, Entry> byName = new LinkedHashMap<>();
    private final Map<String, String> renamed = new LinkedHashMap<>();
    private byte[][] keys = new byte[64][];
    private Entry[] values = new Entry[64];
    /**
     * The last command a script engine looked up, by argument array identity: redis.call looks
     * its command up for the script checks and then runs it, so the second lookup is this.
     */
    private byte[][] memoArgv;
    private Entry memoEntry;

    /** rename-command: {@code to} empty removes the command. Applied to present and future commands. */
    public void rename(String from, String to) {
        renamed.put(from.toLowerCase(Locale.ROOT), to.toLowerCase(Locale.ROOT));
        Entry e = byName.remove(from.toLowerCase(Locale.ROOT));
        if (e != null && !to.isEmpty()) {
            byName.put(to.toLowerCase(Locale.ROOT), e);
        }
        reindex();
    }

    public void add(Command c) {
        Entry e = new Entry(c, null);
        for (Command sub : c.spec().subcommands()) {
            String n = sub.spec().name();
            e.subcommands.put(n.substring(n.indexOf('|') + 1), new Entry(sub, e));
        }
        String name = c.spec().name();
        String as = renamed.getOrDefault(name, name);
        if (!as.isEmpty()) {
            byName.put(as, e);
        }
        reindex();
    }

    public void remove(Command c) {
        byName.values().removeIf(e -> e.command == c);
        reindex();
    }

    /** Looks a command up by name (any case); null if unknown. */
    public Entry lookup(byte[] name) {
        int mask = keys.length - 1;
        int i = hash(name) & mask;
        while (true) {
            byte[] k = keys[i];
            if (k == null) {
                return null;
            }
            if (equalsIgnoreCase(k, name)) {
                return values[i];
            }
            i = (i + 1) & mask;
        }
    }

    public Entry lookup(String name) {
        return lookup(Bytes.of(name));
    }

    /** Looks up "name" or "container|sub". */
    public Entry lookupFullName(String fullName) {
        int bar = fullName.indexOf('|');
        if (bar < 0) {
            return lookup(fullName);
        }
        Entry c = lookup(fullName.substring(0, bar));
        return c == null ? null : c.subcommands.get(fullName.substring(bar + 1).toLowerCase(Locale.ROOT));
    }

    public Collection<Entry> all() {
        return byName.values();
    }

    public Map<String, Entry> byName() {
        return byName;
    }

    public int size() {
        return byName.size();
    }

    private void reindex() {
        int cap = 64;
        while (cap < byName.size() * 3) {
            cap <<= 1;
        }
        byte[][] k = new byte[cap][];
        Entry[] v = new Entry[cap];
        for (Map.Entry<String, Entry> e : byName.entrySet()) {
            byte[] name = Bytes.of(e.getKey());
            int i = hash(name) & (cap - 1);
            while (k[i] != null) {
                i = (i + 1) & (cap - 1);
            }
            k[i] = name;
            v[i] = e.getValue();
        }
        keys = k;
        values = v;
        memoArgv = null;
        memoEntry = null;
    }

    /** The entry remembered for exactly this argument array, or null. */
    Entry memo(byte[][] argv) {
        return argv == memoArgv ? memoEntry : null;
    }

    void remember(byte[][] argv, Entry e) {
        memoArgv = argv;
        memoEntry = e;
    }

    private static int hash(byte[] b) {
        int h = 0;
        for (byte x : b) {
            int c = x >= 'A' && x <= 'Z' ? x + 32 : x;
            h = h * 31 + c;
        }
        return h ^ (h >>> 16);
    }

    private static boolean equalsIgnoreCase(byte[] lower, byte[] any) {
        if (lower.length != any.length) {
            return false;
        }
        for (int i = 0; i < lower.length; i++) {
            int c = any[i];
            if (c >= 'A' && c <= 'Z') {
                c += 32;
            }
            if (c != lower[i]) {
                return false;
            }
        }
        return true;
    }

}
