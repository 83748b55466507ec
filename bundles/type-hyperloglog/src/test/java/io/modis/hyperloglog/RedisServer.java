package io.modis.hyperloglog;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A real redis-server on a loopback port, with a minimal RESP2 client: the reference the
 * parity tests compare Modis against. Replies decode as Long, byte[] (bulk), {@link Status},
 * {@link Error} and List.
 */
final class RedisServer implements AutoCloseable {
    static final Path BINARY = Path.of("/usr/bin/redis-server");

    /** An error reply, without the '-'. */
    record Error(String message) {
    }

    /** A status reply, without the '+'. */
    record Status(String text) {
    }

    private final Process process;
    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;

    private RedisServer(Process process, Socket socket) throws IOException {
        this.process = process;
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.in = new BufferedInputStream(socket.getInputStream());
    }

    static boolean available() {
        return Files.isExecutable(BINARY);
    }

    /** Starts a server without persistence and waits until it says it is ready. */
    static RedisServer start() throws IOException {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Process p = new ProcessBuilder(BINARY.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--daemonize", "no")
                .redirectErrorStream(true).start();
        BufferedReader log = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        // redis-server prints this line once it listens; it exits (end of stream) if it cannot start
        for (String line = log.readLine(); ; line = log.readLine()) {
            if (line == null) {
                p.destroyForcibly();
                throw new IOException("redis-server did not start");
            }
            if (line.contains("Ready to accept connections")) {
                break;
            }
        }
        Thread drain = new Thread(() -> {
            try {
                log.transferTo(java.io.Writer.nullWriter());
            } catch (IOException e) {
                // the server went away
            }
        }, "redis-server-log");
        drain.setDaemon(true);
        drain.start();
        return new RedisServer(p, new Socket(InetAddress.getLoopbackAddress(), port));
    }

    Object call(String... words) throws IOException {
        byte[][] argv = new byte[words.length][];
        for (int i = 0; i < words.length; i++) {
            argv[i] = words[i].getBytes(StandardCharsets.UTF_8);
        }
        return call(argv);
    }

    Object call(byte[]... argv) throws IOException {
        ByteArrayOutputStream req = new ByteArrayOutputStream();
        req.write(("*" + argv.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (byte[] a : argv) {
            req.write(("$" + a.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            req.write(a);
            req.write('\r');
            req.write('\n');
        }
        out.write(req.toByteArray());
        out.flush();
        return read();
    }

    private Object read() throws IOException {
        int type = in.read();
        String line = line();
        switch (type) {
            case '+':
                return new Status(line);
            case '-':
                return new Error(line);
            case ':':
                return Long.parseLong(line);
            case '$': {
                int n = Integer.parseInt(line);
                if (n < 0) {
                    return null;
                }
                byte[] b = in.readNBytes(n);
                in.readNBytes(2);
                return b;
            }
            case '*': {
                int n = Integer.parseInt(line);
                if (n < 0) {
                    return null;
                }
                List<Object> list = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    list.add(read());
                }
                return list;
            }
            default:
                throw new IOException("bad reply type " + type);
        }
    }

    private String line() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int c = in.read(); c != '\r'; c = in.read()) {
            if (c < 0) {
                throw new IOException("connection closed");
            }
            sb.append((char) c);
        }
        in.read();
        return sb.toString();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
        process.destroy();
        try {
            process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
