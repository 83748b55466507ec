package io.modis.itests;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waiting for a condition with a deadline, polling, instead of sleeping a guessed time. */
public final class Await {

    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private Await() {
    }

    /** Polls {@code condition} until it holds; throws AssertionError with {@code what} when {@code timeout} passes. */
    public static void until(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what);
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }

    /** Polls until {@code value} gives something non-null (exceptions count as not yet), and returns it. */
    public static <T> T value(String what, Duration timeout, Supplier<T> value) {
        long deadline = System.nanoTime() + timeout.toNanos();
        RuntimeException last = null;
        while (true) {
            try {
                T v = value.get();
                if (v != null) {
                    return v;
                }
            } catch (RuntimeException e) {
                last = e;
            }
            if (System.nanoTime() - deadline > 0) {
                AssertionError error = new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what);
                if (last != null) {
                    error.initCause(last);
                }
                throw error;
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }

    /** Waits until something accepts TCP connections on 127.0.0.1:{@code port}. */
    public static void listening(int port, Duration timeout) {
        until("127.0.0.1:" + port + " to accept connections", timeout, () -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                return true;
            } catch (IOException e) {
                return false;
            }
        });
    }
}
