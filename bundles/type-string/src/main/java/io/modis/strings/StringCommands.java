package io.modis.strings;

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
import io.modis.api.LongDouble;
import io.modis.api.Reply;
import io.modis.api.StringValue;
import io.modis.api.Value;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.osgi.service.component.annotations.Component;

/**
 * The string commands of Redis 7.0 (t_string.c): each command's metadata, as COMMAND INFO
 * reports it, declared beside its handler.
 */
@Component(service = CommandProvider.class)
public final class StringCommands implements CommandProvider {
    static final String TOO_BIG = "ERR string exceeds maximum allowed size (proto-max-bulk-len)";
    static final String OFFSET_OUT_OF_RANGE = "ERR offset is out of range";
    static final String NAN_OR_INFINITY = "ERR increment would produce NaN or Infinity";
    static final String DECREMENT_OVERFLOW = "ERR decrement would overflow";
    static final String LCS_NOT_STRINGS = "ERR The specified keys must contain string values";
    static final String LCS_LEN_AND_IDX = "ERR If you want both the length and indexes, please just use IDX.";
    static final String LCS_TOO_BIG = "ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len";
    static final String LCS_NO_MEMORY = "ERR Insufficient memory, failed allocating transient memory for LCS";

    /** Redis's default proto-max-bulk-len, used if the core does not know the parameter. */
    private static final long DEFAULT_MAX_BULK_LEN = 512L * 1024 * 1024;
    /** The largest byte array the JVM allocates reliably. */
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    private static final byte[] SET = Bytes.of("SET");
    private static final byte[] PXAT = Bytes.of("PXAT");
    private static final byte[] KEEPTTL = Bytes.of("KEEPTTL");
    private static final byte[] DEL = Bytes.of("DEL");
    private static final byte[] UNLINK = Bytes.of("UNLINK");
    private static final byte[] PEXPIREAT = Bytes.of("PEXPIREAT");
    private static final byte[] PERSIST = Bytes.of("PERSIST");
    private static final byte[] MATCHES = Bytes.of("matches");
    private static final byte[] LEN = Bytes.of("len");

    private static final String RANGE_COMPLEXITY = "O(N) where N is the length of the returned string;"
            + " as taking a substring is cheap, it can be considered O(1) for small strings.";

