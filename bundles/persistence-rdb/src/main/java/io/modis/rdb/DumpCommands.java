package io.modis.rdb;

import io.modis.api.Bytes;
import io.modis.api.CommandContext;
import io.modis.api.CommandException;
import io.modis.api.Database;
import io.modis.api.Errors;
import io.modis.api.Value;
import java.util.Arrays;

/**
 * DUMP and RESTORE with Redis 7.0's payload: the RDB type byte and value, the RDB version as 2
 * little-endian bytes, then the CRC-64 of all that as 8 little-endian bytes.
 */
final class DumpCommands {
    static final String BAD_PAYLOAD = "ERR DUMP payload version or checksum are wrong";
    static final String BAD_FORMAT = "ERR Bad data format";
    static final String BUSYKEY = "BUSYKEY Target key name already exists.";

    private final RdbSettings settings;
    private final ValueCodec.Types types;
    private final java.util.function.Supplier<ValueCodec.WriteOptions> options;

    DumpCommands(RdbSettings settings, ValueCodec.Types types,
                 java.util.function.Supplier<ValueCodec.WriteOptions> options) {
        this.settings = settings;
        this.types = types;
        this.options = options;
    }

    /** A value's DUMP payload. */
    byte[] payload(Value v) {
        RdbWriter w = RdbWriter.inMemory(settings.compression);
        ValueCodec.write(w, v, options.get());
        w.writeByte(RdbFile.VERSION);
        w.writeByte(0);
        long crc = w.crc();
        w.millis(crc);
        return w.toByteArray();
    }

    /** Checks the footer and decodes a payload; throws Redis's errors. */
    Value decode(byte[] p) {
        return decode(p, null);
    }

    /** As {@link #decode(byte[])}, logging why a payload is malformed when {@code log} is given. */
    Value decode(byte[] p, io.modis.api.ServerLog log) {
        if (p.length < 10) {
            throw new CommandException(BAD_PAYLOAD);
        }
        int version = (p[p.length - 10] & 0xFF) | ((p[p.length - 9] & 0xFF) << 8);
        if (version > RdbFile.VERSION) {
            throw new CommandException(BAD_PAYLOAD);
        }
        if (!settings.skipChecksumValidation) {
            long crc = Crc64.of(p, 0, p.length - 8);
            if (crc != Listpack.little(p, p.length - 8, 8)) {
                throw new CommandException(BAD_PAYLOAD);
            }
        }
        RdbReader r = RdbReader.of(Arrays.copyOf(p, p.length - 10));
        try {
            int type = r.readByte();
            if (!ValueCodec.isValueType(type)) {
                throw new CommandException(BAD_FORMAT);
            }
            Value v = ValueCodec.read(type, r, types);
            if (r.remaining() != 0) {
                throw new CommandException(BAD_FORMAT);
            }
            return v;
        } catch (RdbFormatException | IllegalArgumentException | IndexOutOfBoundsException e) {
            // Redis logs why at verbose level, as it is a client's error; an empty collection it just refuses
            boolean empty = e instanceof RdbFormatException f && f.isEmptyKey();
            if (log != null && !empty) {
                log.verbose("Internal error in RDB reading offset " + r.offset() + " of a DUMP payload -> "
                        + e.getMessage());
            }
            throw new CommandException(BAD_FORMAT);
        }
    }

    void dump(CommandContext ctx) {
        Value v = ctx.db().get(ctx.arg(1));
        if (v == null) {
            ctx.reply().nil();
            return;
        }
        ctx.reply().bulk(payload(v));
    }

    /** RESTORE key ttl serialized-value [REPLACE] [ABSTTL] [IDLETIME seconds] [FREQ frequency] */
    void restore(CommandContext ctx) {
        boolean replace = false;
        boolean absttl = false;
        long idle = -1;
        long freq = -1;
        for (int j = 4; j < ctx.argc(); j++) {
            String opt = ctx.argLower(j);
            boolean more = j + 1 < ctx.argc();
            if (opt.equals("replace")) {
                replace = true;
            } else if (opt.equals("absttl")) {
                absttl = true;
            } else if (opt.equals("idletime") && more && freq == -1) {
                idle = ctx.argLong(++j);
                if (idle < 0) {
                    throw new CommandException("ERR Invalid IDLETIME value, must be >= 0");
                }
            } else if (opt.equals("freq") && more && idle == -1) {
                freq = ctx.argLong(++j);
                if (freq < 0 || freq > 255) {
                    throw new CommandException("ERR Invalid FREQ value, must be >= 0 and <= 255");
                }
            } else {
                throw Errors.syntax();
            }
        }
        Database db = ctx.db();
        byte[] key = ctx.arg(1);
        if (!replace && db.exists(key)) {
            throw new CommandException(BUSYKEY);
        }
        long ttl = ctx.argLong(2);
        if (ttl < 0) {
            throw new CommandException("ERR Invalid TTL value, must be >= 0");
        }
        Value value = decode(ctx.arg(3), ctx.log());
        boolean deleted = replace && db.delete(key);
        if (ttl > 0 && !absttl) {
            ttl += ctx.now();
        }
        if (ttl > 0 && ttl <= ctx.now()) {
            if (deleted) {
                ctx.propagate(Bytes.of("DEL"), key);
                ctx.touched(db, key);
                ctx.notify('g', "del", key, db);
                ctx.dirty(1);
            } else {
                ctx.propagateNothing();
            }
            ctx.reply().ok();
            return;
        }
        db.add(key, value);
        byte[][] argv = ctx.args();
        if (ttl > 0) {
            db.setExpireAt(key, ttl);
            if (!absttl) {
                byte[][] rewritten = Arrays.copyOf(argv, argv.length + 1);
                rewritten[2] = Bytes.fromLong(ttl);
                rewritten[argv.length] = Bytes.of("ABSTTL");
                argv = rewritten;
            }
        }
        db.setAccess(key, idle, (int) freq);
        ctx.propagate(argv);
        ctx.touched(db, key);
        ctx.notify('g', "restore", key, db);
        ctx.keyReady(db, key);
        ctx.dirty(1);
        ctx.reply().ok();
    }
}
