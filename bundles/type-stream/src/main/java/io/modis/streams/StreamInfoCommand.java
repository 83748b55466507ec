package io.modis.streams;

import static io.modis.api.CommandFlag.LOADING;
import static io.modis.api.CommandFlag.READONLY;
import static io.modis.api.CommandFlag.STALE;

import io.modis.api.Bytes;
import io.modis.api.Command;
import io.modis.api.CommandContext;
import io.modis.api.CommandException;
import io.modis.api.CommandProvider;
import io.modis.api.CommandSpec;
import io.modis.api.Errors;
import io.modis.api.KeySpec;
import io.modis.api.Reply;
import io.modis.streams.StreamBlock.Entry;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Component;

/** XINFO STREAM [FULL [COUNT n]], XINFO GROUPS and XINFO CONSUMERS, with Redis 7.0's fields. */
@Component(service = CommandProvider.class)
public final class StreamInfoCommand implements CommandProvider {
    private static final List<String> HELP = List.of(
            "CONSUMERS <key> <groupname>",
            "    Show consumers of <groupname>.",
            "GROUPS <key>",
            "    Show the stream consumer groups.",
            "STREAM <key> [FULL [COUNT <count>]",
            "    Show information about the stream.");

    private final List<Command> commands = List.of(new Command(CommandSpec.of("xinfo", -2).group("stream")
            .since("5.0.0").summary("A container for stream introspection commands")
            .complexity("Depends on subcommand.")
            .subcommand(sub("xinfo|consumers", 4, "List the consumers in a consumer group"))
            .subcommand(sub("xinfo|groups", 3, "List the consumer groups of a stream"))
            .subcommand(new Command(CommandSpec.of("xinfo|help", 2).group("stream").since("5.0.0")
                    .flags(LOADING, STALE).acl("stream", "slow")
                    .summary("Show helpful text about the different subcommands").complexity("O(1)").build(),
                    StreamInfoCommand::xinfo))
            .subcommand(sub("xinfo|stream", -3, "Get information about a stream"))
            .build(), ctx -> {
                throw Errors.unknownSubcommand(ctx.argLower(1), "xinfo");
            }));

    @Override
    public List<Command> commands() {
        return commands;
    }

    private static Command sub(String name, int arity, String summary) {
        return new Command(CommandSpec.of(name, arity).group("stream").since("5.0.0").flags(READONLY)
                .acl("read", "stream", "slow").keys(2, 2, 1).keySpec(KeySpec.range(2, 0, 1, "RO", "ACCESS"))
                .summary(summary).complexity("O(1)").build(), StreamInfoCommand::xinfo);
    }

    private static CommandException syntax(CommandContext ctx) {
        String sub = Bytes.str(ctx.arg(1));
        if (sub.length() > 128) {
            sub = sub.substring(0, 128);
        }
        return new CommandException("ERR unknown subcommand or wrong number of arguments for '" + sub
                + "'. Try XINFO HELP.");
    }

