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
        String line = new String(body, 0, end, StandardCharsets.ISO_8859_1);
        String[] parts = line.trim().split("[ \t\r]+");
        if (parts.length == 0 || parts[0].isEmpty()) {
            throw new CommandException("ERR Invalid script shebang");
        }
        if (!parts[0].equals("#!lua")) {
            throw new CommandException("ERR Unexpected engine in script shebang: " + parts[0]);
        }
        int flags = 0;
        for (int j = 1; j < parts.length; j++) {
            if (parts[j].startsWith("flags=")) {
                String list = parts[j].substring(6);
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
                throw new CommandException("ERR Unknown lua shebang option: " + parts[j]);
            }
        }
        return new Parsed(flags, end);
    }
}
