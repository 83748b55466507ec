package io.modis.lists;

import static io.modis.api.CommandFlag.BLOCKING;
import static io.modis.api.CommandFlag.FAST;
import static io.modis.api.CommandFlag.NOSCRIPT;
import static io.modis.api.CommandFlag.WRITE;
import static io.modis.lists.ListSpecs.command;
import static io.modis.lists.ListSpecs.oneKey;
import static io.modis.lists.ListSpecs.spec;

import io.modis.api.BlockedCommand;
import io.modis.api.Bytes;
import io.modis.api.Command;
import io.modis.api.CommandContext;
import io.modis.api.CommandException;
import io.modis.api.CommandProvider;
import io.modis.api.Database;
import io.modis.api.Errors;
import io.modis.api.KeySpec;
import io.modis.api.Reply;
import io.modis.api.Value;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.osgi.service.component.annotations.Component;

/**
 * The commands that take elements off the ends of lists: LPOP and RPOP, LMPOP, and the blocking
 * BLPOP, BRPOP and BLMPOP, which park the client until a list appears under one of their keys.
 */
@Component(service = CommandProvider.class)
public final class PopCommands implements CommandProvider {
    static final String POSITIVE = "ERR value is out of range, must be positive";
    static final String NUMKEYS = "ERR numkeys should be greater than 0";
    static final String COUNT = "ERR count should be greater than 0";

    private static final String MPOP_COMPLEXITY = "O(N+M) where N is the number of provided keys and M is the"
            + " number of elements returned.";

    private final List<Command> commands = List.of(
            command(oneKey(spec("lpop", -2, "1.0.0", WRITE, FAST), "RW", "ACCESS", "DELETE")
                    .summary("Remove and get the first elements in a list")
                    .complexity("O(N) where N is the number of elements returned"), ctx -> pop(ctx, true)),
            command(oneKey(spec("rpop", -2, "1.0.0", WRITE, FAST), "RW", "ACCESS", "DELETE")
                    .summary("Remove and get the last elements in a list")
                    .complexity("O(N) where N is the number of elements returned"), ctx -> pop(ctx, false)),
            command(spec("lmpop", -4, "7.0.0", WRITE)
                    .keySpec(KeySpec.keynum(1, 0, 1, 1, "RW", "ACCESS", "DELETE"))
                    .summary("Pop elements from a list").complexity(MPOP_COMPLEXITY), ctx -> mpop(ctx, 1, false)),
            command(spec("blpop", -3, "2.0.0", WRITE, NOSCRIPT, BLOCKING)
                    .keys(1, -2, 1).keySpec(KeySpec.range(1, -2, 1, "RW", "ACCESS", "DELETE"))
                    .summary("Remove and get the first element in a list, or block until one is available")
                    .complexity("O(N) where N is the number of provided keys."), ctx -> blockingPop(ctx, true)),
            command(spec("brpop", -3, "2.0.0", WRITE, NOSCRIPT, BLOCKING)
                    .keys(1, -2, 1).keySpec(KeySpec.range(1, -2, 1, "RW", "ACCESS", "DELETE"))
                    .summary("Remove and get the last element in a list, or block until one is available")
                    .complexity("O(N) where N is the number of provided keys."), ctx -> blockingPop(ctx, false)),
            command(spec("blmpop", -5, "7.0.0", WRITE, BLOCKING)
                    .keySpec(KeySpec.keynum(2, 0, 1, 1, "RW", "ACCESS", "DELETE"))
                    .summary("Pop elements from a list, or block until one is available")
                    .complexity(MPOP_COMPLEXITY), ctx -> mpop(ctx, 2, true)));

    @Override
    public List<Command> commands() {
        return commands;
    }

    /* ---------------------------------------------------------------- LPOP and RPOP */

    static void pop(CommandContext ctx, boolean head) {
        if (ctx.argc() > 3) {
            throw Errors.wrongArity(ctx.command().name());
        }
        boolean withCount = ctx.argc() == 3;
        long count = withCount ? positive(ctx.arg(2), POSITIVE, 0) : 0;
        Database db = ctx.db();
        byte[] key = ctx.arg(1);
        Reply reply = ctx.reply();
        ListValue list = db.get(key, ListValue.class);
        if (list == null) {
            if (withCount) {
                reply.nilArray();
            } else {
                reply.nil();
            }
            return;
        }
        if (withCount && count == 0) {
            reply.array(0);
            return;
        }
        long n;
        if (withCount) {
            n = ListEdits.popRange(reply, list, head, count);
        } else {
            reply.bulk(head ? list.popFirst() : list.popLast());
            n = 1;
        }
        ListEdits.popped(ctx, db, key, list, head, n);
    }

    /** An integer of at least {@code min}; {@code error} for anything else. */
    static long positive(byte[] arg, String error, long min) {
        try {
            long v = Bytes.parseLong(arg);
            if (v >= min) {
                return v;
            }
        } catch (NumberFormatException e) {
            // answered like an out-of-range number, as Redis does when it has a message
        }
        throw new CommandException(error);
    }

    /* ---------------------------------------------------------------- BLPOP and BRPOP */

    static void blockingPop(CommandContext ctx, boolean head) {
        int argc = ctx.argc();
        long deadline = BlockTimeout.deadline(ctx, argc - 1);
        List<byte[]> keys = Arrays.asList(ctx.args()).subList(1, argc - 1);
        if (popFirstFound(ctx, keys, head, -1)) {
            return;
        }
        block(ctx, keys, deadline, head, -1);
    }