    private final List<Command> commands = List.of(
            command(oneKey(spec("get", 2, "1.0.0", READONLY, FAST), "RO", "ACCESS")
                    .summary("Get the value of a key").complexity("O(1)"), StringCommands::get),
            command(oneKey(spec("set", -3, "1.0.0", WRITE, DENYOOM), "RW", "ACCESS", "UPDATE", "VARIABLE_FLAGS")
                    .keyFinder(StringCommands::setKeys).summary("Set the string value of a key").complexity("O(1)"), StringCommands::set),
            command(oneKey(spec("setnx", 3, "1.0.0", WRITE, DENYOOM, FAST), "OW", "INSERT")
                    .summary("Set the value of a key, only if the key does not exist").complexity("O(1)"),
                    StringCommands::setnx),
            command(oneKey(spec("setex", 4, "2.0.0", WRITE, DENYOOM), "OW", "UPDATE")
                    .summary("Set the value and expiration of a key").complexity("O(1)"), StringCommands::setex),
            command(oneKey(spec("psetex", 4, "2.6.0", WRITE, DENYOOM), "OW", "UPDATE")
                    .summary("Set the value and expiration in milliseconds of a key").complexity("O(1)"),
                    StringCommands::psetex),
            command(oneKey(spec("getset", 3, "1.0.0", WRITE, DENYOOM, FAST), "RW", "ACCESS", "UPDATE")
                    .summary("Set the string value of a key and return its old value").complexity("O(1)"),
                    StringCommands::getset),
            command(oneKey(spec("getdel", 2, "6.2.0", WRITE, FAST), "RW", "ACCESS", "DELETE")
                    .summary("Get the value of a key and delete the key").complexity("O(1)"), StringCommands::getdel),
            command(oneKey(spec("getex", -2, "6.2.0", WRITE, FAST), "RW", "ACCESS", "UPDATE")
                    .summary("Get the value of a key and optionally set its expiration").complexity("O(1)"),
                    StringCommands::getex),
            command(spec("mget", -2, "1.0.0", READONLY, FAST)
                    .keys(1, -1, 1).keySpec(KeySpec.range(1, -1, 1, "RO", "ACCESS"))
                    .summary("Get the values of all the given keys")
                    .complexity("O(N) where N is the number of keys to retrieve."), StringCommands::mget),
            command(spec("mset", -3, "1.0.1", WRITE, DENYOOM)
                    .keys(1, -1, 2).keySpec(KeySpec.range(1, -1, 2, "OW", "UPDATE"))
                    .summary("Set multiple keys to multiple values")
                    .complexity("O(N) where N is the number of keys to set."), ctx -> mset(ctx, false)),
            command(spec("msetnx", -3, "1.0.1", WRITE, DENYOOM)
                    .keys(1, -1, 2).keySpec(KeySpec.range(1, -1, 2, "OW", "INSERT"))
                    .summary("Set multiple keys to multiple values, only if none of the keys exist")
                    .complexity("O(N) where N is the number of keys to set."), ctx -> mset(ctx, true)),
            command(oneKey(spec("append", 3, "2.0.0", WRITE, DENYOOM, FAST), "RW", "INSERT")
                    .summary("Append a value to a key")
                    .complexity("O(1). Amortized O(1) when the appended value is small, whatever the size of"
                            + " the present value, as the string's spare capacity grows geometrically."),
                    StringCommands::append),
            command(oneKey(spec("strlen", 2, "2.2.0", READONLY, FAST), "RO")
                    .summary("Get the length of the value stored in a key").complexity("O(1)"), StringCommands::strlen),
            command(oneKey(spec("getrange", 4, "2.4.0", READONLY), "RO", "ACCESS")
                    .summary("Get a substring of the string stored at a key").complexity(RANGE_COMPLEXITY),
                    StringCommands::getrange),
            command(oneKey(spec("substr", 4, "1.0.0", READONLY), "RO", "ACCESS")
                    .summary("Get a substring of the string stored at a key").complexity(RANGE_COMPLEXITY),
                    StringCommands::getrange),
            command(oneKey(spec("setrange", 4, "2.2.0", WRITE, DENYOOM), "RW", "UPDATE")
                    .summary("Overwrite part of a string at key starting at the specified offset")
                    .complexity("O(1), not counting the time taken to copy the new string in place, which is"
                            + " O(M) with M being the length of the value argument."),
                    StringCommands::setrange),
            command(oneKey(spec("incr", 2, "1.0.0", WRITE, DENYOOM, FAST), "RW", "ACCESS", "UPDATE")
                    .summary("Increment the integer value of a key by one").complexity("O(1)"),
                    ctx -> incrDecr(ctx, 1)),
            command(oneKey(spec("decr", 2, "1.0.0", WRITE, DENYOOM, FAST), "RW", "ACCESS", "UPDATE")
                    .summary("Decrement the integer value of a key by one").complexity("O(1)"),
                    ctx -> incrDecr(ctx, -1)),
            command(oneKey(spec("incrby", 3, "1.0.0", WRITE, DENYOOM, FAST), "RW", "ACCESS", "UPDATE")
                    .summary("Increment the integer value of a key by the given amount").complexity("O(1)"),
                    StringCommands::incrby),
            command(oneKey(spec("decrby", 3, "1.0.0", WRITE, DENYOOM, FAST), "RW", "ACCESS", "UPDATE")
                    .summary("Decrement the integer value of a key by the given number").complexity("O(1)"),
                    StringCommands::decrby),
            command(oneKey(spec("incrbyfloat", 3, "2.6.0", WRITE, DENYOOM, FAST), "RW", "ACCESS", "UPDATE")
                    .summary("Increment the float value of a key by the given amount").complexity("O(1)"),
                    StringCommands::incrbyfloat),
            command(spec("lcs", -3, "7.0.0", READONLY)
                    .keys(1, 2, 1).keySpec(KeySpec.range(1, 1, 1, "RO", "ACCESS"))
                    .summary("Find longest common substring")
                    .complexity("O(N*M) where N and M are the lengths of s1 and s2, respectively"),
                    StringCommands::lcs));

