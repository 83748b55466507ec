package io.modis.streams;

import static io.modis.api.CommandFlag.BLOCKING;
import static io.modis.api.CommandFlag.READONLY;
import static io.modis.api.CommandFlag.WRITE;

import io.modis.api.BlockedCommand;
import io.modis.api.Bytes;
import io.modis.api.Command;
import io.modis.api.CommandContext;
import io.modis.api.CommandException;
import io.modis.api.CommandProvider;
import io.modis.api.Errors;
import io.modis.api.KeySpec;
import io.modis.api.Reply;
import io.modis.api.Value;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.osgi.service.component.annotations.Component;

/**
 * XREAD and XREADGROUP (Redis's xreadCommand), including BLOCK: a blocked reader is served by
 * the first XADD that moves the stream past the ID it waits for.
 */
@Component(service = CommandProvider.class)
public final class StreamReadCommands implements CommandProvider {
    /** What a blocked reader asks for when it gave no COUNT (Redis's XREAD_BLOCKED_DEFAULT_COUNT). */
    private static final long BLOCKED_DEFAULT_COUNT = 1000;

    private final List<Command> commands = List.of(
            new Command(StreamCommands.spec("xread", -4, BLOCKING, READONLY)
                    .keySpec(new KeySpec(List.of("RO", "ACCESS"), 0, "STREAMS", 1, false, -1, 1, 2, 0, 0))
                    .summary("Return never seen elements in multiple streams, with IDs greater than the ones"
                            + " reported by the caller for each stream. Can block.")
                    .complexity("For each stream mentioned: O(N) with N being the number of elements being returned,"
                            + " it means that XREAD-ing with a fixed COUNT is O(1). Note that when the BLOCK option"
                            + " is used, XADD will pay O(M) time in order to serve the M clients blocked on the stream"
                            + " getting new data.")
                    .build(), ctx -> read(ctx, false)),
            new Command(StreamCommands.spec("xreadgroup", -7, BLOCKING, WRITE)
                    .keySpec(new KeySpec(List.of("RO", "ACCESS"), 0, "STREAMS", 4, false, -1, 1, 2, 0, 0))
                    .summary("Return new entries from a stream using a consumer group, or access the history of the"
                            + " pending entries for a given consumer. Can block.")
                    .complexity("For each stream mentioned: O(M) with M being the number of elements returned. If M"
                            + " is constant (e.g. always asking for the first 10 elements with COUNT), you can consider"
                            + " it O(1). On the other side when XREADGROUP blocks, XADD will pay the O(N) time in order"
                            + " to serve the N clients blocked on the stream getting new data.")
                    .build(), ctx -> read(ctx, true)));

    @Override
    public List<Command> commands() {
        return commands;
    }

    /** The parsed call. */
    private static final class Request {
        long timeout = -1;
        long count;
        int streamsArg;
        int streamCount;
        byte[] group;
        byte[] consumer;
        boolean noAck;
        StreamId[] ids;
        ConsumerGroup[] groups;

        byte[] key(CommandContext ctx, int i) {
            return ctx.arg(streamsArg + i);
        }
    }

