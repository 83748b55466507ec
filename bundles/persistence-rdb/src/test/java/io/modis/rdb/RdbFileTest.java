package io.modis.rdb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.modis.api.Bytes;
import io.modis.api.DataType;
import io.modis.api.Value;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The file layout around the values: header aux fields, FUNCTION2 records, EOF and CRC. */
class RdbFileTest {
    private static final ValueCodec.Types NO_TYPES = new ValueCodec.Types() {
        @Override
        public DataType byName(String name) {
            return null;
        }

        @Override
        public DataType byModuleId(long id) {
            return null;
        }
    };

    static final class Collected implements RdbFile.Sink {
        final Map<String, String> aux = new LinkedHashMap<>();
        final List<byte[]> functions = new ArrayList<>();

        @Override
        public void aux(byte[] key, byte[] value) {
            aux.put(Bytes.str(key), Bytes.str(value));
        }

        @Override
        public void function(byte[] code) {
            functions.add(code);
        }

        @Override
        public void entry(int db, byte[] key, Value value, long expireAt, long idle, int freq) {
            throw new AssertionError("no keys were written");
        }
    }

    private static byte[] image(boolean aofBase, byte[]... libraries) {
        RdbWriter w = RdbWriter.inMemory(true);
        SnapshotFileWriter.Header header = new SnapshotFileWriter.Header("7.0.15", 1234, aofBase, List.of(libraries));
        header.write(w);
        RdbFile.footer(w, true);
        return w.toByteArray();
    }

    @Test
    void functionLibrariesAreWrittenAsFunction2RecordsAfterTheAuxFieldsAndReadBackInOrder() {
        byte[] first = Bytes.of("#!lua name=first\nredis.register_function('f1', function() return 1 end)");
        byte[] second = Bytes.of("#!lua name=second\nredis.register_function('f2', function() return 2 end)");
        byte[] rdb = image(false, first, second);
        assertEquals("REDIS0010", new String(rdb, 0, 9, java.nio.charset.StandardCharsets.US_ASCII));
        Collected got = new Collected();
        RdbFile.load(RdbReader.of(rdb), NO_TYPES, got, true, 16);
        assertEquals(2, got.functions.size());
        assertArrayEquals(first, got.functions.get(0));
        assertArrayEquals(second, got.functions.get(1));
        assertEquals("0", got.aux.get("aof-base"));
        assertEquals("7.0.15", got.aux.get("redis-ver"));
        // the opcode that follows the last aux field is FUNCTION2 (245), as Redis 7.0 writes it
        int at = indexOf(rdb, first) - 1;
        while (at > 0 && (rdb[at] & 0xFF) != RdbFile.OPCODE_FUNCTION2) {
            at--;
        }
        assertEquals(RdbFile.OPCODE_FUNCTION2, rdb[at] & 0xFF);
    }

    @Test
    void anAofBaseCarriesAofBase1() {
        Collected got = new Collected();
        RdbFile.load(RdbReader.of(image(true)), NO_TYPES, got, true, 16);
        assertEquals("1", got.aux.get("aof-base"));
        assertEquals(0, got.functions.size());
    }

    @Test
    void aDamagedLibraryFailsTheChecksum() {
        byte[] rdb = image(false, Bytes.of("#!lua name=lib\nredis.register_function('f', function() return 1 end)"));
        rdb[rdb.length - 20] ^= 1;
        RdbFormatException e = assertThrows(RdbFormatException.class,
                () -> RdbFile.load(RdbReader.of(rdb), NO_TYPES, new Collected(), true, 16));
        assertEquals(true, e.getMessage().endsWith("RDB CRC error"), e.getMessage());
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
