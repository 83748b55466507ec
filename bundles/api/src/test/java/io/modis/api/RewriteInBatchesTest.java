package io.modis.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** DataType.rewriteInBatches: commands of at most 64 items, every item in order. */
class RewriteInBatchesTest {
    @Test
    void splitsPairsIntoCommandsOf64Items() {
        RdbOutput o = new RdbOutput().writeLength(130);
        for (int i = 0; i < 130; i++) {
            o.writeString(Bytes.of("f" + i)).writeString(Bytes.of("v" + i));
        }
        List<byte[][]> commands = new ArrayList<>();
        DataType.rewriteInBatches("HMSET", Bytes.of("h"), o.toByteArray(), 2, (in, cmd, at) -> {
            cmd[at] = in.readString();
            cmd[at + 1] = in.readString();
        }, commands::add);
        assertEquals(3, commands.size());
        assertEquals(List.of(2 + 128, 2 + 128, 2 + 4), commands.stream().map(c -> c.length).toList());
        int item = 0;
        for (byte[][] c : commands) {
            assertEquals("HMSET", Bytes.str(c[0]));
            assertEquals("h", Bytes.str(c[1]));
            for (int at = 2; at < c.length; at += 2) {
                assertEquals("f" + item, Bytes.str(c[at]));
                assertEquals("v" + item, Bytes.str(c[at + 1]));
                item++;
            }
        }
        assertEquals(130, item);
    }

    @Test
    void writesNothingForNoItems() {
        List<byte[][]> commands = new ArrayList<>();
        DataType.rewriteInBatches("SADD", Bytes.of("s"), new RdbOutput().writeLength(0).toByteArray(), 1,
                (in, cmd, at) -> cmd[at] = in.readString(), commands::add);
        assertEquals(0, commands.size());
    }
}
