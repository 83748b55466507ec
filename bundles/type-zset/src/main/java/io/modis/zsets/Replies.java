package io.modis.zsets;

import io.modis.api.CommandException;
import io.modis.api.Reply;

/**
 * The reply shapes of entries: members alone, or members with scores, which RESP2 flattens into
 * one array (member, score, member, score ...) and RESP3 nests as [member, score] pairs.
 */
final class Replies {
    private Replies() {
    }

    /** The header of {@code n} entries. */
    static void header(Reply r, long n, boolean withScores) {
        r.array(length(withScores && r.protocol() == 2 ? n * 2 : n));
    }

    /** Writes entries as they are visited, in the shape {@link #header} announced. */
    static EntryVisitor entries(Reply r, boolean withScores) {
        if (!withScores) {
            return (b, off, len, score) -> r.bulk(b, off, len);
        }
        boolean nested = r.protocol() > 2;
        return (b, off, len, score) -> {
            if (nested) {
                r.array(2);
            }
            r.bulk(b, off, len);
            r.dbl(score);
        };
    }

    /** An aggregate length; Redis streams longer replies, a Reply takes an int. */
    static int length(long n) {
        if (n > Integer.MAX_VALUE) {
            throw new CommandException("ERR value is out of range");
        }
        return (int) n;
    }
}
