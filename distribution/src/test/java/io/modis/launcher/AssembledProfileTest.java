package io.modis.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.FrameworkListener;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.startlevel.FrameworkStartLevel;
import org.osgi.framework.wiring.BundleRevision;

/**
 * The bundles/ directory this build assembled (the active profile's) boots: every bundle
 * becomes ACTIVE, every fragment RESOLVED. Whether the server answers is not checked here.
 */
class AssembledProfileTest {

    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @Test
    void everyBundleOfTheProfileStarts(@TempDir Path temp) throws Exception {
        Path home = Path.of(System.getProperty("modis.dist.dir", "target/modis"));
        List<String> args = List.of("--port", Integer.toString(freePort()), "--save", "");
        Framework framework = FrameworkLauncher.launch(home, home.resolve("bundles"), temp.resolve("felix"), args);
        try {
            List<Bundle> bundles = Arrays.stream(framework.getBundleContext().getBundles())
                    .filter(bundle -> bundle.getBundleId() != 0)
                    .toList();
            assertFalse(bundles.isEmpty(), "no bundles in " + home.resolve("bundles"));
            awaitStartLevel(framework);
            List<String> notUp = awaitAllUp(bundles);
            assertEquals(List.of(), notUp, "profile " + System.getProperty("modis.profile")
                    + ": bundles not ACTIVE (fragments: not RESOLVED)");
            awaitStartedDelivered(framework);
        } finally {
            framework.stop();
            framework.waitForStop(StopOnSignal.STOP_TIMEOUT_MILLIS);
        }
    }

    private static void awaitStartLevel(Framework framework) throws InterruptedException {
        FrameworkStartLevel startLevel = framework.adapt(FrameworkStartLevel.class);
        Instant deadline = Instant.now().plus(DEADLINE);
        while (startLevel.getStartLevel() < StartLevels.FRAMEWORK && Instant.now().isBefore(deadline)) {
            Thread.sleep(20);
        }
        assertEquals(StartLevels.FRAMEWORK, startLevel.getStartLevel(), "framework start level");
    }

    /**
     * Waits until every framework listener has had the STARTED event (the core starts its
     * server from there), so that stopping does not cut that start short. Framework events
     * reach listeners in order on one thread, so a start-level event fired now reaches ours
     * after STARTED has reached all of them.
     */
    private static void awaitStartedDelivered(Framework framework) throws InterruptedException {
        CountDownLatch delivered = new CountDownLatch(1);
        FrameworkListener listener = event -> {
            if (event.getType() == FrameworkEvent.STARTLEVEL_CHANGED) {
                delivered.countDown();
            }
        };
        framework.getBundleContext().addFrameworkListener(listener);
        framework.adapt(FrameworkStartLevel.class).setStartLevel(StartLevels.FRAMEWORK);
        assertTrue(delivered.await(DEADLINE.toSeconds(), TimeUnit.SECONDS), "framework events not delivered");
    }

    /** Returns the bundles still not up at the deadline, with their state. */
    private static List<String> awaitAllUp(List<Bundle> bundles) throws InterruptedException {
        Instant deadline = Instant.now().plus(DEADLINE);
        List<String> notUp = notUp(bundles);
        while (!notUp.isEmpty() && Instant.now().isBefore(deadline)) {
            Thread.sleep(20);
            notUp = notUp(bundles);
        }
        return notUp;
    }

    private static List<String> notUp(List<Bundle> bundles) {
        List<String> notUp = new ArrayList<>();
        for (Bundle bundle : bundles) {
            int expected = isFragment(bundle) ? Bundle.RESOLVED : Bundle.ACTIVE;
            if (bundle.getState() != expected) {
                notUp.add(bundle.getSymbolicName() + " " + bundle.getVersion() + ": " + stateName(bundle.getState()));
            }
        }
        return notUp.stream().sorted().collect(Collectors.toList());
    }

    private static boolean isFragment(Bundle bundle) {
        return (bundle.adapt(BundleRevision.class).getTypes() & BundleRevision.TYPE_FRAGMENT) != 0;
    }

    private static String stateName(int state) {
        return switch (state) {
            case Bundle.INSTALLED -> "INSTALLED (did not resolve)";
            case Bundle.RESOLVED -> "RESOLVED";
            case Bundle.STARTING -> "STARTING";
            case Bundle.STOPPING -> "STOPPING";
            case Bundle.ACTIVE -> "ACTIVE";
            default -> "UNINSTALLED";
        };
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
