package io.modis.zsets;

import io.modis.api.Database;
import io.modis.api.Errors;
import io.modis.api.Members;
import io.modis.api.Value;
import io.modis.api.dict.Dict;
import java.util.Arrays;

/**
 * One input of ZUNION, ZINTER, ZDIFF and their STORE forms: a sorted set, a plain set (whose
 * members all score 1, as in Redis), or a missing key (empty). Plain sets come from another
 * bundle and are read through {@link Members} only.
 */
final class SetOpInput {
    /** Receives an input's entries; the member array is the receiver's to keep. */
    interface Sink {
        void accept(byte[] member, double score);
    }

    private final Value value;
    double weight = 1;
    /** A plain set's members, indexed on the first membership test. */
    private Dict<Boolean> setIndex;

    private SetOpInput(Value value) {
        this.value = value;
    }

    /** The input at {@code key}: WRONGTYPE for anything but a sorted set or a set. */
    static SetOpInput read(Database db, byte[] key) {
        Value v = db.get(key);
        if (v == null || v instanceof ZSetValue || (isSet(v) && v instanceof Members)) {
            return new SetOpInput(v);
        }
        throw Errors.wrongType();
    }

    private static boolean isSet(Value v) {
        return v.type() != null && "set".equals(v.type().name());
    }

    /** The same key given twice reads the same value. */
    boolean sameValueAs(SetOpInput other) {
        return value != null && value == other.value;
    }

    long length() {
        if (value == null) {
            return 0;
        }
        return value instanceof ZSetValue z ? z.length() : ((Members) value).length();
    }

    /** Hands every member with its score (unweighted) to {@code sink}, as fresh arrays. */
    void forEach(Sink sink) {
        if (value instanceof ZSetValue z) {
            z.visitAll((b, off, len, score) -> sink.accept(Arrays.copyOfRange(b, off, off + len), score));
        } else if (value != null) {
            ((Members) value).forEachMember(m -> sink.accept(m.clone(), 1.0));
        }
    }

    /** The member's unweighted score here, or NaN when absent. */
    double score(byte[] member) {
        if (value == null) {
            return Double.NaN;
        }
        if (value instanceof ZSetValue z) {
            return z.score(member);
        }
        if (setIndex == null) {
            // Members offers no lookup, so a set used for membership is indexed once per command
            setIndex = new Dict<>();
            ((Members) value).forEachMember(m -> setIndex.put(m, Boolean.TRUE));
        }
        return setIndex.get(member) != null ? 1.0 : Double.NaN;
    }
}
