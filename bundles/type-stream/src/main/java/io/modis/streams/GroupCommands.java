package io.modis.streams;

import static io.modis.api.CommandFlag.DENYOOM;
import static io.modis.api.CommandFlag.FAST;
import static io.modis.api.CommandFlag.LOADING;
import static io.modis.api.CommandFlag.READONLY;
import static io.modis.api.CommandFlag.STALE;
import static io.modis.api.CommandFlag.WRITE;

import io.modis.api.Bytes;
import io.modis.api.Command;
import io.modis.api.CommandContext;
import io.modis.api.CommandException;
import io.modis.api.CommandFlag;
import io.modis.api.CommandProvider;
import io.modis.api.CommandSpec;
import io.modis.api.Database;
import io.modis.api.Errors;
import io.modis.api.KeySpec;
import io.modis.api.Reply;
import io.modis.streams.StreamBlock.Entry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Component;

/**
 * Consumer groups (t_stream.c): XGROUP and its subcommands, XACK, XPENDING, XCLAIM and
 * XAUTOCLAIM. Reading through a group is XREADGROUP in {@link StreamReadCommands}.
 */
@Component(service = CommandProvider.class)
public final class GroupCommands implements CommandProvider {
    private static final List<String> XGROUP_HELP = List.of(
            "CREATE <key> <groupname> <id|$> [option]",
            "    Create a new consumer group. Options are:",
            "    * MKSTREAM",
            "      Create the empty stream if it does not exist.",
            "    * ENTRIESREAD entries_read",
            "      Set the group's entries_read counter (internal use).",
            "CREATECONSUMER <key> <groupname> <consumer>",
            "    Create a new consumer in the specified group.",
            "DELCONSUMER <key> <groupname> <consumer>",
            "    Remove the specified consumer.",
            "DESTROY <key> <groupname>",
            "    Remove the specified group.",
            "SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]",
            "    Set the current group ID and entries_read counter.");

    private final List<Command> commands = List.of(
            xgroupContainer(),
            StreamCommands.command(StreamCommands.spec("xack", -4, WRITE, FAST), GroupCommands::xack, "RW", "UPDATE")
                    .summary("Marks a pending message as correctly processed, effectively removing it from the pending"
                            + " entries list of the consumer group. Return value of the command is the number of"
                            + " messages successfully acknowledged, that is, the IDs we were actually able to resolve"
                            + " in the PEL.")
                    .complexity("O(1) for each message ID processed.").done(),
            StreamCommands.command(StreamCommands.spec("xpending", -3, READONLY), GroupCommands::xpending, "RO",
                            "ACCESS")
                    .summary("Return information and entries from a stream consumer group pending entries list, that"
                            + " are messages fetched but never acknowledged.")
                    .complexity("O(N) with N being the number of elements returned, so asking for a small fixed number"
                            + " of entries per call is O(1). O(M), where M is the total number of entries scanned when"
                            + " used with the IDLE filter. When the command returns just the summary and the list of"
                            + " consumers is small, it runs in O(1) time; otherwise, an additional O(N) time for"
                            + " iterating every consumer.").done(),
            StreamCommands.command(StreamCommands.spec("xclaim", -6, WRITE, FAST), GroupCommands::xclaim, "RW",
                            "UPDATE")
                    .summary("Changes (or acquires) ownership of a message in a consumer group, as if the message was"
                            + " delivered to the specified consumer.")
                    .complexity("O(log N) with N being the number of messages in the PEL of the consumer group.")
                    .done(),
            StreamCommands.command(StreamCommands.spec("xautoclaim", -6, "6.2.0", WRITE, FAST), GroupCommands::xautoclaim,
                            "RW", "DELETE")
                    .summary("Changes (or acquires) ownership of messages in a consumer group, as if the messages were"
                            + " delivered to the specified consumer.")
                    .complexity("O(1) if COUNT is small.").done());

    @Override
    public List<Command> commands() {
        return commands;
    }

    /* ---------------------------------------------------------------- XGROUP */

