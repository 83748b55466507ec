package io.modis.acl;

import io.modis.api.Bytes;
import io.modis.api.CommandKeys;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A set of permissions: commands (a bit per command id), key patterns with read/write
 * permissions, and channel patterns. A user has a root selector and any number of added ones;
 * a command is allowed when one selector allows all of it.
 */
final class Selector {
    /** A key pattern with the permissions (Commands.READ / WRITE) it grants. */
    static final class KeyPattern {
        final byte[] pattern;
        int perms;
        /** The pattern is "prefix*" with no other glob character: a prefix compare does. */
        private final byte[] prefix;
        /** The pattern has no glob character: an equality test does. */
        private final boolean exact;

        KeyPattern(byte[] pattern, int perms) {
            this.pattern = pattern;
            this.perms = perms;
            int specials = 0;
            for (byte b : pattern) {
                if (b == '*' || b == '?' || b == '[' || b == '\\') {
                    specials++;
                }
            }
            this.exact = specials == 0;
            this.prefix = specials == 1 && pattern.length > 0 && pattern[pattern.length - 1] == '*'
                    ? Arrays.copyOf(pattern, pattern.length - 1) : null;
        }

        boolean matches(byte[] key) {
            if (exact) {
                return Arrays.equals(pattern, key);
            }
            if (prefix != null) {
                return key.length >= prefix.length && Arrays.equals(prefix, 0, prefix.length, key, 0, prefix.length);
            }
            return Bytes.globMatch(pattern, key, false);
        }

        String describe() {
            String p = Bytes.str(pattern);
            return switch (perms) {
                case Commands.READ -> "%R~" + p;
                case Commands.WRITE -> "%W~" + p;
                default -> "~" + p;
            };
        }
    }

    /** Result codes, ordered as Redis ranks them when choosing which selector's denial to report. */
    static final int OK = 0;
    static final int DENIED_CMD = 1;
    static final int DENIED_KEY = 2;
    static final int DENIED_CHANNEL = 4;

    /**
     * Command bits are stored relative to {@code base}: a command is allowed when its bit in
     * {@code flipped} differs from base. base is what +@all / -@all last set, so it is also
     * Redis's "may run future commands" bit.
     */
    private boolean base;
    private final BitSet flipped;
    /** Redis's ALLCOMMANDS flag: set by +@all, cleared by any rule that removes a command. */
    boolean allCommands;
    private Map<Integer, List<String>> firstArgs;
    boolean allKeys;
    final List<KeyPattern> patterns;
    boolean allChannels;
    final List<byte[]> channels;

    Selector(boolean allChannels) {
        this.flipped = new BitSet();
        this.patterns = new ArrayList<>();
        this.channels = new ArrayList<>();
        this.allChannels = allChannels;
    }

    Selector copy() {
        Selector s = new Selector(allChannels);
        s.base = base;
        s.flipped.or(flipped);
        s.allCommands = allCommands;
        if (firstArgs != null) {
            s.firstArgs = new HashMap<>();
            firstArgs.forEach((k, v) -> s.firstArgs.put(k, new ArrayList<>(v)));
        }
        s.allKeys = allKeys;
        for (KeyPattern p : patterns) {
            s.patterns.add(new KeyPattern(p.pattern, p.perms));
        }
        s.channels.addAll(channels);
        return s;
    }

    boolean futureCommands() {
        return base;
    }

    boolean allowed(int id) {
        return base != flipped.get(id);
    }

    private void setBit(int id, boolean allow) {
        flipped.set(id, allow != base);
        if (!allow) {
            allCommands = false;
        }
    }

    private void setAll(boolean allow) {
        base = allow;
        flipped.clear();
        allCommands = allow;
        firstArgs = null;
    }

    /** Redis's ACLChangeSelectorPerm: the command, its first-args and its subcommands. */
    void change(Commands commands, Commands.Cmd cmd, boolean allow) {
        setBit(cmd.id, allow);
        if (firstArgs != null) {
            firstArgs.remove(cmd.id);
        }
        for (Commands.Cmd sub : commands.subcommands(cmd)) {
            setBit(sub.id, allow);
        }
    }

