package io.modis.launcher;

import java.util.concurrent.TimeUnit;
import org.osgi.framework.BundleException;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;
import sun.misc.Signal;

/**
 * SIGTERM and SIGINT stop the framework, so every bundle deactivates in order, and the process
 * then exits 0 from {@link Main} as redis-server does.
 *
 * <p>A signal handler rather than a shutdown hook: a JVM ending on a signal through its hooks
 * exits 143 or 130, and a hook also runs when a bundle calls {@code System.exit(1)} on a fatal
 * error, often from the thread that is starting bundles, where stopping the framework from
 * the hook would wait for that very thread. The core may install its own handlers (Redis's
 * shutdown-on-sigterm) with {@link Signal#handle} and put these back when it stops.
 */
final class StopOnSignal {

    static final long STOP_TIMEOUT_MILLIS = TimeUnit.SECONDS.toMillis(20);

    private StopOnSignal() {
    }

    static void install(Framework framework) {
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                Signal.handle(new Signal(name), signal -> stop(framework, "SIG" + name));
            } catch (IllegalArgumentException e) {
                // The JVM keeps this signal for itself (-Xrs and the like): its default applies.
                System.err.println("modis: cannot handle SIG" + name + ": " + e.getMessage());
            }
        }
    }

    private static void stop(Framework framework, String signal) {
        try {
            framework.stop();
            FrameworkEvent event = framework.waitForStop(STOP_TIMEOUT_MILLIS);
            if (event.getType() == FrameworkEvent.WAIT_TIMEDOUT) {
                System.err.println("modis: bundles did not stop within 20 s of " + signal + ", exiting");
                System.exit(1);
            }
        } catch (BundleException e) {
            System.err.println("modis: cannot stop the framework on " + signal + ": " + e);
            System.exit(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
