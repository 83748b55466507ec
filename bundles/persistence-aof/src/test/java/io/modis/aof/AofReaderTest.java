package io.modis.aof;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AofReaderTest {
    private static AofReader reader(String s) {
        return new AofReader(new ByteArrayInputStream(s.getBytes(StandardCharsets.ISO_8859_1)));
    }

    private static String cmd(String... words) {
        RespSink sink = new RespSink(64);
        byte[][] argv = new byte[words.length][];
        for (int i = 0; i < words.length; i++) {
            argv[i] = words[i].getBytes(StandardCharsets.ISO_8859_1);
        }
        sink.command(argv);
        return new String(sink.take(), StandardCharsets.ISO_8859_1);
    }

    @Test
    void readsCommandsAndSkipsAnnotations() throws Exception {
        String set = cmd("SET", "k", "a\r\nb");
        AofReader r = reader("#TS:1700000000\r\n" + set + cmd("DEL", "k"));
        assertArrayEquals(new byte[][] {"SET".getBytes(), "k".getBytes(), "a\r\nb".getBytes()}, r.next());
        assertEquals(1700000000L, r.lastTimestamp);
        assertEquals(16 + set.length(), r.validUpTo());
        assertEquals(2, r.next().length);
        assertNull(r.next());
    }

    @Test
    void aTornCommandIsTruncatedAtTheLastWholeOne() throws Exception {
        String first = cmd("INCR", "foo");
        String second = cmd("INCR", "foo");
        AofReader r = reader(first + second.substring(0, second.length() - 1));
        r.next();
        AofReader.Truncated t = assertThrows(AofReader.Truncated.class, r::next);
        assertEquals(first.length(), t.validUpTo);
    }

    @Test
    void garbageIsABadFormatAtItsOffset() throws Exception {
        String first = cmd("SET", "foo", "hello");
        AofReader r = reader(first + "!!!\r\n" + first);
        r.next();
        AofReader.BadFormat b = assertThrows(AofReader.BadFormat.class, r::next);
        assertEquals(first.length(), b.offset);
        assertThrows(AofReader.BadFormat.class, () -> reader("*0\r\n").next());
        assertThrows(AofReader.BadFormat.class, () -> reader("*1\r\n+x\r\n").next());
    }
}
