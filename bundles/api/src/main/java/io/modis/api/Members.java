package io.modis.api;

import java.util.function.Consumer;

/**
 * A collection value whose members another bundle may read: lists in order, sets in any order,
 * sorted sets by rank. SORT reads its input through it, and the sorted-set commands read plain
 * sets through it (as members with score 1).
 */
public interface Members extends Value {
    /** Number of members. */
    long length();

    /** Calls {@code out} for each member; the arrays must not be modified or kept mutable. */
    void forEachMember(Consumer<byte[]> out);
}
