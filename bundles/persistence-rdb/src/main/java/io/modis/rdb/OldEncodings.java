package io.modis.rdb;

import io.modis.api.Bytes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The compact encodings that older Redis versions wrote and Redis 7.0 still loads: ziplist,
 * zipmap and intset (intset is also still written). Decoders check every size against the
 * blob, so a hostile payload is refused rather than read past its end.
 */
final class OldEncodings {
    private OldEncodings() {
    }

    /** The elements of a ziplist (integers as decimal text). */
    static List<byte[]> ziplist(byte[] zl) {
        if (zl.length < 11) {
            throw new RdbFormatException("ziplist too short");
        }
        if (Listpack.little(zl, 0, 4) != zl.length) {
            throw new RdbFormatException("ziplist size does not match its header");
        }
        long tail = Listpack.little(zl, 4, 4);
        int declared = (int) Listpack.little(zl, 8, 2);
        int end = zl.length - 1;
        if ((zl[end] & 0xFF) != 0xFF || tail > end) {
            throw new RdbFormatException("ziplist without its terminator");
        }
        List<byte[]> out = new ArrayList<>();
        int p = 10;
        int prevLen = 0;
        int lastStart = -1;
        while (p < end) {
            int start = p;
            int first = zl[p] & 0xFF;
            int stored;
            if (first < 254) {
                stored = first;
                p += 1;
            } else if (first == 254) {
                need(p + 5, end);
                stored = (int) Listpack.little(zl, p + 1, 4);
                p += 5;
            } else {
                throw new RdbFormatException("invalid ziplist prevlen");
            }
            if (stored != prevLen) {
                throw new RdbFormatException("ziplist prevlen mismatch");
            }
            need(p + 1, end);
            int enc = zl[p] & 0xFF;
            byte[] value;
            switch (enc >>> 6) {
                case 0 -> {
                    int len = enc & 0x3F;
                    value = slice(zl, p + 1, len, end);
                    p += 1 + len;
                }
                case 1 -> {
                    need(p + 2, end);
                    int len = ((enc & 0x3F) << 8) | (zl[p + 1] & 0xFF);
                    value = slice(zl, p + 2, len, end);
                    p += 2 + len;
                }
                case 2 -> {
                    if (enc != 0x80) {
                        throw new RdbFormatException("invalid ziplist string encoding");
                    }
                    need(p + 5, end);
                    long len = ((long) (zl[p + 1] & 0xFF) << 24) | ((zl[p + 2] & 0xFF) << 16)
                            | ((zl[p + 3] & 0xFF) << 8) | (zl[p + 4] & 0xFF);
                    if (len > end - p - 5) {
                        throw new RdbFormatException("ziplist string past the end");
                    }
                    value = slice(zl, p + 5, (int) len, end);
                    p += 5 + (int) len;
                }
                default -> {
                    long v;
                    int size;
                    switch (enc) {
                        case 0xC0 -> { size = 2; need(p + 3, end); v = (short) Listpack.little(zl, p + 1, 2); }
                        case 0xD0 -> { size = 4; need(p + 5, end); v = (int) Listpack.little(zl, p + 1, 4); }
                        case 0xE0 -> { size = 8; need(p + 9, end); v = Listpack.little(zl, p + 1, 8); }
                        case 0xF0 -> { size = 3; need(p + 4, end); v = (Listpack.little(zl, p + 1, 3) << 40) >> 40; }
                        case 0xFE -> { size = 1; need(p + 2, end); v = zl[p + 1]; }
                        default -> {
                            if (enc >= 0xF1 && enc <= 0xFD) {
                                size = 0;
                                v = (enc & 0x0F) - 1;
                            } else {
                                throw new RdbFormatException("invalid ziplist integer encoding");
                            }
                        }
                    }
                    value = Bytes.fromLong(v);
                    p += 1 + size;
                }
            }
            prevLen = p - start;
            lastStart = start;
            out.add(value);
        }
        if (p != end) {
            throw new RdbFormatException("ziplist entries past the end");
        }
        if ((out.isEmpty() ? 10 : lastStart) != tail) {
            throw new RdbFormatException("ziplist tail offset mismatch");
        }
        if (declared != 65535 && declared != out.size()) {
            throw new RdbFormatException("ziplist count does not match its header");
        }
        return out;
    }