    @Override
    public List<Command> commands() {
        return commands;
    }

    /* ---------------------------------------------------------------- metadata helpers */

    /**
     * A string-group spec; ACL categories are Redis's explicit @string plus the ones it derives
     * from the flags (@write or @read, @fast or @slow), in Redis's order.
     */
    private static CommandSpec.Builder spec(String name, int arity, String since, CommandFlag... flags) {
        List<CommandFlag> f = Arrays.asList(flags);
        return CommandSpec.of(name, arity).group("string").since(since).flags(flags)
                .acl(f.contains(WRITE) ? "write" : "read", "string", f.contains(FAST) ? "fast" : "slow");
    }

    /** The key is argument 1, and only it. */
    private static final List<String> SET_GET_FLAGS = List.of("RW", "ACCESS", "UPDATE");
    private static final List<String> SET_FLAGS = List.of("OW", "UPDATE");

    /** SET's key flags depend on the call (Redis's setGetKeys): with GET it reads the old value. */
    private static List<KeyFinder.Key> setKeys(byte[][] argv) {
        for (int i = 3; i < argv.length; i++) {
            if (Bytes.is(argv[i], "get")) {
                return List.of(new KeyFinder.Key(1, 0, SET_GET_FLAGS));
            }
        }
        return List.of(new KeyFinder.Key(1, 0, SET_FLAGS));
    }

    private static CommandSpec.Builder oneKey(CommandSpec.Builder b, String... keyFlags) {
        return b.keys(1, 1, 1).keySpec(KeySpec.range(1, 0, 1, keyFlags));
    }

    private static Command command(CommandSpec.Builder spec, CommandHandler handler) {
        return new Command(spec.build(), handler);
    }

    /* ---------------------------------------------------------------- GET and SET family */

    static void get(CommandContext ctx) {
        StringValue v = ctx.db().get(ctx.arg(1), StringValue.class);
        replyValue(ctx.reply(), v);
    }

    static void set(CommandContext ctx) {
        byte[][] argv = ctx.args();
        ExpireOptions opts = ExpireOptions.forSet(argv);
        setGeneric(ctx, opts.flags, argv[1], argv[2], opts.hasExpire() ? argv[opts.expireIndex] : null,
                opts.inSeconds(), false);
    }

    static void setnx(CommandContext ctx) {
        setGeneric(ctx, ExpireOptions.NX, ctx.arg(1), ctx.arg(2), null, false, true);
    }

    static void setex(CommandContext ctx) {
        setGeneric(ctx, ExpireOptions.EX, ctx.arg(1), ctx.arg(3), ctx.arg(2), true, false);
    }

    static void psetex(CommandContext ctx) {
        setGeneric(ctx, ExpireOptions.PX, ctx.arg(1), ctx.arg(3), ctx.arg(2), false, false);
    }

