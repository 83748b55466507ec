package io.modis.api;

/** A value with named fields another bundle may read (hashes): what SORT's {@code key->field} reads. */
public interface Fields extends Value {
    /** The value of {@code field}, or null when absent. The array must not be modified. */
    byte[] field(byte[] field);
}
