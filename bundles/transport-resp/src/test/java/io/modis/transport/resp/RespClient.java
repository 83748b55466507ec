package io.modis.transport.resp;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** A raw blocking test client: writes bytes, reads exact byte counts with a deadline. */
final class RespClient implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    RespClient(SocketAddress address) throws IOException {
        socket = new Socket();
        socket.connect(address, 10_000);
        socket.setSoTimeout(10_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    static RespClient to(SocketAddress server) throws IOException {
        InetSocketAddress a = (InetSocketAddress) server;
        return new RespClient(new InetSocketAddress("127.0.0.1", a.getPort()));
    }

    RespClient send(String s) throws IOException {
        return send(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    RespClient send(byte[] b) throws IOException {
        out.write(b);
        out.flush();
        return this;
    }

    String read(int n) throws IOException {
        byte[] b = in.readNBytes(n);
        if (b.length < n) {
            throw new EOFException("got " + b.length + " of " + n + " bytes: " + new String(b, StandardCharsets.ISO_8859_1));
        }
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    /** Reads what {@code expected} is as long as, to compare. */
    String readLike(String expected) throws IOException {
        return read(expected.getBytes(StandardCharsets.ISO_8859_1).length);
    }

    /** Reads until the server closes; returns what came before. */
    String readToEnd() throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        int n;
        try {
            while ((n = in.read(buf)) >= 0) {
                all.write(buf, 0, n);
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server did not close; got " + all.toString(StandardCharsets.ISO_8859_1));
        }
        return all.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
