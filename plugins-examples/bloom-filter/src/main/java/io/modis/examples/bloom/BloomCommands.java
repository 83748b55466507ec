package io.modis.examples.bloom;

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
import io.modis.api.Reply;
import io.modis.api.Value;
import org.osgi.service.component.annotations.Component;

import java.util.List;

/**
 * The BF.* commands with RedisBloom 2.x's arguments, replies and error strings. Writes are
 * deterministic, so they propagate as received; each change emits a module keyspace event
 * (class {@code d}) named after the command.
 */
@Component(service = CommandProvider.class)
public final class BloomCommands implements CommandProvider {
    static final double DEFAULT_ERROR_RATE = 0.01;
    static final long DEFAULT_CAPACITY = 100;
    static final long DEFAULT_EXPANSION = 2;

    static final String NOT_FOUND = "ERR not found";

    @Override
    public List<Command> commands() {
        return List.of(
                write("bf.reserve", -4, "RW", "INSERT", "Creates an empty Bloom filter with an error rate and capacity.",
                        BloomCommands::reserve),
                write("bf.add", 3, "RW", "INSERT", "Adds an item to a Bloom filter, creating it if needed.",
                        ctx -> insert(ctx, 2, BloomConfig.defaults(ctx.config()), false, "bf.add")),
                write("bf.madd", -3, "RW", "INSERT", "Adds items to a Bloom filter, creating it if needed.",
                        ctx -> insert(ctx, 2, BloomConfig.defaults(ctx.config()), true, "bf.madd")),
                write("bf.insert", -4, "RW", "INSERT", "Adds items to a Bloom filter, with options for creating it.",
                        BloomCommands::insertCommand),
                read("bf.exists", 3, "Tells whether an item may be in a Bloom filter.", "1.0.0",
                        ctx -> exists(ctx, false)),
                read("bf.mexists", -3, "Tells for each item whether it may be in a Bloom filter.", "1.0.0",
                        ctx -> exists(ctx, true)),
                read("bf.info", -2, "Returns information about a Bloom filter.", "1.0.0", BloomCommands::info),
                read("bf.card", 2, "Returns the number of items added to a Bloom filter.", "2.4.4",
                        BloomCommands::card),
                read("bf.scandump", 3, "Returns a chunk of a Bloom filter for incremental saving.", "1.0.0",
                        BloomCommands::scanDump),
                write("bf.loadchunk", 4, "RW", "UPDATE", "Restores a chunk of a Bloom filter saved with BF.SCANDUMP.",
                        BloomCommands::loadChunk));
    }

    private static Command write(String name, int arity, String flag1, String flag2, String summary, CommandHandler h) {
        return new Command(CommandSpec.of(name, arity)
                .flags(CommandFlag.WRITE, CommandFlag.DENYOOM, CommandFlag.MODULE)
                .acl("write").keys(1, 1, 1).keySpec(KeySpec.range(1, 0, 1, flag1, flag2))
                .group("module").since("1.0.0").summary(summary).complexity("O(k * n)").build(), h);
    }

    private static Command read(String name, int arity, String summary, String since, CommandHandler h) {
        String[] keyFlags = name.contains("exists") || name.contains("scandump") ? new String[] {"RO", "ACCESS"} : new String[] {"RO"};
        return new Command(CommandSpec.of(name, arity)
                .flags(CommandFlag.READONLY, CommandFlag.FAST, CommandFlag.MODULE)
                .acl("read", "fast").keys(1, 1, 1).keySpec(KeySpec.range(1, 0, 1, keyFlags))
                .group("module").since(since).summary(summary).complexity("O(k * n)").build(), h);
    }

    /** Creation options of BF.ADD/MADD (RedisBloom's defaults) and BF.INSERT. */
    static final class Options {
        double errorRate = DEFAULT_ERROR_RATE;
        long capacity = DEFAULT_CAPACITY;
        long expansion = DEFAULT_EXPANSION;
        boolean nonScaling;
        boolean create = true;
    }

    // BF.RESERVE key error_rate capacity [EXPANSION expansion] [NONSCALING]
    private static void reserve(CommandContext ctx) {
        if (ctx.argc() > 7) {
            throw Errors.wrongArity(ctx.command().name());
        }
        double errorRate;
        try {
            errorRate = Bytes.parseDouble(ctx.arg(2));
        } catch (NumberFormatException e) {
            throw new CommandException("ERR bad error rate");
        }
        if (!(errorRate > 0 && errorRate < 1)) {
            throw new CommandException("ERR (0 < error rate range < 1) ");
        }
        long capacity;
        try {
            capacity = Bytes.parseLong(ctx.arg(3));
        } catch (NumberFormatException e) {
            throw new CommandException("ERR bad capacity");
        }
        if (capacity <= 0) {
            throw new CommandException("ERR (capacity should be larger than 0)");
        }
        boolean nonScaling = indexOf(ctx, "nonscaling") >= 0;
        long expansion = DEFAULT_EXPANSION;
        int ex = indexOf(ctx, "expansion");
        if (ex >= 0) {
            if (ex + 1 == ctx.argc()) {
                throw new CommandException("ERR no expansion");
            }
            if (nonScaling) {
                throw new CommandException("Nonscaling filters cannot expand");
            }
            try {
                expansion = Bytes.parseLong(ctx.arg(ex + 1));
            } catch (NumberFormatException e) {
                throw new CommandException("ERR bad expansion");
            }
            if (expansion < 1) {
                throw new CommandException("ERR expansion should be greater or equal to 1");
            }
        }
        Database db = ctx.db();
        byte[] key = ctx.arg(1);
        if (db.get(key, ScalableBloomFilter.class) != null) {
            throw new CommandException("ERR item exists");
        }
        ScalableBloomFilter f = ScalableBloomFilter.create(capacity, errorRate, expansion, nonScaling);
        if (f == null) {
            throw new CommandException("ERR Insufficient memory to create filter");
        }
        db.add(key, f);
        changed(ctx, db, key, 1, "bf.reserve");
        ctx.reply().ok();
    }

