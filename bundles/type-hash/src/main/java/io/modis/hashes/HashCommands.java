package io.modis.hashes;

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
import io.modis.api.KeySpec;
import io.modis.api.LongDouble;
import io.modis.api.Reply;
import java.util.Arrays;
import java.util.List;
import org.osgi.service.component.annotations.Component;

/**
 * The hash commands of Redis 7.0 (t_hash.c): each command's metadata, as COMMAND INFO reports
 * it, declared beside its handler. HRANDFIELD and HSCAN live in {@link HashRandomField} and
 * {@link HashScan}.
 */
@Component(service = CommandProvider.class)
public final class HashCommands implements CommandProvider {
    static final String NOT_AN_INTEGER = "ERR hash value is not an integer";
    static final String NOT_A_FLOAT = "ERR hash value is not a float";
    static final String INCREMENT_NAN_OR_INFINITY = "ERR value is NaN or Infinity";
    static final String RESULT_NAN_OR_INFINITY = "ERR increment would produce NaN or Infinity";

    private static final byte[] HSET = Bytes.of("HSET");

    private static final String WHOLE_HASH = "O(N) where N is the size of the hash.";

    private final List<Command> commands = List.of(
            command(spec("hset", -4, "2.0.0", WRITE, DENYOOM, FAST), "RW", "UPDATE")
                    .summary("Set the string value of a hash field")
                    .complexity("O(1) for each field/value pair added, so O(N) to add N field/value pairs when"
                            + " the command is called with multiple field/value pairs.")
                    .handler(ctx -> hset(ctx, false)),
            command(spec("hsetnx", 4, "2.0.0", WRITE, DENYOOM, FAST), "RW", "INSERT")
                    .summary("Set the value of a hash field, only if the field does not exist").complexity("O(1)")
                    .handler(HashCommands::hsetnx),
            command(spec("hmset", -4, "2.0.0", WRITE, DENYOOM, FAST), "RW", "UPDATE")
                    .summary("Set multiple hash fields to multiple values")
                    .complexity("O(N) where N is the number of fields being set.")
                    .handler(ctx -> hset(ctx, true)),
            command(spec("hget", 3, "2.0.0", READONLY, FAST), "RO", "ACCESS")
                    .summary("Get the value of a hash field").complexity("O(1)")
                    .handler(HashCommands::hget),
            command(spec("hmget", -3, "2.0.0", READONLY, FAST), "RO", "ACCESS")
                    .summary("Get the values of all the given hash fields")
                    .complexity("O(N) where N is the number of fields being requested.")
                    .handler(HashCommands::hmget),
            command(spec("hgetall", 2, "2.0.0", READONLY), "RO", "ACCESS")
                    .summary("Get all the fields and values in a hash").complexity(WHOLE_HASH)
                    .handler(ctx -> hgetall(ctx, true, true)),
            command(spec("hkeys", 2, "2.0.0", READONLY), "RO", "ACCESS")
                    .summary("Get all the fields in a hash").complexity(WHOLE_HASH)
                    .handler(ctx -> hgetall(ctx, true, false)),
            command(spec("hvals", 2, "2.0.0", READONLY), "RO", "ACCESS")
                    .summary("Get all the values in a hash").complexity(WHOLE_HASH)
                    .handler(ctx -> hgetall(ctx, false, true)),
            command(spec("hdel", -3, "2.0.0", WRITE, FAST), "RW", "DELETE")
                    .summary("Delete one or more hash fields")
                    .complexity("O(N) where N is the number of fields to be removed.")
                    .handler(HashCommands::hdel),
            command(spec("hlen", 2, "2.0.0", READONLY, FAST), "RO")
                    .summary("Get the number of fields in a hash").complexity("O(1)")
                    .handler(HashCommands::hlen),
            command(spec("hstrlen", 3, "3.2.0", READONLY, FAST), "RO")
                    .summary("Get the length of the value of a hash field").complexity("O(1)")
                    .handler(HashCommands::hstrlen),
            command(spec("hexists", 3, "2.0.0", READONLY, FAST), "RO")
                    .summary("Determine if a hash field exists").complexity("O(1)")
                    .handler(HashCommands::hexists),
            command(spec("hincrby", 4, "2.0.0", WRITE, DENYOOM, FAST), "RW", "ACCESS", "UPDATE")
                    .summary("Increment the integer value of a hash field by the given number").complexity("O(1)")
                    .handler(HashCommands::hincrby),
            command(spec("hincrbyfloat", 4, "2.6.0", WRITE, DENYOOM, FAST), "RW", "ACCESS", "UPDATE")
                    .summary("Increment the float value of a hash field by the given amount").complexity("O(1)")
                    .handler(HashCommands::hincrbyfloat),
            command(spec("hrandfield", -2, "6.2.0", READONLY), "RO", "ACCESS")
                    .summary("Get one or multiple random fields from a hash")
                    .complexity("O(N) where N is the number of fields returned")
                    .handler(HashRandomField::hrandfield),
            command(spec("hscan", -3, "2.8.0", READONLY), "RO", "ACCESS")
                    .summary("Incrementally iterate hash fields and associated values")
                    .complexity("O(1) for every call. O(N) for a complete iteration, including enough command"
                            + " calls for the cursor to return back to 0. N is the number of elements inside the"
                            + " collection..")
                    .handler(HashScan::hscan));

