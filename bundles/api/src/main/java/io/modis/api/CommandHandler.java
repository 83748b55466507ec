package io.modis.api;

/**
 * Runs one command on the engine thread. It reads arguments from the context, changes the
 * keyspace, and writes exactly one reply. To fail, throw {@link CommandException} before
 * changing anything.
 */
@FunctionalInterface
public interface CommandHandler {
    void execute(CommandContext ctx);
}
