package io.modis.pubsub;

import io.modis.api.Client;
import io.modis.api.ClientListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Drops a client's subscriptions when it disconnects or runs RESET (which sends no unsubscribe messages). */
@Component(service = ClientListener.class)
public final class SubscriberCleanup implements ClientListener {
    private final PubSub pubsub;

    @Activate
    public SubscriberCleanup(@Reference PubSub pubsub) {
        this.pubsub = pubsub;
    }

    @Override
    public void closed(Client client) {
        pubsub.drop(client);
    }

    @Override
    public void reset(Client client) {
        pubsub.drop(client);
    }
}
