package io.modis.transport.resp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modis.api.Config;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TlsContextTest {
    private static Config config(Map<String, String> values) {
        return new Config() {
            @Override
            public String get(String name) {
                return values.get(name);
            }

            @Override
            public Object value(String name) {
                return values.get(name);
            }
        };
    }

    @Test
    void openSslCipherNamesBecomeJdkNamesAndTls13SuitesPassThrough() {
        assertEquals(List.of("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384"),
                TlsContext.ciphers("ECDHE-RSA-AES128-GCM-SHA256", "TLS_AES_256_GCM_SHA384"));
        assertEquals(List.of(), TlsContext.ciphers("", ""));
    }

    @Test
    void missingCertificateOrUnreadableFilesAreReported() {
        IOException e = assertThrows(IOException.class, () -> TlsContext.read(config(Map.of())));
        assertTrue(e.getMessage().contains("tls-cert-file"), e.getMessage());
        assertThrows(Exception.class, () -> TlsContext.read(config(Map.of("tls-cert-file", "/nonexistent/cert.pem",
                "tls-key-file", "/nonexistent/key.pem", "tls-auth-clients", "no"))));
    }
}
