package io.modis.api;

/**
 * The server log, in Redis's format ({@code pid:M 26 Nov 2026 05:31:57.123 * message}) and at
 * the configured loglevel. Safe from any thread.
 */
public interface ServerLog {
    enum Level {
        DEBUG('.'), VERBOSE('-'), NOTICE('*'), WARNING('#');

        private final char mark;

        Level(char mark) {
            this.mark = mark;
        }

        public char mark() {
            return mark;
        }
    }

    void log(Level level, String message);

    default void debug(String m) {
        log(Level.DEBUG, m);
    }

    default void verbose(String m) {
        log(Level.VERBOSE, m);
    }

    default void notice(String m) {
        log(Level.NOTICE, m);
    }

    default void warning(String m) {
        log(Level.WARNING, m);
    }
}
