package io.modis.streams;

import static io.modis.api.CommandFlag.DENYOOM;
import static io.modis.api.CommandFlag.FAST;
import static io.modis.api.CommandFlag.READONLY;
import static io.modis.api.CommandFlag.WRITE;

import io.modis.api.Bytes;
import io.modis.api.Command;
import io.modis.api.CommandContext;
import io.modis.api.CommandException;
import io.modis.api.CommandFlag;
import io.modis.api.CommandHandler;
import io.modis.api.CommandProvider;
import io.modis.api.CommandSpec;
import io.modis.api.Database;
import io.modis.api.Errors;
import io.modis.api.KeySpec;
import java.util.Arrays;
import java.util.List;
import org.osgi.service.component.annotations.Component;

/**
 * The stream commands of Redis 7.0 that read and write entries (t_stream.c): XADD, XRANGE,
 * XREVRANGE, XLEN, XDEL, XTRIM and XSETID. Reading with XREAD lives in {@link StreamReadCommands},
 * consumer groups in {@link GroupCommands}, XINFO in {@link StreamInfoCommand}.
 */
@Component(service = CommandProvider.class)
public final class StreamCommands implements CommandProvider {
    static final String ID_TOO_SMALL = "ERR The ID specified in XADD is equal or smaller than the target stream top item";

    private final List<Command> commands = List.of(
            command(spec("xadd", -5, WRITE, DENYOOM, FAST), StreamCommands::xadd, "RW", "UPDATE")
                    .summary("Appends a new entry to a stream")
                    .complexity("O(1) when adding a new entry, O(N) when trimming where N being the number of"
                            + " entries evicted.").done(),
            command(spec("xrange", -4, READONLY), ctx -> range(ctx, false), "RO", "ACCESS")
                    .summary("Return a range of elements in a stream, with IDs matching the specified IDs interval")
                    .complexity("O(N) with N being the number of elements being returned. If N is constant (e.g."
                            + " always asking for the first 10 elements with COUNT), you can consider it O(1).")
                    .done(),
            command(spec("xrevrange", -4, READONLY), ctx -> range(ctx, true), "RO", "ACCESS")
                    .summary("Return a range of elements in a stream, with IDs matching the specified IDs interval,"
                            + " in reverse order (from greater to smaller IDs) compared to XRANGE")
                    .complexity("O(N) with N being the number of elements returned. If N is constant (e.g. always"
                            + " asking for the first 10 elements with COUNT), you can consider it O(1).").done(),
            command(spec("xlen", 2, READONLY, FAST), StreamCommands::xlen, "RO")
                    .summary("Return the number of entries in a stream").complexity("O(1)").done(),
            command(spec("xdel", -3, WRITE, FAST), StreamCommands::xdel, "RW", "DELETE")
                    .summary("Removes the specified entries from the stream. Returns the number of items actually"
                            + " deleted, that may be different from the number of IDs passed in case certain IDs do"
                            + " not exist.")
                    .complexity("O(1) for each single item to delete in the stream, regardless of the stream size.")
                    .done(),
            command(spec("xtrim", -4, WRITE), StreamCommands::xtrim, "RW", "DELETE")
                    .summary("Trims the stream to (approximately if '~' is passed) a certain size")
                    .complexity("O(N), with N being the number of evicted entries. Constant times are very small"
                            + " however, since entries are organized in macro nodes containing multiple entries"
                            + " that can be released with a single deallocation.").done(),
            command(spec("xsetid", -3, WRITE, DENYOOM, FAST), StreamCommands::xsetid, "RW", "UPDATE")
                    .summary("An internal command for replicating stream values").complexity("O(1)").done());

    @Override
    public List<Command> commands() {
        return commands;
    }

    /* ---------------------------------------------------------------- metadata helpers */

    /** A stream-group spec; ACL categories as Redis derives them (@write/@read, @stream, @fast/@slow). */
    static CommandSpec.Builder spec(String name, int arity, CommandFlag... flags) {
        return spec(name, arity, "5.0.0", flags);
    }

    static CommandSpec.Builder spec(String name, int arity, String since, CommandFlag... flags) {
        List<CommandFlag> f = Arrays.asList(flags);
        return CommandSpec.of(name, arity).group("stream").since(since).flags(flags)
                .acl(f.contains(WRITE) ? "write" : "read", "stream", f.contains(FAST) ? "fast" : "slow");
    }

