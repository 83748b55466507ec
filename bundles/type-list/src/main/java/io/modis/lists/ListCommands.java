package io.modis.lists;

import static io.modis.api.CommandFlag.DENYOOM;
import static io.modis.api.CommandFlag.FAST;
import static io.modis.api.CommandFlag.READONLY;
import static io.modis.api.CommandFlag.WRITE;
import static io.modis.lists.ListSpecs.command;
import static io.modis.lists.ListSpecs.oneKey;
import static io.modis.lists.ListSpecs.spec;

import io.modis.api.Bytes;
import io.modis.api.Command;
import io.modis.api.CommandContext;
import io.modis.api.CommandException;
import io.modis.api.CommandProvider;
import io.modis.api.Database;
import io.modis.api.Errors;
import io.modis.api.Reply;
import java.util.Arrays;
import java.util.List;
import org.osgi.service.component.annotations.Component;

/**
 * The list commands that push, read, edit and search in place (t_list.c): each command's
 * metadata, as COMMAND INFO reports it, declared beside its handler. Popping and moving
 * commands, blocking or not, are in {@link PopCommands} and {@link MoveCommands}.
 */
@Component(service = CommandProvider.class)
public final class ListCommands implements CommandProvider {
    static final String RANK_ZERO = "ERR RANK can't be zero: use 1 to start from the first match, 2 from the"
            + " second ... or use negative to start from the end of the list";
    static final String COUNT_NEGATIVE = "ERR COUNT can't be negative";
    static final String MAXLEN_NEGATIVE = "ERR MAXLEN can't be negative";

    private static final String PUSH_COMPLEXITY = "O(1) for each element added, so O(N) to add N elements when"
            + " the command is called with multiple arguments.";

    private final List<Command> commands = List.of(
            command(oneKey(spec("lpush", -3, "1.0.0", WRITE, DENYOOM, FAST), "RW", "INSERT")
                    .summary("Prepend one or multiple elements to a list").complexity(PUSH_COMPLEXITY),
                    ctx -> push(ctx, true, false)),
            command(oneKey(spec("rpush", -3, "1.0.0", WRITE, DENYOOM, FAST), "RW", "INSERT")
                    .summary("Append one or multiple elements to a list").complexity(PUSH_COMPLEXITY),
                    ctx -> push(ctx, false, false)),
            command(oneKey(spec("lpushx", -3, "2.2.0", WRITE, DENYOOM, FAST), "RW", "INSERT")
                    .summary("Prepend an element to a list, only if the list exists").complexity(PUSH_COMPLEXITY),
                    ctx -> push(ctx, true, true)),
            command(oneKey(spec("rpushx", -3, "2.2.0", WRITE, DENYOOM, FAST), "RW", "INSERT")
                    .summary("Append an element to a list, only if the list exists").complexity(PUSH_COMPLEXITY),
                    ctx -> push(ctx, false, true)),
            command(oneKey(spec("llen", 2, "1.0.0", READONLY, FAST), "RO")
                    .summary("Get the length of a list").complexity("O(1)"), ListCommands::llen),
            command(oneKey(spec("lrange", 4, "1.0.0", READONLY), "RO", "ACCESS")
                    .summary("Get a range of elements from a list")
                    .complexity("O(S+N) where S is the distance of start offset from HEAD for small lists, from"
                            + " nearest end (HEAD or TAIL) for large lists; and N is the number of elements in the"
                            + " specified range."), ListCommands::lrange),
            command(oneKey(spec("lindex", 3, "1.0.0", READONLY), "RO", "ACCESS")
                    .summary("Get an element from a list by its index")
                    .complexity("O(N) where N is the number of elements to traverse to get to the element at"
                            + " index. This makes asking for the first or the last element of the list O(1)."),
                    ListCommands::lindex),
            command(oneKey(spec("lset", 4, "1.0.0", WRITE, DENYOOM), "RW", "UPDATE")
                    .summary("Set the value of an element in a list by its index")
                    .complexity("O(N) where N is the length of the list. Setting either the first or the last"
                            + " element of the list is O(1)."), ListCommands::lset),
            command(oneKey(spec("linsert", 5, "2.2.0", WRITE, DENYOOM), "RW", "INSERT")
                    .summary("Insert an element before or after another element in a list")
                    .complexity("O(N) where N is the number of elements to traverse before seeing the value"
                            + " pivot. This means that inserting somewhere on the left end on the list (head) can be"
                            + " considered O(1) and inserting somewhere on the right end (tail) is O(N)."),
                    ListCommands::linsert),
            command(oneKey(spec("lrem", 4, "1.0.0", WRITE), "RW", "DELETE")
                    .summary("Remove elements from a list")
                    .complexity("O(N+M) where N is the length of the list and M is the number of elements"
                            + " removed."), ListCommands::lrem),
            command(oneKey(spec("ltrim", 4, "1.0.0", WRITE), "RW", "DELETE")
                    .summary("Trim a list to the specified range")
                    .complexity("O(N) where N is the number of elements to be removed by the operation."),
                    ListCommands::ltrim),
            command(oneKey(spec("lpos", -3, "6.0.6", READONLY), "RO", "ACCESS")
                    .summary("Return the index of matching elements on a list")
                    .complexity("O(N) where N is the number of elements in the list, for the average case. When"
                            + " searching for elements near the head or the tail of the list, or when the MAXLEN"
                            + " option is provided, the command may run in constant time."), ListCommands::lpos));

