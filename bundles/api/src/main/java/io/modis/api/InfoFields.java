package io.modis.api;

/**
 * A service adding fields to, or giving the values of fields in, a section the core writes
 * (e.g. {@code pubsub_channels} in "stats"). A field the core already writes keeps its place
 * and takes this value; new fields follow the core's.
 */
public interface InfoFields {
    /** Lowercase name of the core section. */
    String section();

    void write(InfoSection.InfoWriter out);
}
