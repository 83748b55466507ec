package io.modis.hashes;

import io.modis.api.Bytes;
import io.modis.api.CommandContext;
import io.modis.api.CommandException;
import io.modis.api.Errors;
import io.modis.api.Reply;
import io.modis.api.dict.Dict;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * HRANDFIELD key [count [WITHVALUES]]: a positive count asks for distinct fields (at most the
 * whole hash), a negative one for that many independent draws. With WITHVALUES, RESP2 gets a
 * flat field, value, ... array and RESP3 an array of [field, value] pairs.
 */
final class HashRandomField {
    static final String COUNT_OUT_OF_RANGE =
            "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807";
    static final String OUT_OF_RANGE = "ERR value is out of range";

    /**
     * Below this ratio of hash size to count, distinct fields are picked by shuffling all of
     * them; above it by drawing at random and skipping repeats (Redis's
     * HRANDFIELD_SUB_STRATEGY_MUL).
     */
    private static final int SHUFFLE_RATIO = 3;

    private HashRandomField() {
    }

    static void hrandfield(CommandContext ctx) {
        int argc = ctx.argc();
        if (argc >= 3) {
            long count = ctx.argLong(2);
            if (count == Long.MIN_VALUE) {
                throw new CommandException(COUNT_OUT_OF_RANGE);
            }
            if (argc > 4 || (argc == 4 && !Bytes.is(ctx.arg(3), "withvalues"))) {
                throw Errors.syntax();
            }
            boolean withValues = argc == 4;
            // Redis refuses counts whose doubled reply length would overflow.
            if (withValues && (count < -Long.MAX_VALUE / 2 || count > Long.MAX_VALUE / 2)) {
                throw new CommandException(OUT_OF_RANGE);
            }
            withCount(ctx, count, withValues);
            return;
        }
        HashValue hash = ctx.db().get(ctx.arg(1), HashValue.class);
        if (hash == null) {
            ctx.reply().nil();
            return;
        }
        new Writer(ctx.reply(), hash, false).drawOne();
    }

    private static void withCount(CommandContext ctx, long requested, boolean withValues) {
        HashValue hash = ctx.db().get(ctx.arg(1), HashValue.class);
        Reply reply = ctx.reply();
        if (hash == null || requested == 0) {
            reply.array(0);
            return;
        }
        boolean distinct = requested > 0;
        long count = Math.abs(requested);
        long size = hash.size();
        boolean flatPairs = withValues && reply.protocol() == 2;
        Writer writer = new Writer(reply, hash, withValues);
        if (!distinct || count == 1) {
            long elements = flatPairs ? count * 2 : count;
            if (elements > Integer.MAX_VALUE) {
                // A reply this long cannot be written (nor read by any client).
                throw new CommandException(OUT_OF_RANGE);
            }
            reply.array((int) elements);
            for (long i = 0; i < count; i++) {
                writer.drawOne();
                if ((i & 1023) == 1023 && ctx.replyAbandoned()) {
                    return; // the client is gone: a billion draws would only be thrown away
                }
            }
            return;
        }
        int returned = (int) Math.min(count, size);
        reply.array(flatPairs ? returned * 2 : returned);
        if (count >= size) {
            hash.forEach(writer::write);
        } else if (hash.isListpack() || count * SHUFFLE_RATIO > size) {
            writer.shuffled(returned);
        } else {
            writer.drawDistinct(returned);
        }
    }

    /** Writes fields (and values) of one hash, picked in the various ways. */
    private static final class Writer {
        private final Reply reply;
        private final HashValue hash;
        private final boolean withValues;
        private final boolean nested;
        /** Positions of the listpack's fields, built on first use. */
        private int[] positions;

        Writer(Reply reply, HashValue hash, boolean withValues) {
            this.reply = reply;
            this.hash = hash;
            this.withValues = withValues;
            this.nested = withValues && reply.protocol() > 2;
        }

        void write(byte[] f, int fo, int fl, byte[] v, int vo, int vl) {
            if (nested) {
                reply.array(2);
            }
            reply.bulk(f, fo, fl);
            if (withValues) {
                reply.bulk(v, vo, vl);
            }
        }

        void write(Dict.Entry<byte[]> e) {
            write(e.key, 0, e.key.length, e.value, 0, e.value.length);
        }

        /** The pair of the listpack field at {@code pos}. */
        void writeAt(int pos) {
            Listpack lp = hash.listpack();
            int valuePos = lp.next(pos);
            write(lp.buffer(), lp.data(pos), lp.length(pos), lp.buffer(), lp.data(valuePos), lp.length(valuePos));
        }

        /** One uniformly random pair; draws are independent. */
        void drawOne() {
            if (hash.isListpack()) {
                int[] p = positions();
                writeAt(p[ThreadLocalRandom.current().nextInt(p.length)]);
            } else {
                write(hash.table().randomEntry());
            }
        }

        /** {@code n} distinct pairs from a partial shuffle of all of them. */
        void shuffled(int n) {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            if (hash.isListpack()) {
                int[] p = positions();
                for (int i = 0; i < n; i++) {
                    int j = i + random.nextInt(p.length - i);
                    int chosen = p[j];
                    p[j] = p[i];
                    p[i] = chosen;
                    writeAt(chosen);
                }
                return;
            }
            List<Dict.Entry<byte[]>> all = new ArrayList<>(hash.size());
            hash.table().forEach(all::add);
            for (int i = 0; i < n; i++) {
                Collections.swap(all, i, i + random.nextInt(all.size() - i));
                write(all.get(i));
            }
        }

        /** {@code n} distinct pairs drawn at random from a table much larger than {@code n}. */
        void drawDistinct(int n) {
            Set<Dict.Entry<byte[]>> seen = Collections.newSetFromMap(new IdentityHashMap<>(n * 2));
            Dict<byte[]> table = hash.table();
            while (seen.size() < n) {
                Dict.Entry<byte[]> e = table.randomEntry();
                if (seen.add(e)) {
                    write(e);
                }
            }
        }

        private int[] positions() {
            if (positions == null) {
                positions = hash.listpack().fieldPositions();
            }
            return positions;
        }
    }
}
