package io.modis.launcher;

import java.util.List;

/**
 * Which bundles start first. slf4j 2 finds its provider through SPI Fly, and a bundle that
 * asks for a logger before SPI Fly and the provider are active keeps the no-op logger for
 * good: so logging comes up alone at level 1. Declarative Services and the specification
 * packages it needs, and the libraries (Netty), come at level 2, so that SCR already watches
 * when Modis's bundles start, and so that on the way down Modis's bundles (level 3) stop
 * before the libraries their last tasks still use. Persistence bundles come at level 4, once
 * every data type is registered, and load the dataset before the transports (level 5) accept
 * connections, as Redis loads before it logs "Ready to accept connections".
 */
final class StartLevels {

    static final int LOGGING = 1;
    static final int SERVICES = 2;
    static final int MODIS = 3;
    static final int PERSISTENCE = 4;
    static final int TRANSPORT = 5;
    /** The level the framework is started to: every bundle's. */
    static final int FRAMEWORK = TRANSPORT;

    private static final List<String> LOGGING_PREFIXES = List.of(
            "org.apache.aries.spifly.", "org.objectweb.asm", "slf4j.", "ch.qos.logback.");
    private static final List<String> SERVICES_PREFIXES = List.of("org.osgi.", "org.apache.felix.scr", "io.netty.");
    private static final List<String> PERSISTENCE_NAMES = List.of("io.modis.rdb", "io.modis.aof");
    private static final String TRANSPORT_PREFIX = "io.modis.transport";

    private StartLevels() {
    }

    static int of(String symbolicName) {
        if (LOGGING_PREFIXES.stream().anyMatch(symbolicName::startsWith)) {
            return LOGGING;
        }
        if (SERVICES_PREFIXES.stream().anyMatch(symbolicName::startsWith)) {
            return SERVICES;
        }
        if (PERSISTENCE_NAMES.contains(symbolicName)) {
            return PERSISTENCE;
        }
        if (symbolicName.startsWith(TRANSPORT_PREFIX)) {
            return TRANSPORT;
        }
        return MODIS;
    }
}
