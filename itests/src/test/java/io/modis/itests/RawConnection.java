package io.modis.itests;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A plain TCP connection that writes any bytes (well-formed or not) and reads raw RESP
 * replies, for the inputs no client library would send.
 */
final class RawConnection implements AutoCloseable {

    private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(10);

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    RawConnection(int port) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout((int) REPLY_TIMEOUT.toMillis());
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    RawConnection send(String text) throws IOException {
        return send(text.getBytes(StandardCharsets.UTF_8));
    }

    RawConnection send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** One whole reply as it came on the wire, e.g. {@code "-ERR ...\r\n"} or {@code "$1\r\nb\r\n"}. */
    String reply() throws IOException {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        readReply(raw);
        return raw.toString(StandardCharsets.UTF_8);
    }

    /** Sends a command as a RESP array of bulk strings and returns its reply. */
    String call(String... args) throws IOException {
        send(command(args));
        return reply();
    }

    static String command(String... args) {
        StringBuilder b = new StringBuilder("*").append(args.length).append("\r\n");
        for (String arg : args) {
            b.append('$').append(arg.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(arg).append("\r\n");
        }
        return b.toString();
    }

    /** True once the server has closed the connection (end of stream or reset), within {@code timeout}. */
    boolean closedByServer(Duration timeout) throws IOException {
        socket.setSoTimeout((int) timeout.toMillis());
        try {
            return in.read() == -1;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true; // reset by the server
        } finally {
            socket.setSoTimeout((int) REPLY_TIMEOUT.toMillis());
        }
    }

    int localPort() {
        return socket.getLocalPort();
    }

    /** Closes with a TCP reset instead of a FIN, as a crashed client would. */
    void abort() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private void readReply(ByteArrayOutputStream raw) throws IOException {
        String line = readLine(raw);
        char type = line.charAt(0);
        switch (type) {
            case '+', '-', ':', '_', ',', '#', '(' -> { }
            case '$', '=', '!' -> {
                int length = Integer.parseInt(line.substring(1));
                if (length >= 0) {
                    raw.write(in.readNBytes(length + 2));
                }
            }
            case '*', '~', '>', '%' -> {
                int count = Integer.parseInt(line.substring(1)) * (type == '%' ? 2 : 1);
                for (int i = 0; i < count; i++) {
                    readReply(raw);
                }
            }
            default -> throw new IOException("not a RESP reply: " + line);
        }
    }

    private String readLine(ByteArrayOutputStream raw) throws IOException {
        StringBuilder line = new StringBuilder();
        int previous = -1;
        while (true) {
            int b = in.read();
            if (b == -1) {
                throw new IOException("connection closed by the server after " + raw.toString(StandardCharsets.UTF_8) + line);
            }
            raw.write(b);
            if (previous == '\r' && b == '\n') {
                return line.substring(0, line.length() - 1);
            }
            line.append((char) b);
            previous = b;
        }
    }
}
