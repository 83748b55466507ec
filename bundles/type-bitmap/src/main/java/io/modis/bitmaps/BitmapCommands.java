package io.modis.bitmaps;

import static io.modis.api.CommandFlag.DENYOOM;
import static io.modis.api.CommandFlag.FAST;
import static io.modis.api.CommandFlag.READONLY;
import static io.modis.api.CommandFlag.WRITE;

import io.modis.api.Bytes;
import io.modis.api.Command;
import io.modis.api.CommandContext;
import io.modis.api.CommandException;
import io.modis.api.CommandFlag;
import io.modis.api.CommandHandler;
import io.modis.api.CommandProvider;
import io.modis.api.CommandSpec;
import io.modis.api.Database;
import io.modis.api.Errors;
import io.modis.api.KeyFinder;
import io.modis.api.KeySpec;
import io.modis.api.StringValue;
import java.util.Arrays;
import java.util.List;
import org.osgi.service.component.annotations.Component;

/**
 * The bitmap commands of Redis 7.0 (bitops.c), which read and edit the string type's values
 * in place through the api's {@link StringValue}: each command's metadata, as COMMAND INFO
 * reports it, declared beside its handler. BITFIELD is in {@link BitfieldCommand}.
 */
@Component(service = CommandProvider.class)
public final class BitmapCommands implements CommandProvider {
    static final String BITOP_NOT_ARITY = "ERR BITOP NOT must be called with a single source key.";
    static final String BITPOS_BAD_BIT = "ERR The bit argument must be 1 or 0.";
    private static final String FIELD_COMPLEXITY = "O(1) for each subcommand specified";

    private final List<Command> commands = List.of(
            command(oneKey(spec("setbit", 4, "2.2.0", WRITE, DENYOOM), "RW", "ACCESS", "UPDATE")
                    .summary("Sets or clears the bit at offset in the string value stored at key")
                    .complexity("O(1)"), BitmapCommands::setbit),
            command(oneKey(spec("getbit", 3, "2.2.0", READONLY, FAST), "RO", "ACCESS")
                    .summary("Returns the bit value at offset in the string value stored at key")
                    .complexity("O(1)"), BitmapCommands::getbit),
            command(oneKey(spec("bitcount", -2, "2.6.0", READONLY), "RO", "ACCESS")
                    .summary("Count set bits in a string").complexity("O(N)"), BitmapCommands::bitcount),
            command(oneKey(spec("bitpos", -3, "2.8.7", READONLY), "RO", "ACCESS")
                    .summary("Find first bit set or clear in a string").complexity("O(N)"), BitmapCommands::bitpos),
            command(spec("bitop", -4, "2.6.0", WRITE, DENYOOM)
                    .keys(2, -1, 1)
                    .keySpec(KeySpec.range(2, 0, 1, "OW", "UPDATE"))
                    .keySpec(KeySpec.range(3, -1, 1, "RO", "ACCESS"))
                    .summary("Perform bitwise operations between strings").complexity("O(N)"),
                    BitmapCommands::bitop),
            command(oneKey(spec("bitfield", -2, "3.2.0", WRITE, DENYOOM), "RW", "ACCESS", "UPDATE", "VARIABLE_FLAGS")
                    .keyFinder(BitmapCommands::bitfieldKeys).summary("Perform arbitrary bitfield integer operations on strings")
                    .complexity(FIELD_COMPLEXITY), BitfieldCommand::bitfield),
            command(oneKey(spec("bitfield_ro", -2, "6.0.0", READONLY, FAST), "RO", "ACCESS")
                    .summary("Perform arbitrary bitfield integer operations on strings."
                            + " Read-only variant of BITFIELD")
                    .complexity(FIELD_COMPLEXITY), BitfieldCommand::bitfieldReadOnly));

    @Override
    public List<Command> commands() {
        return commands;
    }

    /* ---------------------------------------------------------------- metadata helpers */

    /**
     * A bitmap-group spec; ACL categories are Redis's explicit @bitmap plus the ones it derives
     * from the flags (@write or @read, @fast or @slow), in Redis's order.
     */
    private static CommandSpec.Builder spec(String name, int arity, String since, CommandFlag... flags) {
        List<CommandFlag> f = Arrays.asList(flags);
        return CommandSpec.of(name, arity).group("bitmap").since(since).flags(flags)
                .acl(f.contains(WRITE) ? "write" : "read", "bitmap", f.contains(FAST) ? "fast" : "slow");
    }

    /** The key is argument 1, and only it. */
    private static final List<String> BITFIELD_RO = List.of("RO", "ACCESS");
    private static final List<String> BITFIELD_RW = List.of("RW", "ACCESS", "UPDATE");

    /** BITFIELD's key flags depend on the call (Redis's bitfieldGetKeys): only GETs read-only. */
    private static List<KeyFinder.Key> bitfieldKeys(byte[][] argv) {
        boolean readonly = true;
        for (int i = 2; i < argv.length; i++) {
            int left = argv.length - i - 1;
            if (Bytes.is(argv[i], "get") && left >= 2) {
                i += 2;
            } else if ((Bytes.is(argv[i], "set") || Bytes.is(argv[i], "incrby")) && left >= 3) {
                readonly = false;
                break;
            } else if (Bytes.is(argv[i], "overflow") && left >= 1) {
                i += 1;
            } else {
                readonly = false;
                break;
            }
        }
        return List.of(new KeyFinder.Key(1, 0, readonly ? BITFIELD_RO : BITFIELD_RW));
    }

