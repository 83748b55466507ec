package io.modis.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/**
 * The tls-port listener against certificates generated here with openssl (a CA, a server and
 * a client certificate), with Jedis and redis-cli --tls; and protected mode seen from a
 * non-loopback address of this machine.
 */
@Timeout(300)
class TlsAndProtectedModeTest {
    private static final Duration READY = Duration.ofSeconds(90);
    private static final String OPENSSL = "/usr/bin/openssl";

    @TempDir
    static Path dir;
    static ServerProcess server;
    static int tlsPort;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Files.isExecutable(Path.of(OPENSSL)), "openssl is not installed");
        run(dir, OPENSSL, "genrsa", "-out", "ca.key", "2048");
        run(dir, OPENSSL, "req", "-x509", "-new", "-nodes", "-sha256", "-key", "ca.key", "-days", "2",
                "-subj", "/O=Modis Test/CN=Test CA", "-out", "ca.crt");
        for (String name : List.of("server", "client")) {
            run(dir, OPENSSL, "genrsa", "-out", name + ".key", "2048");
            run(dir, OPENSSL, "req", "-new", "-sha256", "-subj", "/O=Modis Test/CN=" + name, "-key", name + ".key",
                    "-out", name + ".csr");
            // the server's certificate names 127.0.0.1, so clients can verify the host as usual
            Files.writeString(dir.resolve(name + ".ext"), "subjectAltName=IP:127.0.0.1\n");
            run(dir, OPENSSL, "x509", "-req", "-sha256", "-in", name + ".csr", "-CA", "ca.crt", "-CAkey", "ca.key",
                    "-CAcreateserial", "-days", "2", "-extfile", name + ".ext", "-out", name + ".crt");
        }
        run(dir, OPENSSL, "pkcs12", "-export", "-in", "client.crt", "-inkey", "client.key", "-passout", "pass:secret",
                "-out", "client.p12");
        try (ServerSocket s = new ServerSocket(0)) {
            tlsPort = s.getLocalPort();
        }
        server = ServerProcess.start(dir, "--tls-port", Integer.toString(tlsPort),
                "--tls-cert-file", dir.resolve("server.crt").toString(),
                "--tls-key-file", dir.resolve("server.key").toString(),
                "--tls-ca-cert-file", dir.resolve("ca.crt").toString());
        assertTrue(server.awaitLog("Ready to accept connections tls", READY), "not ready\n" + server.output());
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (server != null) {
            server.close();
        }
    }

    private static SSLSocketFactory sslFactory(boolean withClientCert) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(dir.resolve("ca.crt"))) {
            trust.setCertificateEntry("ca", java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        KeyManagerFactory kmf = null;
        if (withClientCert) {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(dir.resolve("client.p12"))) {
                keys.load(in, "secret".toCharArray());
            }
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, "secret".toCharArray());
        }
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return ctx.getSocketFactory();
    }

    private static Jedis tlsJedis(boolean withClientCert) throws Exception {
        return new Jedis(new HostAndPort("127.0.0.1", tlsPort), DefaultJedisClientConfig.builder().ssl(true)
                .sslSocketFactory(sslFactory(withClientCert))
                .timeoutMillis(30_000).build());
    }

    @Test
    void jedisWithAClientCertificateTalksOverTls() throws Exception {
        try (Jedis j = tlsJedis(true)) {
            assertEquals("OK", j.set("tls-key", "value"));
            assertEquals("value", j.get("tls-key"));
            assertTrue(j.clientList().contains("laddr=127.0.0.1:" + tlsPort));
        }
        try (Jedis plain = new Jedis("127.0.0.1", server.port())) {
            assertEquals("value", plain.get("tls-key"), "both listeners serve the same data");
        }
    }

    @Test
    void aClientWithoutCertificateIsRefusedWhenTlsAuthClientsIsYes() {
        assertThrows(Exception.class, () -> {
            try (Jedis j = tlsJedis(false)) {
                j.ping();
            }
        });
    }

    @Test
    void redisCliTls() throws Exception {
        Result r = run(dir, "redis-cli", "--tls", "--cacert", "ca.crt", "--cert", "client.crt", "--key", "client.key",
                "-p", Integer.toString(tlsPort), "echo", "over-tls");
        assertEquals("over-tls\n", r.stdout, r.stderr);
    }

    @Test
    void protectedModeRefusesNonLoopbackClientsWithRedisText() throws Exception {
        InetAddress external = null;
        for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            for (InetAddress a : Collections.list(nif.getInetAddresses())) {
                if (a instanceof Inet4Address && !a.isLoopbackAddress() && nif.isUp()) {
                    external = a;
                }
            }
        }
        assumeTrue(external != null, "no non-loopback IPv4 address on this machine");
        try (Socket s = new Socket(external, server.port())) {
            s.setSoTimeout(30_000);
            String reply = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(reply.startsWith("-DENIED Redis is running in protected mode because protected mode is enabled "
                    + "and no password is set for the default user."), reply);
            assertTrue(reply.endsWith("the server to start accepting connections from the outside.\r\n"), reply);
        }
        try (Jedis local = new Jedis("127.0.0.1", server.port())) {
            assertNotEquals("0", local.info("stats").replaceAll("(?s).*rejected_connections:(\\d+).*", "$1"));
            assertEquals("OK", local.configSet("protected-mode", "no"));
            try (Jedis remote = new Jedis(external.getHostAddress(), server.port())) {
                assertEquals("PONG", remote.ping());
            } finally {
                local.configSet("protected-mode", "yes");
            }
        }
    }

    record Result(int exit, String stdout, String stderr) {
    }

    private static Result run(Path cwd, String... command) throws IOException, InterruptedException {
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process p = new ProcessBuilder(new ArrayList<>(List.of(command))).directory(cwd.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), String.join(" ", command) + " did not finish");
            Result r = new Result(p.exitValue(), Files.readString(out), Files.readString(err));
            assertEquals(0, r.exit, String.join(" ", command) + ": " + r.stderr);
            return r;
        } finally {
            p.destroyForcibly();
        }
    }
}