    /** The members of an intset, in its (ascending) order; duplicates or disorder are refused. */
    static long[] intset(byte[] is) {
        if (is.length < 8) {
            throw new RdbFormatException("intset too short");
        }
        long width = Listpack.little(is, 0, 4);
        long count = Listpack.little(is, 4, 4);
        if (width != 2 && width != 4 && width != 8) {
            throw new RdbFormatException("invalid intset encoding");
        }
        if (count * width != is.length - 8) {
            throw new RdbFormatException("intset size does not match its header");
        }
        if (count == 0) {
            throw new RdbFormatException("intset without members");
        }
        long[] out = new long[(int) count];
        for (int i = 0; i < count; i++) {
            long raw = Listpack.little(is, 8 + i * (int) width, (int) width);
            out[i] = switch ((int) width) {
                case 2 -> (short) raw;
                case 4 -> (int) raw;
                default -> raw;
            };
            if (i > 0 && out[i] <= out[i - 1]) {
                throw new RdbFormatException("intset members out of order");
            }
        }
        return out;
    }

    /** An intset of sorted, distinct members in the narrowest width that holds them. */
    static byte[] intsetOf(long[] sorted) {
        int width = 2;
        for (long v : sorted) {
            if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                width = 8;
            } else if ((v < Short.MIN_VALUE || v > Short.MAX_VALUE) && width < 4) {
                width = 4;
            }
        }
        byte[] out = new byte[8 + sorted.length * width];
        put(out, 0, width, 4);
        put(out, 4, sorted.length, 4);
        for (int i = 0; i < sorted.length; i++) {
            put(out, 8 + i * width, sorted[i], width);
        }
        return out;
    }

    /** A zipmap's field/value pairs, flattened; at least one pair, as many as its header says (below 254). */
    static List<byte[]> zipmap(byte[] zm) {
        if (zm.length < 2) {
            throw new RdbFormatException("zipmap too short");
        }
        List<byte[]> out = new ArrayList<>();
        int p = 1;
        int end = zm.length;
        while (true) {
            need(p + 1, end);
            if ((zm[p] & 0xFF) == 0xFF) {
                p++;
                break;
            }
            int[] read = zipmapLength(zm, p, end);
            int keyLen = read[0];
            p = read[1];
            out.add(slice(zm, p, keyLen, end));
            p += keyLen;
            read = zipmapLength(zm, p, end);
            int valueLen = read[0];
            p = read[1];
            need(p + 1, end);
            int free = zm[p] & 0xFF;
            p++;
            out.add(slice(zm, p, valueLen, end));
            p += valueLen;
            need(p + free, end);
            p += free;
        }
        if (p != end) {
            throw new RdbFormatException("bytes after the zipmap's end");
        }
        int declared = zm[0] & 0xFF;
        if (out.isEmpty() || (declared != 254 && declared != out.size() / 2)) {
            throw new RdbFormatException("zipmap count " + declared + " for " + out.size() / 2 + " pairs");
        }
        return out;
    }

    private static int[] zipmapLength(byte[] zm, int p, int end) {
        need(p + 1, end);
        int b = zm[p] & 0xFF;
        if (b < 254) {
            return new int[] {b, p + 1};
        }
        if (b == 254) {
            need(p + 5, end);
            long len = Listpack.little(zm, p + 1, 4);
            if (len > end) {
                throw new RdbFormatException("zipmap length past the end");
            }
            return new int[] {(int) len, p + 5};
        }
        throw new RdbFormatException("invalid zipmap length");
    }

    private static void put(byte[] b, int off, long v, int n) {
        for (int i = 0; i < n; i++) {
            b[off + i] = (byte) (v >>> (8 * i));
        }
    }

    private static void need(int upTo, int end) {
        if (upTo > end || upTo < 0) {
            throw new RdbFormatException("entry past the end of the encoded value");
        }
    }

    private static byte[] slice(byte[] b, int off, int len, int end) {
        need(off + len, end);
        return Arrays.copyOfRange(b, off, off + len);
    }
}