    /** A command whose one key is argument 1. */
    static Declared command(CommandSpec.Builder spec, CommandHandler handler, String... keyFlags) {
        return new Declared(spec.keys(1, 1, 1).keySpec(KeySpec.range(1, 0, 1, keyFlags)), handler);
    }

    /** A spec being declared. */
    record Declared(CommandSpec.Builder spec, CommandHandler handler) {
        Declared summary(String s) {
            spec.summary(s);
            return this;
        }

        Declared complexity(String c) {
            spec.complexity(c);
            return this;
        }

        Command done() {
            return new Command(spec.build(), handler);
        }
    }

    /* ---------------------------------------------------------------- XADD */

    private static void xadd(CommandContext ctx) {
        StreamType type = StreamType.INSTANCE;
        TrimArgs args = TrimArgs.parse(ctx, true, type.nodeMaxEntries);
        int fieldPos = args.idIndex + 1;
        int fieldArgs = ctx.argc() - fieldPos;
        if (fieldArgs < 2 || fieldArgs % 2 == 1) {
            throw Errors.wrongArity("xadd");
        }
        if (args.id != null && args.id.seqGiven() && args.id.id().isZero()) {
            throw new CommandException("ERR The ID specified in XADD must be greater than 0-0");
        }
        Database db = ctx.db();
        byte[] key = ctx.arg(1);
        StreamValue s = db.get(key, StreamValue.class);
        boolean created = s == null;
        if (created) {
            if (args.noMkStream) {
                ctx.reply().nil();
                return;
            }
            s = new StreamValue();
        }
        if (s.lastId.equals(StreamId.MAX)) {
            throw new CommandException("ERR The stream has exhausted the last possible ID, unable to add more items");
        }
        StreamId id = nextId(s, args.id, ctx.now());
        s.append(id, ctx.args(), fieldPos, fieldArgs / 2, type.nodeMaxEntries, type.nodeMaxBytes);
        if (created) {
            db.add(key, s);
        }
        ctx.reply().bulk(id.toBytes());
        ctx.touched(db, key);
        ctx.notify('t', "xadd", key, db);
        ctx.dirty(1);

        byte[][] effect = null;
        if (args.strategy != TrimArgs.Strategy.NONE) {
            if (args.apply(s) > 0) {
                ctx.notify('t', "xtrim", key, db);
            }
            if (args.approximate) {
                effect = ctx.args().clone();
                args.rewriteExact(effect, s);
            }
        }
        if (args.id == null || !args.id.seqGiven()) {
            if (effect == null) {
                effect = ctx.args().clone();
            }
            effect[args.idIndex] = id.toBytes();
        }
        if (effect != null) {
            ctx.propagate(effect);
        }
        if (!created) {
            ctx.keyReady(db, key);
        }
    }

    /** The ID XADD gives the new entry (Redis's streamAppendItem and streamNextID). */
    private static StreamId nextId(StreamValue s, StreamId.Parsed given, long now) {
        StreamId last = s.lastId;
        StreamId id;
        if (given == null) {
            id = Long.compareUnsigned(now, last.ms()) > 0 ? new StreamId(now, 0) : last.next();
        } else if (given.seqGiven()) {
            id = given.id();
        } else if (given.id().ms() == last.ms()) {
            if (last.seq() == -1L) {
                throw new CommandException(ID_TOO_SMALL);
            }
            id = new StreamId(last.ms(), last.seq() + 1);
        } else {
            id = given.id();
        }
        if (id.compareTo(last) <= 0) {
            throw new CommandException(ID_TOO_SMALL);
        }
        return id;
    }

    /* ---------------------------------------------------------------- XRANGE / XREVRANGE / XLEN */

    private static void range(CommandContext ctx, boolean reverse) {
        StreamId.Bound startBound = StreamId.parseBound(ctx.arg(reverse ? 3 : 2), 0);
        StreamId start = startBound.id();
        if (startBound.exclusive()) {
            start = start.next();
            if (start == null) {
                throw new CommandException("ERR invalid start ID for the interval");
            }
        }
        StreamId.Bound endBound = StreamId.parseBound(ctx.arg(reverse ? 2 : 3), -1L);
        StreamId end = endBound.id();
        if (endBound.exclusive()) {
            end = end.previous();
            if (end == null) {
                throw new CommandException("ERR invalid end ID for the interval");
            }
        }
        long count = -1;
        for (int j = 4; j < ctx.argc(); j++) {
            if (Bytes.is(ctx.arg(j), "count") && j + 1 < ctx.argc()) {
                count = Math.max(0, ctx.argLong(j + 1));
                j++;
            } else {
                throw Errors.syntax();
            }
        }
        StreamValue s = ctx.db().get(ctx.arg(1), StreamValue.class);
        if (s == null) {
            ctx.reply().array(0);
        } else if (count == 0) {
            ctx.reply().nilArray();
        } else {
            StreamReplies.entries(ctx.reply(), s.range(start, end, reverse, Math.max(count, 0)));
        }
    }

