package io.modis.pubsub;

import static io.modis.api.CommandFlag.FAST;
import static io.modis.api.CommandFlag.LOADING;
import static io.modis.api.CommandFlag.MAY_REPLICATE;
import static io.modis.api.CommandFlag.NOSCRIPT;
import static io.modis.api.CommandFlag.PUBSUB;
import static io.modis.api.CommandFlag.SENTINEL;
import static io.modis.api.CommandFlag.STALE;

import io.modis.api.Bytes;
import io.modis.api.Client;
import io.modis.api.Command;
import io.modis.api.CommandContext;
import io.modis.api.CommandException;
import io.modis.api.CommandFlag;
import io.modis.api.CommandHandler;
import io.modis.api.CommandProvider;
import io.modis.api.ChannelSpec;
import io.modis.api.CommandSpec;
import io.modis.api.Errors;
import io.modis.api.KeySpec;
import io.modis.api.Reply;
import java.util.List;
import java.util.Locale;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The pub/sub commands of Redis 7.0 (pubsub.c), each declared with the metadata of
 * src/commands/*.json beside its handler. Subscription confirmations are written as pushes
 * through {@code Client.send}, not as the command's reply, so that they reach clients that
 * turned replies off, as Redis's do.
 */
@Component(service = CommandProvider.class)
public final class PubSubCommands implements CommandProvider {
    private static final List<String> HELP = List.of(
            "CHANNELS [<pattern>]",
            "    Return the currently active channels matching a <pattern> (default: '*').",
            "NUMPAT",
            "    Return number of subscriptions to patterns.",
            "NUMSUB [<channel> ...]",
            "    Return the number of subscribers for the specified channels, excluding",
            "    pattern subscriptions(default: no channels).",
            "SHARDCHANNELS [<pattern>]",
            "    Return the currently active shard level channels matching a <pattern> (default: '*').",
            "SHARDNUMSUB [<shardchannel> ...]",
            "    Return the number of subscribers for the specified shard level channel(s)");

    private final PubSub pubsub;
    private final List<Command> commands;

    @Activate
    public PubSubCommands(@Reference PubSub pubsub) {
        this.pubsub = pubsub;
        this.commands = List.of(
                command(spec("subscribe", -2, "2.0.0", PUBSUB, NOSCRIPT, LOADING, STALE, SENTINEL)
                        .channels(new ChannelSpec(1, -1, false, true))
                        .summary("Listen for messages published to the given channels")
                        .complexity("O(N) where N is the number of channels to subscribe to."),
                        ctx -> subscribe(ctx, SubscriptionKind.CHANNEL)),
                command(spec("unsubscribe", -1, "2.0.0", PUBSUB, NOSCRIPT, LOADING, STALE, SENTINEL)
                        .channels(new ChannelSpec(1, -1, false, false))
                        .summary("Stop listening for messages posted to the given channels")
                        .complexity("O(N) where N is the number of clients already subscribed to a channel."),
                        ctx -> unsubscribe(ctx, SubscriptionKind.CHANNEL)),
                command(spec("psubscribe", -2, "2.0.0", PUBSUB, NOSCRIPT, LOADING, STALE, SENTINEL)
                        .channels(new ChannelSpec(1, -1, true, true))
                        .summary("Listen for messages published to channels matching the given patterns")
                        .complexity("O(N) where N is the number of patterns the client is already subscribed to."),
                        ctx -> subscribe(ctx, SubscriptionKind.PATTERN)),
                command(spec("punsubscribe", -1, "2.0.0", PUBSUB, NOSCRIPT, LOADING, STALE, SENTINEL)
                        .channels(new ChannelSpec(1, -1, true, false))
                        .summary("Stop listening for messages posted to channels matching the given patterns")
                        .complexity("O(N+M) where N is the number of patterns the client is already subscribed"
                                + " and M is the number of total patterns subscribed in the system (by any client)."),
                        ctx -> unsubscribe(ctx, SubscriptionKind.PATTERN)),
                command(spec("publish", 3, "2.0.0", PUBSUB, LOADING, STALE, FAST, MAY_REPLICATE, SENTINEL)
                        .channels(new ChannelSpec(1, 1, false, true))
                        .summary("Post a message to a channel")
                        .complexity("O(N+M) where N is the number of clients subscribed to the receiving channel"
                                + " and M is the total number of subscribed patterns (by any client)."),
                        this::publish),
                command(spec("ssubscribe", -2, "7.0.0", PUBSUB, NOSCRIPT, LOADING, STALE)
                        .keys(1, -1, 1).keySpec(KeySpec.range(1, -1, 1, "NOT_KEY"))
                        .channels(new ChannelSpec(1, -1, false, true))
                        .summary("Listen for messages published to the given shard channels")
                        .complexity("O(N) where N is the number of shard channels to subscribe to."),
                        ctx -> subscribe(ctx, SubscriptionKind.SHARD_CHANNEL)),
                command(spec("sunsubscribe", -1, "7.0.0", PUBSUB, NOSCRIPT, LOADING, STALE)
                        .keys(1, -1, 1).keySpec(KeySpec.range(1, -1, 1, "NOT_KEY"))
                        .channels(new ChannelSpec(1, -1, false, false))
                        .summary("Stop listening for messages posted to the given shard channels")
                        .complexity("O(N) where N is the number of clients already subscribed to a shard channel."),
                        ctx -> unsubscribe(ctx, SubscriptionKind.SHARD_CHANNEL)),
                command(spec("spublish", 3, "7.0.0", PUBSUB, LOADING, STALE, FAST, MAY_REPLICATE)
                        .keys(1, 1, 1).keySpec(KeySpec.range(1, 0, 1, "NOT_KEY"))
                        .channels(new ChannelSpec(1, 1, false, true))
                        .summary("Post a message to a shard channel")
                        .complexity("O(N) where N is the number of clients subscribed to the receiving shard channel."),
                        this::spublish),
                pubsubContainer());
    }