    @Override
    public List<Command> commands() {
        return commands;
    }

    /* ---------------------------------------------------------------- metadata helpers */

    /**
     * A hash-group spec; ACL categories are Redis's explicit @hash plus the ones it derives from
     * the flags (@write or @read, @fast or @slow), in Redis's order.
     */
    private static CommandSpec.Builder spec(String name, int arity, String since, CommandFlag... flags) {
        List<CommandFlag> f = Arrays.asList(flags);
        return CommandSpec.of(name, arity).group("hash").since(since).flags(flags)
                .acl(f.contains(WRITE) ? "write" : "read", "hash", f.contains(FAST) ? "fast" : "slow");
    }

    /** Every hash command has one key, argument 1. */
    private static Declared command(CommandSpec.Builder spec, String... keyFlags) {
        return new Declared(spec.keys(1, 1, 1).keySpec(KeySpec.range(1, 0, 1, keyFlags)));
    }

    /** A spec being declared, finished by its handler. */
    private record Declared(CommandSpec.Builder spec) {
        Declared summary(String s) {
            spec.summary(s);
            return this;
        }

        Declared complexity(String c) {
            spec.complexity(c);
            return this;
        }

        Command handler(CommandHandler h) {
            return new Command(spec.build(), h);
        }
    }

    /* ---------------------------------------------------------------- writes */

    /** HSET and HMSET: they differ only in the reply (fields added, or OK). */
    static void hset(CommandContext ctx, boolean okReply) {
        int argc = ctx.argc();
        if (argc % 2 == 1) {
            throw Errors.wrongArity(ctx.command().name());
        }
        Database db = ctx.db();
        byte[] key = ctx.arg(1);
        HashValue hash = db.get(key, HashValue.class);
        boolean created = hash == null;
        if (created) {
            hash = new HashValue();
        }
        HashLimits limits = HashType.INSTANCE.limits();
        byte[][] argv = ctx.args();
        hash.prepareFor(argv, 2, argc - 1, limits);
        boolean many = argc > 4;
        if (many) {
            hash.reserve(argv, 2, argc - 1);
        }
        long added = 0;
        for (int i = 2; i < argc; i += 2) {
            if (hash.set(argv[i], argv[i + 1], limits)) {
                added++;
            }
        }
        if (many) {
            hash.trim();
        }
        if (created) {
            db.add(key, hash);
        }
        if (okReply) {
            ctx.reply().ok();
        } else {
            ctx.reply().integer(added);
        }
        ctx.touched(db, key);
        ctx.notify('h', "hset", key, db);
        ctx.dirty((argc - 2) / 2);
    }

    static void hsetnx(CommandContext ctx) {
        Database db = ctx.db();
        byte[] key = ctx.arg(1);
        byte[] field = ctx.arg(2);
        HashValue hash = db.get(key, HashValue.class);
        if (hash != null && hash.contains(field)) {
            ctx.reply().integer(0);
            return;
        }
        boolean created = hash == null;
        if (created) {
            hash = new HashValue();
        }
        HashLimits limits = HashType.INSTANCE.limits();
        hash.prepareFor(ctx.args(), 2, 3, limits);
        hash.set(field, ctx.arg(3), limits);
        if (created) {
            db.add(key, hash);
        }
        ctx.reply().integer(1);
        ctx.touched(db, key);
        ctx.notify('h', "hset", key, db);
        ctx.dirty(1);
    }

    static void hdel(CommandContext ctx) {
        Database db = ctx.db();
        byte[] key = ctx.arg(1);
        HashValue hash = db.get(key, HashValue.class);
        if (hash == null) {
            ctx.reply().integer(0);
            return;
        }
        long deleted = 0;
        boolean keyRemoved = false;
        for (int i = 2; i < ctx.argc(); i++) {
            if (hash.delete(ctx.arg(i))) {
                deleted++;
                if (hash.size() == 0) {
                    db.delete(key);
                    keyRemoved = true;
                    break;
                }
            }
        }
        if (deleted > 0) {
            ctx.touched(db, key);
            ctx.notify('h', "hdel", key, db);
            if (keyRemoved) {
                ctx.notify('g', "del", key, db);
            }
            ctx.dirty(deleted);
        }
        ctx.reply().integer(deleted);
    }