    private static void xlen(CommandContext ctx) {
        StreamValue s = ctx.db().get(ctx.arg(1), StreamValue.class);
        ctx.reply().integer(s == null ? 0 : s.length());
    }

    /* ---------------------------------------------------------------- XDEL / XTRIM */

    private static void xdel(CommandContext ctx) {
        Database db = ctx.db();
        byte[] key = ctx.arg(1);
        StreamValue s = db.get(key, StreamValue.class);
        if (s == null) {
            ctx.reply().integer(0);
            return;
        }
        StreamId[] ids = new StreamId[ctx.argc() - 2];
        for (int j = 2; j < ctx.argc(); j++) {
            ids[j - 2] = StreamId.parseStrict(ctx.arg(j));
        }
        int deleted = 0;
        for (StreamId id : ids) {
            if (s.delete(id)) {
                deleted++;
            }
        }
        if (deleted > 0) {
            ctx.touched(db, key);
            ctx.notify('t', "xdel", key, db);
            ctx.dirty(deleted);
        }
        ctx.reply().integer(deleted);
    }

    private static void xtrim(CommandContext ctx) {
        TrimArgs args = TrimArgs.parse(ctx, false, StreamType.INSTANCE.nodeMaxEntries);
        Database db = ctx.db();
        byte[] key = ctx.arg(1);
        StreamValue s = db.get(key, StreamValue.class);
        if (s == null) {
            ctx.reply().integer(0);
            return;
        }
        long deleted = args.apply(s);
        if (deleted > 0) {
            ctx.notify('t', "xtrim", key, db);
            if (args.approximate) {
                byte[][] effect = ctx.args().clone();
                args.rewriteExact(effect, s);
                ctx.propagate(effect);
            }
            ctx.touched(db, key);
            ctx.dirty(deleted);
        }
        ctx.reply().integer(deleted);
    }

    /* ---------------------------------------------------------------- XSETID */

    private static void xsetid(CommandContext ctx) {
        StreamId id = StreamId.parseStrict(ctx.arg(2));
        StreamId maxDeleted = StreamId.MIN;
        long entriesAdded = -1;
        for (int i = 3; i < ctx.argc(); i++) {
            int more = ctx.argc() - 1 - i;
            if (Bytes.is(ctx.arg(i), "entriesadded") && more > 0) {
                entriesAdded = ctx.argLong(i + 1);
                if (entriesAdded < 0) {
                    throw new CommandException("ERR entries_added must be positive");
                }
                i++;
            } else if (Bytes.is(ctx.arg(i), "maxdeletedid") && more > 0) {
                maxDeleted = StreamId.parseStrict(ctx.arg(i + 1));
                if (id.compareTo(maxDeleted) < 0) {
                    throw new CommandException(
                            "ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id");
                }
                i++;
            } else {
                throw Errors.syntax();
            }
        }
        Database db = ctx.db();
        byte[] key = ctx.arg(1);
        StreamValue s = db.get(key, StreamValue.class);
        if (s == null) {
            throw new CommandException(Errors.NO_SUCH_KEY);
        }
        if (s.length() > 0) {
            if (id.compareTo(s.lastValidId()) < 0) {
                throw new CommandException("ERR The ID specified in XSETID is smaller than the target stream top item");
            }
            if (entriesAdded != -1 && s.length() > entriesAdded) {
                throw new CommandException(
                        "ERR The entries_added specified in XSETID is smaller than the target stream length");
            }
        }
        s.lastId = id;
        if (entriesAdded != -1) {
            s.entriesAdded = entriesAdded;
        }
        if (!maxDeleted.isZero()) {
            s.maxDeletedId = maxDeleted;
        }
        ctx.reply().ok();
        ctx.dirty(1);
        ctx.touched(db, key);
        ctx.notify('t', "xsetid", key, db);
    }
}