    @Override
    public List<Command> commands() {
        return commands;
    }

    /* ---------------------------------------------------------------- metadata helpers */

    private static CommandSpec.Builder spec(String name, int arity, String since, CommandFlag... flags) {
        CommandSpec.Builder b = CommandSpec.of(name, arity).group("pubsub").since(since).flags(flags);
        return List.of(flags).contains(PUBSUB) ? b.acl("pubsub") : b;
    }

    private static Command command(CommandSpec.Builder spec, CommandHandler handler) {
        return new Command(spec.build(), handler);
    }

    private Command pubsubContainer() {
        CommandSpec spec = CommandSpec.of("pubsub", -2).group("pubsub").since("2.8.0")
                .summary("A container for Pub/Sub commands").complexity("Depends on subcommand.")
                .subcommand(command(spec("pubsub|channels", -2, "2.8.0", PUBSUB, LOADING, STALE)
                        .summary("List active channels")
                        .complexity("O(N) where N is the number of active channels, and assuming constant time"
                                + " pattern matching (relatively short channels and patterns)"),
                        ctx -> channels(ctx, SubscriptionKind.CHANNEL)))
                .subcommand(command(spec("pubsub|numpat", 2, "2.8.0", PUBSUB, LOADING, STALE)
                        .summary("Get the count of unique patterns pattern subscriptions").complexity("O(1)"),
                        ctx -> ctx.reply().integer(pubsub.size(SubscriptionKind.PATTERN))))
                .subcommand(command(spec("pubsub|numsub", -2, "2.8.0", PUBSUB, LOADING, STALE)
                        .summary("Get the count of subscribers for channels")
                        .complexity("O(N) for the NUMSUB subcommand, where N is the number of requested channels"),
                        ctx -> numsub(ctx, SubscriptionKind.CHANNEL)))
                .subcommand(command(spec("pubsub|shardchannels", -2, "7.0.0", PUBSUB, LOADING, STALE)
                        .summary("List active shard channels")
                        .complexity("O(N) where N is the number of active shard channels, and assuming constant"
                                + " time pattern matching (relatively short shard channels)."),
                        ctx -> channels(ctx, SubscriptionKind.SHARD_CHANNEL)))
                .subcommand(command(spec("pubsub|shardnumsub", -2, "7.0.0", PUBSUB, LOADING, STALE)
                        .summary("Get the count of subscribers for shard channels")
                        .complexity("O(N) for the SHARDNUMSUB subcommand, where N is the number of requested"
                                + " shard channels"),
                        ctx -> numsub(ctx, SubscriptionKind.SHARD_CHANNEL)))
                .subcommand(command(spec("pubsub|help", 2, "6.2.0", LOADING, STALE)
                        .summary("Show helpful text about the different subcommands").complexity("O(1)"),
                        PubSubCommands::help))
                .build();
        return new Command(spec, ctx -> {
            throw Errors.unknownSubcommand(ctx.argLower(1), "pubsub");
        });
    }