    private static Command xgroupContainer() {
        CommandSpec spec = CommandSpec.of("xgroup", -2).group("stream").since("5.0.0")
                .summary("A container for consumer groups commands").complexity("Depends on subcommand.")
                .subcommand(sub("xgroup|create", -5, "5.0.0", "INSERT", WRITE, DENYOOM)
                        .summary("Create a consumer group.").complexity("O(1)").build())
                .subcommand(sub("xgroup|createconsumer", 5, "6.2.0", "INSERT", WRITE, DENYOOM)
                        .summary("Create a consumer in a consumer group.").complexity("O(1)").build())
                .subcommand(sub("xgroup|delconsumer", 5, "5.0.0", "DELETE", WRITE)
                        .summary("Delete a consumer from a consumer group.").complexity("O(1)").build())
                .subcommand(sub("xgroup|destroy", 4, "5.0.0", "DELETE", WRITE)
                        .summary("Destroy a consumer group.")
                        .complexity("O(N) where N is the number of entries in the group's pending entries list (PEL).")
                        .build())
                .subcommand(new Command(CommandSpec.of("xgroup|help", 2).group("stream").since("5.0.0")
                        .flags(LOADING, STALE).acl("stream", "slow")
                        .summary("Show helpful text about the different subcommands").complexity("O(1)").build(),
                        GroupCommands::xgroup))
                .subcommand(sub("xgroup|setid", -5, "5.0.0", "UPDATE", WRITE)
                        .summary("Set a consumer group to an arbitrary last delivered ID value.").complexity("O(1)")
                        .build())
                .build();
        return new Command(spec, ctx -> {
            throw Errors.unknownSubcommand(ctx.argLower(1), "xgroup");
        });
    }

    /** A keyed XGROUP subcommand: the key is argument 2. */
    private static SubBuilder sub(String name, int arity, String since, String keyFlag, CommandFlag... flags) {
        return new SubBuilder(CommandSpec.of(name, arity).group("stream").since(since).flags(flags)
                .acl("write", "stream", "slow").keys(2, 2, 1).keySpec(KeySpec.range(2, 0, 1, "RW", keyFlag)));
    }

    private record SubBuilder(CommandSpec.Builder spec) {
        SubBuilder summary(String s) {
            spec.summary(s);
            return this;
        }

        SubBuilder complexity(String c) {
            spec.complexity(c);
            return this;
        }

        Command build() {
            return new Command(spec.build(), GroupCommands::xgroup);
        }
    }

    private static CommandException subcommandSyntax(CommandContext ctx) {
        String sub = Bytes.str(ctx.arg(1));
        if (sub.length() > 128) {
            sub = sub.substring(0, 128);
        }
        return new CommandException("ERR unknown subcommand or wrong number of arguments for '" + sub
                + "'. Try XGROUP HELP.");
    }

