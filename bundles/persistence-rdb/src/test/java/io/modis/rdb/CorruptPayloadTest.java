package io.modis.rdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modis.api.Bytes;
import io.modis.api.CommandException;
import io.modis.api.DataType;
import io.modis.api.ServerLog;
import io.modis.api.Value;
import io.modis.hashes.HashCommands;
import io.modis.lists.ListCommands;
import io.modis.sets.SetCommands;
import io.modis.streams.StreamCommands;
import io.modis.zsets.ZSetCommands;
import io.modis.core.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Malformed DUMP payloads and RDB images, built byte by byte: each is refused with Redis's
 * reason in the log ("... integrity check failed.", "Duplicate stream consumer detected." ...),
 * and an empty collection in a file is skipped while the rest loads.
 */
class CorruptPayloadTest {
    private static TestServer server;
    private static final Map<String, DataType> TYPES = new ConcurrentHashMap<>();
    private static final ValueCodec.Types LOOKUP = byName(TYPES);
    private final RdbSettings settings = new RdbSettings();
    private final DumpCommands dump = new DumpCommands(settings, LOOKUP, () -> ValueCodec.WriteOptions.DEFAULTS);
    private final List<String> log = new ArrayList<>();
    private final ServerLog capture = (level, message) -> log.add(level + " " + message);

    @BeforeAll
    static void types() {
        server = new TestServer();
        server.addCommands(new ListCommands().commands());
        server.addCommands(new SetCommands().commands());
        server.addCommands(new ZSetCommands().commands());
        server.addCommands(new HashCommands().commands());
        server.addCommands(new StreamCommands().commands());
        TestServer.TestClient c = server.client();
        c.call("RPUSH", "l", "x");
        c.call("SADD", "s", "x");
        c.call("ZADD", "z", "1", "x");
        c.call("HSET", "h", "x", "y");
        c.call("XADD", "x", "1-1", "x", "y");
        for (String k : List.of("l", "s", "z", "h", "x")) {
            DataType type = server.onEngine(() -> server.server.db(0).get(Bytes.of(k)).type());
            TYPES.put(type.name(), type);
        }
    }