    /**
     * SET and its variants (setGenericCommand). {@code expire} is the raw time argument or null;
     * {@code integerReply} answers 1/0 (SETNX) instead of OK/nil.
     */
    private static void setGeneric(CommandContext ctx, int flags, byte[] key, byte[] value, byte[] expire,
                                   boolean seconds, boolean integerReply) {
        long when = 0;
        if (expire != null) {
            boolean relative = (flags & (ExpireOptions.EX | ExpireOptions.PX)) != 0;
            when = ExpireOptions.absoluteMillis(parseLong(expire), seconds, relative, ctx.now(),
                    ctx.command().name());
        }
        Database db = ctx.db();
        Reply reply = ctx.reply();
        boolean get = (flags & ExpireOptions.GET) != 0;
        boolean found;
        if (get) {
            StringValue old = db.get(key, StringValue.class); // WRONGTYPE before anything changes
            replyValue(reply, old);
            found = old != null;
        } else if ((flags & (ExpireOptions.NX | ExpireOptions.XX)) != 0) {
            found = db.exists(key);
        } else {
            found = false; // not needed: saves a lookup on the plain SET path
        }
        if (((flags & ExpireOptions.NX) != 0 && found) || ((flags & ExpireOptions.XX) != 0 && !found)) {
            if (!get) {
                if (integerReply) {
                    reply.integer(0);
                } else {
                    reply.nil();
                }
            }
            ctx.dirty(0);
            return;
        }
        StringValue v = StringValue.of(value);
        if ((flags & ExpireOptions.KEEPTTL) != 0) {
            db.setKeepTtl(key, v);
        } else {
            db.set(key, v);
        }
        ctx.dirty(1);
        ctx.touched(db, key);
        ctx.notify('$', "set", key, db);
        if (expire != null) {
            db.setExpireAt(key, when);
            ctx.propagate(SET, key, value, PXAT, Bytes.fromLong(when));
            ctx.notify('g', "expire", key, db);
        } else if (get) {
            ctx.propagate(withoutGet(ctx.args()));
        }
        if (!get) {
            if (integerReply) {
                reply.integer(1);
            } else {
                reply.ok();
            }
        }
    }

    /** SET's argv without its GET options, as Redis propagates SET ... GET. */
    static byte[][] withoutGet(byte[][] argv) {
        List<byte[]> out = new ArrayList<>(argv.length);
        for (int j = 0; j < argv.length; j++) {
            if (j < 3 || !Bytes.is(argv[j], "get")) {
                out.add(argv[j]);
            }
        }
        return out.toArray(new byte[0][]);
    }

    static void getset(CommandContext ctx) {
        Database db = ctx.db();
        byte[] key = ctx.arg(1);
        byte[] value = ctx.arg(2);
        replyValue(ctx.reply(), db.get(key, StringValue.class));
        db.set(key, StringValue.of(value));
        ctx.dirty(1);
        ctx.touched(db, key);
        ctx.notify('$', "set", key, db);
        ctx.propagate(SET, key, value);
    }

    static void getdel(CommandContext ctx) {
        Database db = ctx.db();
        byte[] key = ctx.arg(1);
        StringValue v = db.get(key, StringValue.class);
        replyValue(ctx.reply(), v);
        if (v == null) {
            ctx.dirty(0);
            return;
        }
        db.delete(key);
        ctx.dirty(1);
        ctx.touched(db, key);
        ctx.propagate(configFlag(ctx, "lazyfree-lazy-user-del") ? UNLINK : DEL, key);
        ctx.notify('g', "del", key, db);
    }

    static void getex(CommandContext ctx) {
        byte[][] argv = ctx.args();
        ExpireOptions opts = ExpireOptions.forGetex(argv);
        Database db = ctx.db();
        byte[] key = argv[1];
        StringValue v = db.get(key, StringValue.class);
        if (v == null) {
            ctx.reply().nil();
            ctx.dirty(0);
            return;
        }
        long when = 0;
        if (opts.hasExpire()) {
            when = ExpireOptions.absoluteMillis(parseLong(argv[opts.expireIndex]), opts.inSeconds(),
                    opts.relative(), ctx.now(), ctx.command().name());
        }
        ctx.reply().bulk(v.bytes());
        if (opts.hasExpire() && !opts.relative() && when <= ctx.now() && !isReplica(ctx)) {
            db.delete(key);
            ctx.dirty(1);
            ctx.touched(db, key);
            ctx.propagate(configFlag(ctx, "lazyfree-lazy-expire") ? UNLINK : DEL, key);
            ctx.notify('g', "del", key, db);
        } else if (opts.hasExpire()) {
            db.setExpireAt(key, when);
            ctx.dirty(1);
            ctx.touched(db, key);
            ctx.propagate(PEXPIREAT, key, Bytes.fromLong(when));
            ctx.notify('g', "expire", key, db);
        } else if (opts.has(ExpireOptions.PERSIST) && db.persist(key)) {
            ctx.dirty(1);
            ctx.touched(db, key);
            ctx.propagate(PERSIST, key);
            ctx.notify('g', "persist", key, db);
        } else {
            ctx.dirty(0);
        }
    }

