package io.modis.scripting;

import io.modis.api.CommandException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Script flags (the {@code #!lua flags=...} shebang and register_function's flags). */
final class ScriptFlags {
    static final int NO_WRITES = 1;
    static final int ALLOW_OOM = 2;
    static final int ALLOW_STALE = 4;
    static final int NO_CLUSTER = 8;
    static final int ALLOW_CROSS_SLOT = 16;
    /** An EVAL script without shebang: Redis 6 rules (no flag checks before running). */
    static final int EVAL_COMPAT_MODE = 32;

    static final String[] NAMES = {"no-writes", "allow-oom", "allow-stale", "no-cluster", "allow-cross-slot-keys"};

    record Parsed(int flags, int length) {
    }

    private ScriptFlags() {
    }

    /** The flag named {@code name}, or 0. */
    static int flag(String name) {
        for (int i = 0; i < NAMES.length; i++) {
            if (NAMES[i].equals(name)) {
                return 1 << i;
            }
        }
        return 0;
    }

    static List<String> names(int flags) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < NAMES.length; i++) {
            if ((flags & (1 << i)) != 0) {
                out.add(NAMES[i]);
            }
        }
        return out;
    }

    /** The flags of an EVAL script's shebang line and the line's length (0 without shebang). */
    static Parsed parseEvalShebang(byte[] body) {
        if (body.length < 2 || body[0] != '#' || body[1] != '!') {
            return new Parsed(EVAL_COMPAT_MODE, 0);
        }
        int end = -1;
        for (int i = 0; i < body.length; i++) {
            if (body[i] == '\n') {
                end = i;
                break;
            }
        }
        if (end < 0) {
            throw new CommandException("ERR Invalid script shebang");
        }
        List<String> parts = words(new String(body, 0, end, StandardCharsets.ISO_8859_1));
        if (parts == null || parts.isEmpty()) {
            throw new CommandException("ERR Invalid engine in script shebang");
        }
        if (!parts.get(0).equals("#!lua")) {
            throw new CommandException("ERR Unexpected engine in script shebang: " + parts.get(0));
        }
        int flags = 0;
        for (int j = 1; j < parts.size(); j++) {
            if (parts.get(j).startsWith("flags=")) {
                String list = parts.get(j).substring(6);
                if (list.isEmpty()) {
                    continue;
                }
                for (String f : list.split(",", -1)) {
                    int bit = flag(f);
                    if (bit == 0) {
                        throw new CommandException("ERR Unexpected flag in script shebang: " + f);
                    }
                    flags |= bit;
                }
            } else {
                throw new CommandException("ERR Unknown lua shebang option: " + parts.get(j));
            }
        }
        return new Parsed(flags, end);
    }

    /**
     * The words of a shebang line, split as Redis splits it (sdssplitargs): by blanks, where a
     * word may hold "double-quoted" text with backslash escapes or 'single-quoted' text, and a
     * closing quote must end the word. Null when a quote is not closed that way.
     */
    static List<String> words(String line) {
        List<String> out = new ArrayList<>();
        int i = 0;
        int n = line.length();
        while (true) {
            while (i < n && isBlank(line.charAt(i))) {
                i++;
            }
            if (i == n) {
                return out;
            }
            StringBuilder w = new StringBuilder();
            while (i < n && !isBlank(line.charAt(i))) {
                char c = line.charAt(i++);
                if (c != '"' && c != '\'') {
                    w.append(c);
                    continue;
                }
                int close = quoted(line, i, c, w);
                if (close < 0 || (close + 1 < n && !isBlank(line.charAt(close + 1)))) {
                    return null;
                }
                i = close + 1;
            }
            out.add(w.toString());
        }
    }

    /** Appends the quoted text starting at {@code from} to {@code w}; the closing quote's index or -1. */
    private static int quoted(String line, int from, char quote, StringBuilder w) {
        for (int i = from; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == quote) {
                return i;
            }
            if (c != '\\' || i + 1 == line.length()) {
                w.append(c);
            } else if (quote == '\'') {
                char next = line.charAt(i + 1);
                if (next == '\'') {
                    i++;
                }
                w.append(next == '\'' ? '\'' : c);
            } else if (line.charAt(i + 1) == 'x' && i + 3 < line.length()
                    && Character.digit(line.charAt(i + 2), 16) >= 0 && Character.digit(line.charAt(i + 3), 16) >= 0) {
                w.append((char) Integer.parseInt(line.substring(i + 2, i + 4), 16));
                i += 3;
            } else {
                char e = line.charAt(++i);
                int at = "nrtba".indexOf(e);
                w.append(at < 0 ? e : "\n\r\t\b\u0007".charAt(at));
            }
        }
        return -1;
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x0b || c == '\f';
    }
}
