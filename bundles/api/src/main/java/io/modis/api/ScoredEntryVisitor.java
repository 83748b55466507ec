package io.modis.api;

/**
 * Receives sorted-set entries from a {@link ScoredMembers} walk without a copy per entry: the
 * member is bytes {@code off..off+len} of {@code buf}, which the visitor must neither modify nor
 * keep (it may be the set's own storage; copy the range to keep it).
 */
@FunctionalInterface
public interface ScoredEntryVisitor {
    /** Returns false to stop the walk after this entry. */
    boolean visit(byte[] buf, int off, int len, double score);
}