    private static CommandSpec.Builder oneKey(CommandSpec.Builder b, String... keyFlags) {
        return b.keys(1, 1, 1).keySpec(KeySpec.range(1, 0, 1, keyFlags));
    }

    private static Command command(CommandSpec.Builder spec, CommandHandler handler) {
        return new Command(spec.build(), handler);
    }

    /* ---------------------------------------------------------------- single bits */

    static void setbit(CommandContext ctx) {
        long offset = BitArguments.offset(ctx, ctx.arg(2), 0);
        boolean on = BitArguments.bitValue(ctx.arg(3));
        byte[] key = ctx.arg(1);
        WritableBitmap target = WritableBitmap.open(ctx, key, offset);
        StringValue v = target.value();
        int index = (int) (offset >>> 3);
        int mask = 0x80 >>> (offset & 7);
        int old = v.byteAt(index);
        boolean was = (old & mask) != 0;
        if (target.resized() || was != on) {
            v.setByte(index, (byte) (on ? old | mask : old & ~mask));
            Database db = ctx.db();
            ctx.touched(db, key);
            ctx.notify('$', "setbit", key, db);
            ctx.dirty(1);
        }
        ctx.reply().integer(was ? 1 : 0);
    }

    static void getbit(CommandContext ctx) {
        long offset = BitArguments.offset(ctx, ctx.arg(2), 0);
        StringValue v = ctx.db().get(ctx.arg(1), StringValue.class);
        long index = offset >>> 3;
        boolean set = v != null && index < v.length() && (v.byteAt((int) index) & 0x80 >>> (offset & 7)) != 0;
        ctx.reply().integer(set ? 1 : 0);
    }

    /* ---------------------------------------------------------------- counting and searching */

    /** BITCOUNT key [start end [BYTE|BIT]] */
    static void bitcount(CommandContext ctx) {
        StringValue v = ctx.db().get(ctx.arg(1), StringValue.class);
        if (v == null) {
            ctx.reply().integer(0);
            return;
        }
        byte[] bytes = v.bytes();
        int argc = ctx.argc();
        BitRange range;
        if (argc == 4 || argc == 5) {
            long start = ctx.argLong(2);
            long end = ctx.argLong(3);
            if (start < 0 && end < 0 && start > end) {
                ctx.reply().integer(0);
                return;
            }
            boolean inBits = argc == 5 && unitIsBit(ctx.arg(4));
            range = BitRange.of(bytes.length, start, end, inBits);
        } else if (argc == 2) {
            range = BitRange.whole(bytes.length);
        } else {
            throw Errors.syntax();
        }
        ctx.reply().integer(range == null ? 0 : BitArrays.count(bytes, range));
    }

    /** BITPOS key bit [start [end [BYTE|BIT]]] */
    static void bitpos(CommandContext ctx) {
        long bit = ctx.argLong(2);
        if (bit != 0 && bit != 1) {
            throw new CommandException(BITPOS_BAD_BIT);
        }
        boolean one = bit == 1;
        StringValue v = ctx.db().get(ctx.arg(1), StringValue.class);
        if (v == null) {
            // a missing key is an endless run of zeros
            ctx.reply().integer(one ? -1 : 0);
            return;
        }
        byte[] bytes = v.bytes();
        int argc = ctx.argc();
        BitRange range;
        boolean endGiven = argc >= 5;
        if (argc >= 4 && argc <= 6) {
            long start = ctx.argLong(3);
            boolean inBits = argc == 6 && unitIsBit(ctx.arg(5));
            long end = endGiven ? ctx.argLong(4) : Long.MAX_VALUE;
            range = BitRange.of(bytes.length, start, end, inBits);
        } else if (argc == 3) {
            range = BitRange.whole(bytes.length);
        } else {
            throw Errors.syntax();
        }
        long pos = range == null ? -1 : BitArrays.find(bytes, range, one);
        if (range != null && pos < 0 && !one && !endGiven) {
            // with no end given, the string continues with zeros past its last byte
            pos = (range.lastByte() + 1) << 3;
        }
        ctx.reply().integer(pos);
    }

    /** BYTE or BIT, any case; anything else is a syntax error. */
    private static boolean unitIsBit(byte[] arg) {
        if (Bytes.is(arg, "bit")) {
            return true;
        }
        if (Bytes.is(arg, "byte")) {
            return false;
        }
        throw Errors.syntax();
    }

    /* ---------------------------------------------------------------- BITOP */

    /** BITOP AND|OR|XOR|NOT destkey key [key ...] */
    static void bitop(CommandContext ctx) {
        BitOperation op = BitOperation.named(ctx.arg(1));
        if (op == null) {
            throw Errors.syntax();
        }
        if (op == BitOperation.NOT && ctx.argc() != 4) {
            throw new CommandException(BITOP_NOT_ARITY);
        }
        Database db = ctx.db();
        byte[][] inputs = new byte[ctx.argc() - 3][];
        for (int i = 0; i < inputs.length; i++) {
            StringValue v = db.get(ctx.arg(i + 3), StringValue.class);
            inputs[i] = v == null ? Bytes.EMPTY : v.bytes();
        }
        byte[] result = op.apply(inputs);
        byte[] dest = ctx.arg(2);
        if (result.length > 0) {
            db.set(dest, StringValue.ofRaw(result));
            ctx.touched(db, dest);
            ctx.notify('$', "set", dest, db);
            ctx.dirty(1);
        } else if (db.delete(dest)) {
            ctx.touched(db, dest);
            ctx.notify('g', "del", dest, db);
            ctx.dirty(1);
        }
        ctx.reply().integer(result.length);
    }
}