    private void changeCategory(Commands commands, List<Commands.Cmd> cmds, long category, boolean allow) {
        for (Commands.Cmd c : cmds) {
            if (c.module) {
                continue;
            }
            if ((c.categories & category) != 0) {
                change(commands, c, allow);
            }
            List<Commands.Cmd> subs = commands.subcommands(c);
            if (!subs.isEmpty()) {
                changeCategory(commands, subs, category, allow);
            }
        }
    }

    /** Applies one selector rule (Redis's ACLSetSelector). */
    void apply(Commands commands, String op) {
        String lower = op.toLowerCase(java.util.Locale.ROOT);
        if (lower.equals("allkeys") || op.equals("~*")) {
            allKeys = true;
            patterns.clear();
        } else if (lower.equals("resetkeys")) {
            allKeys = false;
            patterns.clear();
        } else if (lower.equals("allchannels") || op.equals("&*")) {
            allChannels = true;
            channels.clear();
        } else if (lower.equals("resetchannels")) {
            allChannels = false;
            channels.clear();
        } else if (lower.equals("allcommands") || lower.equals("+@all")) {
            setAll(true);
        } else if (lower.equals("nocommands") || lower.equals("-@all")) {
            setAll(false);
        } else if (op.startsWith("~") || op.startsWith("%")) {
            addKeyPattern(op);
        } else if (op.startsWith("&")) {
            if (allChannels) {
                throw new AclException(AclException.CHANNELS_AFTER_ALL);
            }
            if (hasSpaces(op, 1)) {
                throw new AclException(AclException.SYNTAX);
            }
            byte[] p = Bytes.of(op.substring(1));
            boolean present = false;
            for (byte[] c : channels) {
                present |= Arrays.equals(c, p);
            }
            if (!present) {
                channels.add(p);
            }
            allChannels = false;
        } else if (op.startsWith("+") && !op.startsWith("+@")) {
            allow(commands, op.substring(1));
        } else if (op.startsWith("-") && !op.startsWith("-@")) {
            Commands.Cmd cmd = commands.lookup(op.substring(1));
            if (cmd == null) {
                throw new AclException(AclException.UNKNOWN);
            }
            change(commands, cmd, false);
        } else if (op.startsWith("+@") || op.startsWith("-@")) {
            long bit = Categories.bit(op.substring(2));
            if (bit == 0) {
                throw new AclException(AclException.UNKNOWN);
            }
            changeCategory(commands, commands.all(), bit, op.charAt(0) == '+');
        } else {
            throw new AclException(AclException.SYNTAX);
        }
    }

    private void allow(Commands commands, String name) {
        int bar = name.lastIndexOf('|');
        if (bar < 0) {
            Commands.Cmd cmd = commands.lookup(name);
            if (cmd == null) {
                throw new AclException(AclException.UNKNOWN);
            }
            change(commands, cmd, true);
            return;
        }
        String parentName = name.substring(0, bar);
        String sub = name.substring(bar + 1);
        Commands.Cmd parent = commands.lookup(parentName);
        if (parent == null) {
            throw new AclException(AclException.UNKNOWN);
        }
        if (parent.name().indexOf('|') >= 0) {
            throw new AclException(AclException.FIRSTARG_OF_SUB);
        }
        if (sub.isEmpty()) {
            throw new AclException(AclException.SYNTAX);
        }
        if (!parent.spec.subcommands().isEmpty()) {
            Commands.Cmd cmd = commands.lookup(name);
            if (cmd == null) {
                throw new AclException(AclException.UNKNOWN);
            }
            change(commands, cmd, true);
        } else {
            // a first argument of an otherwise blocked command (SELECT|0, DEBUG|OBJECT)
            if (firstArgs == null) {
                firstArgs = new HashMap<>();
            }
            List<String> args = firstArgs.computeIfAbsent(parent.id, k -> new ArrayList<>());
            for (String a : args) {
                if (a.equalsIgnoreCase(sub)) {
                    return;
                }
            }
            args.add(sub);
        }
    }

