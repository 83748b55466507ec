package io.modis.pubsub;

import io.modis.api.Bytes;
import io.modis.api.Client;
import io.modis.api.Engine;
import io.modis.api.Reply;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * Who is subscribed to what, and delivery. Used on the engine thread only, like the rest of
 * the engine's state, so it needs no locking. The bundle's commands, client listener, INFO
 * fields and keyspace notifier share this one instance through DS.
 */
@Component(service = PubSub.class, immediate = true)
public final class PubSub {
    private final SubscriptionTable channels = new SubscriptionTable();
    private final SubscriptionTable patterns = new SubscriptionTable();
    private final SubscriptionTable shardChannels = new SubscriptionTable();
    private final Map<Long, ClientSubscriptions> clients = new HashMap<>();

    /** Present while the core runs: lets a stopping bundle give its subscribers back their normal mode. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile Engine engine;

    private SubscriptionTable table(SubscriptionKind kind) {
        return switch (kind) {
            case CHANNEL -> channels;
            case PATTERN -> patterns;
            case SHARD_CHANNEL -> shardChannels;
        };
    }

    /** Subscribes {@code client} to {@code name} (if not already) and confirms it to the client. */
    void subscribe(Client client, SubscriptionKind kind, byte[] name) {
        ClientSubscriptions subs = clients.computeIfAbsent(client.id(), id -> new ClientSubscriptions(client));
        if (table(kind).subscribe(subs, kind.own(subs), name)) {
            subs.report();
        }
        client.send(Messages.confirmation(kind.subscribed, name, kind.confirmationCount(subs)));
    }

    /** Unsubscribes {@code client} from {@code name}, confirming it even if it was not subscribed. */
    void unsubscribe(Client client, SubscriptionKind kind, byte[] name) {
        ClientSubscriptions subs = clients.get(client.id());
        int count = 0;
        if (subs != null) {
            if (table(kind).unsubscribe(kind.own(subs), name)) {
                subs.report();
                forgetIfEmpty(subs);
            }
            count = kind.confirmationCount(subs);
        }
        client.send(Messages.confirmation(kind.unsubscribed, name, count));
    }

    /**
     * Unsubscribes {@code client} from every name of {@code kind}, one confirmation each; a
     * client subscribed to none still gets one, with a null name.
     */
    void unsubscribeAll(Client client, SubscriptionKind kind) {
        ClientSubscriptions subs = clients.get(client.id());
        List<byte[]> names = new ArrayList<>();
        if (subs != null) {
            for (Channel c : kind.own(subs).keySet()) {
                names.add(c.name);
            }
        }
        if (names.isEmpty()) {
            int count = subs == null ? 0 : kind.confirmationCount(subs);
            client.send(Messages.confirmation(kind.unsubscribed, null, count));
            return;
        }
        for (byte[] name : names) {
            unsubscribe(client, kind, name);
        }
    }

    /** Forgets everything {@code client} subscribed to, without telling it (RESET, disconnect). */
    void drop(Client client) {
        ClientSubscriptions subs = clients.remove(client.id());
        if (subs == null) {
            return;
        }
        detachAll(subs);
        subs.report();
    }

    private void detachAll(ClientSubscriptions subs) {
        for (SubscriptionKind kind : SubscriptionKind.values()) {
            Map<Channel, SubscriberList.Node> own = kind.own(subs);
            for (SubscriberList.Node node : own.values()) {
                table(kind).detach(node);
            }
            own.clear();
        }
    }

    private void forgetIfEmpty(ClientSubscriptions subs) {
        if (subs.isEmpty()) {
            clients.remove(subs.client.id());
        }
    }

    /**
     * PUBLISH: delivers to the channel's subscribers, then to the subscribers of each matching
     * pattern. Returns the number of deliveries.
     */
    int publish(byte[] channel, byte[] message) {
        int receivers = 0;
        SubscriberList direct = channels.get(channel);
        if (direct != null) {
            receivers += deliver(direct, Messages.message(SubscriptionKind.CHANNEL.message, channel, message));
        }
        if (!patterns.isEmpty()) {
            for (SubscriberList pattern : patterns.all()) {
                if (!pattern.isEmpty() && Bytes.globMatch(pattern.name, channel, false)) {
                    receivers += deliver(pattern, Messages.patternMessage(pattern.name, channel, message));
                }
            }
        }
        return receivers;
    }

    /** SPUBLISH: shard channels ignore patterns. */
    int publishToShard(byte[] channel, byte[] message) {
        SubscriberList direct = shardChannels.get(channel);
        if (direct == null) {
            return 0;
        }
        return deliver(direct, Messages.message(SubscriptionKind.SHARD_CHANNEL.message, channel, message));
    }

    private static int deliver(SubscriberList list, Consumer<Reply> frame) {
        int receivers = 0;
        SubscriberList.Node node = list.first();
        while (node != null) {
            // read ahead: a delivery that ends the client would unlink its node
            SubscriberList.Node next = node.next();
            node.subscriber.client.send(frame);
            receivers++;
            node = next;
        }
        return receivers;
    }

    /** True when a PUBLISH could reach anyone (a keyspace event is not worth building otherwise). */
    boolean hasSubscribers() {
        return !channels.isEmpty() || !patterns.isEmpty();
    }

    /** Subscribers of exactly {@code name} (PUBSUB NUMSUB / SHARDNUMSUB). */
    int subscriberCount(SubscriptionKind kind, byte[] name) {
        SubscriberList list = table(kind).get(name);
        return list == null ? 0 : list.size();
    }

    /** Names with subscribers, matching {@code pattern} if not null (PUBSUB CHANNELS / SHARDCHANNELS). */
    List<byte[]> names(SubscriptionKind kind, byte[] pattern) {
        List<byte[]> out = new ArrayList<>();
        for (SubscriberList list : table(kind).all()) {
            if (pattern == null || Bytes.globMatch(pattern, list.name, false)) {
                out.add(list.name);
            }
        }
        return out;
    }

    /** Names of {@code kind} that have subscribers (INFO, PUBSUB NUMPAT). */
    int size(SubscriptionKind kind) {
        return table(kind).size();
    }

    /**
     * The bundle is stopping: its subscribers would otherwise stay in subscriber mode with no
     * command left to leave it. Runs on the engine thread, after the commands are gone.
     */
    @Deactivate
    void deactivate() {
        Engine e = engine;
        if (e == null) {
            return;
        }
        try {
            e.executor().execute(this::dropEveryone);
        } catch (RejectedExecutionException shuttingDown) {
            // the engine is stopping too: nobody is left to tell
        }
    }

    private void dropEveryone() {
        for (ClientSubscriptions subs : new ArrayList<>(clients.values())) {
            drop(subs.client);
        }
    }
}