    @Override
    public List<Command> commands() {
        return commands;
    }

    /* ---------------------------------------------------------------- pushing */

    /** LPUSH, RPUSH and, with {@code onlyIfExists}, LPUSHX and RPUSHX. */
    static void push(CommandContext ctx, boolean head, boolean onlyIfExists) {
        Database db = ctx.db();
        byte[] key = ctx.arg(1);
        ListValue list = db.get(key, ListValue.class);
        if (list == null && onlyIfExists) {
            ctx.reply().integer(0);
            return;
        }
        list = ListEdits.createIfAbsent(db, key, list);
        int argc = ctx.argc();
        for (int j = 2; j < argc; j++) {
            if (head) {
                list.pushFirst(ctx.arg(j));
            } else {
                list.pushLast(ctx.arg(j));
            }
        }
        ctx.dirty(argc - 2);
        ctx.reply().integer(list.length());
        ctx.touched(db, key);
        ctx.notify('l', head ? "lpush" : "rpush", key, db);
    }

    /* ---------------------------------------------------------------- reading */

    static void llen(CommandContext ctx) {
        ListValue list = ctx.db().get(ctx.arg(1), ListValue.class);
        ctx.reply().integer(list == null ? 0 : list.length());
    }

    static void lrange(CommandContext ctx) {
        long start = ctx.argLong(2);
        long end = ctx.argLong(3);
        ListValue list = ctx.db().get(ctx.arg(1), ListValue.class);
        if (list == null) {
            ctx.reply().array(0);
            return;
        }
        ListEdits.replyRange(ctx.reply(), list, start, end, false);
    }

    static void lindex(CommandContext ctx) {
        ListValue list = ctx.db().get(ctx.arg(1), ListValue.class);
        if (list == null) {
            ctx.reply().nil();
            return;
        }
        long index = normalize(ctx.argLong(2), list.length());
        Reply reply = ctx.reply();
        if (index < 0) {
            reply.nil();
            return;
        }
        list.walk(index, true, (buf, off, len) -> {
            reply.bulk(buf, off, len);
            return false;
        });
    }

    /** The index counted from the head (negative ones count from the tail), or -1 if outside the list. */
    private static long normalize(long index, long length) {
        long i = index < 0 ? length + index : index;
        return i >= 0 && i < length ? i : -1;
    }

    /* ---------------------------------------------------------------- editing */

    static void lset(CommandContext ctx) {
        Database db = ctx.db();
        byte[] key = ctx.arg(1);
        ListValue list = db.get(key, ListValue.class);
        if (list == null) {
            throw new CommandException(Errors.NO_SUCH_KEY);
        }
        long index = normalize(ctx.argLong(2), list.length());
        if (index < 0) {
            throw new CommandException(Errors.OUT_OF_RANGE);
        }
        list.set(index, ctx.arg(3));
        ctx.reply().ok();
        ctx.touched(db, key);
        ctx.notify('l', "lset", key, db);
        ctx.dirty(1);
    }

    static void linsert(CommandContext ctx) {
        boolean after;
        if (Bytes.is(ctx.arg(2), "after")) {
            after = true;
        } else if (Bytes.is(ctx.arg(2), "before")) {
            after = false;
        } else {
            throw Errors.syntax();
        }
        Database db = ctx.db();
        byte[] key = ctx.arg(1);
        ListValue list = db.get(key, ListValue.class);
        if (list == null) {
            ctx.reply().integer(0);
            return;
        }
        long pivot = list.indexOf(ctx.arg(3));
        if (pivot < 0) {
            ctx.reply().integer(-1);
            return;
        }
        list.insert(after ? pivot + 1 : pivot, ctx.arg(4));
        ctx.touched(db, key);
        ctx.notify('l', "linsert", key, db);
        ctx.dirty(1);
        ctx.reply().integer(list.length());
    }