    static void mget(CommandContext ctx) {
        Database db = ctx.db();
        Reply reply = ctx.reply();
        int argc = ctx.argc();
        reply.array(argc - 1);
        for (int j = 1; j < argc; j++) {
            Value v = db.get(ctx.arg(j));
            if (v instanceof StringValue s) {
                reply.bulk(s.bytes());
            } else {
                reply.nil();
            }
        }
    }

    static void mset(CommandContext ctx, boolean nx) {
        int argc = ctx.argc();
        if (argc % 2 == 0) {
            throw Errors.wrongArity(ctx.command().name());
        }
        Database db = ctx.db();
        if (nx) {
            for (int j = 1; j < argc; j += 2) {
                if (db.exists(ctx.arg(j))) {
                    ctx.reply().integer(0);
                    ctx.dirty(0);
                    return;
                }
            }
        }
        for (int j = 1; j < argc; j += 2) {
            byte[] key = ctx.arg(j);
            db.set(key, StringValue.of(ctx.arg(j + 1)));
            ctx.touched(db, key);
            ctx.notify('$', "set", key, db);
        }
        ctx.dirty((argc - 1) / 2);
        if (nx) {
            ctx.reply().integer(1);
        } else {
            ctx.reply().ok();
        }
    }

    /* ---------------------------------------------------------------- ranges and length */

    static void append(CommandContext ctx) {
        Database db = ctx.db();
        byte[] key = ctx.arg(1);
        byte[] tail = ctx.arg(2);
        StringValue v = db.get(key, StringValue.class);
        long length;
        if (v == null) {
            db.add(key, StringValue.of(tail));
            length = tail.length;
        } else {
            checkStringLength(ctx, v.length(), tail.length);
            length = v.append(tail);
        }
        ctx.dirty(1);
        ctx.touched(db, key);
        ctx.notify('$', "append", key, db);
        ctx.reply().integer(length);
    }

    static void strlen(CommandContext ctx) {
        StringValue v = ctx.db().get(ctx.arg(1), StringValue.class);
        ctx.reply().integer(v == null ? 0 : v.length());
    }

    static void getrange(CommandContext ctx) {
        long start = ctx.argLong(2);
        long end = ctx.argLong(3);
        StringValue v = ctx.db().get(ctx.arg(1), StringValue.class);
        if (v == null) {
            ctx.reply().bulk(Bytes.EMPTY);
            return;
        }
        byte[] s = v.bytes();
        long[] range = substring(start, end, s.length);
        if (range == null) {
            ctx.reply().bulk(Bytes.EMPTY);
        } else {
            ctx.reply().bulk(s, (int) range[0], (int) (range[1] - range[0] + 1));
        }
    }

    /**
     * GETRANGE's index arithmetic: negative indexes count from the end, both ends are clamped,
     * {@code end} is inclusive. Returns {start, end}, or null for the empty string.
     */
    static long[] substring(long start, long end, long length) {
        if (start < 0 && end < 0 && start > end) {
            return null;
        }
        if (start < 0) {
            start = length + start;
        }
        if (end < 0) {
            end = length + end;
        }
        if (start < 0) {
            start = 0;
        }
        if (end < 0) {
            end = 0;
        }
        if (end >= length) {
            end = length - 1;
        }
        if (start > end || length == 0) {
            return null;
        }
        return new long[] {start, end};
    }

    static void setrange(CommandContext ctx) {
        long offset = ctx.argLong(2);
        if (offset < 0) {
            throw new CommandException(OFFSET_OUT_OF_RANGE);
        }
        Database db = ctx.db();
        byte[] key = ctx.arg(1);
        byte[] patch = ctx.arg(3);
        StringValue v = db.get(key, StringValue.class);
        long length;
        if (v == null) {
            if (patch.length == 0) {
                ctx.reply().integer(0);
                ctx.dirty(0);
                return;
            }
            checkStringLength(ctx, offset, patch.length);
            byte[] buf = new byte[(int) (offset + patch.length)];
            System.arraycopy(patch, 0, buf, (int) offset, patch.length);
            db.add(key, StringValue.ofRaw(buf));
            length = buf.length;
        } else {
            if (patch.length == 0) {
                ctx.reply().integer(v.length());
                ctx.dirty(0);
                return;
            }
            checkStringLength(ctx, offset, patch.length);
            if (v.encoding().equals("embstr")) {
                // an embstr may share its bytes with the SET that created it: write on a copy
                v = StringValue.ofRaw(v.bytes().clone());
                db.setKeepTtl(key, v);
            }
            length = v.setRange((int) offset, patch);
        }
        ctx.dirty(1);
        ctx.touched(db, key);
        ctx.notify('$', "setrange", key, db);
        ctx.reply().integer(length);
    }

