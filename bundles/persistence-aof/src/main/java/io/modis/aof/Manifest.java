package io.modis.aof;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Redis 7.0's AOF manifest: the base file, history files (to be deleted) and incremental
 * files, one per line as {@code file <name> seq <n> type <b|h|i>}. Immutable; the writer swaps
 * whole manifests.
 */
record Manifest(Entry base, List<Entry> history, List<Entry> incrs) {
    static final char BASE = 'b';
    static final char HISTORY = 'h';
    static final char INCR = 'i';
    /** Redis reads manifest lines into a buffer of this many bytes. */
    static final int MAX_LINE = 1024;

    record Entry(String name, long seq, char type) {
        String line() {
            return "file " + quote(name) + " seq " + seq + " type " + type + "\n";
        }

        Entry as(char newType) {
            return new Entry(name, seq, newType);
        }
    }

    /** A malformed manifest: the message says why and where. */
    static final class BadManifest extends IOException {
        BadManifest(String message) {
            super(message);
        }
    }

    static Manifest empty() {
        return new Manifest(null, List.of(), List.of());
    }

    boolean isEmpty() {
        return base == null && incrs.isEmpty();
    }

    long lastIncrSeq() {
        return incrs.isEmpty() ? 0 : incrs.get(incrs.size() - 1).seq();
    }

    long baseSeq() {
        return base == null ? 0 : base.seq();
    }

    String text() {
        StringBuilder sb = new StringBuilder();
        if (base != null) {
            sb.append(base.line());
        }
        history.forEach(e -> sb.append(e.line()));
        incrs.forEach(e -> sb.append(e.line()));
        return sb.toString();
    }

    static Manifest parse(String text) throws BadManifest {
        Entry base = null;
        List<Entry> history = new ArrayList<>();
        List<Entry> incrs = new ArrayList<>();
        long maxSeq = 0;
        String[] lines = text.split("\n", -1);
        int count = 0;
        for (int n = 0; n < lines.length; n++) {
            String raw = lines[n];
            if (n == lines.length - 1 && raw.isEmpty()) {
                break;
            }
            count++;
            if (raw.startsWith("#")) {
                continue;
            }
            if (raw.length() >= MAX_LINE || n == lines.length - 1) {
                // longer than Redis's line buffer, or not ended by a newline
                throw bad(n + 1, raw.length() > 80 ? raw.substring(0, 80) + "..." : raw,
                        "The AOF manifest file contains too long line");
            }
            String line = raw.strip();
            List<String> words = split(line);
            if (line.isEmpty() || words == null || words.size() < 6 || words.size() % 2 != 0) {
                throw bad(n + 1, line, "Invalid AOF manifest file format");
            }
            String name = null;
            long seq = 0;
            char type = 0;
            for (int i = 0; i < words.size(); i += 2) {
                String k = words.get(i);
                String v = words.get(i + 1);
                if (k.equalsIgnoreCase("file")) {
                    name = v;
                    if (name.contains("/")) {
                        throw bad(n + 1, line, "File can't be a path, just a filename");
                    }
                } else if (k.equalsIgnoreCase("seq")) {
                    seq = atoll(v);
                } else if (k.equalsIgnoreCase("type")) {
                    type = v.isEmpty() ? 0 : v.charAt(0);
                }
            }
            if (name == null || seq == 0 || type == 0) {
                throw bad(n + 1, line, "Invalid AOF manifest file format");
            }
            Entry e = new Entry(name, seq, type);
            switch (type) {
                case BASE -> {
                    if (base != null) {
                        throw bad(n + 1, line, "Found duplicate base file information");
                    }
                    base = e;
                }
                case HISTORY -> history.add(e);
                case INCR -> {
                    if (seq <= maxSeq) {
                        throw bad(n + 1, line, "Found a non-monotonic sequence number");
                    }
                    incrs.add(e);
                    maxSeq = seq;
                }
                default -> throw bad(n + 1, line, "Unknown AOF file type");
            }
        }
        if (count == 0) {
            throw new BadManifest("Found an empty AOF manifest");
        }
        return new Manifest(base, List.copyOf(history), List.copyOf(incrs));
    }

