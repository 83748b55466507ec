package io.modis.examples.bloom;

import io.modis.api.Bytes;
import io.modis.core.TestServer;
import io.modis.core.TestServer.Err;
import io.modis.core.TestServer.TestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** BF.SCANDUMP and BF.LOADCHUNK: a filter copied chunk by chunk is the same filter. */
class ChunkedDumpTest {
    private TestServer t;
    private TestClient c;

    @BeforeEach
    void start() {
        t = new TestServer();
        t.addCommands(new BloomCommands().commands());
        c = t.client();
    }

    @AfterEach
    void stop() {
        t.close();
    }

    /** Runs a command whose arguments may be binary; bulk replies come back as ISO-8859-1 text. */
    private Object call(byte[]... argv) {
        return c.call(argv);
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void headerDescribesTheChainAsRedisBloomPacksIt() {
        ScalableBloomFilter f = ScalableBloomFilter.create(100, 0.01, 2, false);
        f.add(b("a"));
        byte[] h = ChunkedDump.header(f);
        assertEquals(20 + 53, h.length);
        // size 1, one filter, options FORCE64|NOROUND, expansion 2, then the layer's byte count 144
        assertArrayEquals(new byte[] {1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 5, 0, 0, 0, 2, 0, 0, 0, (byte) 144, 0},
                java.util.Arrays.copyOf(h, 22));
        ScalableBloomFilter empty = ChunkedDump.fromHeader(h);
        assertEquals(f.capacity(), empty.capacity());
        assertEquals(1, empty.size);
        ChunkedDump.load(empty, 1 + 144, f.layers.get(0).bitBytes());
        assertEquals(f.layers, empty.layers);
    }

    @Test
    void scanDumpThenLoadChunkCopiesAMultiLayerFilter() {
        c.call("BF.RESERVE", "src", "0.01", "50", "EXPANSION", "3");
        for (int i = 0; i < 500; i++) {
            c.call("BF.ADD", "src", "item-" + i);
        }
        ScalableBloomFilter src = t.onEngine(() -> (ScalableBloomFilter) t.server.db(0).get(b("src")));
        // the test recorder reads bulk replies as text, so the bytes each reply carries are taken
        // from the same encoder the command uses; the iterators come from the command itself
        List<byte[][]> chunks = new ArrayList<>();
        long iter = 0;
        do {
            List<?> r = (List<?>) c.call("BF.SCANDUMP", "src", Long.toString(iter));
            long at = iter;
            byte[] data = t.onEngine(() -> at == 0 ? ChunkedDump.header(src) : (byte[]) ChunkedDump.chunk(src, at)[1]);
            iter = (Long) r.get(0);
            if (iter != 0) {
                chunks.add(new byte[][] {Bytes.fromLong(iter), data});
            }
        } while (iter != 0);
        assertEquals(1 + src.layers.size(), chunks.size(), "the header, then one chunk per layer");
        for (byte[][] chunk : chunks) {
            assertEquals(TestServer.OK, call(b("BF.LOADCHUNK"), b("dst"), chunk[0], chunk[1]));
        }
        ScalableBloomFilter dst = t.onEngine(() -> (ScalableBloomFilter) t.server.db(0).get(b("dst")));
        assertEquals(src.layers, dst.layers);
        assertEquals(src.size, dst.size);
        assertEquals(c.call("BF.INFO", "src"), c.call("BF.INFO", "dst"));
        assertEquals(1L, c.call("BF.EXISTS", "dst", "item-123"));
    }

    @Test
    void loadChunkRefusesBadInput() {
        assertEquals(new Err("ERR Second argument must be numeric"), c.call("BF.LOADCHUNK", "k", "x", "data"));
        assertEquals(new Err("ERR not found"), c.call("BF.LOADCHUNK", "k", "5", "data"));
        assertEquals(new Err("ERR received bad data"), c.call("BF.LOADCHUNK", "k", "1", "short"));
        ScalableBloomFilter f = ScalableBloomFilter.create(100, 0.01, 2, false);
        byte[] h = ChunkedDump.header(f);
        byte[] badHashes = h.clone();
        badHashes[20 + 40] = 99;
        assertEquals(new Err("ERR received bad data"), call(b("BF.LOADCHUNK"), b("k"), b("1"), badHashes));
        assertEquals(0L, t.onEngine(() -> t.server.db(0).size()));
        assertEquals(TestServer.OK, call(b("BF.LOADCHUNK"), b("k"), b("1"), h));
        assertEquals(new Err("ERR received bad data"), call(b("BF.LOADCHUNK"), b("k"), b("1"), h));
        assertEquals(new Err("ERR invalid chunk - Too big for current filter"),
                call(b("BF.LOADCHUNK"), b("k"), b("200"), new byte[150]));
        assertEquals(new Err("ERR invalid offset - no link found"),
                call(b("BF.LOADCHUNK"), b("k"), b("1000"), new byte[10]));
        assertEquals(new Err("ERR not found"), c.call("BF.SCANDUMP", "nothing", "0"));
        assertEquals(new Err("Second argument must be numeric"), c.call("BF.SCANDUMP", "k", "x"));
        assertEquals(List.of(0L, ""), c.call("BF.SCANDUMP", "k", "145"));
    }

    @Test
    void rewriteReplaysToTheSameFilter() {
        c.call("BF.RESERVE", "orig", "0.001", "20", "EXPANSION", "2");
        for (int i = 0; i < 100; i++) {
            c.call("BF.ADD", "orig", "v" + i);
        }
        ScalableBloomFilter orig = t.onEngine(() -> (ScalableBloomFilter) t.server.db(0).get(b("orig")));
        List<byte[][]> commands = new ArrayList<>();
        t.onEngine(() -> BloomType.INSTANCE.rewrite(b("copy"), orig, commands::add));
        assertEquals(1 + orig.layers.size(), commands.size());
        for (byte[][] argv : commands) {
            assertEquals("BF.LOADCHUNK", Bytes.str(argv[0]));
            assertEquals(TestServer.OK, call(argv));
        }
        ScalableBloomFilter copy = t.onEngine(() -> (ScalableBloomFilter) t.server.db(0).get(b("copy")));
        assertEquals(orig.layers, copy.layers);
        assertEquals(orig.size, copy.size);
        assertEquals(orig.growth, copy.growth);
    }
}
