package io.modis.modules;

/** Why a module did not load or unload; the message goes to the log, the client gets Redis's error. */
final class LoadException extends Exception {
    private static final long serialVersionUID = 1L;

    LoadException(String message) {
        super(message);
    }
}
