package io.modis.rdb;

import io.modis.api.Bytes;
import io.modis.api.Value;
import java.nio.charset.StandardCharsets;

/**
 * The RDB file layout around the values: the "REDIS0010" header, aux fields, SELECTDB and
 * RESIZEDB per database, each key with its optional EXPIRETIME_MS, and the EOF opcode followed by
 * the CRC-64 (zero when rdbchecksum is off). Reading also accepts the opcodes Redis 7.0 reads
 * (EXPIRETIME in seconds, IDLE, FREQ, MODULE_AUX, FUNCTION2) and versions 1 to 10.
 */
final class RdbFile {
    static final int VERSION = 10;
    static final int OPCODE_FUNCTION2 = 245;
    static final int OPCODE_FUNCTION_PRE_GA = 246;
    static final int OPCODE_MODULE_AUX = 247;
    static final int OPCODE_IDLE = 248;
    static final int OPCODE_FREQ = 249;
    static final int OPCODE_AUX = 250;
    static final int OPCODE_RESIZEDB = 251;
    static final int OPCODE_EXPIRETIME_MS = 252;
    static final int OPCODE_EXPIRETIME = 253;
    static final int OPCODE_SELECTDB = 254;
    static final int OPCODE_EOF = 255;

    private RdbFile() {
    }

    static void header(RdbWriter w, String redisVersion, long usedMemory) {
        header(w, redisVersion, usedMemory, false);
    }

    /** The header; {@code aofBase} for an AOF's RDB preamble (aux field aof-base 1). */
    static void header(RdbWriter w, String redisVersion, long usedMemory, boolean aofBase) {
        w.raw(("REDIS" + String.format("%04d", VERSION)).getBytes(StandardCharsets.US_ASCII));
        aux(w, "redis-ver", redisVersion);
        aux(w, "redis-bits", "64");
        aux(w, "ctime", Long.toString(System.currentTimeMillis() / 1000));
        aux(w, "used-mem", Long.toString(usedMemory));
        aux(w, "aof-base", aofBase ? "1" : "0");
    }

    static void aux(RdbWriter w, String key, String value) {
        w.writeByte(OPCODE_AUX);
        w.string(Bytes.of(key));
        w.string(Bytes.of(value));
    }

    /** A function library's code (FUNCTION2), as FUNCTION LOAD received it. */
    static void function(RdbWriter w, byte[] libraryCode) {
        w.writeByte(OPCODE_FUNCTION2);
        w.string(libraryCode);
    }

    static void selectDb(RdbWriter w, int db, long size, long expires) {
        w.writeByte(OPCODE_SELECTDB);
        w.length(db);
        w.writeByte(OPCODE_RESIZEDB);
        w.length(size);
        w.length(expires);
    }

    static void entry(RdbWriter w, byte[] key, Value value, long expireAt, ValueCodec.WriteOptions o) {
        if (expireAt >= 0) {
            w.writeByte(OPCODE_EXPIRETIME_MS);
            w.millis(expireAt);
        }
        ValueCodec.write(w, key, value, o);
    }

    static void footer(RdbWriter w, boolean checksum) {
        w.writeByte(OPCODE_EOF);
        long crc = checksum ? w.crc() : 0;
        w.millis(crc);
    }

    /** What a loader receives, in file order. */
    interface Sink {
        void aux(byte[] key, byte[] value);

        void function(byte[] code);

        /** A key; {@code expireAt} -1 for none; {@code idle}/{@code freq} -1 when absent. */
        void entry(int db, byte[] key, Value value, long expireAt, long idle, int freq);

        /** A key whose collection is empty: not loaded. */
        default void emptyKey(int db, byte[] key) {
        }
    }

    /**
     * Reads a whole RDB stream into {@code sink}.
     *
     * @throws RdbFormatException for anything malformed (the reader's offset tells where)
     */
    static void load(RdbReader r, ValueCodec.Types types, Sink sink, boolean verifyChecksum, int databases) {
        byte[] magic = r.readRaw(9);
        String head = new String(magic, StandardCharsets.US_ASCII);
        if (!head.startsWith("REDIS")) {
            throw new RdbFormatException("wrong signature trying to load DB from file");
        }
        int version;
        try {
            version = Integer.parseInt(head.substring(5));
        } catch (NumberFormatException e) {
            throw new RdbFormatException("wrong signature trying to load DB from file");
        }
        if (version < 1 || version > VERSION) {
            throw new RdbFormatException("can't handle RDB format version " + version);
        }
        int db = 0;
        long expireAt = -1;
        long idle = -1;
        int freq = -1;
        while (true) {
            int type = r.readByte();
            switch (type) {
                case OPCODE_EXPIRETIME -> {
                    expireAt = r.readLittleEndian(4) * 1000;
                    continue;
                }
                case OPCODE_EXPIRETIME_MS -> {
                    expireAt = r.readMillis();
                    continue;
                }
                case OPCODE_FREQ -> {
                    freq = r.readByte();
                    continue;
                }
                case OPCODE_IDLE -> {
                    idle = r.readLength();
                    continue;
                }
                case OPCODE_EOF -> {
                    if (version >= 5) {
                        long computed = r.crc();
                        long stored = r.readMillis();
                        if (verifyChecksum && stored != 0 && stored != computed) {
                            throw new RdbFormatException("Wrong RDB checksum expected: (" + Long.toHexString(computed)
                                    + ") but got (" + Long.toHexString(stored) + "). RDB CRC error");
                        }
                    }
                    return;
                }
                case OPCODE_SELECTDB -> {
                    long n = r.readLength();
                    if (n < 0 || n >= databases) {
                        throw new RdbFormatException("FATAL: Data file was created with a Redis server configured "
                                + "to handle more than " + databases + " databases. Exiting");
                    }
                    db = (int) n;
                    continue;
                }
                case OPCODE_RESIZEDB -> {
                    r.readLength();
                    r.readLength();
                    continue;
                }
                case OPCODE_AUX -> {
                    sink.aux(r.readString(), r.readString());
                    continue;
                }
                case OPCODE_MODULE_AUX -> {
                    long id = r.readLength();
                    throw new RdbFormatException("the RDB file contains AUX module data for "
                            + ValueCodec.moduleName(id) + " that no bundle can load");
                }
                case OPCODE_FUNCTION2 -> {
                    sink.function(r.readString());
                    continue;
                }
                case OPCODE_FUNCTION_PRE_GA -> throw new RdbFormatException(
                        "pre-release function format not supported");
                default -> {
                }
            }
            if (!ValueCodec.isValueType(type)) {
                throw new RdbFormatException("unknown RDB type " + type);
            }
            byte[] key = r.readString();
            Value value;
            try {
                value = ValueCodec.read(type, r, types);
            } catch (RdbFormatException e) {
                if (!e.isEmptyKey()) {
                    throw e.reading(key, type);
                }
                value = null;
            }
            if (value == null) {
                // Redis skips empty collections (older versions could save them), after the whole value
                sink.emptyKey(db, key);
            } else {
                sink.entry(db, key, value, expireAt, idle, freq);
            }
            expireAt = -1;
            idle = -1;
            freq = -1;
        }
    }
}