    static void lrem(CommandContext ctx) {
        long count = ctx.argLong(2);
        Database db = ctx.db();
        byte[] key = ctx.arg(1);
        ListValue list = db.get(key, ListValue.class);
        if (list == null) {
            ctx.reply().integer(0);
            return;
        }
        // Redis negates the count to walk from the tail; the most negative count stays
        // negative there and so removes every match, as 0 does.
        long max = count == Long.MIN_VALUE ? 0 : Math.abs(count);
        long removed = list.removeEqual(ctx.arg(3), max, count < 0);
        if (removed > 0) {
            ctx.touched(db, key);
            ctx.notify('l', "lrem", key, db);
        }
        ListEdits.deleteIfEmpty(ctx, db, key, list);
        ctx.dirty(removed);
        ctx.reply().integer(removed);
    }

    static void ltrim(CommandContext ctx) {
        long start = ctx.argLong(2);
        long end = ctx.argLong(3);
        Database db = ctx.db();
        byte[] key = ctx.arg(1);
        ListValue list = db.get(key, ListValue.class);
        if (list == null) {
            ctx.reply().ok();
            return;
        }
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
        long fromHead;
        long fromTail;
        if (start > end || start >= length) {
            fromHead = length;
            fromTail = 0;
        } else {
            if (end >= length) {
                end = length - 1;
            }
            fromHead = start;
            fromTail = length - end - 1;
        }
        list.removeRange(0, fromHead);
        list.removeRange(list.length() - fromTail, fromTail);
        ctx.notify('l', "ltrim", key, db);
        ListEdits.deleteIfEmpty(ctx, db, key, list);
        ctx.touched(db, key);
        ctx.dirty(fromHead + fromTail);
        ctx.reply().ok();
    }

    /* ---------------------------------------------------------------- searching */

    /** LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len]. */
    static void lpos(CommandContext ctx) {
        long rank = 1;
        long count = -1;
        long maxlen = 0;
        int argc = ctx.argc();
        for (int j = 3; j < argc; j++) {
            boolean more = j < argc - 1;
            if (more && Bytes.is(ctx.arg(j), "rank")) {
                rank = ctx.argLong(++j);
                if (rank == 0) {
                    throw new CommandException(RANK_ZERO);
                }
            } else if (more && Bytes.is(ctx.arg(j), "count")) {
                count = nonNegative(ctx.arg(++j), COUNT_NEGATIVE);
            } else if (more && Bytes.is(ctx.arg(j), "maxlen")) {
                maxlen = nonNegative(ctx.arg(++j), MAXLEN_NEGATIVE);
            } else {
                throw Errors.syntax();
            }
        }
        boolean forward = true;
        if (rank < 0) {
            rank = -rank;
            forward = false;
        }
        Reply reply = ctx.reply();
        ListValue list = ctx.db().get(ctx.arg(1), ListValue.class);
        if (list == null) {
            if (count != -1) {
                reply.array(0);
            } else {
                reply.nil();
            }
            return;
        }
        Matches found = new Matches(list.length(), forward, rank, count, maxlen, ctx.arg(2));
        list.walk(forward ? 0 : list.length() - 1, forward, found);
        if (count != -1) {
            reply.array(found.size);
            for (int i = 0; i < found.size; i++) {
                reply.integer(found.indexes[i]);
            }
        } else if (found.size > 0) {
            reply.integer(found.indexes[0]);
        } else {
            reply.nil();
        }
    }

    /** An integer option that must be 0 or more; {@code error} for anything else. */
    static long nonNegative(byte[] arg, String error) {
        try {
            long v = Bytes.parseLong(arg);
            if (v >= 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // the same answer as a negative number, as Redis gives
        }
        throw new CommandException(error);
    }

    /** LPOS's walk: counts elements seen and collects the indexes of the wanted matches. */
    private static final class Matches implements QuickList.ElementVisitor {
        private final long length;
        private final boolean forward;
        private final long rank;
        /** -1 when only the first wanted match is asked for; 0 for all of them. */
        private final long count;
        private final long maxlen;
        private final byte[] element;
        private long seen;
        private long matches;
        long[] indexes = new long[4];
        int size;

        Matches(long length, boolean forward, long rank, long count, long maxlen, byte[] element) {
            this.length = length;
            this.forward = forward;
            this.rank = rank;
            this.count = count;
            this.maxlen = maxlen;
            this.element = element;
        }

        @Override
        public boolean visit(byte[] buf, int off, int len) {
            if (maxlen != 0 && seen >= maxlen) {
                return false;
            }
            long index = seen++;
            if (len != element.length || !Arrays.equals(buf, off, off + len, element, 0, len)) {
                return true;
            }
            matches++;
            if (matches < rank) {
                return true;
            }
            if (size == indexes.length) {
                indexes = Arrays.copyOf(indexes, size * 2);
            }
            indexes[size++] = forward ? index : length - index - 1;
            return count > 0 && matches - rank + 1 < count || count == 0;
        }
    }
}
