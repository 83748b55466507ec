package io.modis.core;

import io.modis.api.ServerLog;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The server log in Redis's line format: {@code pid:R dd Mon yyyy HH:mm:ss.SSS <mark> message},
 * where R is the role (C while starting, M once running). Writes to stdout or to the logfile.
 */
public final class ServerLogImpl implements ServerLog {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("dd MMM yyyy HH:mm:ss.SSS", Locale.ENGLISH);

    private final long pid = ProcessHandle.current().pid();
    private volatile Level level = Level.NOTICE;
    private volatile char role = 'C';
    private volatile PrintStream out = System.out;
    private volatile String file = "";

    public long pid() {
        return pid;
    }

    public void role(char r) {
        this.role = r;
    }

    public void level(Level l) {
        this.level = l;
    }

    /** Switches to {@code path} (appending), or to stdout for an empty path. */
    public synchronized void file(String path) throws IOException {
        if (path.equals(file)) {
            return;
        }
        PrintStream next = path.isEmpty() ? System.out
                : new PrintStream(new FileOutputStream(path, true), true, StandardCharsets.UTF_8);
        PrintStream previous = out;
        out = next;
        file = path;
        if (previous != System.out) {
            previous.close();
        }
    }

    @Override
    public void log(Level l, String message) {
        if (l.ordinal() < level.ordinal()) {
            return;
        }
        raw(l, message);
    }

    /** Logs regardless of the level (Redis's LL_RAW-like lines such as the logo). */
    public void raw(Level l, String message) {
        String line = pid + ":" + role + " " + TIME.format(ZonedDateTime.now(ZoneId.systemDefault())) + " "
                + l.mark() + " " + message + "\n";
        PrintStream o = out;
        synchronized (this) {
            o.print(line);
            o.flush();
        }
    }

    /** Writes text as it is (the logo). */
    public void text(String text) {
        PrintStream o = out;
        synchronized (this) {
            o.print(text);
            o.flush();
        }
    }

    public static Level parseLevel(String s) {
        return switch (s) {
            case "debug" -> Level.DEBUG;
            case "verbose" -> Level.VERBOSE;
            case "notice" -> Level.NOTICE;
            case "warning" -> Level.WARNING;
            default -> throw new IllegalArgumentException("Invalid log level. Must be one of debug, verbose, notice, warning");
        };
    }

}