    static void hincrby(CommandContext ctx) {
        long increment = ctx.argLong(3);
        Database db = ctx.db();
        byte[] key = ctx.arg(1);
        byte[] field = ctx.arg(2);
        HashValue hash = db.get(key, HashValue.class);
        byte[] current = hash == null ? null : hash.get(field);
        long value = 0;
        if (current != null) {
            try {
                value = Bytes.parseLong(current);
            } catch (NumberFormatException e) {
                throw new CommandException(NOT_AN_INTEGER);
            }
        }
        if ((increment < 0 && value < 0 && increment < Long.MIN_VALUE - value)
                || (increment > 0 && value > 0 && increment > Long.MAX_VALUE - value)) {
            throw new CommandException(Errors.OVERFLOW);
        }
        value += increment;
        store(ctx, db, key, hash, field, Bytes.fromLong(value));
        ctx.reply().integer(value);
        ctx.notify('h', "hincrby", key, db);
    }

    static void hincrbyfloat(CommandContext ctx) {
        LongDouble increment;
        try {
            increment = LongDouble.parse(ctx.arg(3));
        } catch (NumberFormatException e) {
            throw new CommandException(Errors.NOT_FLOAT);
        }
        if (!increment.isFinite()) {
            throw new CommandException(INCREMENT_NAN_OR_INFINITY);
        }
        Database db = ctx.db();
        byte[] key = ctx.arg(1);
        byte[] field = ctx.arg(2);
        HashValue hash = db.get(key, HashValue.class);
        byte[] current = hash == null ? null : hash.get(field);
        LongDouble value = LongDouble.ZERO;
        if (current != null) {
            try {
                value = LongDouble.parse(current);
            } catch (NumberFormatException e) {
                throw new CommandException(NOT_A_FLOAT);
            }
        }
        LongDouble sum = value.add(increment);
        if (!sum.isFinite()) {
            throw new CommandException(RESULT_NAN_OR_INFINITY);
        }
        byte[] formatted = Bytes.of(sum.toHumanString());
        store(ctx, db, key, hash, field, formatted);
        ctx.reply().bulk(formatted);
        ctx.notify('h', "hincrbyfloat", key, db);
        // Replicas and the AOF get the result, not the increment: float formatting may differ.
        ctx.propagate(HSET, key, field, formatted);
    }

    /** The common end of HINCRBY and HINCRBYFLOAT: set the field, creating the hash if needed. */
    private static void store(CommandContext ctx, Database db, byte[] key, HashValue hash, byte[] field,
                              byte[] value) {
        boolean created = hash == null;
        HashValue target = created ? new HashValue() : hash;
        target.set(field, value, HashType.INSTANCE.limits());
        if (created) {
            db.add(key, target);
        }
        ctx.touched(db, key);
        ctx.dirty(1);
    }

    /* ---------------------------------------------------------------- reads */

    static void hget(CommandContext ctx) {
        HashValue hash = ctx.db().get(ctx.arg(1), HashValue.class);
        replyField(ctx.reply(), hash, ctx.arg(2));
    }

    static void hmget(CommandContext ctx) {
        HashValue hash = ctx.db().get(ctx.arg(1), HashValue.class);
        Reply reply = ctx.reply();
        reply.array(ctx.argc() - 2);
        for (int i = 2; i < ctx.argc(); i++) {
            replyField(reply, hash, ctx.arg(i));
        }
    }

    private static void replyField(Reply reply, HashValue hash, byte[] field) {
        if (hash == null || !hash.replyValue(reply, field)) {
            reply.nil();
        }
    }

    /** HGETALL (a map in RESP3), HKEYS and HVALS (arrays). */
    static void hgetall(CommandContext ctx, boolean fields, boolean values) {
        HashValue hash = ctx.db().get(ctx.arg(1), HashValue.class);
        Reply reply = ctx.reply();
        int size = hash == null ? 0 : hash.size();
        if (fields && values) {
            reply.map(size);
        } else {
            reply.array(size);
        }
        if (hash == null) {
            return;
        }
        hash.forEach((f, fo, fl, v, vo, vl) -> {
            if (fields) {
                reply.bulk(f, fo, fl);
            }
            if (values) {
                reply.bulk(v, vo, vl);
            }
        });
    }

    static void hlen(CommandContext ctx) {
        HashValue hash = ctx.db().get(ctx.arg(1), HashValue.class);
        ctx.reply().integer(hash == null ? 0 : hash.size());
    }

    static void hstrlen(CommandContext ctx) {
        HashValue hash = ctx.db().get(ctx.arg(1), HashValue.class);
        ctx.reply().integer(hash == null ? 0 : hash.valueLength(ctx.arg(2)));
    }

    static void hexists(CommandContext ctx) {
        HashValue hash = ctx.db().get(ctx.arg(1), HashValue.class);
        ctx.reply().integer(hash != null && hash.contains(ctx.arg(2)) ? 1 : 0);
    }
}