    /** The first option word at index 4 or later equal to {@code word}, or -1. */
    private static int indexOf(CommandContext ctx, String word) {
        for (int i = 4; i < ctx.argc(); i++) {
            if (Bytes.is(ctx.arg(i), word)) {
                return i;
            }
        }
        return -1;
    }

    // BF.INSERT key [CAPACITY n] [ERROR e] [EXPANSION n] [NOCREATE] [NONSCALING] ITEMS item ...
    private static void insertCommand(CommandContext ctx) {
        Options o = BloomConfig.defaults(ctx.config());
        int items = -1;
        int pos = 2;
        int argc = ctx.argc();
        while (pos < argc && items < 0) {
            // RedisBloom tells the options apart by their first letters (and ERROR from
            // EXPANSION by the second, NOCREATE from NONSCALING by the third); so does this
            byte[] word = ctx.arg(pos);
            int first = word.length > 0 ? Character.toLowerCase(word[0]) : 0;
            switch (first) {
                case 'i' -> items = ++pos;
                case 'e' -> {
                    if (++pos == argc) {
                        throw Errors.wrongArity(ctx.command().name());
                    }
                    if (word.length > 1 && Character.toLowerCase(word[1]) == 'r') {
                        try {
                            o.errorRate = Bytes.parseDouble(ctx.arg(pos++));
                        } catch (NumberFormatException e) {
                            throw new CommandException("Bad error rate");
                        }
                    } else {
                        try {
                            o.expansion = Bytes.parseLong(ctx.arg(pos++));
                        } catch (NumberFormatException e) {
                            throw new CommandException("Bad expansion");
                        }
                    }
                }
                case 'c' -> {
                    if (++pos == argc) {
                        throw Errors.wrongArity(ctx.command().name());
                    }
                    try {
                        o.capacity = Bytes.parseLong(ctx.arg(pos++));
                    } catch (NumberFormatException e) {
                        throw new CommandException("Bad capacity");
                    }
                }
                case 'n' -> {
                    if (word.length > 2 && Character.toLowerCase(word[2]) == 'c') {
                        o.create = false;
                    } else {
                        o.nonScaling = true;
                    }
                    pos++;
                }
                default -> throw new CommandException("Unknown argument received");
            }
        }
        if (items < 0 || items == argc) {
            throw Errors.wrongArity(ctx.command().name());
        }
        if (!(o.errorRate > 0 && o.errorRate < 1) || o.capacity < 1 || o.expansion < 1) {
            throw new CommandException("Bad argument received");
        }
        insert(ctx, items, o, true, "bf.insert");
    }

    /** Adds the arguments from {@code first} on; {@code multi} replies with an array. */
    private static void insert(CommandContext ctx, int first, Options o, boolean multi, String event) {
        Database db = ctx.db();
        byte[] key = ctx.arg(1);
        ScalableBloomFilter f = db.get(key, ScalableBloomFilter.class);
        boolean created = false;
        if (f == null) {
            if (!o.create) {
                throw new CommandException(NOT_FOUND);
            }
            f = ScalableBloomFilter.create(o.capacity, o.errorRate, o.expansion, o.nonScaling);
            if (f == null) {
                throw new CommandException("ERR could not create filter");
            }
            created = true;
        }
        int n = ctx.argc() - first;
        int[] results = new int[n];
        int done = 0;
        long added = 0;
        while (done < n) {
            int r = f.add(ctx.arg(first + done));
            results[done++] = r;
            if (r < 0) {
                break;
            }
            added += r;
        }
        if (!multi && results[0] < 0) {
            // nothing changed: a single add either fits or fails before touching the filter
            throw new CommandException(errorOf(results[0]));
        }
        if (created) {
            db.add(key, f);
        }
        if (created || added > 0) {
            changed(ctx, db, key, added + (created ? 1 : 0), event);
        }
        Reply reply = ctx.reply();
        if (multi) {
            reply.array(done);
        }
        for (int i = 0; i < done; i++) {
            if (results[i] < 0) {
                reply.error(errorOf(results[i]));
            } else {
                bool(reply, results[i] == 1);
            }
        }
    }