    /** checkStringLength: a string may not grow past proto-max-bulk-len. */
    static void checkStringLength(CommandContext ctx, long size, long append) {
        if (exceedsMaxSize(size, append, maxBulkLen(ctx))) {
            throw new CommandException(TOO_BIG);
        }
    }

    static boolean exceedsMaxSize(long size, long append, long maxBulkLen) {
        long limit = Math.min(maxBulkLen, MAX_ARRAY);
        return size > limit - append;
    }

    /* ---------------------------------------------------------------- counters */

    static void incrby(CommandContext ctx) {
        incrDecr(ctx, ctx.argLong(2));
    }

    static void decrby(CommandContext ctx) {
        long decrement = ctx.argLong(2);
        if (decrement == Long.MIN_VALUE) {
            throw new CommandException(DECREMENT_OVERFLOW);
        }
        incrDecr(ctx, -decrement);
    }

    static void incrDecr(CommandContext ctx, long increment) {
        Database db = ctx.db();
        byte[] key = ctx.arg(1);
        StringValue v = db.get(key, StringValue.class);
        long value = add(v == null ? 0 : longValue(v), increment);
        if (v != null && v.isInt()) {
            // like Redis, an integer value is updated in place
            v.setLong(value);
        } else if (v == null) {
            db.add(key, StringValue.ofLong(value));
        } else {
            db.setKeepTtl(key, StringValue.ofLong(value));
        }
        ctx.dirty(1);
        ctx.touched(db, key);
        ctx.notify('$', "incrby", key, db);
        ctx.reply().integer(value);
    }

    /** The sum, or {@code ERR increment or decrement would overflow}. */
    static long add(long value, long increment) {
        if ((increment < 0 && value < 0 && increment < Long.MIN_VALUE - value)
                || (increment > 0 && value > 0 && increment > Long.MAX_VALUE - value)) {
            throw new CommandException(Errors.OVERFLOW);
        }
        return value + increment;
    }

    private static long longValue(StringValue v) {
        if (v.isInt()) {
            return v.longValue();
        }
        return parseLong(v.bytes());
    }

    static void incrbyfloat(CommandContext ctx) {
        Database db = ctx.db();
        byte[] key = ctx.arg(1);
        StringValue v = db.get(key, StringValue.class);
        byte[] result = incrementFloat(v, ctx.arg(2));
        StringValue stored = StringValue.of(result);
        if (v == null) {
            db.add(key, stored);
        } else {
            db.setKeepTtl(key, stored);
        }
        ctx.dirty(1);
        ctx.touched(db, key);
        ctx.notify('$', "incrbyfloat", key, db);
        ctx.reply().bulk(result);
        // replicas and the AOF get the result, not the arithmetic
        ctx.propagate(SET, key, result, KEEPTTL);
    }

    /** INCRBYFLOAT's value: the current value (null is 0) plus the increment, in Redis's format. */
    static byte[] incrementFloat(StringValue current, byte[] increment) {
        LongDouble value;
        LongDouble incr;
        try {
            value = current == null ? LongDouble.ZERO
                    : current.isInt() ? LongDouble.of(current.longValue()) : LongDouble.parse(current.bytes());
            incr = LongDouble.parse(increment);
        } catch (NumberFormatException e) {
            throw new CommandException(Errors.NOT_FLOAT);
        }
        LongDouble sum = value.add(incr);
        if (!sum.isFinite()) {
            throw new CommandException(NAN_OR_INFINITY);
        }
        return Bytes.of(sum.toHumanString());
    }

