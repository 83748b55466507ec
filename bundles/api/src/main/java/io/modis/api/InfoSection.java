package io.modis.api;

/** A service contributing one INFO section (e.g. "persistence"). */
public interface InfoSection {
    /** Lowercase section name. */
    String name();

    /** Shown by plain INFO (not only by INFO all / everything / the name). */
    default boolean isDefault() {
        return true;
    }

    void write(InfoWriter out);

    interface InfoWriter {
        void field(String name, Object value);
    }
}