    /* ---------------------------------------------------------------- subscribing */

    /**
     * (P|S)SUBSCRIBE. Redis refuses them to clients that may not block (scripts, and for
     * SSUBSCRIBE also EXEC), except that SUBSCRIBE and PSUBSCRIBE stay allowed in a transaction.
     */
    private void subscribe(CommandContext ctx, SubscriptionKind kind) {
        Client client = ctx.client();
        if (client.inScript() || (kind == SubscriptionKind.SHARD_CHANNEL && client.inMulti())) {
            throw new CommandException("ERR " + ctx.command().name().toUpperCase(Locale.ROOT)
                    + " isn't allowed for a DENY BLOCKING client");
        }
        for (int i = 1; i < ctx.argc(); i++) {
            pubsub.subscribe(client, kind, ctx.arg(i));
        }
    }

    /** (P|S)UNSUBSCRIBE [name ...]: without names, from everything of that kind. */
    private void unsubscribe(CommandContext ctx, SubscriptionKind kind) {
        if (ctx.argc() == 1) {
            pubsub.unsubscribeAll(ctx.client(), kind);
            return;
        }
        for (int i = 1; i < ctx.argc(); i++) {
            pubsub.unsubscribe(ctx.client(), kind, ctx.arg(i));
        }
    }

    /* ---------------------------------------------------------------- publishing */

    /**
     * PUBLISH. Redis sends it on to replicas (so their subscribers hear it too) though it changes
     * no data, and not to the AOF.
     */
    private void publish(CommandContext ctx) {
        int receivers = pubsub.publish(ctx.arg(1), ctx.arg(2));
        ctx.propagateToReplicas(ctx.args());
        ctx.reply().integer(receivers);
    }

    private void spublish(CommandContext ctx) {
        int receivers = pubsub.publishToShard(ctx.arg(1), ctx.arg(2));
        ctx.propagateToReplicas(ctx.args());
        ctx.reply().integer(receivers);
    }

    /* ---------------------------------------------------------------- PUBSUB introspection */

    /** CHANNELS / SHARDCHANNELS [pattern]. */
    private void channels(CommandContext ctx, SubscriptionKind kind) {
        if (ctx.argc() > 3) {
            throw syntaxError(ctx);
        }
        List<byte[]> names = pubsub.names(kind, ctx.argc() == 3 ? ctx.arg(2) : null);
        Reply r = ctx.reply();
        r.array(names.size());
        for (byte[] name : names) {
            r.bulk(name);
        }
    }

    /** NUMSUB / SHARDNUMSUB [name ...]: pattern subscribers are not counted. */
    private void numsub(CommandContext ctx, SubscriptionKind kind) {
        Reply r = ctx.reply();
        r.array((ctx.argc() - 2) * 2);
        for (int i = 2; i < ctx.argc(); i++) {
            r.bulk(ctx.arg(i));
            r.integer(pubsub.subscriberCount(kind, ctx.arg(i)));
        }
    }

    private static void help(CommandContext ctx) {
        Reply r = ctx.reply();
        r.array(HELP.size() + 3);
        r.simple(commandName(ctx) + " <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
        for (String line : HELP) {
            r.simple(line);
        }
        r.simple("HELP");
        r.simple("    Prints this help.");
    }

    private static CommandException syntaxError(CommandContext ctx) {
        String sub = Bytes.str(ctx.arg(1));
        if (sub.length() > 128) {
            sub = sub.substring(0, 128);
        }
        return new CommandException("ERR unknown subcommand or wrong number of arguments for '" + sub + "'. Try "
                + commandName(ctx) + " HELP.");
    }

    private static String commandName(CommandContext ctx) {
        return Bytes.str(ctx.arg(0)).toUpperCase(Locale.ROOT);
    }
}
