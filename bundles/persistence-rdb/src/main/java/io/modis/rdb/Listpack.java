package io.modis.rdb;

import io.modis.api.Bytes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Redis's listpack: a 4-byte total size, a 2-byte element count, the elements (each an
 * encoding, its data, and its length written backwards), and an 0xFF terminator. Integers are
 * stored in the smallest integer encoding; everything reads back as bytes (integers as their
 * decimal text).
 */
final class Listpack {
    private Listpack() {
    }

    /** Builds a listpack element by element. */
    static final class Builder {
        private byte[] buf = new byte[64];
        private int size = 6;
        private int count;

        int bytes() {
            return size + 1;
        }

        int count() {
            return count;
        }

        Builder add(byte[] s) {
            return add(s, 0, s.length);
        }

        Builder add(byte[] s, int off, int len) {
            if (len > 0 && len <= 20) {
                long v;
                try {
                    v = Bytes.parseLong(s, off, len);
                    return add(v);
                } catch (NumberFormatException e) {
                    // not a canonical integer: stored as a string
                }
            }
            int start = size;
            if (len < 64) {
                ensure(1 + len + 5);
                buf[size++] = (byte) (0x80 | len);
            } else if (len < 4096) {
                ensure(2 + len + 5);
                buf[size++] = (byte) (0xE0 | (len >> 8));
                buf[size++] = (byte) len;
            } else {
                ensure(5 + len + 5);
                buf[size++] = (byte) 0xF0;
                for (int i = 0; i < 4; i++) {
                    buf[size++] = (byte) (len >>> (8 * i));
                }
            }
            System.arraycopy(s, off, buf, size, len);
            size += len;
            backlen(size - start);
            count++;
            return this;
        }