    private static void read(CommandContext ctx, boolean xreadgroup) {
        Request q = parse(ctx, xreadgroup);
        ctx.propagateNothing();
        List<byte[]> keys = new ArrayList<>();
        List<Object> served = new ArrayList<>();
        for (int i = 0; i < q.streamCount; i++) {
            byte[] key = q.key(ctx, i);
            keys.add(key);
            StreamValue s = ctx.db().get(key, StreamValue.class);
            if (s == null) {
                continue;
            }
            StreamId gt = q.ids[i];
            boolean history = false;
            boolean serve = false;
            if (q.group != null) {
                if (!gt.equals(StreamId.MAX)) {
                    serve = true;
                    history = true;
                } else if (s.length() > 0 && s.lastValidId().compareTo(q.groups[i].lastId) > 0) {
                    serve = true;
                    gt = q.groups[i].lastId;
                }
            } else if (s.length() > 0 && s.lastValidId().compareTo(gt) > 0) {
                serve = true;
            }
            if (!serve) {
                continue;
            }
            StreamId start = gt.next();
            if (q.group == null) {
                served.add(key);
                served.add(items(s.range(start == null ? StreamId.MAX : start, StreamId.MAX, false, q.count)));
                continue;
            }
            ConsumerGroup g = q.groups[i];
            StreamConsumer c = GroupDelivery.consumer(ctx, g, key, q.group, q.consumer, q.noAck);
            served.add(key);
            served.add(history
                    ? GroupDelivery.deliverHistory(ctx, s, c, start == null ? StreamId.MAX : start, q.count)
                    : GroupDelivery.deliverNew(ctx, s, g, c, key, q.group, start, q.count, q.noAck));
            ctx.dirty(1);
        }
        if (!served.isEmpty()) {
            replyStreams(ctx.reply(), served);
            return;
        }
        if (q.timeout == -1 || ctx.client().inMulti() || ctx.client().inScript()) {
            ctx.reply().nilArray();
            return;
        }
        long deadline = q.timeout == 0 ? 0 : ctx.now() + q.timeout;
        ctx.block(keys, deadline, new Waiter(q, keys));
    }

    private static List<GroupDelivery.Item> items(List<StreamBlock.Entry> entries) {
        List<GroupDelivery.Item> out = new ArrayList<>(entries.size());
        for (StreamBlock.Entry e : entries) {
            out.add(new GroupDelivery.Item(e.id(), e));
        }
        return out;
    }

    /** Key/items pairs: an array of [key, entries] in RESP2, a map in RESP3. */
    @SuppressWarnings("unchecked")
    private static void replyStreams(Reply r, List<Object> served) {
        int n = served.size() / 2;
        if (r.protocol() == 2) {
            r.array(n);
        } else {
            r.map(n);
        }
        for (int i = 0; i < served.size(); i += 2) {
            if (r.protocol() == 2) {
                r.array(2);
            }
            r.bulk((byte[]) served.get(i));
            GroupDelivery.reply(r, (List<GroupDelivery.Item>) served.get(i + 1));
        }
    }

    private static Request parse(CommandContext ctx, boolean xreadgroup) {
        Request q = new Request();
        int argc = ctx.argc();
        for (int i = 1; i < argc; i++) {
            int more = argc - i - 1;
            byte[] o = ctx.arg(i);
            if (Bytes.is(o, "block") && more > 0) {
                if (ctx.client().inScript()) {
                    throw new CommandException("ERR " + Bytes.str(ctx.arg(0))
                            + " command is not allowed with BLOCK option from scripts");
                }
                i++;
                q.timeout = timeoutMillis(ctx.arg(i));
            } else if (Bytes.is(o, "count") && more > 0) {
                i++;
                q.count = Math.max(0, ctx.argLong(i));
            } else if (Bytes.is(o, "streams") && more > 0) {
                q.streamsArg = i + 1;
                int rest = argc - q.streamsArg;
                if (rest % 2 != 0) {
                    throw new CommandException("ERR Unbalanced " + (xreadgroup ? "XREADGROUP" : "XREAD")
                            + " list of streams: for each stream key an ID or '$' must be specified.");
                }
                q.streamCount = rest / 2;
                break;
            } else if (Bytes.is(o, "group") && more >= 2) {
                if (!xreadgroup) {
                    throw new CommandException(
                            "ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.");
                }
                q.group = ctx.arg(i + 1);
                q.consumer = ctx.arg(i + 2);
                i += 2;
            } else if (Bytes.is(o, "noack")) {
                if (!xreadgroup) {
                    throw new CommandException(
                            "ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.");
                }
                q.noAck = true;
            } else {
                throw Errors.syntax();
            }
        }
        if (q.streamsArg == 0) {
            throw Errors.syntax();
        }
        if (xreadgroup && q.group == null) {
            throw new CommandException("ERR Missing GROUP option for XREADGROUP");
        }
        q.ids = new StreamId[q.streamCount];
        q.groups = q.group == null ? null : new ConsumerGroup[q.streamCount];
        for (int i = 0; i < q.streamCount; i++) {
            byte[] key = q.key(ctx, i);
            byte[] idArg = ctx.arg(q.streamsArg + q.streamCount + i);
            StreamValue s = ctx.db().get(key, StreamValue.class);
            if (q.group != null) {
                ConsumerGroup g = s == null ? null : s.groups.get(q.group);
                if (g == null) {
                    throw new CommandException("NOGROUP No such key '" + Bytes.str(key) + "' or consumer group '"
                            + Bytes.str(q.group) + "' in XREADGROUP with GROUP option");
                }
                q.groups[i] = g;
            }
            if (idArg.length == 1 && idArg[0] == '$') {
                if (xreadgroup) {
                    throw new CommandException("ERR The $ ID is meaningless in the context of XREADGROUP: you want"
                            + " to read the history of this consumer by specifying a proper ID, or use the > ID to get"
                            + " new messages. The $ ID would just return an empty result set.");
                }
                q.ids[i] = s == null ? StreamId.MIN : s.lastId;
            } else if (idArg.length == 1 && idArg[0] == '>') {
                if (!xreadgroup) {
                    throw new CommandException("ERR The > ID can be specified only when calling XREADGROUP using the"
                            + " GROUP <group> <consumer> option.");
                }
                q.ids[i] = StreamId.MAX;
            } else {
                q.ids[i] = StreamId.parseStrict(idArg);
            }
        }
        return q;
    }

