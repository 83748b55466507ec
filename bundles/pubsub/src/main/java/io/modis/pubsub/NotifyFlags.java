package io.modis.pubsub;

/**
 * notify-keyspace-events parsed: whether keyspace (K) and keyevent (E) channels are on, and
 * which event classes are. 'A' stands for every class but key misses (m) and new keys (n),
 * which must be named explicitly.
 */
record NotifyFlags(boolean keyspace, boolean keyevent, int classes) {
    private static final String CLASSES = "g$lshzxetdmn";
    private static final String ALIASED_BY_A = "g$lshzxetd";

    static final NotifyFlags NONE = new NotifyFlags(false, false, 0);

    /** Parses the parameter's value (letters already validated by the core's config). */
    static NotifyFlags parse(String value) {
        boolean k = false;
        boolean e = false;
        int classes = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == 'K') {
                k = true;
            } else if (c == 'E') {
                e = true;
            } else if (c == 'A') {
                classes |= bits(ALIASED_BY_A);
            } else {
                classes |= bit(c);
            }
        }
        return new NotifyFlags(k, e, classes);
    }

    /** True if events of class {@code type} are published to some channel. */
    boolean publishes(char type) {
        return (keyspace || keyevent) && (classes & bit(type)) != 0;
    }

    private static int bits(String letters) {
        int b = 0;
        for (int i = 0; i < letters.length(); i++) {
            b |= bit(letters.charAt(i));
        }
        return b;
    }

    private static int bit(char c) {
        int i = CLASSES.indexOf(c);
        return i < 0 ? 0 : 1 << i;
    }
}
