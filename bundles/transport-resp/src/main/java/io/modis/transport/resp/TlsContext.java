package io.modis.transport.resp;

import io.modis.api.Config;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.CipherSuiteConverter;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * TLS for the tls-port listener, built from Redis's tls-* parameters with the JDK's TLS
 * implementation through Netty's {@link SslContext}.
 *
 * <p>tls-ciphers takes OpenSSL names (TLSv1.2 and below), converted to the JDK's names; names
 * the JDK does not know are skipped. tls-ciphersuites takes TLSv1.3 names, which are the same in
 * both. tls-session-caching no makes the session cache hold one session for one second (the
 * JDK cannot switch its server session cache off).
 */
final class TlsContext {
    private final SslContext context;
    private final boolean preferServerCiphers;

    private TlsContext(SslContext context, boolean preferServerCiphers) {
        this.context = context;
        this.preferServerCiphers = preferServerCiphers;
    }

    /** A handler for one new connection; handshake work runs on {@code tasks}, not the engine. */
    SslHandler newHandler(ByteBufAllocator alloc, Executor tasks) {
        SslHandler h = context.newHandler(alloc, tasks);
        if (preferServerCiphers) {
            SSLEngine engine = h.engine();
            SSLParameters p = engine.getSSLParameters();
            p.setUseCipherSuitesOrder(true);
            engine.setSSLParameters(p);
        }
        return h;
    }

    static TlsContext read(Config config) throws IOException {
        String cert = text(config, "tls-cert-file");
        String key = text(config, "tls-key-file");
        if (cert.isEmpty() || key.isEmpty()) {
            throw new IOException("tls-cert-file and tls-key-file must be set");
        }
        String pass = text(config, "tls-key-file-pass");
        SslContextBuilder b = SslContextBuilder.forServer(new File(cert), new File(key), pass.isEmpty() ? null : pass)
                .sslProvider(SslProvider.JDK);
        List<X509Certificate> cas = new ArrayList<>();
        String caFile = text(config, "tls-ca-cert-file");
        if (!caFile.isEmpty()) {
            cas.addAll(certificates(Path.of(caFile)));
        }
        String caDir = text(config, "tls-ca-cert-dir");
        if (!caDir.isEmpty()) {
            try (DirectoryStream<Path> dir = Files.newDirectoryStream(Path.of(caDir))) {
                for (Path p : dir) {
                    if (Files.isRegularFile(p)) {
                        try {
                            cas.addAll(certificates(p));
                        } catch (IOException e) {
                            // not a certificate: OpenSSL's hashed CA directories hold other files too
                        }
                    }
                }
            }
        }
        String auth = text(config, "tls-auth-clients").toLowerCase(Locale.ROOT);
        ClientAuth clientAuth = switch (auth) {
            case "no" -> ClientAuth.NONE;
            case "optional" -> ClientAuth.OPTIONAL;
            default -> ClientAuth.REQUIRE;
        };
        if (clientAuth != ClientAuth.NONE && cas.isEmpty()) {
            throw new IOException("tls-auth-clients needs tls-ca-cert-file or tls-ca-cert-dir");
        }
        if (!cas.isEmpty()) {
            b.trustManager(cas.toArray(new X509Certificate[0]));
        }
        b.clientAuth(clientAuth);
        String protocols = text(config, "tls-protocols");
        b.protocols(protocols.isEmpty() ? new String[] {"TLSv1.2", "TLSv1.3"} : protocols.trim().split("\\s+"));
        List<String> ciphers = ciphers(text(config, "tls-ciphers"), text(config, "tls-ciphersuites"));
        if (!ciphers.isEmpty()) {
            b.ciphers(ciphers);
        }
        if ("no".equalsIgnoreCase(text(config, "tls-session-caching"))) {
            b.sessionCacheSize(1).sessionTimeout(1);
        } else {
            b.sessionCacheSize(number(config, "tls-session-cache-size", 20480))
                    .sessionTimeout(number(config, "tls-session-cache-timeout", 300));
        }
        try {
            return new TlsContext(b.build(), "yes".equalsIgnoreCase(text(config, "tls-prefer-server-ciphers")));
        } catch (SSLException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /** OpenSSL cipher names (TLSv1.2) in JDK form, then the TLSv1.3 suites as given. */
    static List<String> ciphers(String tls12, String tls13) {
        List<String> out = new ArrayList<>();
        for (String name : tls12.split(":")) {
            String n = name.trim();
            if (n.isEmpty()) {
                continue;
            }
            String java = n.startsWith("TLS_") ? n : CipherSuiteConverter.toJava(n, "TLS");
            if (java != null) {
                out.add(java);
            }
        }
        for (String name : tls13.split(":")) {
            if (!name.trim().isEmpty()) {
                out.add(name.trim());
            }
        }
        return out;
    }

    private static Collection<X509Certificate> certificates(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            List<X509Certificate> out = new ArrayList<>();
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                out.add((X509Certificate) c);
            }
            if (out.isEmpty()) {
                throw new IOException("no certificate in " + file);
            }
            return out;
        } catch (CertificateException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    private static String text(Config config, String name) {
        String v = config.get(name);
        return v == null ? "" : v.trim();
    }

    private static long number(Config config, String name, long fallback) {
        String v = text(config, name);
        try {
            return v.isEmpty() ? fallback : Long.parseLong(v);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
