package io.modis.lists;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.modis.api.Bytes;
import io.modis.api.DataType;
import io.modis.api.Digest;
import io.modis.api.Fields;
import io.modis.api.Value;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** SORT and SORT_RO over lists, with weights and GET values in strings and hash fields. */
class SortCommandsTest extends ListTestSupport {

    /** A read-only stand-in for a hash (the hash bundle is another bundle): fields for BY/GET. */
    private record TestHash(Map<String, String> fields) implements Fields {
        static final DataType TYPE = new DataType() {
            @Override
            public String name() {
                return "hash";
            }

            @Override
            public int rdbType() {
                return 4;
            }

            @Override
            public byte[] serialize(Value value) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Value restore(byte[] payload, int encodingVersion) {
                throw new UnsupportedOperationException();
            }
        };

        @Override
        public byte[] field(byte[] field) {
            String v = fields.get(Bytes.str(field));
            return v == null ? null : Bytes.of(v);
        }

        @Override
        public DataType type() {
            return TYPE;
        }

        @Override
        public String encoding() {
            return "hashtable";
        }

        @Override
        public long memoryUsage() {
            return 0;
        }

        @Override
        public Value copy() {
            return this;
        }

        @Override
        public void digest(Digest d) {
        }
    }

    @BeforeEach
    void sortCommands() {
        t.addCommands(new SortCommands().commands());
        t.addServerCommands();
    }

    private void hash(String key, String... fieldsAndValues) {
        java.util.Map<String, String> m = new java.util.HashMap<>();
        for (int i = 0; i < fieldsAndValues.length; i += 2) {
            m.put(fieldsAndValues[i], fieldsAndValues[i + 1]);
        }
        t.onEngine(() -> t.server.db(0).set(Bytes.of(key), new TestHash(m)));
    }

    @Test
    void numericAlphaDescAndLimit() {
        run("rpush", "l", "3", "10", "2", "-1.5");
        assertEquals(List.of("-1.5", "2", "3", "10"), run("sort", "l"));
        assertEquals(List.of("10", "3", "2", "-1.5"), run("sort", "l", "desc"));
        assertEquals(List.of("-1.5", "10", "2", "3"), run("sort", "l", "alpha"));
        assertEquals(List.of("3", "10"), run("sort", "l", "limit", "2", "5"));
        assertEquals(List.of(), run("sort", "l", "limit", "9", "1"));
        assertEquals(List.of("-1.5", "2", "3", "10"), run("sort_ro", "l", "limit", "-3", "-1"));
        assertEquals(List.of(), run("sort", "nokey"));
        assertEquals(0L, dirty);
        assertEquals(List.of(), propagated);
    }

    @Test
    void byPatternsReadStringsAndHashFields() {
        run("rpush", "ids", "1", "2", "3");
        setString("w_1", "30");
        setString("w_2", "10");
        // w_3 is missing: weight 0
        assertEquals(List.of("3", "2", "1"), run("sort", "ids", "by", "w_*"));
        hash("u:1", "name", "ann", "age", "40");
        hash("u:2", "name", "bob", "age", "25");
        hash("u:3", "name", "cid");
        assertEquals(List.of("3", "2", "1"), run("sort", "ids", "by", "u:*->age"));
        assertEquals(Arrays.asList("cid", "3", null, "bob", "2", "10", "ann", "1", "30"),
                run("sort", "ids", "by", "u:*->age", "get", "u:*->name", "get", "#", "get", "w_*"));
        // a BY pattern without '*' does not sort: list order, DESC read from the tail
        assertEquals(List.of("3", "2", "1"), run("sort", "ids", "by", "nosort", "desc"));
        assertEquals(List.of("ann", "bob", "cid"), run("sort", "ids", "by", "nosort", "get", "u:*->name"));
        assertEquals(List.of("3", "2", "1"), run("sort", "ids", "by", "u:*->name", "alpha", "desc"));
        // elements whose BY key is missing sort first with ALPHA
        run("rpush", "ids2", "1", "4", "2");
        assertEquals(List.of("4", "1", "2"), run("sort", "ids2", "by", "u:*->name", "alpha"));
    }

    @Test
    void storeMakesAListAndAnEmptyResultDeletesTheDestination() {
        run("rpush", "l", "b", "a", "c");
        assertEquals(3L, run("sort", "l", "alpha", "store", "dst"));
        assertEquals(3L, dirty);
        assertEquals(List.of("0: sort l alpha store dst"), propagated);
        assertEquals(List.of("n:new:dst@0", "l:sortstore:dst@0"), events);
        assertEquals(List.of("a", "b", "c"), run("lrange", "dst", "0", "-1"));

        assertEquals(0L, run("sort", "empty", "store", "dst"));
        assertNull(list("dst"));
        assertEquals(List.of("g:del:dst@0"), events);
        assertEquals(1L, dirty);

        assertEquals(2L, run("sort", "l", "alpha", "limit", "0", "1", "get", "#", "get", "nokey_*", "store", "d2"));
        assertEquals(List.of("a", ""), run("lrange", "d2", "0", "-1"));
    }

    @Test
    void errorsChangeNothing() {
        run("rpush", "l", "1", "x");
        assertEquals(err("ERR One or more scores can't be converted into double"), run("sort", "l"));
        assertEquals(err("ERR syntax error"), run("sort", "l", "bogus"));
        assertEquals(err("ERR syntax error"), run("sort_ro", "l", "store", "dst"));
        assertEquals(err("ERR value is not an integer or out of range"), run("sort", "l", "limit", "a", "1"));
        setString("s", "v");
        assertEquals(WRONGTYPE, run("sort", "s"));
        assertEquals(List.of("1", "x"), run("lrange", "l", "0", "-1"));
        assertEquals(0L, dirty);
    }

    @Test
    void weightsParseAsStrtod() {
        assertEquals(0.0, SortCommands.strtod(new byte[0]));
        assertEquals(12.5, SortCommands.strtod(Bytes.of("  12.5")));
        assertEquals(Double.NEGATIVE_INFINITY, SortCommands.strtod(Bytes.of("-inf")));
        assertEquals(1.0, SortCommands.strtod(Bytes.of("1.")));
        for (String bad : List.of(" ", "1 ", "nan", "1e", "1e999", "1e-999", "abc", ".")) {
            assertThrows(NumberFormatException.class, () -> SortCommands.strtod(Bytes.of(bad)), bad);
        }
    }

    @Test
    void getKeysFindsTheStoreDestination() {
        assertEquals(List.of("abc", "def"), run("command", "getkeys", "sort", "abc", "store", "def"));
        assertEquals(List.of("abc"), run("command", "getkeys", "sort_ro", "abc"));
        assertEquals(List.of("abc", "def"),
                run("command", "getkeys", "sort", "abc", "store", "invalid", "store", "stillbad", "store", "def"));
        assertEquals(List.of("abc"), run("command", "getkeys", "sort", "abc", "get", "store", "limit", "store", "x"));
    }
}
