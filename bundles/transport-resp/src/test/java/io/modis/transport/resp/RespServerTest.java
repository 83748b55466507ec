package io.modis.transport.resp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole server on real sockets (127.0.0.1, a free port), with io-threads 1 and 2. */
class RespServerTest {
    private final TestEngine engine = new TestEngine();
    private final AtomicInteger exitStatus = new AtomicInteger(-1);
    private RespServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
        engine.shutdown();
    }

    private RespServer start() {
        server = new RespServer(engine, exitStatus::set);
        return server;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private RespClient client() throws IOException {
        return RespClient.to(server.tcpAddresses().get(0));
    }

    private static String echo(String... args) {
        StringBuilder sb = new StringBuilder("*").append(args.length).append("\r\n");
        for (String a : args) {
            sb.append('$').append(a.length()).append("\r\n").append(a).append("\r\n");
        }
        return sb.toString();
    }

    private void pipelineOverTcp() throws IOException {
        engine.config.put("port", Integer.toString(freePort()));
        start();
        assertTrue(engine.logged("NOTICE Ready to accept connections tcp"), engine.logLines.toString());
        try (RespClient c = client()) {
            StringBuilder in = new StringBuilder();
            StringBuilder expected = new StringBuilder();
            for (int i = 0; i < 20_000; i++) {
                in.append("*2\r\n$4\r\nECHO\r\n$").append(Integer.toString(i).length()).append("\r\n").append(i).append("\r\n");
                expected.append(echo("ECHO", Integer.toString(i)));
            }
            c.send(in.toString());
            assertEquals(expected.toString(), c.readLike(expected.toString()));
        }
        Await.until(() -> engine.disconnected.get() == 1, "the session to learn of the disconnect");
        Set<Thread> threads = new HashSet<>(engine.executionThreads);
        assertEquals(Set.of(engineThread()), threads, "every command ran on the engine thread");
    }

    private Thread engineThread() {
        Thread[] t = new Thread[1];
        engine.loop().submit(() -> t[0] = Thread.currentThread()).syncUninterruptibly();
        return t[0];
    }

    @Test
    void configSetPortAndBindMoveTheListenersOrRefuse() throws IOException {
        engine.config.put("port", Integer.toString(freePort()));
        start();
        int newPort = freePort();
        assertNull(engine.apply("port", (long) newPort));
        InetSocketAddress moved = new InetSocketAddress("127.0.0.1", newPort);
        Await.until(() -> canConnect(moved), "the new port to listen");
        try (RespClient c = RespClient.to(moved)) {
            c.send("PING\r\n");
            assertEquals(echo("PING"), c.readLike(echo("PING")));
        }
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            assertEquals("Unable to listen on this port", engine.apply("port", (long) busy.getLocalPort()));
        }
        assertEquals("Failed to bind to specified addresses.", engine.apply("bind", "999.999.999.999"));
        assertTrue(canConnect(moved), "a refused change leaves the listeners as they were");
        assertNull(engine.apply("bind", ""));
        Await.until(() -> !canConnect(moved), "no TCP listener once bind is empty");
    }

    @Test
    void aConfigSetPortThatRunsAfterStopListensNowhere() throws Exception {
        engine.config.put("port", Integer.toString(freePort()));
        start();
        java.util.function.Consumer<Object> portStep = engine.applySteps.get("port");
        server.stop();
        server = null;
        // a CONFIG SET port already queued on the engine when the transport stopped
        int newPort = freePort();
        String refused = engine.loop().submit(() -> {
            try {
                portStep.accept((long) newPort);
                return null;
            } catch (IllegalArgumentException e) {
                return e.getMessage();
            }
        }).syncUninterruptibly().getNow();
        assertEquals("Unable to listen on this port", refused);
        assertTrue(!canConnect(new InetSocketAddress("127.0.0.1", newPort)), "nothing listens after stop");
    }

    private static boolean canConnect(InetSocketAddress a) {
        try (java.net.Socket s = new java.net.Socket()) {
            s.connect(a, 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void pipelineWithOneIoThreadRunsOnTheEngineLoop() throws IOException {
        pipelineOverTcp();
    }

    @Test
    void pipelineWithTwoIoThreadsStillExecutesOnTheEngine() throws IOException {
        engine.config.put("io-threads", "2");
        pipelineOverTcp();
    }

    @Test
    void bigValueAcrossManyWritesWithTwoIoThreads() throws IOException {
        engine.config.put("io-threads", "2");
        engine.config.put("port", Integer.toString(freePort()));
        start();
        byte[] value = new byte[5 * 1024 * 1024];
        for (int i = 0; i < value.length; i++) {
            value[i] = (byte) ('A' + i % 23);
        }
        String v = new String(value, StandardCharsets.ISO_8859_1);
        try (RespClient c = client()) {
            c.send("*2\r\n$4\r\nECHO\r\n$" + value.length + "\r\n");
            for (int off = 0; off < value.length; off += 100_000) {
                c.send(java.util.Arrays.copyOfRange(value, off, Math.min(value.length, off + 100_000)));
            }
            c.send("\r\nPING\r\n");
            String expected = echo("ECHO", v) + echo("PING");
            assertEquals(expected, c.readLike(expected));
        }
    }

    @Test
    void protocolErrorOverTcpClosesAfterTheReply() throws IOException {
        engine.config.put("io-threads", "2");
        engine.config.put("port", Integer.toString(freePort()));
        start();
        try (RespClient c = client()) {
            c.send("PING\r\n*1\r\n$4\r\nPING\r\n*3\r\n$3\r\nSET\r\n$1\r\nx\r\nfooz\r\n");
            assertEquals(echo("PING") + echo("PING") + "-ERR Protocol error: expected '$', got 'f'\r\n", c.readToEnd());
        }
    }

    @Test
    void blockedClientThatHangsUpIsNoticed() throws IOException {
        engine.config.put("port", Integer.toString(freePort()));
        start();
        try (RespClient c = client()) {
            c.send("BLOCK\r\n");
            assertEquals("+BLOCKED\r\n", c.read(10));
        }
        Await.until(() -> engine.disconnected.get() == 1, "the disconnect of a blocked client");
    }

    @Test
    void busyPortStopsTheServerWithRedisLogLines() throws IOException {
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = busy.getLocalPort();
            engine.config.put("port", Integer.toString(port));
            assertThrows(IllegalStateException.class, this::start);
            assertEquals(1, exitStatus.get());
            assertTrue(engine.logged("WARNING Warning: Could not create server TCP listening socket 127.0.0.1:" + port
                    + ": bind: Address already in use"), engine.logLines.toString());
            assertTrue(engine.logged("WARNING Failed listening on port " + port + " (TCP), aborting."));
        }
    }

    @Test
    void optionalAddressThatIsNotOursIsSkipped() throws IOException {
        int port = freePort();
        engine.config.put("port", Integer.toString(port));
        engine.config.put("bind", "127.0.0.1 -192.0.2.1");
        start();
        assertEquals(-1, exitStatus.get());
        assertEquals(1, server.tcpAddresses().size());
        assertTrue(engine.logged("Could not create server TCP listening socket 192.0.2.1:" + port
                + ": bind: Cannot assign requested address"), engine.logLines.toString());
    }

    @Test
    void notListeningAnywhereIsFatal() {
        engine.config.put("port", "0");
        assertThrows(IllegalStateException.class, this::start);
        assertEquals(1, exitStatus.get());
        assertTrue(engine.logged("WARNING Configured to not listen anywhere, exiting."));
    }

    @Test
    void unixSocketWithPermissions(@TempDir Path dir) throws IOException {
        Path path = dir.resolve("modis.sock");
        engine.config.put("port", "0");
        engine.config.put("unixsocket", path.toString());
        engine.config.put("unixsocketperm", "700");
        start();
        assertTrue(engine.logged("NOTICE Ready to accept connections unix"));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(path)));
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(path));
            ch.write(ByteBuffer.wrap("ECHO unix\r\n".getBytes(StandardCharsets.US_ASCII)));
            String expected = echo("ECHO", "unix");
            ByteBuffer got = ByteBuffer.allocate(expected.length());
            while (got.hasRemaining() && ch.read(got) >= 0) {
                // blocking reads until the whole reply is in
            }
            assertEquals(expected, new String(got.array(), StandardCharsets.US_ASCII));
        }
        server.stop();
        server = null;
        assertTrue(Files.notExists(path), "the socket file is removed on stop");
    }
}
