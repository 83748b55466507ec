package io.modis.modules;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Polls the deploy folder (every {@link #POLL_MILLIS} ms, on its own thread) and hands what
 * changed to the engine thread: a new jar is installed and started, a jar whose size or time
 * changed is updated in place, a jar that disappeared is uninstalled. A jar is acted on once it
 * has looked the same for two polls in a row, so a file still being copied is not loaded half
 * written (at start-up the jars already there are loaded at once).
 *
 * <p>Why not Felix fileinstall: it updates bundles from its own thread, so clients would see the
 * updated bundle's commands missing for the length of the swap; here every change runs on the
 * engine thread between two commands, which makes a swap invisible to clients.
 */
final class DeployWatcher implements Runnable {
    static final long POLL_MILLIS = 500;

    /** What the engine thread does with a change. */
    interface Target {
        void deployed(Path jar, byte[] bytes);

        void undeployed(Path jar);
    }

    private record Stamp(long size, long modified) {
    }

    private final Supplier<Path> folder;
    private final ScheduledExecutorService engine;
    private final Target target;
    private final Consumer<String> warn;
    private final Map<Path, Stamp> acted = new HashMap<>();
    private final Map<Path, Stamp> seen = new HashMap<>();
    private volatile boolean running = true;
    private boolean first = true;
    private Thread thread;
    private String lastProblem;

    DeployWatcher(Supplier<Path> folder, ScheduledExecutorService engine, Target target, Consumer<String> warn) {
        this.folder = folder;
        this.engine = engine;
        this.target = target;
        this.warn = warn;
    }

    void start() {
        thread = new Thread(this, "modis-deploy");
        thread.setDaemon(true);
        thread.start();
    }

    void stop() {
        running = false;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void run() {
        while (running) {
            try {
                poll();
            } catch (RuntimeException e) {
                warn.accept("Deploy folder: " + e);
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** One look at the folder; changes are applied on the engine thread, one at a time. */
    void poll() {
        Map<Path, Stamp> now = list(folder.get());
        for (Map.Entry<Path, Stamp> e : now.entrySet()) {
            Path jar = e.getKey();
            Stamp stamp = e.getValue();
            if (stamp.equals(acted.get(jar))) {
                continue;
            }
            if (first || stamp.equals(seen.get(jar))) {
                byte[] bytes;
                try {
                    bytes = Files.readAllBytes(jar);
                } catch (IOException ex) {
                    continue;
                }
                acted.put(jar, stamp);
                seen.remove(jar);
                onEngine(() -> target.deployed(jar, bytes));
            } else {
                seen.put(jar, stamp);
            }
        }
        Set<Path> gone = new HashSet<>(acted.keySet());
        gone.removeAll(now.keySet());
        for (Path jar : gone) {
            acted.remove(jar);
            onEngine(() -> target.undeployed(jar));
        }
        seen.keySet().retainAll(now.keySet());
        first = false;
    }

    private Map<Path, Stamp> list(Path dir) {
        Map<Path, Stamp> out = new HashMap<>();
        if (dir == null || !Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                if (!p.getFileName().toString().endsWith(".jar")) {
                    continue;
                }
                try {
                    BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                    if (a.isRegularFile()) {
                        out.put(p.toAbsolutePath().normalize(), new Stamp(a.size(), a.lastModifiedTime().toMillis()));
                    }
                } catch (IOException ignored) {
                    // removed between the listing and the look: seen as gone next time
                }
            }
            lastProblem = null;
        } catch (IOException e) {
            String problem = "Deploy folder " + dir + " cannot be read: " + e.getMessage();
            if (!problem.equals(lastProblem)) {
                warn.accept(problem);
                lastProblem = problem;
            }
        }
        return out;
    }

    private void onEngine(Runnable change) {
        try {
            engine.submit(change).get(2, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        } catch (Exception e) {
            warn.accept("Deploy folder change failed: " + e);
        }
    }

    /** The jars acted on so far (tests). */
    List<Path> deployed() {
        return List.copyOf(acted.keySet());
    }
}
