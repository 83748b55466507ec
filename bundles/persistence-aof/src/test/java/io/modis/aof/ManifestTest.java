package io.modis.aof;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestTest {
    @TempDir
    Path dir;

    @Test
    void parsesWhatRedisWrites() throws Exception {
        Manifest m = Manifest.parse("file appendonly.aof.2.base.rdb seq 2 type b\n"
                + "file appendonly.aof.1.incr.aof seq 1 type h\n"
                + "file appendonly.aof.2.incr.aof seq 2 type i\n"
                + "file appendonly.aof.3.incr.aof seq 3 type i\n");
        assertEquals("appendonly.aof.2.base.rdb", m.base().name());
        assertEquals(2, m.baseSeq());
        assertEquals(List.of(new Manifest.Entry("appendonly.aof.1.incr.aof", 1, 'h')), m.history());
        assertEquals(3, m.lastIncrSeq());
        assertEquals(2, m.incrs().size());
    }

    @Test
    void writesBaseHistoryThenIncrsAndReadsItBack() throws Exception {
        Manifest m = new Manifest(new Manifest.Entry("a.1.base.aof", 1, 'b'),
                List.of(new Manifest.Entry("a.0.incr.aof", 7, 'h')),
                List.of(new Manifest.Entry("a 1.incr.aof", 1, 'i')));
        m.write(dir, "a.manifest");
        String text = Files.readString(dir.resolve("a.manifest"));
        assertEquals("file a.1.base.aof seq 1 type b\nfile a.0.incr.aof seq 7 type h\n"
                + "file \"a 1.incr.aof\" seq 1 type i\n", text);
        assertEquals(m, Manifest.read(dir.resolve("a.manifest")));
        assertTrue(Files.notExists(dir.resolve("temp-a.manifest")));
    }

    @Test
    void refusesWhatRedisRefuses() {
        assertThrows(Manifest.BadManifest.class, () -> Manifest.parse(""));
        assertThrows(Manifest.BadManifest.class, () -> Manifest.parse("file x seq 1\n"));
        assertThrows(Manifest.BadManifest.class, () -> Manifest.parse("file ../x seq 1 type b\n"));
        assertThrows(Manifest.BadManifest.class,
                () -> Manifest.parse("file a seq 1 type b\nfile b seq 2 type b\n"));
        assertThrows(Manifest.BadManifest.class,
                () -> Manifest.parse("file a seq 2 type i\nfile b seq 2 type i\n"));
        assertThrows(Manifest.BadManifest.class, () -> Manifest.parse("file a seq 1 type x\n"));
        Manifest.BadManifest e = assertThrows(Manifest.BadManifest.class,
                () -> Manifest.parse("file a seq 1 type b\n\n"));
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
    }

    @Test
    void commentsAreSkipped() throws Exception {
        assertEquals(1, Manifest.parse("# note\nfile a seq 1 type i\n").incrs().size());
    }
}
