package io.modis.scripting;

import io.modis.api.CommandException;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * FUNCTION DUMP / RESTORE payloads in Redis's format: each library as the RDB opcode
 * FUNCTION2 (245) followed by its code as an RDB string, then the DUMP footer (RDB version 10
 * as two little-endian bytes, and the CRC64 (Jones) of everything before, little-endian).
 */
final class FunctionDump {
    static final int OPCODE_FUNCTION2 = 245;
    static final int OPCODE_FUNCTION = 246;
    static final int RDB_VERSION = 10;

    private static final long[] CRC_TABLE = new long[256];

    static {
        // the reflected form of the Jones polynomial, as Redis's crc64.c
        final long poly = 0x95ac9329ac4bc9b5L;
        for (int i = 0; i < 256; i++) {
            long crc = i;
            for (int j = 0; j < 8; j++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ poly : crc >>> 1;
            }
            CRC_TABLE[i] = crc;
        }
    }

    private FunctionDump() {
    }

    static long crc64(byte[] data, int off, int len) {
        long crc = 0;
        for (int i = off; i < off + len; i++) {
            crc = CRC_TABLE[(int) ((crc ^ data[i]) & 0xff)] ^ (crc >>> 8);
        }
        return crc;
    }

    static byte[] dump(Collection<FunctionLibraries.Library> libraries) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (FunctionLibraries.Library lib : libraries) {
            out.write(OPCODE_FUNCTION2);
            writeLength(out, lib.code.length);
            out.writeBytes(lib.code);
        }
        out.write(RDB_VERSION & 0xff);
        out.write((RDB_VERSION >> 8) & 0xff);
        byte[] body = out.toByteArray();
        long crc = crc64(body, 0, body.length);
        for (int i = 0; i < 8; i++) {
            out.write((int) (crc >>> (8 * i)) & 0xff);
        }
        return out.toByteArray();
    }

    private static void writeLength(ByteArrayOutputStream out, long len) {
        if (len < (1 << 6)) {
            out.write((int) len);
        } else if (len < (1 << 14)) {
            out.write((int) ((len >> 8) | 0x40));
            out.write((int) (len & 0xff));
        } else if (len <= 0xffffffffL) {
            out.write(0x80);
            for (int i = 3; i >= 0; i--) {
                out.write((int) (len >>> (8 * i)) & 0xff);
            }
        } else {
            out.write(0x81);
            for (int i = 7; i >= 0; i--) {
                out.write((int) (len >>> (8 * i)) & 0xff);
            }
        }
    }

    /** The libraries' codes in a payload, after checking its footer. */
    static List<byte[]> parse(byte[] p) {
        if (p.length < 10) {
            throw new CommandException("ERR DUMP payload version or checksum are wrong");
        }
        int footer = p.length - 10;
        int version = (p[footer] & 0xff) | ((p[footer + 1] & 0xff) << 8);
        long crc = 0;
        for (int i = 0; i < 8; i++) {
            crc |= (p[footer + 2 + i] & 0xffL) << (8 * i);
        }
        if (version > RDB_VERSION || crc != crc64(p, 0, p.length - 8)) {
            throw new CommandException("ERR DUMP payload version or checksum are wrong");
        }
        List<byte[]> codes = new ArrayList<>();
        int[] pos = {0};
        while (footer - pos[0] > 0) {
            int type = p[pos[0]++] & 0xff;
            if (type != OPCODE_FUNCTION2 && type != OPCODE_FUNCTION) {
                throw new CommandException("ERR given type is not a function");
            }
            if (type == OPCODE_FUNCTION) {
                throw new CommandException("ERR Pre-GA function format not supported");
            }
            codes.add(readString(p, pos, footer));
        }
        return codes;
    }

    private static byte[] readString(byte[] p, int[] pos, int end) {
        try {
            int first = p[pos[0]++] & 0xff;
            long len;
            switch (first >> 6) {
                case 0 -> len = first & 0x3f;
                case 1 -> len = ((first & 0x3f) << 8) | (p[pos[0]++] & 0xff);
                case 2 -> {
                    int n = first == 0x80 ? 4 : first == 0x81 ? 8 : -1;
                    if (n < 0) {
                        throw new CommandException("ERR failed loading the given functions payload");
                    }
                    len = 0;
                    for (int i = 0; i < n; i++) {
                        len = (len << 8) | (p[pos[0]++] & 0xff);
                    }
                }
                default -> throw new CommandException("ERR failed loading the given functions payload");
            }
            if (len < 0 || pos[0] + len > end) {
                throw new CommandException("ERR failed loading the given functions payload");
            }
            byte[] s = java.util.Arrays.copyOfRange(p, pos[0], pos[0] + (int) len);
            pos[0] += (int) len;
            return s;
        } catch (ArrayIndexOutOfBoundsException e) {
            throw new CommandException("ERR failed loading the given functions payload");
        }
    }
}