    /** Every XGROUP subcommand, checked in Redis's order (xgroupCommand). */
    private static void xgroup(CommandContext ctx) {
        String opt = ctx.argLower(1);
        int argc = ctx.argc();
        boolean mkstream = false;
        long entriesRead = ConsumerGroup.INVALID_ENTRIES_READ;
        StreamValue s = null;
        byte[] key = null;
        byte[] groupName = null;
        ConsumerGroup g = null;
        Database db = ctx.db();
        if (argc >= 4) {
            boolean create = opt.equals("create");
            boolean setid = opt.equals("setid");
            for (int i = 5; i < argc; ) {
                if (create && Bytes.is(ctx.arg(i), "mkstream")) {
                    mkstream = true;
                    i++;
                } else if ((create || setid) && Bytes.is(ctx.arg(i), "entriesread") && i + 1 < argc) {
                    entriesRead = ctx.argLong(i + 1);
                    if (entriesRead < 0 && entriesRead != ConsumerGroup.INVALID_ENTRIES_READ) {
                        throw new CommandException("ERR value for ENTRIESREAD must be positive or -1");
                    }
                    i += 2;
                } else {
                    throw subcommandSyntax(ctx);
                }
            }
            key = ctx.arg(2);
            s = db.get(key, StreamValue.class);
            groupName = ctx.arg(3);
        }
        if (argc >= 4 && !mkstream) {
            if (s == null) {
                throw new CommandException("ERR The XGROUP subcommand requires the key to exist. Note that for CREATE"
                        + " you may want to use the MKSTREAM option to create an empty stream automatically.");
            }
            g = s.groups.get(groupName);
            if (g == null && (opt.equals("setid") || opt.equals("createconsumer") || opt.equals("delconsumer"))) {
                throw new CommandException("NOGROUP No such consumer group '" + Bytes.str(groupName)
                        + "' for key name '" + Bytes.str(key) + "'");
            }
        }
        Reply r = ctx.reply();
        if (argc == 2 && opt.equals("help")) {
            r.array(XGROUP_HELP.size() + 3);
            r.simple("XGROUP <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
            for (String line : XGROUP_HELP) {
                r.simple(line);
            }
            r.simple("HELP");
            r.simple("    Prints this help.");
        } else if (opt.equals("create") && argc >= 5 && argc <= 8) {
            byte[] idArg = ctx.arg(4);
            StreamId id;
            if (idArg.length == 1 && idArg[0] == '$') {
                id = s == null ? StreamId.MIN : s.lastId;
            } else {
                id = StreamId.parseStrict(idArg);
            }
            if (s != null && s.groups.containsKey(groupName)) {
                throw new CommandException("BUSYGROUP Consumer Group name already exists");
            }
            if (s == null) {
                s = new StreamValue();
                db.add(key, s);
                ctx.touched(db, key);
            }
            s.groups.put(groupName.clone(), new ConsumerGroup(id, entriesRead));
            r.ok();
            ctx.dirty(1);
            ctx.notify('t', "xgroup-create", key, db);
        } else if (opt.equals("setid") && (argc == 5 || argc == 7)) {
            byte[] idArg = ctx.arg(4);
            StreamId id = idArg.length == 1 && idArg[0] == '$' ? s.lastId : StreamId.parseLoose(idArg, 0);
            g.lastId = id;
            g.entriesRead = entriesRead;
            r.ok();
            ctx.dirty(1);
            ctx.notify('t', "xgroup-setid", key, db);
        } else if (opt.equals("destroy") && argc == 4) {
            if (g != null) {
                s.groups.remove(groupName);
                r.integer(1);
                ctx.dirty(1);
                ctx.notify('t', "xgroup-destroy", key, db);
                ctx.keyReady(db, key);
            } else {
                r.integer(0);
            }
        } else if (opt.equals("createconsumer") && argc == 5) {
            StreamConsumer created = g.createConsumer(ctx.arg(4), ctx.now());
            if (created != null) {
                ctx.dirty(1);
                ctx.notify('t', "xgroup-createconsumer", key, db);
            }
            r.integer(created == null ? 0 : 1);
        } else if (opt.equals("delconsumer") && argc == 5) {
            StreamConsumer c = g.consumer(ctx.arg(4));
            long pending = 0;
            if (c != null) {
                pending = c.pending.size();
                g.deleteConsumer(c);
                ctx.dirty(1);
                ctx.notify('t', "xgroup-delconsumer", key, db);
            }
            r.integer(pending);
        } else {
            throw subcommandSyntax(ctx);
        }
    }

    /* ---------------------------------------------------------------- XACK */

    private static void xack(CommandContext ctx) {
        StreamValue s = ctx.db().get(ctx.arg(1), StreamValue.class);
        ConsumerGroup g = s == null ? null : s.groups.get(ctx.arg(2));
        if (g == null) {
            ctx.reply().integer(0);
            return;
        }
        StreamId[] ids = new StreamId[ctx.argc() - 3];
        for (int j = 3; j < ctx.argc(); j++) {
            ids[j - 3] = StreamId.parseStrict(ctx.arg(j));
        }
        int acknowledged = 0;
        for (StreamId id : ids) {
            PendingEntry p = g.pending.get(id);
            if (p != null) {
                g.acknowledge(id, p);
                acknowledged++;
            }
        }
        ctx.dirty(acknowledged);
        ctx.reply().integer(acknowledged);
    }

    /* ---------------------------------------------------------------- XPENDING */

    private static CommandException noGroup(CommandContext ctx) {
        return new CommandException("NOGROUP No such key '" + Bytes.str(ctx.arg(1)) + "' or consumer group '"
                + Bytes.str(ctx.arg(2)) + "'");
    }

    private static void xpending(CommandContext ctx) {
        int argc = ctx.argc();
        boolean summary = argc == 3;
        if (argc != 3 && (argc < 6 || argc > 9)) {
            throw Errors.syntax();
        }
        long count = 0;
        long minIdle = 0;
        StreamId start = null;
        StreamId end = null;
        byte[] consumerName = null;
        if (argc >= 6) {
            int startIdx = 3;
            if (Bytes.is(ctx.arg(3), "idle")) {
                minIdle = ctx.argLong(4);
                if (argc < 8) {
                    throw Errors.syntax();
                }
                startIdx += 2;
            }
            count = Math.max(0, ctx.argLong(startIdx + 2));
            StreamId.Bound sb = StreamId.parseBound(ctx.arg(startIdx), 0);
            start = sb.id();
            if (sb.exclusive()) {
                start = start.next();
                if (start == null) {
                    throw new CommandException("ERR invalid start ID for the interval");
                }
            }
            StreamId.Bound eb = StreamId.parseBound(ctx.arg(startIdx + 1), -1L);
            end = eb.id();
            if (eb.exclusive()) {
                end = end.previous();
                if (end == null) {
                    throw new CommandException("ERR invalid end ID for the interval");
                }
            }
            if (startIdx + 3 < argc) {
                consumerName = ctx.arg(startIdx + 3);
            }
        }
        StreamValue s = ctx.db().get(ctx.arg(1), StreamValue.class);
        ConsumerGroup g = s == null ? null : s.groups.get(ctx.arg(2));
        if (g == null) {
            throw noGroup(ctx);
        }
        Reply r = ctx.reply();
        if (summary) {
            r.array(4);
            r.integer(g.pending.size());
            if (g.pending.isEmpty()) {
                r.nil();
                r.nil();
                r.nilArray();
                return;
            }
            StreamReplies.id(r, g.pending.firstKey());
            StreamReplies.id(r, g.pending.lastKey());
            List<StreamConsumer> owners = new ArrayList<>();
            for (StreamConsumer c : g.consumers.values()) {
                if (!c.pending.isEmpty()) {
                    owners.add(c);
                }
            }
            r.array(owners.size());
            for (StreamConsumer c : owners) {
                r.array(2);
                r.bulk(c.name);
                r.bulk(Bytes.fromLong(c.pending.size()));
            }
            return;
        }
        java.util.TreeMap<StreamId, PendingEntry> pel = g.pending;
        if (consumerName != null) {
            StreamConsumer c = g.consumer(consumerName);
            if (c == null) {
                r.array(0);
                return;
            }
            pel = c.pending;
        }
        long now = ctx.now();
        List<Map.Entry<StreamId, PendingEntry>> out = new ArrayList<>();
        if (start.compareTo(end) <= 0) {
            for (Map.Entry<StreamId, PendingEntry> e : pel.subMap(start, true, end, true).entrySet()) {
                if (out.size() >= count) {
                    break;
                }
                if (minIdle != 0 && now - e.getValue().deliveryTime < minIdle) {
                    continue;
                }
                out.add(e);
            }
        }
        r.array(out.size());
        for (Map.Entry<StreamId, PendingEntry> e : out) {
            PendingEntry p = e.getValue();
            r.array(4);
            StreamReplies.id(r, e.getKey());
            r.bulk(p.consumer.name);
            r.integer(Math.max(0, now - p.deliveryTime));
            r.integer(p.deliveryCount);
        }
    }

    /* ---------------------------------------------------------------- XCLAIM */

    private static long optionLong(CommandContext ctx, int i, String error) {
        try {
            return Bytes.parseLong(ctx.arg(i));
        } catch (NumberFormatException e) {
            throw new CommandException("ERR " + error);
        }
    }

    private static void xclaim(CommandContext ctx) {
        byte[] key = ctx.arg(1);
        byte[] groupName = ctx.arg(2);
        StreamValue s = ctx.db().get(key, StreamValue.class);
        ConsumerGroup g = s == null ? null : s.groups.get(groupName);
        if (g == null) {
            throw noGroup(ctx);
        }
        long minIdle = Math.max(0, optionLong(ctx, 4, "Invalid min-idle-time argument for XCLAIM"));
        int argc = ctx.argc();
        List<StreamId> ids = new ArrayList<>();
        List<byte[]> idArgs = new ArrayList<>();
        int j = 5;
        for (; j < argc; j++) {
            try {
                ids.add(StreamId.parseStrict(ctx.arg(j)));
                idArgs.add(ctx.arg(j));
            } catch (CommandException notAnId) {
                break;
            }
        }
        long now = ctx.now();
        long deliveryTime = -1;
        long retryCount = -1;
        boolean force = false;
        boolean justId = false;
        StreamId lastId = StreamId.MIN;
        for (; j < argc; j++) {
            int more = argc - 1 - j;
            byte[] opt = ctx.arg(j);
            if (Bytes.is(opt, "force")) {
                force = true;
            } else if (Bytes.is(opt, "justid")) {
                justId = true;
            } else if (Bytes.is(opt, "idle") && more > 0) {
                j++;
                deliveryTime = now - optionLong(ctx, j, "Invalid IDLE option argument for XCLAIM");
            } else if (Bytes.is(opt, "time") && more > 0) {
                j++;
                deliveryTime = optionLong(ctx, j, "Invalid TIME option argument for XCLAIM");
            } else if (Bytes.is(opt, "retrycount") && more > 0) {
                j++;
                retryCount = optionLong(ctx, j, "Invalid RETRYCOUNT option argument for XCLAIM");
            } else if (Bytes.is(opt, "lastid") && more > 0) {
                j++;
                lastId = StreamId.parseStrict(ctx.arg(j));
            } else {
                throw new CommandException("ERR Unrecognized XCLAIM option '" + Bytes.str(opt) + "'");
            }
        }
        ctx.propagateNothing();
        boolean propagateLastId = false;
        if (lastId.compareTo(g.lastId) > 0) {
            g.lastId = lastId;
            propagateLastId = true;
        }
        if (deliveryTime != -1) {
            if (deliveryTime < 0 || deliveryTime > now) {
                deliveryTime = now;
            }
        } else {
            deliveryTime = now;
        }
        StreamConsumer consumer = null;
        List<Object> claimed = new ArrayList<>();
        byte[] name = ctx.arg(3);
        for (int k = 0; k < ids.size(); k++) {
            StreamId id = ids.get(k);
            PendingEntry p = g.pending.get(id);
            Entry entry = s.find(id);
            if (entry == null) {
                if (p != null) {
                    GroupDelivery.propagateClaim(ctx, key, g, groupName, id, p);
                    propagateLastId = false;
                    ctx.dirty(1);
                    g.acknowledge(id, p);
                }
                continue;
            }
            if (force && p == null) {
                p = new PendingEntry(null, now, 1);
                g.pending.put(id, p);
            }
            if (p == null) {
                continue;
            }
            if (p.consumer != null && minIdle != 0 && now - p.deliveryTime < minIdle) {
                continue;
            }
            if (consumer == null) {
                consumer = GroupDelivery.consumer(ctx, g, key, groupName, name, false);
            }
            p.deliveryTime = deliveryTime;
            if (retryCount >= 0) {
                p.deliveryCount = retryCount;
            } else if (!justId) {
                p.deliveryCount++;
            }
            g.assign(id, p, consumer);
            claimed.add(justId ? id : entry);
            GroupDelivery.propagateClaim(ctx, key, g, groupName, id, p);
            propagateLastId = false;
            ctx.dirty(1);
        }
        if (propagateLastId) {
            GroupDelivery.propagateGroupId(ctx, key, g, groupName);
            ctx.dirty(1);
        }
        Reply r = ctx.reply();
        r.array(claimed.size());
        for (Object o : claimed) {
            if (o instanceof StreamId id) {
                StreamReplies.id(r, id);
            } else {
                StreamReplies.entry(r, (Entry) o);
            }
        }
    }

    /* ---------------------------------------------------------------- XAUTOCLAIM */

    private static void xautoclaim(CommandContext ctx) {
        byte[] key = ctx.arg(1);
        byte[] groupName = ctx.arg(2);
        long minIdle = Math.max(0, optionLong(ctx, 4, "Invalid min-idle-time argument for XAUTOCLAIM"));
        StreamId.Bound sb = StreamId.parseBound(ctx.arg(5), 0);
        StreamId start = sb.id();
        if (sb.exclusive()) {
            start = start.next();
            if (start == null) {
                throw new CommandException("ERR invalid start ID for the interval");
            }
        }
        long count = 100;
        boolean justId = false;
        long maxCount = Long.MAX_VALUE / 16;
        for (int j = 6; j < ctx.argc(); j++) {
            int more = ctx.argc() - 1 - j;
            if (Bytes.is(ctx.arg(j), "count") && more > 0) {
                long c;
                try {
                    c = Bytes.parseLong(ctx.arg(j + 1));
                } catch (NumberFormatException e) {
                    throw new CommandException("ERR COUNT must be > 0");
                }
                if (c < 1 || c > maxCount) {
                    throw new CommandException("ERR COUNT must be > 0");
                }
                count = c;
                j++;
            } else if (Bytes.is(ctx.arg(j), "justid")) {
                justId = true;
            } else {
                throw Errors.syntax();
            }
        }
        StreamValue s = ctx.db().get(key, StreamValue.class);
        ConsumerGroup g = s == null ? null : s.groups.get(groupName);
        if (g == null) {
            throw new CommandException("NOGROUP No such key '" + Bytes.str(key) + "' or consumer group '"
                    + Bytes.str(groupName) + "'");
        }
        ctx.propagateNothing();
        long attempts = count * 10;
        long now = ctx.now();
        byte[] name = ctx.arg(3);
        StreamConsumer consumer = null;
        List<Object> claimed = new ArrayList<>();
        List<StreamId> deleted = new ArrayList<>();
        StreamId cursor = g.pending.ceilingKey(start);
        while (attempts-- > 0 && count > 0 && cursor != null) {
            StreamId id = cursor;
            PendingEntry p = g.pending.get(id);
            cursor = g.pending.higherKey(id);
            Entry entry = s.find(id);
            if (entry == null) {
                GroupDelivery.propagateClaim(ctx, key, g, groupName, id, p);
                ctx.dirty(1);
                g.acknowledge(id, p);
                deleted.add(id);
                count--;
                continue;
            }
            if (minIdle != 0 && now - p.deliveryTime < minIdle) {
                continue;
            }
            if (consumer == null) {
                consumer = GroupDelivery.consumer(ctx, g, key, groupName, name, false);
            }
            p.deliveryTime = now;
            if (!justId) {
                p.deliveryCount++;
            }
            g.assign(id, p, consumer);
            claimed.add(justId ? id : entry);
            count--;
            GroupDelivery.propagateClaim(ctx, key, g, groupName, id, p);
            ctx.dirty(1);
        }
        Reply r = ctx.reply();
        r.array(3);
        StreamReplies.id(r, cursor == null ? StreamId.MIN : cursor);
        r.array(claimed.size());
        for (Object o : claimed) {
            if (o instanceof StreamId id) {
                StreamReplies.id(r, id);
            } else {
                StreamReplies.entry(r, (Entry) o);
            }
        }
        r.array(deleted.size());
        for (StreamId id : deleted) {
            StreamReplies.id(r, id);
        }
    }
}