    private static void xinfo(CommandContext ctx) {
        Reply r = ctx.reply();
        String opt = ctx.argLower(1);
        if (opt.equals("help")) {
            if (ctx.argc() != 2) {
                throw syntax(ctx);
            }
            r.array(HELP.size() + 3);
            r.simple("XINFO <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
            for (String line : HELP) {
                r.simple(line);
            }
            r.simple("HELP");
            r.simple("    Prints this help.");
            return;
        } else if (ctx.argc() < 3) {
            throw syntax(ctx);
        }
        byte[] key = ctx.arg(2);
        StreamValue s = ctx.db().get(key, StreamValue.class);
        if (s == null) {
            throw new CommandException(Errors.NO_SUCH_KEY);
        }
        if (opt.equals("consumers") && ctx.argc() == 4) {
            ConsumerGroup g = s.groups.get(ctx.arg(3));
            if (g == null) {
                throw new CommandException("NOGROUP No such consumer group '" + Bytes.str(ctx.arg(3))
                        + "' for key name '" + Bytes.str(key) + "'");
            }
            long now = ctx.now();
            r.array(g.consumers.size());
            for (StreamConsumer c : g.consumers.values()) {
                r.map(3);
                r.bulk("name");
                r.bulk(c.name);
                r.bulk("pending");
                r.integer(c.pending.size());
                r.bulk("idle");
                r.integer(Math.max(0, now - c.seenTime));
            }
        } else if (opt.equals("groups") && ctx.argc() == 3) {
            r.array(s.groups.size());
            for (Map.Entry<byte[], ConsumerGroup> ge : s.groups.entrySet()) {
                ConsumerGroup g = ge.getValue();
                r.map(6);
                r.bulk("name");
                r.bulk(ge.getKey());
                r.bulk("consumers");
                r.integer(g.consumers.size());
                r.bulk("pending");
                r.integer(g.pending.size());
                r.bulk("last-delivered-id");
                StreamReplies.id(r, g.lastId);
                entriesReadAndLag(r, s, g);
            }
        } else if (opt.equals("stream")) {
            stream(ctx, s);
        } else {
            throw syntax(ctx);
        }
    }

    private static void entriesReadAndLag(Reply r, StreamValue s, ConsumerGroup g) {
        r.bulk("entries-read");
        if (g.entriesRead != ConsumerGroup.INVALID_ENTRIES_READ) {
            r.integer(g.entriesRead);
        } else {
            r.nil();
        }
        r.bulk("lag");
        Long lag = s.lag(g);
        if (lag != null) {
            r.integer(lag);
        } else {
            r.nil();
        }
    }

    private static void stream(CommandContext ctx, StreamValue s) {
        int optc = ctx.argc() - 3;
        boolean full = optc != 0;
        long count = 10;
        if (full) {
            if ((optc != 1 && optc != 3) || !Bytes.is(ctx.arg(3), "full")) {
                throw syntax(ctx);
            }
            if (optc == 3) {
                if (!Bytes.is(ctx.arg(4), "count")) {
                    throw syntax(ctx);
                }
                count = ctx.argLong(5);
                if (count < 0) {
                    count = 10;
                }
            }
        }
        Reply r = ctx.reply();
        r.map(full ? 9 : 10);
        r.bulk("length");
        r.integer(s.length());
        r.bulk("radix-tree-keys");
        r.integer(s.blockCount());
        r.bulk("radix-tree-nodes");
        r.integer(s.blockCount() == 0 ? 1 : 2L * s.blockCount());
        r.bulk("last-generated-id");
        StreamReplies.id(r, s.lastId);
        r.bulk("max-deleted-entry-id");
        StreamReplies.id(r, s.maxDeletedId);
        r.bulk("entries-added");
        r.integer(s.entriesAdded);
        r.bulk("recorded-first-entry-id");
        StreamReplies.id(r, s.firstId());
        if (!full) {
            r.bulk("groups");
            r.integer(s.groups.size());
            r.bulk("first-entry");
            edge(r, s.range(StreamId.MIN, StreamId.MAX, false, 1));
            r.bulk("last-entry");
            edge(r, s.range(StreamId.MIN, StreamId.MAX, true, 1));
            return;
        }
        r.bulk("entries");
        StreamReplies.entries(r, s.range(StreamId.MIN, StreamId.MAX, false, count));
        r.bulk("groups");
        r.array(s.groups.size());
        for (Map.Entry<byte[], ConsumerGroup> ge : s.groups.entrySet()) {
            ConsumerGroup g = ge.getValue();
            r.map(7);
            r.bulk("name");
            r.bulk(ge.getKey());
            r.bulk("last-delivered-id");
            StreamReplies.id(r, g.lastId);
            entriesReadAndLag(r, s, g);
            r.bulk("pel-count");
            r.integer(g.pending.size());
            r.bulk("pending");
            int n = (int) (count == 0 ? g.pending.size() : Math.min(count, g.pending.size()));
            r.array(n);
            int written = 0;
            for (Map.Entry<StreamId, PendingEntry> pe : g.pending.entrySet()) {
                if (written++ == n) {
                    break;
                }
                r.array(4);
                StreamReplies.id(r, pe.getKey());
                r.bulk(pe.getValue().consumer.name);
                r.integer(pe.getValue().deliveryTime);
                r.integer(pe.getValue().deliveryCount);
            }
            r.bulk("consumers");
            r.array(g.consumers.size());
            for (StreamConsumer c : g.consumers.values()) {
                r.map(4);
                r.bulk("name");
                r.bulk(c.name);
                r.bulk("seen-time");
                r.integer(c.seenTime);
                r.bulk("pel-count");
                r.integer(c.pending.size());
                r.bulk("pending");
                int cn = (int) (count == 0 ? c.pending.size() : Math.min(count, c.pending.size()));
                r.array(cn);
                int cw = 0;
                for (Map.Entry<StreamId, PendingEntry> pe : c.pending.entrySet()) {
                    if (cw++ == cn) {
                        break;
                    }
                    r.array(3);
                    StreamReplies.id(r, pe.getKey());
                    r.integer(pe.getValue().deliveryTime);
                    r.integer(pe.getValue().deliveryCount);
                }
            }
        }
    }

    private static void edge(Reply r, List<Entry> one) {
        if (one.isEmpty()) {
            r.nil();
        } else {
            StreamReplies.entry(r, one.get(0));
        }
    }
}
