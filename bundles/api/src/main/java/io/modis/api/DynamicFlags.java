package io.modis.api;

/**
 * Implemented by a {@link CommandHandler} whose command is deny-oom or not depending on its
 * arguments, as Redis derives EVAL's and FCALL's flags from the script they run. Over maxmemory
 * the core asks before running or queueing the command, and refuses a deny-oom call as it
 * refuses a command flagged {@link CommandFlag#DENYOOM} (the command's rejected call).
 */
public interface DynamicFlags {
    /** True when the call {@code argv} must be refused over maxmemory. Engine thread. */
    boolean denyOom(byte[][] argv);
}
