package io.modis.examples.stringtools;

import io.modis.api.Command;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class StringToolsTest {
    @Test
    void upperCasesOnlyAsciiLetters() {
        assertArrayEquals("HELLO, WORLD 42 \u00e9".getBytes(StandardCharsets.UTF_8),
                StringTools.upper("hello, World 42 \u00e9".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void reversesBytes() {
        assertArrayEquals(new byte[] {3, 2, 1}, StringTools.reversed(new byte[] {1, 2, 3}));
        assertArrayEquals(new byte[0], StringTools.reversed(new byte[0]));
    }

    @Test
    void declaresItsCommandsWithKeyPositions() {
        List<Command> cmds = new StringTools().commands();
        assertEquals(List.of("strtools.upper", "strtools.reverse"), cmds.stream().map(Command::name).toList());
        assertEquals(1, cmds.get(0).spec().firstKey());
        assertEquals(2, cmds.get(1).spec().arity());
    }
}
