package io.modis.core.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns {@code modis-server [config-file] [--option value ...]} into config lines and applies
 * them, the way redis-server does: options are appended to the file's text as lines, values
 * quoted, and every line is checked against the known parameters.
 */
public final class ConfigLoader {
    /** A directive that is not a parameter (rename-command, user, loadmodule, module configs). */
    public record Directive(int line, String text, List<String> args) {
    }

    private final ConfigRegistry registry;
    private final List<Directive> extra = new ArrayList<>();
    private String configFile;

    public ConfigLoader(ConfigRegistry registry) {
        this.registry = registry;
    }

    /** Absolute path of the config file, or null when started without one. */
    public String configFile() {
        return configFile;
    }

    /** rename-command, user, loadmodule and module-config lines, for the bundles that handle them. */
    public List<Directive> extraDirectives() {
        return extra;
    }

    /** Loads from the launcher's arguments. */
    public void load(String[] argv) throws ConfigError {
        int j = 0;
        StringBuilder options = new StringBuilder();
        if (argv.length > 0 && !argv[0].startsWith("-")) {
            configFile = Path.of(argv[0]).toAbsolutePath().toString();
            j = 1;
        }
        boolean handledLast = true;
        for (; j < argv.length; j++) {
            String a = argv[j];
            if (handledLast && a.startsWith("--")) {
                if (options.length() > 0) {
                    options.append('\n');
                }
                options.append(a.substring(2)).append(' ');
                List<String> parts = ArgSplitter.splitToStrings(a);
                if (parts != null && parts.size() == 1) {
                    handledLast = false;
                    boolean last = j == argv.length - 1;
                    if (a.equalsIgnoreCase("--save")) {
                        // a bare --save means save "" (no snapshots), as redis-server reads it
                        if (last) {
                            options.append("\"\"");
                        } else if (argv[j + 1].startsWith("--")) {
                            options.append("\"\"");
                            handledLast = true;
                        }
                    }
                } else {
                    handledLast = true;
                }
            } else {
                options.append(repr(a)).append(' ');
                handledLast = true;
            }
        }
        StringBuilder text = new StringBuilder();
        if (configFile != null) {
            try {
                text.append(Files.readString(Path.of(configFile), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new ConfigError(0, null, "Fatal error, can't open config file '" + configFile + "': "
                        + (e instanceof java.nio.file.NoSuchFileException ? "No such file or directory" : e.getMessage()));
            }
        }
        // as redis-server: options always follow a newline, so the first one is on line 2
        if (options.length() > 0) {
            text.append('\n');
        }
        text.append(options);
        loadString(text.toString());
    }

    /** Redis's sdscatrepr: a double-quoted, escaped form of an option value. */
    static String repr(String s) {
        return repr(s.getBytes(StandardCharsets.UTF_8));
    }

    /** Redis's sdscatrepr of raw bytes (also what MONITOR prints for each argument). */
    public static String repr(byte[] bytes) {
        StringBuilder sb = new StringBuilder("\"");
        for (byte b : bytes) {
            int c = b & 0xff;
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '"' -> sb.append("\\\"");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case 7 -> sb.append("\\a");
                case '\b' -> sb.append("\\b");
                default -> {
                    if (c >= 32 && c < 127) {
                        sb.append((char) c);
                    } else {
                        sb.append(String.format("\\x%02x", c));
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    public void loadString(String config) throws ConfigError {
        String[] lines = config.split("\n", -1);
        boolean saveSeen = false;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            int num = i + 1;
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            List<String> argv = ArgSplitter.splitToStrings(line);
            if (argv == null) {
                throw new ConfigError(num, line, "Unbalanced quotes in configuration line");
            }
            if (argv.isEmpty()) {
                continue;
            }
            String name = argv.get(0).toLowerCase(Locale.ROOT);
            List<String> args = argv.subList(1, argv.size());
            if (registry.known(name)) {
                boolean multi = registry.multiArg(name);
                if (!multi && args.size() != 1) {
                    throw new ConfigError(num, line, "wrong number of arguments");
                }
                List<String> values = args;
                if (multi && args.size() == 1 && !args.get(0).isEmpty()) {
                    values = ArgSplitter.splitToStrings(args.get(0));
                    if (values == null) {
                        throw new ConfigError(num, line, "Unbalanced quotes in configuration line");
                    }
                }
                if (name.equals("save")) {
                    // save lines accumulate within one load; an empty one resets
                    String prev = saveSeen ? registry.get("save") : "";
                    saveSeen = true;
                    List<String> merged = new ArrayList<>();
                    if (!prev.isEmpty() && !(values.size() == 1 && values.get(0).isEmpty())) {
                        merged.addAll(List.of(prev.split(" ")));
                    }
                    merged.addAll(values);
                    values = merged;
                }
                try {
                    checkMultiArg(name, values);
                    registry.setFromFile(name, values, multi);
                } catch (IllegalArgumentException e) {
                    throw new ConfigError(num, line, e.getMessage());
                }
                continue;
            }
            if (name.equals("list-max-ziplist-entries") || name.equals("list-max-ziplist-value")
                    || name.equals("lua-replicate-commands")) {
                if (argv.size() == 2) {
                    continue;
                }
            }
            if (name.equals("include") && argv.size() == 2) {
                try {
                    loadString(Files.readString(Path.of(args.get(0)), StandardCharsets.UTF_8));
                } catch (IOException e) {
                    throw new ConfigError(0, null, "Fatal error, can't open config file '" + args.get(0) + "': "
                            + "No such file or directory");
                }
            } else if ((name.equals("rename-command") && argv.size() == 3) || (name.equals("user") && argv.size() >= 2)
                    || (name.equals("loadmodule") && argv.size() >= 2)) {
                extra.add(new Directive(num, line, argv));
            } else if (name.indexOf('.') >= 0) {
                if (argv.size() < 2) {
                    throw new ConfigError(num, line, "Module config specified without value");
                }
                extra.add(new Directive(num, line, argv));
            } else if (name.equals("sentinel")) {
                throw new ConfigError(num, line, "sentinel directive while not in sentinel mode");
            } else {
                throw new ConfigError(num, line, "Bad directive or wrong number of arguments");
            }
        }
    }

    /** Checks for parameters kept as text (no bundle provides them yet) that Redis validates itself. */
    private static void checkMultiArg(String name, List<String> values) {
        switch (name) {
            case "shutdown-on-sigint", "shutdown-on-sigterm" -> {
                if (values.isEmpty() || (values.size() == 1 && values.get(0).isEmpty())) {
                    throw new IllegalArgumentException(
                            "argument(s) must be one of the following: default, save, nosave, now, force");
                }
                for (String v : values) {
                    if (!List.of("default", "save", "nosave", "now", "force").contains(v.toLowerCase(Locale.ROOT))) {
                        throw new IllegalArgumentException(
                                "argument(s) must be one of the following: default, save, nosave, now, force");
                    }
                }
            }
            case "replicaof", "slaveof" -> {
                if (values.size() != 2) {
                    throw new IllegalArgumentException("wrong number of arguments");
                }
                if (!values.get(0).equalsIgnoreCase("no")) {
                    try {
                        int port = Integer.parseInt(values.get(1));
                        if (port < 0 || port > 65535) {
                            throw new NumberFormatException();
                        }
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("Invalid master port");
                    }
                }
            }
            default -> {
                // validated by the parameter's own parser
            }
        }
    }
}