    /** The types of {@code types} by name; no module types. */
    static ValueCodec.Types byName(Map<String, DataType> types) {
        return new ValueCodec.Types() {
            @Override
            public DataType byName(String name) {
                return types.get(name);
            }

            @Override
            public DataType byModuleId(long id) {
                return null;
            }
        };
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** A DUMP payload: the value {@code body} writes, RDB version 10, and the CRC-64 footer. */
    private static byte[] payload(Consumer<RdbWriter> body) {
        RdbWriter w = RdbWriter.inMemory(false);
        body.accept(w);
        w.writeByte(RdbFile.VERSION);
        w.writeByte(0);
        w.millis(w.crc());
        return w.toByteArray();
    }

    /** Decodes a payload that must be refused; returns what was logged. */
    private String refused(byte[] p) {
        CommandException e = assertThrows(CommandException.class, () -> dump.decode(p, capture));
        assertEquals("ERR Bad data format", e.getMessage());
        return String.join("\n", log);
    }

    /** A ziplist of small strings: header, entries (prevlen, 6-bit length, bytes), terminator. */
    private static byte[] ziplist(String... items) {
        java.io.ByteArrayOutputStream entries = new java.io.ByteArrayOutputStream();
        int prev = 0;
        int tail = 10;
        for (String s : items) {
            tail = 10 + entries.size();
            entries.write(prev);
            entries.write(s.length());
            entries.writeBytes(Bytes.of(s));
            prev = 2 + s.length();
        }
        int total = 10 + entries.size() + 1;
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(total).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putInt(total).putInt(tail).putShort((short) items.length).put(entries.toByteArray()).put((byte) 0xFF);
        return b.array();
    }

    private static void streamWithGroup(RdbWriter w, Consumer<RdbWriter> pelAndConsumers) {
        w.writeByte(ValueCodec.STREAM_LISTPACKS);
        w.length(0); // no nodes
        w.length(0).length(0).length(0); // length, last ID
        w.length(1).string(Bytes.of("mygroup")).length(0).length(0);
        pelAndConsumers.accept(w);
    }

    @Test
    void duplicateStreamConsumersAreRefused() {
        byte[] p = payload(w -> streamWithGroup(w, s -> {
            s.length(0); // group PEL
            s.length(2);
            s.string(Bytes.of("name")).millis(1).length(0);
            s.string(Bytes.of("name")).millis(2).length(0);
        }));
        assertTrue(refused(p).contains("Duplicate stream consumer detected."), String.join("\n", log));
        assertTrue(log.get(0).startsWith("VERBOSE Internal error in RDB reading offset "), log.get(0));
    }

    @Test
    void aPendingEntryWithoutConsumerIsRefused() {
        byte[] id = StreamCodec.idBytes(1, 1);
        byte[] p = payload(w -> streamWithGroup(w, s -> {
            s.length(1).raw(id).millis(5).length(1);
            s.length(1).string(Bytes.of("alice")).millis(1).length(0);
        }));
        assertTrue(refused(p).contains("Stream CG PEL entry without consumer"), String.join("\n", log));
    }

    @Test
    void aConsumerOwningAnIdOutsideTheGroupPelIsRefused() {
        byte[] p = payload(w -> streamWithGroup(w, s -> {
            s.length(0);
            s.length(1).string(Bytes.of("alice")).millis(1).length(1).raw(StreamCodec.idBytes(1, 1));
        }));
        assertTrue(refused(p).contains("Consumer entry not found in group global PEL"), String.join("\n", log));
    }

    @Test
    void hashListpackWithDuplicateFieldsIsRefused() {
        byte[] lp = new Listpack.Builder().add(Bytes.of("a")).add(Bytes.of("1")).add(Bytes.of("a"))
                .add(Bytes.of("2")).build();
        byte[] p = payload(w -> w.writeByte(ValueCodec.HASH_LISTPACK).string(lp));
        assertTrue(refused(p).contains("Hash listpack integrity check failed. (listpack with dup elements)"),
                String.join("\n", log));
    }

    @Test
    void hashZiplistWithDuplicateFieldsOrAnOddCountIsRefused() {
        byte[] dup = payload(w -> w.writeByte(ValueCodec.HASH_ZIPLIST).string(ziplist("a", "b", "a", "d")));
        assertTrue(refused(dup).contains("Hash ziplist integrity check failed. (ziplist with dup elements)"),
                String.join("\n", log));
        log.clear();
        byte[] odd = payload(w -> w.writeByte(ValueCodec.HASH_ZIPLIST).string(ziplist("a", "b", "c")));
        assertTrue(refused(odd).contains("Hash ziplist integrity check failed. (an odd number of elements)"),
                String.join("\n", log));
    }

    @Test
    void aZiplistWithAWrongTailOffsetNamesItsEncoding() {
        byte[] zl = ziplist("m", "1");
        zl[4] = 2; // zltail
        byte[] p = payload(w -> w.writeByte(ValueCodec.ZSET_ZIPLIST).string(zl));
        assertTrue(refused(p).contains("Zset ziplist integrity check failed. (ziplist tail offset mismatch)"),
                String.join("\n", log));
        log.clear();
        byte[] list = payload(w -> w.writeByte(ValueCodec.LIST_QUICKLIST).length(1).string(zl));
        assertTrue(refused(list).contains("-> Ziplist integrity check failed."), String.join("\n", log));
    }

    @Test
    void anEmptyZipmapIsAnIntegrityFailure() {
        byte[] p = payload(w -> w.writeByte(ValueCodec.HASH_ZIPMAP).string(new byte[] {0, (byte) 0xFF}));
        assertTrue(refused(p).contains("Zipmap integrity check failed."), String.join("\n", log));
    }

    @Test
    void aBrokenStreamListpackNamesTheStreamCheck() {
        byte[] lp = new Listpack.Builder().add(1).add(0).add(1).add(Bytes.of("f")).add(0).build();
        byte[] p = payload(w -> {
            w.writeByte(ValueCodec.STREAM_LISTPACKS);
            w.length(1).string(StreamCodec.idBytes(1, 0)).string(lp);
            w.length(1).length(1).length(0).length(0);
        });
        assertTrue(refused(p).contains("Stream listpack integrity check failed."), String.join("\n", log));
    }

    @Test
    void anEmptyCollectionIsRefusedWithoutALogLine() {
        byte[] emptySet = payload(w -> w.writeByte(ValueCodec.SET).length(0));
        refused(emptySet);
        byte[] emptyQuicklist = payload(w -> w.writeByte(ValueCodec.LIST_QUICKLIST).length(1).string(ziplist()));
        refused(emptyQuicklist);
        assertEquals(List.of(), log);
    }

    /** Every kind of empty collection Redis skips in a file, between two keys that load. */
    @Test
    void emptyCollectionsInAFileAreSkippedAndTheRestLoads() {
        RdbWriter w = RdbWriter.inMemory(false);
        RdbFile.header(w, "7.0.15", 0);
        RdbFile.selectDb(w, 0, 10, 0);
        w.writeByte(ValueCodec.LIST_QUICKLIST_2).string(Bytes.of("before")).length(1).length(2)
                .string(new Listpack.Builder().add(Bytes.of("x")).build());
        w.writeByte(ValueCodec.SET).string(Bytes.of("set")).length(0);
        w.writeByte(ValueCodec.LIST).string(Bytes.of("list")).length(0);
        w.writeByte(ValueCodec.LIST_QUICKLIST).string(Bytes.of("list_quicklist_empty_ziplist")).length(1)
                .string(ziplist());
        w.writeByte(ValueCodec.LIST_QUICKLIST_2).string(Bytes.of("list_quicklist_2")).length(0);
        w.writeByte(ValueCodec.LIST_ZIPLIST).string(Bytes.of("list_ziplist")).string(ziplist());
        w.writeByte(ValueCodec.HASH).string(Bytes.of("hash")).length(0);
        w.writeByte(ValueCodec.HASH_ZIPLIST).string(Bytes.of("hash_ziplist")).string(ziplist());
        w.writeByte(ValueCodec.HASH_LISTPACK).string(Bytes.of("hash_listpack")).string(new Listpack.Builder().build());
        w.writeByte(ValueCodec.ZSET_2).string(Bytes.of("zset")).length(0);
        w.writeByte(ValueCodec.ZSET_ZIPLIST).string(Bytes.of("zset_ziplist")).string(ziplist());
        w.writeByte(ValueCodec.ZSET_LISTPACK).string(Bytes.of("zset_listpack")).string(new Listpack.Builder().build());
        RdbFile.entry(w, Bytes.of("after"), server.onEngine(() -> server.server.db(0).get(Bytes.of("s"))), -1,
                ValueCodec.WriteOptions.DEFAULTS);
        RdbFile.footer(w, true);
        List<String> loaded = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        RdbFile.load(RdbReader.of(w.toByteArray()), LOOKUP, new RdbFile.Sink() {
            @Override
            public void aux(byte[] key, byte[] value) {
            }

            @Override
            public void function(byte[] code) {
            }

            @Override
            public void entry(int db, byte[] key, Value value, long expireAt, long idle, int freq) {
                loaded.add(Bytes.str(key));
            }

            @Override
            public void emptyKey(int db, byte[] key) {
                skipped.add(Bytes.str(key));
            }
        }, true, 16);
        assertEquals(List.of("before", "after"), loaded);
        assertEquals(List.of("set", "list", "list_quicklist_empty_ziplist", "list_quicklist_2", "list_ziplist", "hash",
                "hash_ziplist", "hash_listpack", "zset", "zset_ziplist", "zset_listpack"), skipped);
    }

    @Test
    void aCorruptValueInAFileNamesItsKeyAndType() {
        RdbWriter w = RdbWriter.inMemory(false);
        RdbFile.header(w, "7.0.15", 0);
        RdbFile.selectDb(w, 0, 1, 0);
        byte[] zl = ziplist("f", "v");
        zl[10] = 9; // the first entry's prevlen
        w.writeByte(ValueCodec.HASH_ZIPLIST).string(Bytes.of("key:91")).string(zl);
        RdbFile.footer(w, true);
        RdbFormatException e = assertThrows(RdbFormatException.class, () -> RdbFile.load(
                RdbReader.of(w.toByteArray()), LOOKUP, new RdbFileTest.Collected(), true, 16));
        assertEquals("Hash ziplist integrity check failed. (ziplist prevlen mismatch)", e.getMessage());
        assertEquals("key:91", Bytes.str(e.key()));
        assertEquals(ValueCodec.HASH_ZIPLIST, e.type());
        assertEquals("hash-ziplist", ValueCodec.typeName(e.type()));
    }
}
