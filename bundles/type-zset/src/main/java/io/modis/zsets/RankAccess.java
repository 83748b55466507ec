package io.modis.zsets;

/** Reads the entries at arbitrary ranks of a sorted set quickly, until the set next changes. */
@FunctionalInterface
public interface RankAccess {
    void visit(long rank, EntryVisitor visitor);
}