    /* ---------------------------------------------------------------- LMPOP and BLMPOP */

    /**
     * [B]LMPOP [timeout] numkeys key [key ...] LEFT|RIGHT [COUNT count], numkeys at argument
     * {@code numkeysAt}. Replies [key, [elements]] from the first non-empty list.
     */
    static void mpop(CommandContext ctx, int numkeysAt, boolean blocking) {
        int argc = ctx.argc();
        long numkeys = positive(ctx.arg(numkeysAt), NUMKEYS, 1);
        if (numkeys > argc - numkeysAt - 2) {
            throw Errors.syntax();
        }
        int whereAt = numkeysAt + (int) numkeys + 1;
        boolean head = ListEdits.parseEnd(ctx.arg(whereAt));
        long count = -1;
        for (int j = whereAt + 1; j < argc; j++) {
            if (count == -1 && Bytes.is(ctx.arg(j), "count") && j < argc - 1) {
                count = positive(ctx.arg(++j), COUNT, 1);
            } else {
                throw Errors.syntax();
            }
        }
        if (count == -1) {
            count = 1;
        }
        long deadline = blocking ? BlockTimeout.deadline(ctx, 1) : 0;
        List<byte[]> keys = Arrays.asList(ctx.args()).subList(numkeysAt + 1, whereAt);
        if (popFirstFound(ctx, keys, head, count)) {
            return;
        }
        if (blocking) {
            block(ctx, keys, deadline, head, count);
        } else {
            ctx.reply().nilArray();
        }
    }

    /* ---------------------------------------------------------------- shared */

    /**
     * Pops from the first of {@code keys} holding a list: one element replied as [key, element]
     * when {@code count} is -1, else up to {@code count} as [key, [elements]]. Propagated as
     * LPOP/RPOP (with the count popped). False if no key holds a list.
     *
     * @throws CommandException WRONGTYPE if a key met before any list holds another type
     */
    private static boolean popFirstFound(CommandContext ctx, List<byte[]> keys, boolean head, long count) {
        Database db = ctx.db();
        for (byte[] key : keys) {
            ListValue list = db.get(key, ListValue.class);
            if (list != null && list.length() > 0) {
                popAndReply(ctx, db, key, list, head, count, false);
                return true;
            }
        }
        return false;
    }

    /**
     * The pop itself, shared by the immediate and the served paths. A served BLPOP/BRPOP does
     * not signal the key as modified (the push that woke it did), as in Redis.
     */
    private static void popAndReply(CommandContext ctx, Database db, byte[] key, ListValue list, boolean head,
                                    long count, boolean served) {
        Reply reply = ctx.reply();
        reply.array(2);
        reply.bulk(key);
        if (count == -1) {
            ctx.propagate(ListEdits.popCommand(head), key);
            reply.bulk(head ? list.popFirst() : list.popLast());
            if (served) {
                ctx.notify('l', head ? "lpop" : "rpop", key, db);
                ListEdits.deleteIfEmpty(ctx, db, key, list);
                ctx.dirty(1);
            } else {
                ListEdits.popped(ctx, db, key, list, head, 1);
            }
        } else {
            long n = Math.min(count, list.length());
            ctx.propagate(ListEdits.popCommand(head), key, Bytes.fromLong(n));
            ListEdits.popRange(reply, list, head, n);
            ListEdits.popped(ctx, db, key, list, head, n);
        }
    }

    /** Parks the client, or answers as on timeout where blocking is not allowed. */
    private static void block(CommandContext ctx, List<byte[]> keys, long deadline, boolean head, long count) {
        if (ctx.client().inMulti() || ctx.client().inScript()) {
            ctx.reply().nilArray();
            return;
        }
        List<byte[]> distinct = distinct(keys);
        ctx.block(distinct, deadline, new BlockedPop(distinct, head, count));
    }

    /** The keys without repetitions, in order (a client waits once per key). */
    static List<byte[]> distinct(List<byte[]> keys) {
        List<byte[]> out = new ArrayList<>(keys.size());
        for (byte[] k : keys) {
            boolean seen = false;
            for (byte[] o : out) {
                if (Arrays.equals(o, k)) {
                    seen = true;
                    break;
                }
            }
            if (!seen) {
                out.add(k);
            }
        }
        return out;
    }

    /** A client parked by BLPOP, BRPOP or BLMPOP ({@code count} -1 for the single-element forms). */
    private record BlockedPop(List<byte[]> keys, boolean head, long count) implements BlockedCommand {
        /**
         * Serves from the list that appeared first among the client's keys (Redis serves the key
         * signalled ready first, and a list key is signalled when it is created). Keys holding
         * nothing or another type keep the client waiting.
         */
        @Override
        public boolean serve(CommandContext ctx) {
            Database db = ctx.db();
            ListValue first = null;
            byte[] firstKey = null;
            for (byte[] key : keys) {
                Value v = db.get(key);
                if (v instanceof ListValue list && list.length() > 0
                        && (first == null || list.birth() < first.birth())) {
                    first = list;
                    firstKey = key;
                }
            }
            if (first == null) {
                return false;
            }
            popAndReply(ctx, db, firstKey, first, head, count, true);
            return true;
        }

        /** Serves from the list that was signalled ready; anything else there keeps the client waiting. */
        @Override
        public boolean serve(CommandContext ctx, byte[] readyKey) {
            Database db = ctx.db();
            if (db.get(readyKey) instanceof ListValue list && list.length() > 0) {
                popAndReply(ctx, db, readyKey, list, head, count, true);
                return true;
            }
            return false;
        }
    }
}
