package io.modis.api;

/**
 * Thrown by a handler (or the argument helpers) to answer the command with an error reply.
 * The message is the error line without the leading '-', e.g. {@code ERR syntax error}.
 * Throw it before changing anything: the dispatcher writes the error and nothing else.
 */
public final class CommandException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CommandException(String error) {
        super(error, null, false, false);
    }
}
