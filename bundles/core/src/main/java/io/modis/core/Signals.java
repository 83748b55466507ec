package io.modis.core;

/**
 * SIGTERM and SIGINT start Redis's graceful shutdown instead of the JVM's default exit. Uses
 * sun.misc.Signal (jdk.unsupported) when present; without it the JVM's shutdown hooks apply.
 */
final class Signals {
    private Signals() {
    }

    static void install(CoreComponent core) {
        try {
            for (String name : new String[] {"TERM", "INT"}) {
                sun.misc.Signal.handle(new sun.misc.Signal(name), s -> core.signal("SIG" + name));
            }
        } catch (LinkageError | IllegalArgumentException e) {
            // not available in this runtime: the launcher's shutdown hook stops the framework
        }
    }
}
