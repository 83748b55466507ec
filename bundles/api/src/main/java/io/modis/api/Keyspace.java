package io.modis.api;

/** All databases of the server. */
public interface Keyspace {
    int databases();

    /** @throws CommandException "ERR DB index is out of range" for a bad index */
    Database db(int index);
}