    private void addKeyPattern(String op) {
        if (allKeys) {
            throw new AclException(AclException.KEYS_AFTER_ALL);
        }
        int perms = 0;
        int offset = 1;
        if (op.charAt(0) == '%') {
            for (; offset < op.length(); offset++) {
                char ch = Character.toUpperCase(op.charAt(offset));
                if (ch == 'R' && (perms & Commands.READ) == 0) {
                    perms |= Commands.READ;
                } else if (ch == 'W' && (perms & Commands.WRITE) == 0) {
                    perms |= Commands.WRITE;
                } else if (op.charAt(offset) == '~') {
                    offset++;
                    break;
                } else {
                    throw new AclException(AclException.SYNTAX);
                }
            }
        } else {
            perms = Commands.READ | Commands.WRITE;
        }
        if (hasSpaces(op, offset)) {
            throw new AclException(AclException.SYNTAX);
        }
        byte[] p = Bytes.of(op.substring(Math.min(offset, op.length())));
        for (KeyPattern k : patterns) {
            if (Arrays.equals(k.pattern, p)) {
                k.perms |= perms;
                allKeys = false;
                return;
            }
        }
        patterns.add(new KeyPattern(p, perms));
        allKeys = false;
    }

    static boolean hasSpaces(String s, int from) {
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == 0 || Character.isWhitespace(c)) {
                return true;
            }
        }
        return false;
    }

    // ---- checks ----

    /** Denied position of the last check (argument index of the key or channel). */
    int deniedAt;

    /** Redis's ACLSelectorCheckCmd; {@code keys} is computed at most once per call by the caller. */
    int check(Commands.Cmd cmd, byte[][] argv, KeysCache keys) {
        if (!allCommands && !cmd.noAuth && !allowed(cmd.id)) {
            List<String> args = firstArgs == null || argv.length < 2 ? null : firstArgs.get(cmd.id);
            boolean ok = false;
            if (args != null) {
                String first = Bytes.str(argv[1]);
                for (String a : args) {
                    if (a.equalsIgnoreCase(first)) {
                        ok = true;
                        break;
                    }
                }
            }
            if (!ok) {
                return DENIED_CMD;
            }
        }
        if (!allKeys && cmd.hasKeys && cmd.ranges != null) {
            int argc = argv.length;
            for (int[] r : cmd.ranges) {
                if ((r[3] & Commands.NOT_KEY) != 0) {
                    continue;
                }
                int last = r[1] >= 0 ? r[0] + r[1] : argc + r[1];
                for (int i = r[0]; i <= last && i < argc; i += r[2]) {
                    if (!keyAllowed(argv[i], r[3])) {
                        deniedAt = i;
                        return DENIED_KEY;
                    }
                }
            }
        } else if (!allKeys && cmd.hasKeys) {
            List<CommandKeys.Key> found = keys.get(cmd, argv);
            if (found != null) {
                for (CommandKeys.Key k : found) {
                    int needs = cmd.needs(k.flags());
                    if ((needs & Commands.NOT_KEY) != 0) {
                        continue;
                    }
                    if (!keyAllowed(argv[k.position()], needs)) {
                        deniedAt = k.position();
                        return DENIED_KEY;
                    }
                }
            }
        }
        if (!allChannels && cmd.channels != null && cmd.channels.checked()) {
            int first = cmd.channels.first();
            int last = cmd.channels.last() < 0 ? argv.length + cmd.channels.last() : cmd.channels.last();
            for (int i = first; i <= last && i < argv.length; i++) {
                if (!channelAllowed(argv[i], cmd.channels.pattern())) {
                    deniedAt = i;
                    return DENIED_CHANNEL;
                }
            }
        }
        return OK;
    }

    /** True when a key with {@code needs} permissions matches one of the patterns. */
    boolean keyAllowed(byte[] key, int needs) {
        if (allKeys) {
            return true;
        }
        needs &= Commands.READ | Commands.WRITE;
        for (KeyPattern p : patterns) {
            if ((p.perms & needs) == needs && p.matches(key)) {
                return true;
            }
        }
        return false;
    }

    /** True when a pattern "*" grants read access (or allkeys). */
    boolean readsAnyKey() {
        if (allKeys) {
            return true;
        }
        for (KeyPattern p : patterns) {
            if ((p.perms & Commands.READ) != 0 && p.pattern.length == 1 && p.pattern[0] == '*') {
                return true;
            }
        }
        return false;
    }

    /** Channels are matched as globs; a subscribed pattern must equal an allowed one literally. */
    boolean channelAllowed(byte[] channel, boolean literal) {
        if (allChannels) {
            return true;
        }
        for (byte[] p : channels) {
            if (literal ? Arrays.equals(p, channel) : Bytes.globMatch(p, channel, false)) {
                return true;
            }
        }
        return false;
    }

    /** The keys of one call, found once for all selectors. */
    static final class KeysCache {
        private boolean done;
        private List<CommandKeys.Key> keys;

        List<CommandKeys.Key> get(Commands.Cmd cmd, byte[][] argv) {
            if (!done) {
                keys = CommandKeys.find(cmd.spec, argv);
                done = true;
            }
            return keys;
        }
    }

    // ---- description ----

    String describeKeys() {
        if (allKeys) {
            return "~*";
        }
        StringBuilder sb = new StringBuilder();
        for (KeyPattern p : patterns) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(p.describe());
        }
        return sb.toString();
    }

    String describeChannels() {
        if (allChannels) {
            return "&*";
        }
        StringBuilder sb = new StringBuilder();
        for (byte[] c : channels) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append('&').append(Bytes.str(c));
        }
        return sb.toString();
    }

    /** The selector as rules (keys, channels, commands), as ACL LIST shows it. */
    String describe(Commands commands) {
        StringBuilder sb = new StringBuilder();
        if (allKeys) {
            sb.append("~* ");
        } else {
            for (KeyPattern p : patterns) {
                sb.append(p.describe()).append(' ');
            }
        }
        if (allChannels) {
            sb.append("&* ");
        } else {
            sb.append("resetchannels ");
            for (byte[] c : channels) {
                sb.append('&').append(Bytes.str(c)).append(' ');
            }
        }
        sb.append(describeCommands(commands));
        return sb.toString();
    }

    /**
     * The command rules that rebuild this selector's bits (Redis's
     * ACLDescribeSelectorCommandRules): +@all or -@all, then the categories that fit best, then
     * single commands and first-args.
     */
    String describeCommands(Commands commands) {
        StringBuilder rules = new StringBuilder();
        boolean additive = !futureCommands();
        Selector fake = new Selector(false);
        fake.setAll(!additive);
        rules.append(additive ? "-@all " : "+@all ");
        Selector temp = new Selector(false);
        temp.base = base;
        temp.flipped.or(flipped);
        List<Commands.Cmd> all = commands.all();
        boolean[] applied = new boolean[Categories.NAMES.size()];
        while (true) {
            int best = -1;
            long minDiff = Integer.MAX_VALUE;
            long maxSame = 0;
            for (int j = 0; j < applied.length; j++) {
                if (applied[j]) {
                    continue;
                }
                long[] onOff = new long[2];
                temp.count(commands, all, 1L << j, onOff);
                long diff = additive ? onOff[1] : onOff[0];
                long same = additive ? onOff[0] : onOff[1];
                if (same > diff && (diff < minDiff || (diff == minDiff && same > maxSame))) {
                    best = j;
                    minDiff = diff;
                    maxSame = same;
                }
            }
            if (best < 0) {
                break;
            }
            String cat = Categories.NAMES.get(best);
            fake.changeCategory(commands, all, 1L << best, additive);
            temp.changeCategory(commands, all, 1L << best, !additive);
            rules.append(additive ? "+@" : "-@").append(cat).append(' ');
            applied[best] = true;
        }
        singleCommands(commands, fake, all, rules);
        rules.setLength(rules.length() - 1);
        return rules.toString();
    }

    private void count(Commands commands, List<Commands.Cmd> cmds, long category, long[] onOff) {
        for (Commands.Cmd c : cmds) {
            if ((c.categories & category) != 0) {
                onOff[allowed(c.id) ? 0 : 1]++;
            }
            List<Commands.Cmd> subs = commands.subcommands(c);
            if (!subs.isEmpty()) {
                count(commands, subs, category, onOff);
            }
        }
    }

    private void singleCommands(Commands commands, Selector fake, List<Commands.Cmd> cmds, StringBuilder rules) {
        for (Commands.Cmd c : cmds) {
            boolean mine = allowed(c.id);
            if (mine != fake.allowed(c.id)) {
                rules.append(mine ? '+' : '-').append(c.name()).append(' ');
                fake.change(commands, c, mine);
            }
            List<Commands.Cmd> subs = commands.subcommands(c);
            if (!subs.isEmpty()) {
                singleCommands(commands, fake, subs, rules);
            }
            List<String> args = firstArgs == null ? null : firstArgs.get(c.id);
            if (!mine && args != null) {
                for (String a : args) {
                    rules.append('+').append(c.name()).append('|').append(a).append(' ');
                }
            }
        }
    }
}
