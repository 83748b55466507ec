package io.modis.zsets;

/**
 * Receives sorted-set entries without copying them: the member is bytes {@code off..off+len}
 * of {@code buf}, which the visitor must not modify or keep (copy it to keep it).
 */
@FunctionalInterface
public interface EntryVisitor {
    void visit(byte[] buf, int off, int len, double score);
}
