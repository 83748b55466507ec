package io.modis.launcher;

import org.apache.felix.framework.Logger;

/** Felix logs to stdout by default; stdout is the server's log, so its messages go to stderr. */
final class StderrLogger extends Logger {

    private static final String[] LEVELS = {"", "ERROR", "WARNING", "INFO", "DEBUG"};

    @Override
    protected void doLog(int level, String message, Throwable throwable) {
        String label = level > 0 && level < LEVELS.length ? LEVELS[level] : "LOG " + level;
        System.err.println("felix " + label + ": " + message + (throwable == null ? "" : " (" + throwable + ")"));
        if (throwable != null && level == LOG_ERROR) {
            throwable.printStackTrace();
        }
    }
}
