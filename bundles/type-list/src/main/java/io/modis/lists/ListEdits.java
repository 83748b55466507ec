package io.modis.lists;

import io.modis.api.Bytes;
import io.modis.api.CommandContext;
import io.modis.api.Database;
import io.modis.api.Errors;
import io.modis.api.Reply;

/** What the list commands share: end names, replies of ranges, and the bookkeeping of changes. */
final class ListEdits {
    static final byte[] LPOP = Bytes.of("LPOP");
    static final byte[] RPOP = Bytes.of("RPOP");
    static final byte[] LEFT = Bytes.of("left");
    static final byte[] RIGHT = Bytes.of("right");

    private ListEdits() {
    }

    /** LEFT (true, the head) or RIGHT (false, the tail), any case; else a syntax error. */
    static boolean parseEnd(byte[] word) {
        if (Bytes.is(word, "left")) {
            return true;
        }
        if (Bytes.is(word, "right")) {
            return false;
        }
        throw Errors.syntax();
    }

    static byte[] popCommand(boolean head) {
        return head ? LPOP : RPOP;
    }

    /** The list at {@code key}, made and added to the database first if there is none. */
    static ListValue createIfAbsent(Database db, byte[] key, ListValue existing) {
        if (existing != null) {
            return existing;
        }
        ListValue list = new ListValue();
        db.add(key, list);
        return list;
    }

    /**
     * Replies with elements {@code start..end} (inclusive, negative counting from the tail, as
     * LRANGE reads them), from {@code end} back to {@code start} when {@code reverse}.
     */
    static void replyRange(Reply reply, QuickList list, long start, long end, boolean reverse) {
        long length = list.length();
        if (start < 0) {
            start += length;
        }
        if (end < 0) {
            end += length;
        }
        if (start < 0) {
            start = 0;
        }
        if (start > end || start >= length) {
            reply.array(0);
            return;
        }
        if (end >= length) {
            end = length - 1;
        }
        long[] left = {end - start + 1};
        reply.array((int) left[0]);
        list.walk(reverse ? end : start, !reverse, (buf, off, len) -> {
            reply.bulk(buf, off, len);
            return --left[0] > 0;
        });
    }

    /**
     * Replies with up to {@code count} elements taken from one end (in the order they leave)
     * and removes them; returns how many.
     */
    static long popRange(Reply reply, QuickList list, boolean head, long count) {
        long n = Math.min(count, list.length());
        if (head) {
            replyRange(reply, list, 0, n - 1, false);
            list.removeRange(0, n);
        } else {
            replyRange(reply, list, -n, -1, true);
            list.removeRange(list.length() - n, n);
        }
        return n;
    }

    /**
     * After {@code n} elements left an end of {@code list}: the pop event, the key deleted (with
     * its "del" event) once the list is empty, WATCH and the change count.
     */
    static void popped(CommandContext ctx, Database db, byte[] key, ListValue list, boolean head, long n) {
        ctx.notify('l', head ? "lpop" : "rpop", key, db);
        deleteIfEmpty(ctx, db, key, list);
        ctx.touched(db, key);
        ctx.dirty(n);
    }

    /** Deletes the key of a list that became empty, with Redis's "del" event. */
    static void deleteIfEmpty(CommandContext ctx, Database db, byte[] key, ListValue list) {
        if (list.length() == 0) {
            db.delete(key);
            ctx.notify('g', "del", key, db);
        }
    }

    /**
     * Pushes the element that LMOVE and its blocking forms moved, making the destination if
     * needed, and replies with it.
     */
    static void pushMoved(CommandContext ctx, Database db, byte[] key, ListValue destination, byte[] element,
                          boolean head) {
        ListValue list = createIfAbsent(db, key, destination);
        ctx.touched(db, key);
        if (head) {
            list.pushFirst(element);
        } else {
            list.pushLast(element);
        }
        ctx.notify('l', head ? "lpush" : "rpush", key, db);
        ctx.reply().bulk(element);
    }
}
