package io.modis.lists;

import static io.modis.api.CommandFlag.BLOCKING;
import static io.modis.api.CommandFlag.DENYOOM;
import static io.modis.api.CommandFlag.NOSCRIPT;
import static io.modis.api.CommandFlag.WRITE;
import static io.modis.lists.ListSpecs.command;
import static io.modis.lists.ListSpecs.sourceAndDestination;
import static io.modis.lists.ListSpecs.spec;

import io.modis.api.BlockedCommand;
import io.modis.api.Bytes;
import io.modis.api.Command;
import io.modis.api.CommandContext;
import io.modis.api.CommandProvider;
import io.modis.api.Database;
import io.modis.api.Errors;
import io.modis.api.Value;
import java.util.List;
import org.osgi.service.component.annotations.Component;

/**
 * The commands that move an element from one list to another: LMOVE, RPOPLPUSH, and the
 * blocking BLMOVE and BRPOPLPUSH, which wait for the source list to appear.
 */
@Component(service = CommandProvider.class)
public final class MoveCommands implements CommandProvider {
    static final byte[] LMOVE = Bytes.of("LMOVE");
    static final byte[] RPOPLPUSH = Bytes.of("RPOPLPUSH");

    private static final String BLOCKING_SUMMARY = "Pop an element from a list, push it to another list and return"
            + " it; or block until one is available";

    private final List<Command> commands = List.of(
            command(sourceAndDestination(spec("lmove", 5, "6.2.0", WRITE, DENYOOM))
                    .summary("Pop an element from a list, push it to another list and return it")
                    .complexity("O(1)"), MoveCommands::lmove),
            command(sourceAndDestination(spec("rpoplpush", 3, "1.2.0", WRITE, DENYOOM))
                    .summary("Remove the last element in a list, prepend it to another list and return it")
                    .complexity("O(1)"), ctx -> move(ctx, false, true, null)),
            command(sourceAndDestination(spec("blmove", 6, "6.2.0", WRITE, DENYOOM, NOSCRIPT, BLOCKING))
                    .summary(BLOCKING_SUMMARY).complexity("O(1)"), MoveCommands::blmove),
            command(sourceAndDestination(spec("brpoplpush", 4, "2.2.0", WRITE, DENYOOM, NOSCRIPT, BLOCKING))
                    .summary(BLOCKING_SUMMARY).complexity("O(1)"), MoveCommands::brpoplpush));

    @Override
    public List<Command> commands() {
        return commands;
    }

    static void lmove(CommandContext ctx) {
        boolean fromHead = ListEdits.parseEnd(ctx.arg(3));
        boolean toHead = ListEdits.parseEnd(ctx.arg(4));
        move(ctx, fromHead, toHead, null);
    }

    static void blmove(CommandContext ctx) {
        boolean fromHead = ListEdits.parseEnd(ctx.arg(3));
        boolean toHead = ListEdits.parseEnd(ctx.arg(4));
        long deadline = BlockTimeout.deadline(ctx, 5);
        blockingMove(ctx, fromHead, toHead, deadline,
                new byte[][] {LMOVE, ctx.arg(1), ctx.arg(2), ctx.arg(3), ctx.arg(4)});
    }

    static void brpoplpush(CommandContext ctx) {
        long deadline = BlockTimeout.deadline(ctx, 3);
        blockingMove(ctx, false, true, deadline, new byte[][] {RPOPLPUSH, ctx.arg(1), ctx.arg(2)});
    }

    /**
     * Moves one element from the source (argument 1) to the destination (argument 2), replying
     * with it, or with nil when there is no source. {@code rewrite} is what to propagate
     * instead of the command (the blocking forms), or null.
     */
    static void move(CommandContext ctx, boolean fromHead, boolean toHead, byte[][] rewrite) {
        Database db = ctx.db();
        byte[] source = ctx.arg(1);
        byte[] destination = ctx.arg(2);
        ListValue from = db.get(source, ListValue.class);
        if (from == null) {
            ctx.reply().nil();
            return;
        }
        ListValue to = db.get(destination, ListValue.class);
        byte[] element = fromHead ? from.popFirst() : from.popLast();
        ListEdits.pushMoved(ctx, db, destination, to, element, toHead);
        ctx.notify('l', fromHead ? "lpop" : "rpop", source, db);
        ListEdits.deleteIfEmpty(ctx, db, source, from);
        ctx.touched(db, source);
        ctx.dirty(1);
        if (rewrite != null) {
            ctx.propagate(rewrite);
        }
    }

    private static void blockingMove(CommandContext ctx, boolean fromHead, boolean toHead, long deadline,
                                     byte[][] rewrite) {
        ListValue from = ctx.db().get(ctx.arg(1), ListValue.class);
        if (from != null) {
            move(ctx, fromHead, toHead, rewrite);
            return;
        }
        if (ctx.client().inMulti() || ctx.client().inScript()) {
            ctx.reply().nil();
            return;
        }
        boolean rpoplpush = rewrite[0] == RPOPLPUSH;
        ctx.block(List.of(ctx.arg(1)), deadline,
                new BlockedMove(ctx.arg(1), ctx.arg(2), fromHead, toHead, rpoplpush));
    }

    /** A client parked by BLMOVE or BRPOPLPUSH on its source list. */
    private record BlockedMove(byte[] source, byte[] destination, boolean fromHead, boolean toHead,
                               boolean rpoplpush) implements BlockedCommand {
        /**
         * Moves the element once the source holds a list. A destination of another type fails
         * the client with WRONGTYPE and leaves the source as it was (Redis 7.0); propagated as
         * LMOVE with lowercase ends, or RPOPLPUSH.
         */
        @Override
        public boolean serve(CommandContext ctx) {
            Database db = ctx.db();
            if (!(db.get(source) instanceof ListValue from) || from.length() == 0) {
                return false;
            }
            Value existing = db.get(destination);
            if (existing != null && !(existing instanceof ListValue)) {
                throw Errors.wrongType();
            }
            byte[] element = fromHead ? from.popFirst() : from.popLast();
            ListEdits.pushMoved(ctx, db, destination, (ListValue) existing, element, toHead);
            if (rpoplpush) {
                ctx.propagate(RPOPLPUSH, source, destination);
            } else {
                ctx.propagate(LMOVE, source, destination, end(fromHead), end(toHead));
            }
            ctx.notify('l', fromHead ? "lpop" : "rpop", source, db);
            ListEdits.deleteIfEmpty(ctx, db, source, from);
            ctx.dirty(1);
            return true;
        }

        private static byte[] end(boolean head) {
            return head ? ListEdits.LEFT : ListEdits.RIGHT;
        }
    }
}
