package io.modis.core.config;

/** A bad directive in the config file or command line: Redis's fatal config error. */
public final class ConfigError extends Exception {
    private static final long serialVersionUID = 1L;
    private final int line;
    private final String text;

    public ConfigError(int line, String text, String reason) {
        super(reason);
        this.line = line;
        this.text = text;
    }

    /** The report Redis prints on stderr before exiting with 1. */
    public String report() {
        StringBuilder sb = new StringBuilder("\n*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\n");
        if (line > 0) {
            sb.append("Reading the configuration file, at line ").append(line).append('\n');
            sb.append(">>> '").append(text).append("'\n");
        }
        sb.append(getMessage()).append('\n');
        return sb.toString();
    }
}