    /** RedisBloom answers RESP3 clients with booleans and RESP2 clients with 0 and 1. */
    private static void bool(Reply reply, boolean b) {
        if (reply.protocol() >= 3) {
            reply.bool(b);
        } else {
            reply.integer(b ? 1 : 0);
        }
    }

    private static String errorOf(int addResult) {
        return addResult == ScalableBloomFilter.FULL ? "ERR non scaling filter is full"
                : "ERR problem inserting into filter";
    }

    private static void changed(CommandContext ctx, Database db, byte[] key, long changes, String event) {
        ctx.dirty(changes);
        ctx.touched(db, key);
        ctx.notify('d', event, key, db);
    }

    // BF.EXISTS key item / BF.MEXISTS key item ... : a missing key, or one of another type,
    // holds no items (RedisBloom answers 0 there rather than an error)
    private static void exists(CommandContext ctx, boolean multi) {
        Value v = ctx.db().get(ctx.arg(1));
        ScalableBloomFilter f = v instanceof ScalableBloomFilter s ? s : null;
        Reply reply = ctx.reply();
        if (multi) {
            reply.array(ctx.argc() - 2);
        }
        for (int i = 2; i < ctx.argc(); i++) {
            bool(reply, f != null && f.contains(ctx.arg(i)));
        }
    }

    // BF.INFO key [CAPACITY | SIZE | FILTERS | ITEMS | EXPANSION]
    private static void info(CommandContext ctx) {
        if (ctx.argc() > 3) {
            throw Errors.wrongArity(ctx.command().name());
        }
        ScalableBloomFilter f = ctx.db().get(ctx.arg(1), ScalableBloomFilter.class);
        if (f == null) {
            throw new CommandException(NOT_FOUND);
        }
        Reply reply = ctx.reply();
        if (ctx.argc() == 3) {
            String label = switch (ctx.argLower(2)) {
                case "capacity" -> "Capacity";
                case "size" -> "Size";
                case "filters" -> "Number of filters";
                case "items" -> "Number of items inserted";
                case "expansion" -> "Expansion rate";
                default -> throw new CommandException("Invalid information value");
            };
            if (reply.protocol() >= 3) {
                reply.map(1);
                reply.simple(label);
            } else {
                reply.array(1);
            }
            infoValue(reply, f, label);
            return;
        }
        String[] labels = {"Capacity", "Size", "Number of filters", "Number of items inserted", "Expansion rate"};
        reply.map(labels.length);
        for (String label : labels) {
            reply.simple(label);
            infoValue(reply, f, label);
        }
    }

    private static void infoValue(Reply reply, ScalableBloomFilter f, String label) {
        switch (label) {
            case "Capacity" -> reply.integer(f.capacity());
            case "Size" -> reply.integer(f.reportedSize());
            case "Number of filters" -> reply.integer(f.layers.size());
            case "Number of items inserted" -> reply.integer(f.size);
            default -> {
                if (f.nonScaling()) {
                    reply.nil();
                } else {
                    reply.integer(f.growth);
                }
            }
        }
    }

    // BF.SCANDUMP key iterator: iterator 0 answers the header, then each chunk the next iterator
    private static void scanDump(CommandContext ctx) {
        ScalableBloomFilter f = ctx.db().get(ctx.arg(1), ScalableBloomFilter.class);
        if (f == null) {
            throw new CommandException(NOT_FOUND);
        }
        long iter;
        try {
            iter = Bytes.parseLong(ctx.arg(2));
        } catch (NumberFormatException e) {
            throw new CommandException("Second argument must be numeric");
        }
        Object[] next = iter == 0 ? new Object[] {1L, ChunkedDump.header(f)} : ChunkedDump.chunk(f, iter);
        Reply reply = ctx.reply();
        reply.array(2);
        reply.integer((Long) next[0]);
        reply.bulk((byte[]) next[1]);
    }

    // BF.LOADCHUNK key iterator data: iterator 1 on a missing key creates the filter from a header
    private static void loadChunk(CommandContext ctx) {
        long iter;
        try {
            iter = Bytes.parseLong(ctx.arg(2));
        } catch (NumberFormatException e) {
            throw new CommandException("ERR Second argument must be numeric");
        }
        Database db = ctx.db();
        byte[] key = ctx.arg(1);
        ScalableBloomFilter f = db.get(key, ScalableBloomFilter.class);
        if (f == null) {
            if (iter != 1) {
                throw new CommandException(NOT_FOUND);
            }
            db.add(key, ChunkedDump.fromHeader(ctx.arg(3)));
        } else {
            ChunkedDump.load(f, iter, ctx.arg(3));
        }
        changed(ctx, db, key, 1, "bf.loadchunk");
        ctx.reply().ok();
    }

    // BF.CARD key
    private static void card(CommandContext ctx) {
        ScalableBloomFilter f = ctx.db().get(ctx.arg(1), ScalableBloomFilter.class);
        ctx.reply().integer(f == null ? 0 : f.size);
    }
}
