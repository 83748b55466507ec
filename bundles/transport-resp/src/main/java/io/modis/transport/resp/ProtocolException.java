package io.modis.transport.resp;

/**
 * A request that breaks RESP. The connection answers with {@link #reply()} once the commands
 * parsed before it have run, then closes.
 */
final class ProtocolException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String reason;

    /**
     * @param reply the error line sent to the client, without '-'
     * @param reason the short cause written to the verbose log
     */
    ProtocolException(String reply, String reason) {
        super(reply, null, false, false);
        this.reason = reason;
    }

    String reply() {
        return getMessage();
    }

    String reason() {
        return reason;
    }
}
