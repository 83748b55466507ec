package io.modis.strings;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.modis.api.Bytes;
import java.util.List;
import org.junit.jupiter.api.Test;

class LcsTest {
    static final String RNA1 = "CACCTTCCCAGGTAACAAACCAACCAACTTTCGATCTCTTGTAGATCTGTTCTCTAAACGAACTTTAAAATCTGTGTGGCTGTCACTCGGCTG"
            + "CATGCTTAGTGCACTCACGCAGTATAATTAATAACTAATTACTGTCGTTGACAGGACACGAGTAACTCGTCTATCTTCTGCAGGCTGCTTACGGTTTCGT"
            + "CCGTGTTGCAGCCGATCATCAGCACATCTAGGTTTCGTCCGGGTGTG";
    static final String RNA2 = "ATTAAAGGTTTATACCTTCCCAGGTAACAAACCAACCAACTTTCGATCTCTTGTAGATCTGTTCTCTAAACGAACTTTAAAATCTGTGTGGCTG"
            + "TCACTCGGCTGCATGCTTAGTGCACTCACGCAGTATAATTAATAACTAATTACTGTCGTTGACAGGACACGAGTAACTCGTCTATCTTCTGCAGGCTG"
            + "CTTACGGTTTCGTCCGTGTTGCAGCCGATCATCAGCACATCTAGGTTT";
    static final String RNA_LCS = "ACCTTCCCAGGTAACAAACCAACCAACTTTCGATCTCTTGTAGATCTGTTCTCTAAACGAACTTTAAAATCTGTGTGGCTGTCACTCGGCT"
            + "GCATGCTTAGTGCACTCACGCAGTATAATTAATAACTAATTACTGTCGTTGACAGGACACGAGTAACTCGTCTATCTTCTGCAGGCTGCTTACGGTTTC"
            + "GTCCGTGTTGCAGCCGATCATCAGCACATCTAGGTTT";

    @Test
    void sequenceOfRedisTestStrings() {
        Lcs lcs = Lcs.compute(Bytes.of(RNA1), Bytes.of(RNA2), 0);
        assertEquals(RNA_LCS, Bytes.str(lcs.sequence()));
        assertEquals(RNA_LCS.length(), lcs.length());
        assertEquals(RNA_LCS.length(), Lcs.length(Bytes.of(RNA1), Bytes.of(RNA2)));
    }

    @Test
    void matchesComeFromTheEndAsRedisEmitsThem() {
        List<Lcs.Match> m = Lcs.compute(Bytes.of(RNA1), Bytes.of(RNA2), 0).matches();
        assertEquals(List.of(
                new Lcs.Match(238, 238, 239, 239),
                new Lcs.Match(236, 236, 238, 238),
                new Lcs.Match(229, 230, 236, 237),
                new Lcs.Match(224, 224, 235, 235),
                new Lcs.Match(1, 222, 13, 234)), m);
        assertEquals(222, m.get(4).length());
    }

    @Test
    void minMatchLenFiltersShortMatches() {
        List<Lcs.Match> m = Lcs.compute(Bytes.of(RNA1), Bytes.of(RNA2), 5).matches();
        assertEquals(List.of(new Lcs.Match(1, 222, 13, 234)), m);
    }

    @Test
    void documentationExample() {
        Lcs lcs = Lcs.compute(Bytes.of("ohmytext"), Bytes.of("mynewtext"), 0);
        assertEquals("mytext", Bytes.str(lcs.sequence()));
        assertEquals(List.of(new Lcs.Match(4, 7, 5, 8), new Lcs.Match(2, 3, 0, 1)), lcs.matches());
    }

    @Test
    void emptyAndDisjointStrings() {
        assertEquals(0, Lcs.compute(Bytes.EMPTY, Bytes.of("abc"), 0).length());
        Lcs none = Lcs.compute(Bytes.of("abc"), Bytes.of("xyz"), 0);
        assertEquals("", Bytes.str(none.sequence()));
        assertEquals(List.of(), none.matches());
    }

    @Test
    void tableSizeIsFourBytesPerCell() {
        assertEquals(4L * 2 * 3, Lcs.tableBytes(1, 2));
        assertEquals(4L * 100_001 * 100_001, Lcs.tableBytes(100_000, 100_000));
    }
}
