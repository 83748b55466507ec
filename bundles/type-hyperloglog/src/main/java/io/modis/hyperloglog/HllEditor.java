package io.modis.hyperloglog;

import static io.modis.hyperloglog.HllFormat.CACHE_FLAG_OFFSET;
import static io.modis.hyperloglog.HllFormat.STALE_BIT;

import io.modis.api.StringValue;
import java.util.function.Consumer;

/**
 * One command's changes to a stored HLL string. Dense registers change in place in the stored
 * value (two bytes at most per register). A sparse body changes length as runs split and join,
 * so it is edited in a {@link SparseEditor} and written back by {@link #finish()}; when it must
 * become dense, the dense string replaces the stored value at once and later changes go there.
 */
final class HllEditor {
    private final Consumer<StringValue> replace;
    private final long sparseMaxBytes;
    private StringValue value;
    /** The sparse body being edited, or null once the value is dense. */
    private SparseEditor sparse;
    private boolean sparseChanged;

    /**
     * @param value          a valid HLL string (see {@link HllFormat#isHll})
     * @param replace        stores a new value in place of the current one (same key, same TTL)
     * @param sparseMaxBytes hll-sparse-max-bytes: the longest sparse string allowed
     */
    HllEditor(StringValue value, Consumer<StringValue> replace, long sparseMaxBytes) {
        this.value = value;
        this.replace = replace;
        this.sparseMaxBytes = sparseMaxBytes;
        if (HllFormat.isSparse(value)) {
            byte[] bytes = value.bytes();
            sparse = new SparseEditor(bytes, bytes.length);
        }
    }

    boolean isSparse() {
        return sparse != null;
    }

    /**
     * Raises register {@code index} to {@code count} if it holds less: 1 if it changed, 0 if
     * not, -1 if the sparse body is corrupted.
     */
    int raise(int index, int count) {
        if (sparse != null) {
            int result = sparse.raise(index, count, sparseMaxBytes);
            if (result == SparseEditor.CHANGED) {
                sparseChanged = true;
            }
            if (result != SparseEditor.NEEDS_DENSE) {
                return result;
            }
            if (!toDense()) {
                return -1;
            }
        }
        return Dense.raise(value, index, count) ? 1 : 0;
    }

    /** Adds an element (PFADD): 1 if a register changed, 0 if not, -1 if corrupted. */
    int add(byte[] element) {
        long hash = ElementHash.murmurHash64A(element, 0, element.length, ElementHash.SEED);
        return raise(ElementHash.register(hash), ElementHash.runLength(hash));
    }

    /**
     * Converts to the dense encoding (no-op if dense), replacing the stored value; false,
     * with nothing changed, if the sparse body is corrupted.
     */
    boolean toDense() {
        if (sparse == null) {
            return true;
        }
        byte[] dense = Sparse.toDense(sparse.buffer(), sparse.length());
        if (dense == null) {
            return false;
        }
        sparse = null;
        sparseChanged = false;
        value = StringValue.ofRaw(dense);
        replace.accept(value);
        return true;
    }

    void invalidateCache() {
        if (sparse != null) {
            sparse.invalidateCache();
            sparseChanged = true;
        } else {
            value.setByte(CACHE_FLAG_OFFSET, (byte) (value.byteAt(CACHE_FLAG_OFFSET) | STALE_BIT));
        }
    }

    /**
     * Adds each register's value to {@code histogram}; false if the sparse body is corrupted.
     */
    boolean histogram(int[] histogram) {
        if (sparse != null) {
            return Sparse.histogram(sparse.buffer(), sparse.length(), histogram);
        }
        Dense.histogram(value.bytes(), histogram);
        return true;
    }

    /** Writes a changed sparse body back into the stored value; returns the stored value. */
    StringValue finish() {
        if (sparse != null && sparseChanged) {
            sparseChanged = false;
            if (sparse.length() == value.length()) {
                value.setRange(0, sparse.toBytes());
            } else {
                value = StringValue.ofRaw(sparse.toBytes());
                replace.accept(value);
            }
        }
        return value;
    }
}