    /* ---------------------------------------------------------------- LCS */

    static void lcs(CommandContext ctx) {
        Database db = ctx.db();
        Value va = db.get(ctx.arg(1));
        Value vb = db.get(ctx.arg(2));
        if ((va != null && !(va instanceof StringValue)) || (vb != null && !(vb instanceof StringValue))) {
            throw new CommandException(LCS_NOT_STRINGS);
        }
        byte[] a = va == null ? Bytes.EMPTY : ((StringValue) va).bytes();
        byte[] b = vb == null ? Bytes.EMPTY : ((StringValue) vb).bytes();

        boolean getLen = false;
        boolean getIdx = false;
        boolean withMatchLen = false;
        long minMatchLen = 0;
        int argc = ctx.argc();
        for (int j = 3; j < argc; j++) {
            byte[] opt = ctx.arg(j);
            boolean moreArgs = j < argc - 1;
            if (Bytes.is(opt, "idx")) {
                getIdx = true;
            } else if (Bytes.is(opt, "len")) {
                getLen = true;
            } else if (Bytes.is(opt, "withmatchlen")) {
                withMatchLen = true;
            } else if (Bytes.is(opt, "minmatchlen") && moreArgs) {
                minMatchLen = Math.max(0, ctx.argLong(++j));
            } else {
                throw Errors.syntax();
            }
        }
        if (getLen && getIdx) {
            throw new CommandException(LCS_LEN_AND_IDX);
        }
        long tableBytes = Lcs.tableBytes(a.length, b.length);
        if (tableBytes > maxBulkLen(ctx)) {
            throw new CommandException(LCS_TOO_BIG);
        }
        if (tableBytes / Integer.BYTES > MAX_ARRAY) {
            throw new CommandException(LCS_NO_MEMORY);
        }
        Reply reply = ctx.reply();
        try {
            if (getLen) {
                reply.integer(Lcs.length(a, b));
                return;
            }
            Lcs lcs = Lcs.compute(a, b, minMatchLen);
            if (!getIdx) {
                reply.bulk(lcs.sequence());
                return;
            }
            replyMatches(reply, lcs, withMatchLen);
        } catch (OutOfMemoryError e) {
            throw new CommandException(LCS_NO_MEMORY);
        }
    }

    private static void replyMatches(Reply reply, Lcs lcs, boolean withMatchLen) {
        List<Lcs.Match> matches = lcs.matches();
        reply.map(2);
        reply.bulk(MATCHES);
        reply.array(matches.size());
        for (Lcs.Match m : matches) {
            reply.array(withMatchLen ? 3 : 2);
            reply.array(2);
            reply.integer(m.aStart());
            reply.integer(m.aEnd());
            reply.array(2);
            reply.integer(m.bStart());
            reply.integer(m.bEnd());
            if (withMatchLen) {
                reply.integer(m.length());
            }
        }
        reply.bulk(LEN);
        reply.integer(lcs.length());
    }

    /* ---------------------------------------------------------------- shared helpers */

    private static void replyValue(Reply reply, StringValue v) {
        if (v == null) {
            reply.nil();
        } else {
            reply.bulk(v.bytes());
        }
    }

    /** A strict integer, or {@code ERR value is not an integer or out of range}. */
    static long parseLong(byte[] b) {
        try {
            return Bytes.parseLong(b);
        } catch (NumberFormatException e) {
            throw Errors.notInteger();
        }
    }

    private static long maxBulkLen(CommandContext ctx) {
        Object v = ctx.config().value("proto-max-bulk-len");
        return v instanceof Number n ? n.longValue() : DEFAULT_MAX_BULK_LEN;
    }

    private static boolean configFlag(CommandContext ctx, String name) {
        return Boolean.TRUE.equals(ctx.config().value(name));
    }

    /** Redis does not delete keys on its own on a replica: the master's DEL will come. */
    private static boolean isReplica(CommandContext ctx) {
        String master = ctx.config().get("replicaof");
        return master != null && !master.isEmpty();
    }
}
