package io.modis.bitmaps;

import io.modis.api.Bytes;
import io.modis.api.CommandContext;
import io.modis.api.CommandException;
import io.modis.api.Database;
import io.modis.api.Errors;
import io.modis.api.Reply;
import io.modis.api.StringValue;
import java.util.ArrayList;
import java.util.List;

/**
 * BITFIELD and BITFIELD_RO: a list of GET, SET and INCRBY operations on integer fields of a
 * string, run in order after the whole call parsed. A call with only GETs is a read: it creates
 * nothing and changes nothing.
 */
final class BitfieldCommand {
    static final String INVALID_OVERFLOW = "ERR Invalid OVERFLOW type specified";
    static final String READ_ONLY_VARIANT = "ERR BITFIELD_RO only supports the GET subcommand";

    private enum Kind { GET, SET, INCRBY }

    /** One parsed operation; {@code argument} is SET's value or INCRBY's increment. */
    private record Op(Kind kind, BitfieldType type, long offset, long argument, Overflow overflow) {
    }

    private BitfieldCommand() {
    }

    static void bitfield(CommandContext ctx) {
        run(ctx, false);
    }

    static void bitfieldReadOnly(CommandContext ctx) {
        run(ctx, true);
    }

    private static void run(CommandContext ctx, boolean readOnlyVariant) {
        List<Op> ops = parse(ctx);
        long highestWrittenBit = -1;
        for (Op op : ops) {
            if (op.kind != Kind.GET) {
                highestWrittenBit = Math.max(highestWrittenBit, op.offset + op.type.bits() - 1);
            }
        }
        if (highestWrittenBit < 0) {
            read(ctx, ops);
            return;
        }
        if (readOnlyVariant) {
            throw new CommandException(READ_ONLY_VARIANT);
        }
        write(ctx, ops, highestWrittenBit);
    }

    private static List<Op> parse(CommandContext ctx) {
        List<Op> ops = new ArrayList<>();
        Overflow overflow = Overflow.WRAP;
        int argc = ctx.argc();
        for (int j = 2; j < argc; j++) {
            int remaining = argc - j - 1;
            byte[] name = ctx.arg(j);
            Kind kind;
            if (Bytes.is(name, "get") && remaining >= 2) {
                kind = Kind.GET;
            } else if (Bytes.is(name, "set") && remaining >= 3) {
                kind = Kind.SET;
            } else if (Bytes.is(name, "incrby") && remaining >= 3) {
                kind = Kind.INCRBY;
            } else if (Bytes.is(name, "overflow") && remaining >= 1) {
                overflow = Overflow.named(ctx.arg(++j));
                if (overflow == null) {
                    throw new CommandException(INVALID_OVERFLOW);
                }
                continue;
            } else {
                throw Errors.syntax();
            }
            BitfieldType type = BitfieldType.parse(ctx.arg(j + 1));
            long offset = BitArguments.offset(ctx, ctx.arg(j + 2), type.bits());
            long argument = kind == Kind.GET ? 0 : ctx.argLong(j + 3);
            ops.add(new Op(kind, type, offset, argument, overflow));
            j += kind == Kind.GET ? 2 : 3;
        }
        return ops;
    }

    /** Only GETs: a missing key reads as zeros. */
    private static void read(CommandContext ctx, List<Op> ops) {
        StringValue v = ctx.db().get(ctx.arg(1), StringValue.class);
        FieldBits.Source src = FieldBits.of(v == null ? Bytes.EMPTY : v.bytes());
        Reply reply = ctx.reply();
        reply.array(ops.size());
        for (Op op : ops) {
            reply.integer(op.type.decode(FieldBits.read(src, op.offset, op.type.bits())));
        }
    }

    private static void write(CommandContext ctx, List<Op> ops, long highestWrittenBit) {
        byte[] key = ctx.arg(1);
        WritableBitmap target = WritableBitmap.open(ctx, key, highestWrittenBit);
        StringValue v = target.value();
        Reply reply = ctx.reply();
        reply.array(ops.size());
        long changes = 0;
        for (Op op : ops) {
            int bits = op.type.bits();
            long old = op.type.decode(FieldBits.read(FieldBits.of(v), op.offset, bits));
            if (op.kind == Kind.GET) {
                reply.integer(old);
                continue;
            }
            Overflow.Outcome outcome = op.kind == Kind.SET
                    ? op.overflow.add(op.type, op.argument, 0)
                    : op.overflow.add(op.type, old, op.argument);
            if (outcome.failed()) {
                reply.nil();
                continue;
            }
            long stored = outcome.value();
            reply.integer(op.kind == Kind.SET ? old : stored);
            FieldBits.write(v, op.offset, bits, stored);
            if (target.resized() || old != stored) {
                changes++;
            }
        }
        if (changes > 0) {
            Database db = ctx.db();
            ctx.touched(db, key);
            ctx.notify('$', "setbit", key, db);
            ctx.dirty(changes);
        }
    }
}
