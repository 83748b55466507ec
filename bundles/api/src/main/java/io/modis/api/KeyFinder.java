package io.modis.api;

import java.util.List;

/**
 * Finds the keys of one call when key specs cannot (Redis's getkeys_proc): SORT's STORE key
 * may follow any option. Declared with {@link CommandSpec.Builder#keyFinder}; the command's key
 * specs then only describe the keys (COMMAND INFO) and this finder locates them (COMMAND
 * GETKEYS, ACL and cluster checks).
 */
@FunctionalInterface
public interface KeyFinder {
    /**
     * A key at argument {@code position}, described by the command's key spec {@code spec};
     * {@code flags}, when not null, are this call's key flags (for specs flagged
     * VARIABLE_FLAGS: SET with GET reads the key, without it only overwrites it).
     */
    record Key(int position, int spec, List<String> flags) {
        public Key(int position, int spec) {
            this(position, spec, null);
        }
    }

    /** The keys of {@code argv} (argv[0] is the command name), or null if the call is invalid. */
    List<Key> find(byte[][] argv);
}
