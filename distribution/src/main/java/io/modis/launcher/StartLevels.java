package io.modis.launcher;

import java.util.List;

/**
 * Which bundles start first. slf4j 2 finds its provider through SPI Fly, and a bundle that
 * asks for a logger before SPI Fly and the provider are active keeps the no-op logger for
 * good: so logging comes up alone at level 1. Declarative Services and the specification
 * packages it needs, and the libraries (Netty), come at level 2, so that SCR already watches
 * when Modis's bundles start, and so that on the way down Modis's bundles (level 3) stop
 * before the libraries their last tasks still use.
 */
final class StartLevels {

    static final int LOGGING = 1;
    static final int SERVICES = 2;
    static final int FRAMEWORK = 3;

    private static final List<String> LOGGING_PREFIXES = List.of(
            "org.apache.aries.spifly.", "org.objectweb.asm", "slf4j.", "ch.qos.logback.");
    private static final List<String> SERVICES_PREFIXES = List.of("org.osgi.", "org.apache.felix.scr", "io.netty.");

    private StartLevels() {
    }

    static int of(String symbolicName) {
        if (LOGGING_PREFIXES.stream().anyMatch(symbolicName::startsWith)) {
            return LOGGING;
        }
        if (SERVICES_PREFIXES.stream().anyMatch(symbolicName::startsWith)) {
            return SERVICES;
        }
        return FRAMEWORK;
    }
}
