package io.modis.api;

/** A command: its metadata and the code that runs it. */
public record Command(CommandSpec spec, CommandHandler handler) {
    public String name() {
        return spec.name();
    }
}