    static Manifest read(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.ISO_8859_1));
    }

    /** Writes the manifest through a temp file, fsyncs it, renames it over the old one, fsyncs the directory. */
    void write(Path dir, String manifestName) throws IOException {
        Path tmp = dir.resolve("temp-" + manifestName);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(java.nio.ByteBuffer.wrap(text().getBytes(StandardCharsets.ISO_8859_1)));
            ch.force(true);
        }
        Files.move(tmp, dir.resolve(manifestName), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        syncDirectory(dir);
    }

    static void syncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException ignored) {
            // not every file system lets a directory be opened for fsync
        }
    }

    private static BadManifest bad(int lineNo, String line, String why) {
        return new BadManifest("Reading the manifest file, at line " + lineNo + ": '" + line + "': " + why);
    }

    private static long atoll(String s) {
        int i = 0;
        boolean neg = false;
        if (i < s.length() && (s.charAt(i) == '-' || s.charAt(i) == '+')) {
            neg = s.charAt(i) == '-';
            i++;
        }
        long v = 0;
        while (i < s.length() && Character.isDigit(s.charAt(i))) {
            v = v * 10 + (s.charAt(i) - '0');
            i++;
        }
        return neg ? -v : v;
    }

    private static String quote(String name) {
        boolean plain = true;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= ' ' || c >= 127 || c == '"' || c == '\'' || c == '\\') {
                plain = false;
                break;
            }
        }
        if (plain && !name.isEmpty()) {
            return name;
        }
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '"' -> sb.append("\\\"");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < ' ' || c >= 127) {
                        sb.append(String.format("\\x%02x", (int) c & 0xff));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    /** Splits a line into words with Redis's quoting rules (double quotes with escapes, single quotes); null if unbalanced. */
    static List<String> split(String line) {
        List<String> out = new ArrayList<>();
        int i = 0;
        int n = line.length();
        while (true) {
            while (i < n && Character.isWhitespace(line.charAt(i))) {
                i++;
            }
            if (i >= n) {
                return out;
            }
            StringBuilder w = new StringBuilder();
            boolean inDq = false;
            boolean inSq = false;
            boolean done = false;
            while (!done) {
                if (inDq) {
                    if (i >= n) {
                        return null;
                    }
                    char c = line.charAt(i);
                    if (c == '\\' && i + 3 < n && line.charAt(i + 1) == 'x' && isHex(line.charAt(i + 2))
                            && isHex(line.charAt(i + 3))) {
                        w.append((char) Integer.parseInt(line.substring(i + 2, i + 4), 16));
                        i += 3;
                    } else if (c == '\\' && i + 1 < n) {
                        i++;
                        char e = line.charAt(i);
                        w.append(switch (e) {
                            case 'n' -> '\n';
                            case 'r' -> '\r';
                            case 't' -> '\t';
                            case 'b' -> '\b';
                            case 'a' -> (char) 7;
                            default -> e;
                        });
                    } else if (c == '"') {
                        if (i + 1 < n && !Character.isWhitespace(line.charAt(i + 1))) {
                            return null;
                        }
                        done = true;
                    } else {
                        w.append(c);
                    }
                } else if (inSq) {
                    if (i >= n) {
                        return null;
                    }
                    char c = line.charAt(i);
                    if (c == '\\' && i + 1 < n && line.charAt(i + 1) == '\'') {
                        i++;
                        w.append('\'');
                    } else if (c == '\'') {
                        if (i + 1 < n && !Character.isWhitespace(line.charAt(i + 1))) {
                            return null;
                        }
                        done = true;
                    } else {
                        w.append(c);
                    }
                } else {
                    if (i >= n) {
                        done = true;
                        continue;
                    }
                    char c = line.charAt(i);
                    if (Character.isWhitespace(c)) {
                        done = true;
                    } else if (c == '"') {
                        inDq = true;
                    } else if (c == '\'') {
                        inSq = true;
                    } else {
                        w.append(c);
                    }
                }
                if (i < n) {
                    i++;
                }
            }
            out.add(w.toString());
        }
    }

    private static boolean isHex(char c) {
        return Character.digit(c, 16) >= 0;
    }
}
