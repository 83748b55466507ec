package io.modis.pubsub;

import io.modis.api.InfoFields;
import io.modis.api.InfoSection;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** INFO stats: the number of channels, patterns and shard channels that have subscribers. */
@Component(service = InfoFields.class)
public final class PubSubStats implements InfoFields {
    private final PubSub pubsub;

    @Activate
    public PubSubStats(@Reference PubSub pubsub) {
        this.pubsub = pubsub;
    }

    @Override
    public String section() {
        return "stats";
    }

    @Override
    public void write(InfoSection.InfoWriter out) {
        out.field("pubsub_channels", pubsub.size(SubscriptionKind.CHANNEL));
        out.field("pubsub_patterns", pubsub.size(SubscriptionKind.PATTERN));
        out.field("pubsubshard_channels", pubsub.size(SubscriptionKind.SHARD_CHANNEL));
    }
}
