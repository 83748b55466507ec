package io.modis.pubsub;

import io.modis.api.Bytes;
import io.modis.api.Engine;
import io.modis.api.KeyspaceEventListener;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Keyspace notifications: publishes each keyspace event whose class notify-keyspace-events
 * enables, the event name to "__keyspace@&lt;db&gt;__:&lt;key&gt;" (K) and the key to
 * "__keyevent@&lt;db&gt;__:&lt;event&gt;" (E), as ordinary PUBLISHes that pattern subscribers see too.
 */
@Component(service = KeyspaceEventListener.class)
public final class KeyspaceNotifier implements KeyspaceEventListener {
    static final String PARAMETER = "notify-keyspace-events";

    private final PubSub pubsub;
    private final Supplier<String> flagsSource;
    /** The parameter text last parsed; parsing again only when it changed. */
    private String flagsText = "";
    private NotifyFlags flags = NotifyFlags.NONE;

    private final Map<String, byte[]> eventNames = new HashMap<>();
    private byte[][] keyspacePrefixes = new byte[16][];
    private byte[][] keyeventPrefixes = new byte[16][];

    @Activate
    public KeyspaceNotifier(@Reference PubSub pubsub, @Reference Engine engine) {
        this(pubsub, () -> engine.config().get(PARAMETER));
    }

    /** {@code flagsSource} gives the current notify-keyspace-events value. */
    KeyspaceNotifier(PubSub pubsub, Supplier<String> flagsSource) {
        this.pubsub = pubsub;
        this.flagsSource = flagsSource;
    }

    @Override
    public void event(char type, String event, byte[] key, int db) {
        if (!pubsub.hasSubscribers()) {
            return;
        }
        NotifyFlags f = currentFlags();
        if (!f.publishes(type)) {
            return;
        }
        byte[] eventName = eventNames.computeIfAbsent(event, Bytes::of);
        if (f.keyspace()) {
            pubsub.publish(concat(keyspacePrefix(db), key), eventName);
        }
        if (f.keyevent()) {
            pubsub.publish(concat(keyeventPrefix(db), eventName), key);
        }
    }

    private NotifyFlags currentFlags() {
        String text = flagsSource.get();
        if (text == null) {
            text = "";
        }
        if (!text.equals(flagsText)) {
            flags = NotifyFlags.parse(text);
            flagsText = text;
        }
        return flags;
    }

    private byte[] keyspacePrefix(int db) {
        keyspacePrefixes = roomFor(keyspacePrefixes, db);
        byte[] p = keyspacePrefixes[db];
        if (p == null) {
            p = Bytes.of("__keyspace@" + db + "__:");
            keyspacePrefixes[db] = p;
        }
        return p;
    }

    private byte[] keyeventPrefix(int db) {
        keyeventPrefixes = roomFor(keyeventPrefixes, db);
        byte[] p = keyeventPrefixes[db];
        if (p == null) {
            p = Bytes.of("__keyevent@" + db + "__:");
            keyeventPrefixes[db] = p;
        }
        return p;
    }

    private static byte[][] roomFor(byte[][] cache, int db) {
        return db < cache.length ? cache : Arrays.copyOf(cache, Math.max(db + 1, cache.length * 2));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