    /** BLOCK's milliseconds, with Redis's timeout errors. */
    private static long timeoutMillis(byte[] arg) {
        long ms;
        try {
            ms = Bytes.parseLong(arg);
        } catch (NumberFormatException e) {
            throw new CommandException("ERR timeout is not an integer or out of range");
        }
        if (ms < 0) {
            throw new CommandException(Errors.TIMEOUT_NEGATIVE);
        }
        return ms;
    }

    /** A reader parked until one of its streams moves past the ID it waits for. */
    private static final class Waiter implements BlockedCommand {
        private final Request q;
        private final List<byte[]> keys;

        Waiter(Request q, List<byte[]> keys) {
            this.q = q;
            this.keys = keys;
        }

        @Override
        public boolean serve(CommandContext ctx) {
            for (byte[] key : keys) {
                if (serve(ctx, key)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public boolean serve(CommandContext ctx, byte[] readyKey) {
            int i = indexOf(readyKey);
            if (i < 0) {
                return false;
            }
            Value v = ctx.db().get(readyKey);
            if (!(v instanceof StreamValue s)) {
                if (q.group != null) {
                    // Redis unblocks group readers when their stream disappears: the group went with it.
                    ctx.reply().error("UNBLOCKED the stream key no longer exists");
                    return true;
                }
                return false;
            }
            StreamId gt = q.ids[i];
            ConsumerGroup g = null;
            if (q.group != null) {
                g = s.groups.get(q.group);
                if (g == null) {
                    ctx.reply().error("NOGROUP the consumer group this client was blocked on no longer exists");
                    return true;
                }
                gt = g.lastId;
            }
            if (s.lastId.compareTo(gt) <= 0) {
                return false;
            }
            StreamId start = gt.next();
            long count = q.count > 0 ? q.count : BLOCKED_DEFAULT_COUNT;
            List<GroupDelivery.Item> items;
            if (g != null) {
                StreamConsumer c = GroupDelivery.consumer(ctx, g, readyKey, q.group, q.consumer, q.noAck);
                items = GroupDelivery.deliverNew(ctx, s, g, c, readyKey, q.group, start, count, q.noAck);
            } else {
                items = items(s.range(start, StreamId.MAX, false, count));
            }
            List<Object> served = new ArrayList<>(2);
            served.add(readyKey);
            served.add(items);
            replyStreams(ctx.reply(), served);
            return true;
        }

        private int indexOf(byte[] key) {
            for (int i = 0; i < keys.size(); i++) {
                if (Arrays.equals(keys.get(i), key)) {
                    return i;
                }
            }
            return -1;
        }
    }
}
