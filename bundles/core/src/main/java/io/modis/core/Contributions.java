package io.modis.core;

import io.modis.api.DataType;
import io.modis.api.DebugSubcommand;
import io.modis.api.InfoSection;
import io.modis.api.KeyspaceEventListener;
import io.modis.api.PropagationListener;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What bundles contribute that the engine only reads: listeners, INFO sections, data
 * types and DEBUG subcommands. The collections are safe to change from the framework's threads while the engine
 * thread reads them, so the core's service references write straight into them, before and
 * after the server exists.
 */
final class Contributions {
    final List<PropagationListener> propagationListeners = new CopyOnWriteArrayList<>();
    final List<KeyspaceEventListener> eventListeners = new CopyOnWriteArrayList<>();
    final List<InfoSection> infoSections = new CopyOnWriteArrayList<>();
    /** Data types by name (what TYPE answers). */
    final Map<String, DataType> types = new ConcurrentHashMap<>();
    final List<io.modis.api.ClientListener> clientListeners = new CopyOnWriteArrayList<>();
    final List<io.modis.api.InfoFields> infoFields = new CopyOnWriteArrayList<>();
    /** DEBUG subcommands bundles add, by lower-case name. */
    final Map<String, DebugSubcommand> debugSubcommands = new ConcurrentHashMap<>();
}
