package io.modis.modules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The deploy folder's polling on a real directory: what is handed to the engine, and when. */
class DeployWatcherTest {
    @TempDir
    Path dir;
    private ScheduledExecutorService engine;
    private final List<String> changes = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private DeployWatcher watcher;

    @BeforeEach
    void start() {
        engine = Executors.newSingleThreadScheduledExecutor();
        watcher = new DeployWatcher(() -> dir, engine, new DeployWatcher.Target() {
            @Override
            public void deployed(Path jar, byte[] bytes) {
                changes.add("deployed " + jar.getFileName() + " " + bytes.length);
            }

            @Override
            public void undeployed(Path jar) {
                changes.add("undeployed " + jar.getFileName());
            }
        }, warnings::add);
    }

    @AfterEach
    void stop() {
        engine.shutdownNow();
    }

    @Test
    void jarsPresentAtStartAreDeployedAtOnceAndLaterOnesOnceTheyStopChanging() throws IOException {
        Files.write(dir.resolve("a.jar"), new byte[3]);
        Files.write(dir.resolve("notes.txt"), new byte[5]);
        watcher.poll();
        assertEquals(List.of("deployed a.jar 3"), changes);
        changes.clear();

        Files.write(dir.resolve("b.jar"), new byte[4]);
        watcher.poll();
        assertEquals(List.of(), changes, "a new jar waits one poll: it may still be being written");
        Files.write(dir.resolve("b.jar"), new byte[6]);
        watcher.poll();
        assertEquals(List.of(), changes, "it changed since: wait again");
        watcher.poll();
        assertEquals(List.of("deployed b.jar 6"), changes);
        changes.clear();
        watcher.poll();
        assertEquals(List.of(), changes, "nothing changed");
    }

    @Test
    void aChangedJarIsDeployedAgainAndARemovedOneUndeployed() throws IOException {
        Path a = dir.resolve("a.jar");
        Files.write(a, new byte[3]);
        watcher.poll();
        changes.clear();
        Files.write(a, new byte[3]);
        Files.setLastModifiedTime(a, FileTime.fromMillis(Files.getLastModifiedTime(a).toMillis() + 5000));
        watcher.poll();
        watcher.poll();
        assertEquals(List.of("deployed a.jar 3"), changes, "same size, newer time: an update");
        changes.clear();
        Files.delete(a);
        watcher.poll();
        assertEquals(List.of("undeployed a.jar"), changes);
    }

    @Test
    void noFolderMeansNothingToDo() {
        DeployWatcher none = new DeployWatcher(() -> null, engine, null, warnings::add);
        none.poll();
        DeployWatcher missing = new DeployWatcher(() -> dir.resolve("nowhere"), engine, null, warnings::add);
        missing.poll();
        assertEquals(List.of(), warnings);
    }

    @Test
    void bundleManifestsAreCheckedBeforeInstalling() throws IOException {
        assertEquals("not an OSGi bundle (no manifest)", Modules.notABundle(new byte[] {1, 2, 3}));
        assertEquals("not an OSGi bundle (no Bundle-SymbolicName in its manifest)", Modules.notABundle(jar(null)));
        assertNull(Modules.notABundle(jar("com.example.x")));
        assertEquals("com.example.x", Modules.symbolicName(jar("com.example.x;singleton:=true")));
    }

    private static byte[] jar(String symbolicName) throws IOException {
        Manifest mf = new Manifest();
        mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (symbolicName != null) {
            mf.getMainAttributes().putValue("Bundle-SymbolicName", symbolicName);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(out, mf)) {
            jar.flush();
        }
        return out.toByteArray();
    }
}