        Builder add(long v) {
            int start = size;
            ensure(9 + 5);
            if (v >= 0 && v <= 127) {
                buf[size++] = (byte) v;
            } else if (v >= -4096 && v <= 4095) {
                long u = v < 0 ? (1L << 13) + v : v;
                buf[size++] = (byte) (0xC0 | (u >> 8));
                buf[size++] = (byte) u;
            } else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
                buf[size++] = (byte) 0xF1;
                little(v, 2);
            } else if (v >= -(1 << 23) && v < (1 << 23)) {
                buf[size++] = (byte) 0xF2;
                little(v, 3);
            } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
                buf[size++] = (byte) 0xF3;
                little(v, 4);
            } else {
                buf[size++] = (byte) 0xF4;
                little(v, 8);
            }
            backlen(size - start);
            count++;
            return this;
        }

        byte[] build() {
            ensure(1);
            buf[size] = (byte) 0xFF;
            int total = size + 1;
            for (int i = 0; i < 4; i++) {
                buf[i] = (byte) (total >>> (8 * i));
            }
            int n = count < 65535 ? count : 65535;
            buf[4] = (byte) n;
            buf[5] = (byte) (n >>> 8);
            return Arrays.copyOf(buf, total);
        }

        private void little(long v, int n) {
            for (int i = 0; i < n; i++) {
                buf[size++] = (byte) (v >>> (8 * i));
            }
        }

        private void backlen(int l) {
            ensure(5);
            if (l <= 127) {
                buf[size++] = (byte) l;
            } else if (l < 16383) {
                buf[size++] = (byte) (l >> 7);
                buf[size++] = (byte) ((l & 127) | 128);
            } else if (l < 2097151) {
                buf[size++] = (byte) (l >> 14);
                buf[size++] = (byte) (((l >> 7) & 127) | 128);
                buf[size++] = (byte) ((l & 127) | 128);
            } else if (l < 268435455) {
                buf[size++] = (byte) (l >> 21);
                buf[size++] = (byte) (((l >> 14) & 127) | 128);
                buf[size++] = (byte) (((l >> 7) & 127) | 128);
                buf[size++] = (byte) ((l & 127) | 128);
            } else {
                buf[size++] = (byte) (l >> 28);
                buf[size++] = (byte) (((l >> 21) & 127) | 128);
                buf[size++] = (byte) (((l >> 14) & 127) | 128);
                buf[size++] = (byte) (((l >> 7) & 127) | 128);
                buf[size++] = (byte) ((l & 127) | 128);
            }
        }

        private void ensure(int more) {
            if (size + more + 1 > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more + 1));
            }
        }
    }

    /**
     * Every element of a listpack, checked as Redis's deep integrity check does: sizes, encodings,
     * back-lengths, the terminator, and the header's count when it is not 65535.
     */
    static List<byte[]> decode(byte[] lp) {
        if (lp.length < 7) {
            throw new RdbFormatException("listpack too short");
        }
        long total = little(lp, 0, 4);
        if (total != lp.length) {
            throw new RdbFormatException("listpack size does not match its header");
        }
        int declared = (int) little(lp, 4, 2);
        List<byte[]> out = new ArrayList<>();
        int p = 6;
        int end = lp.length - 1;
        while (p < end) {
            int start = p;
            int b = lp[p] & 0xFF;
            byte[] value;
            if ((b & 0x80) == 0) {
                value = Bytes.fromLong(b);
                p += 1;
            } else if ((b & 0xC0) == 0x80) {
                int len = b & 0x3F;
                value = slice(lp, p + 1, len, end);
                p += 1 + len;
            } else if ((b & 0xE0) == 0xC0) {
                need(p + 2, end);
                int u = ((b & 0x1F) << 8) | (lp[p + 1] & 0xFF);
                value = Bytes.fromLong(u >= (1 << 12) ? u - (1 << 13) : u);
                p += 2;
            } else if ((b & 0xF0) == 0xE0) {
                need(p + 2, end);
                int len = ((b & 0x0F) << 8) | (lp[p + 1] & 0xFF);
                value = slice(lp, p + 2, len, end);
                p += 2 + len;
            } else {
                switch (b) {
                    case 0xF0 -> {
                        need(p + 5, end);
                        long len = little(lp, p + 1, 4);
                        if (len > end - p - 5) {
                            throw new RdbFormatException("listpack string past the end");
                        }
                        value = slice(lp, p + 5, (int) len, end);
                        p += 5 + (int) len;
                    }
                    case 0xF1 -> {
                        need(p + 3, end);
                        value = Bytes.fromLong((short) little(lp, p + 1, 2));
                        p += 3;
                    }
                    case 0xF2 -> {
                        need(p + 4, end);
                        value = Bytes.fromLong((little(lp, p + 1, 3) << 40) >> 40);
                        p += 4;
                    }
                    case 0xF3 -> {
                        need(p + 5, end);
                        value = Bytes.fromLong((int) little(lp, p + 1, 4));
                        p += 5;
                    }
                    case 0xF4 -> {
                        need(p + 9, end);
                        value = Bytes.fromLong(little(lp, p + 1, 8));
                        p += 9;
                    }
                    default -> throw new RdbFormatException("invalid listpack encoding " + b);
                }
            }
            int entryLen = p - start;
            int backlenSize = entryLen <= 127 ? 1 : entryLen < 16383 ? 2 : entryLen < 2097151 ? 3
                    : entryLen < 268435455 ? 4 : 5;
            need(p + backlenSize, end);
            long back = 0;
            for (int i = 0; i < backlenSize; i++) {
                back = (back << 7) | (lp[p + i] & 0x7F);
            }
            if (back != entryLen) {
                throw new RdbFormatException("listpack back-length mismatch");
            }
            p += backlenSize;
            out.add(value);
        }
        if (p != end || (lp[end] & 0xFF) != 0xFF) {
            throw new RdbFormatException("listpack without its terminator");
        }
        if (declared != 65535 && declared != out.size()) {
            throw new RdbFormatException("listpack count does not match its header");
        }
        return out;
    }

    private static void need(int upTo, int end) {
        if (upTo > end) {
            throw new RdbFormatException("listpack entry past the end");
        }
    }

    private static byte[] slice(byte[] b, int off, int len, int end) {
        need(off + len, end);
        return Arrays.copyOfRange(b, off, off + len);
    }

    static long little(byte[] b, int off, int n) {
        long v = 0;
        for (int i = 0; i < n; i++) {
            v |= (long) (b[off + i] & 0xFF) << (8 * i);
        }
        return v;
    }
}
