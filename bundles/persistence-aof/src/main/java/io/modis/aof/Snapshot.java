package io.modis.aof;

import io.modis.api.Bytes;
import io.modis.api.Database;
import io.modis.api.Keyspace;
import io.modis.api.Value;

import java.util.ArrayList;
import java.util.List;

/**
 * The dataset as commands (an AOF base, aof-use-rdb-preamble no): a FUNCTION LOAD per function
 * library, per non-empty database a SELECT, then each key's value as its type writes it and its
 * TTL as PEXPIREAT. Taken at once on the engine thread, between commands, so it is a
 * point-in-time image.
 */
final class Snapshot {
    private static final byte[] SELECT = Bytes.of("SELECT");
    private static final byte[] PEXPIREAT = Bytes.of("PEXPIREAT");
    private static final byte[] FUNCTION = Bytes.of("FUNCTION");
    private static final byte[] LOAD = Bytes.of("LOAD");

    private Snapshot() {
    }

    /** Keys written by the last {@link #take} (for rdb-key-save-delay). */
    static long lastKeys;

    static RespSink take(Keyspace keyspace, List<byte[]> libraries, boolean timestamp) {
        long keysWritten = 0;
        RespSink out = new RespSink(1 << 16);
        if (timestamp) {
            out.text("#TS:" + (System.currentTimeMillis() / 1000) + "\r\n");
        }
        for (byte[] library : libraries) {
            out.command(new byte[][] {FUNCTION, LOAD, library});
        }
        for (int i = 0; i < keyspace.databases(); i++) {
            Database db = keyspace.db(i);
            if (db.size() == 0) {
                continue;
            }
            List<byte[]> keys = new ArrayList<>((int) Math.min(Integer.MAX_VALUE - 8, db.size()));
            db.forEachKey(keys::add);
            boolean selected = false;
            for (byte[] key : keys) {
                long expireAt = db.expireAt(key);
                if (expireAt == -2) {
                    continue;
                }
                Value v = db.peek(key);
                if (v == null) {
                    continue;
                }
                if (!selected) {
                    out.command(new byte[][] {SELECT, Bytes.fromLong(i)});
                    selected = true;
                }
                v.type().rewrite(key, v, out::command);
                keysWritten++;
                if (expireAt >= 0) {
                    out.command(new byte[][] {PEXPIREAT, key, Bytes.fromLong(expireAt)});
                }
            }
        }
        lastKeys = keysWritten;
        return out;
    }
}
