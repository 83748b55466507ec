package io.modis.itests;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * A modis-server process of the built distribution, started the way redis-server is: on a
 * free port, in its own working directory, its stdout (the server log) read line by line.
 */
final class ServerProcess implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path stderr;
    private final List<String> log = new ArrayList<>();
    private volatile boolean readerDone;

    private ServerProcess(Process process, int port, Path stderr) {
        this.process = process;
        this.port = port;
        this.stderr = stderr;
        Thread reader = new Thread(this::readLog, "modis-server stdout");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts bin/modis-server --port (free) --save '' followed by {@code args}. */
    static ServerProcess start(Path workDir, String... args) throws IOException {
        return start(distribution(), workDir, args);
    }

    /** As {@link #start(Path, String...)}, running the distribution (a copy, say) in {@code dist}. */
    static ServerProcess start(Path dist, Path workDir, String... args) throws IOException {
        Path server = dist.resolve("bin/modis-server");
        if (!Files.isExecutable(server)) {
            throw new IllegalStateException(server + " is missing: build the distribution first (mvn install)");
        }
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(server.toString(), "--port", Integer.toString(port), "--save", ""));
        command.addAll(List.of(args));
        Path stderr = workDir.resolve("stderr.txt");
        Process process = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectError(stderr.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        return new ServerProcess(process, port, stderr);
    }

    /**
     * Runs bin/modis-server with exactly {@code args} (no port is added) and waits for it to
     * exit, for the paths that must end the process; it is killed if {@code timeout} passes.
     */
    static Exited runToExit(Path workDir, Duration timeout, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(distribution().resolve("bin/modis-server").toString()));
        command.addAll(List.of(args));
        Path stdout = workDir.resolve("stdout.txt");
        Path stderr = workDir.resolve("stderr.txt");
        Process process = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("modis-server " + String.join(" ", args) + " still running after "
                        + timeout.toSeconds() + " s\n" + Files.readString(stdout) + Files.readString(stderr));
            }
            return new Exited(process.exitValue(), Files.readString(stdout), Files.readString(stderr));
        } finally {
            process.destroyForcibly();
        }
    }

    /** How a process that was expected to exit ended. */
    record Exited(int code, String stdout, String stderr) {
    }

    static Path distribution() {
        return Path.of(System.getProperty("modis.dist.dir", "../distribution/target/modis")).toAbsolutePath().normalize();
    }

    int port() {
        return port;
    }

    Process process() {
        return process;
    }

    /** Waits until a log line contains {@code text}; false if the deadline passes or the process ends first. */
    boolean awaitLog(String text, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (log) {
            while (log.stream().noneMatch(line -> line.contains(text))) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || (!process.isAlive() && readerDone)) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(log, Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)));
            }
            return true;
        }
    }

    /** Waits for the process to end; returns its exit code, or empty if it is still running. */
    OptionalInt awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)
                ? OptionalInt.of(process.exitValue())
                : OptionalInt.empty();
    }

    /** The log and stderr so far, for failure messages. */
    String output() {
        StringBuilder out = new StringBuilder("--- stdout ---\n");
        synchronized (log) {
            log.forEach(line -> out.append(line).append('\n'));
        }
        out.append("--- stderr ---\n");
        try {
            out.append(Files.readString(stderr));
        } catch (IOException e) {
            out.append(e);
        }
        return out.toString();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private void readLog() {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                synchronized (log) {
                    log.add(line);
                    log.notifyAll();
                }
            }
        } catch (IOException e) {
            // The JDK closes the pipe once the process has ended: the log is complete.
        } finally {
            readerDone = true;
            synchronized (log) {
                log.notifyAll();
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
