package io.modis.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * A modis-server loading a dump.rdb written here byte by byte (checksum 0, which Redis and Modis
 * do not check): empty collections, which older Redis versions could save, are skipped with
 * Redis's log lines; a value that fails its integrity check stops the server with Redis's reason,
 * the key and the type.
 */
@Timeout(300)
class RdbLoadSkipsAndRefusesTest {
    private static final Duration READY = Duration.ofSeconds(90);

    /** RDB bytes: the header, SELECTDB 0, what the test adds, then EOF and a zero checksum. */
    private static final class Rdb {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Rdb() {
            out.writeBytes("REDIS0010".getBytes(StandardCharsets.US_ASCII));
            out.write(0xFE);
            out.write(0);
        }

        Rdb key(int type, String key) {
            out.write(type);
            return string(key.getBytes(StandardCharsets.US_ASCII));
        }

        Rdb length(int n) {
            out.write(n); // below 64: one byte
            return this;
        }

        Rdb string(byte[] s) {
            length(s.length);
            out.writeBytes(s);
            return this;
        }

        void writeTo(Path file) throws Exception {
            out.write(0xFF);
            out.writeBytes(new byte[8]);
            Files.write(file, out.toByteArray());
        }
    }

    /** A ziplist of one-byte-length strings. */
    private static byte[] ziplist(String... items) {
        ByteArrayOutputStream entries = new ByteArrayOutputStream();
        int prev = 0;
        int tail = 10;
        for (String s : items) {
            tail = 10 + entries.size();
            entries.write(prev);
            entries.write(s.length());
            entries.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
            prev = 2 + s.length();
        }
        int total = 10 + entries.size() + 1;
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(total).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putInt(total).putInt(tail).putShort((short) items.length).put(entries.toByteArray()).put((byte) 0xFF);
        return b.array();
    }

    @Test
    void emptyKeysAreSkippedWithRedisLogLines(@TempDir Path dir) throws Exception {
        Rdb rdb = new Rdb();
        rdb.key(2, "set").length(0);
        rdb.key(14, "list_quicklist_empty_ziplist").length(1).string(ziplist());
        rdb.key(4, "hash").length(0);
        rdb.key(0, "kept").string("v".getBytes(StandardCharsets.US_ASCII));
        for (int i = 1; i <= 9; i++) {
            rdb.key(13, "hash_ziplist" + i).string(ziplist());
        }
        rdb.writeTo(dir.resolve("dump.rdb"));
        try (ServerProcess modis = ServerProcess.start(dir)) {
            assertTrue(modis.awaitLog("Ready to accept connections", READY), modis.output());
            String log = modis.output();
            assertTrue(log.contains("# rdbLoadObject skipping empty key: set\n"), log);
            assertTrue(log.contains("# rdbLoadObject skipping empty key: list_quicklist_empty_ziplist\n"), log);
            assertTrue(log.contains("# rdbLoadObject skipping empty key: hash\n"), log);
            assertTrue(log.contains("# rdbLoadObject skipping empty key: hash_ziplist7\n"), log);
            assertEquals(10, log.split("skipping empty key", -1).length - 1, "only the first 10 are named\n" + log);
            assertTrue(log.contains("# Done loading RDB, keys loaded: 1, keys expired: 0, empty keys skipped: 12.\n"),
                    log);
            try (Jedis j = new Jedis("127.0.0.1", modis.port(), 10_000)) {
                assertEquals(1L, j.dbSize());
                assertEquals("v", j.get("kept"));
            }
        }
    }

    @Test
    void aValueFailingItsIntegrityCheckStopsTheServerNamingKeyAndType(@TempDir Path dir) throws Exception {
        byte[] zl = ziplist("f", "v");
        zl[10] = 9; // the first entry's prevlen
        Rdb rdb = new Rdb();
        rdb.key(0, "good").string("v".getBytes(StandardCharsets.US_ASCII));
        rdb.key(13, "key:91").string(zl);
        Path dump = dir.resolve("dump.rdb");
        rdb.writeTo(dump);
        try (ServerProcess modis = ServerProcess.start(dir)) {
            OptionalInt code = modis.awaitExit(READY);
            assertTrue(code.isPresent(), "a corrupt dump was loaded\n" + modis.output());
            assertEquals(1, code.getAsInt());
            String log = modis.output();
            assertTrue(log.contains("Internal error in RDB reading offset ") && log.contains(", file " + dump + " -> "
                    + "Hash ziplist integrity check failed. (ziplist prevlen mismatch)"), log);
            assertEquals(2, log.split("integrity check failed", -1).length - 1, log);
            assertTrue(log.contains("--- RDB ERROR DETECTED ---\n"), log);
            assertTrue(log.contains("[additional info] Reading key 'key:91'\n"), log);
            assertTrue(log.contains("[additional info] Reading type 13 (hash-ziplist)\n"), log);
            assertEquals(1, log.split("Terminating server after rdb file reading failure.", -1).length - 1, log);
        }
    }
}
