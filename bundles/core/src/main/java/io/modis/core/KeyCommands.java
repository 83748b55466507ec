package io.modis.core;

import io.modis.api.Bytes;
import io.modis.api.Command;
import io.modis.api.CommandContext;
import io.modis.api.CommandException;
import io.modis.api.CommandSpec;
import io.modis.api.Errors;
import io.modis.api.KeySpec;
import io.modis.api.Reply;
import io.modis.api.StringValue;
import io.modis.api.Value;
import io.modis.core.config.ConfigRegistry;
import io.modis.api.dict.Dict;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static io.modis.api.CommandFlag.DENYOOM;
import static io.modis.api.CommandFlag.FAST;
import static io.modis.api.CommandFlag.LOADING;
import static io.modis.api.CommandFlag.READONLY;
import static io.modis.api.CommandFlag.STALE;
import static io.modis.api.CommandFlag.WRITE;
import static io.modis.core.CoreCommands.command;

/**
 * The generic key commands: DEL UNLINK EXISTS TYPE RENAME RENAMENX MOVE COPY TOUCH RANDOMKEY
 * KEYS SCAN, the EXPIRE and TTL families, PERSIST and OBJECT.
 *
 * <p>Lookups follow Redis's three kinds: reads that count a hit or miss and refresh the access
 * time ({@link Db#get}), reads that count but leave the access time alone (TYPE, EXISTS, TTL,
 * OBJECT: {@link #lookupNoTouch}), and lookups for writing, which refresh the access time but
 * count nothing ({@link #lookupWrite}). All three expire a key that is past its TTL.
 */
final class KeyCommands {
    static final String SAME_OBJECT = "ERR source and destination objects are the same";
    /** What OBJECT REFCOUNT answers for a shared integer, Redis's never-freed refcount. */
    static final long SHARED_REFCOUNT = Integer.MAX_VALUE;
    private static final int SHARED_INTEGERS = 10000;
    private static final int LRU_CLOCK_MAX = (1 << 24) - 1;

    private static final int EXPIRE_NX = 1;
    private static final int EXPIRE_XX = 2;
    private static final int EXPIRE_GT = 4;
    private static final int EXPIRE_LT = 8;

    private static final byte[] DEL = Bytes.of("DEL");
    private static final byte[] UNLINK = Bytes.of("UNLINK");
    private static final byte[] PEXPIREAT = Bytes.of("PEXPIREAT");

    private final Server server;

    KeyCommands(Server server) {
        this.server = server;
    }

    private static CommandSpec.Builder spec(String name, int arity) {
        return CommandSpec.of(name, arity).group("generic").acl("keyspace");
    }

    /** A command on one key at argument 1. */
    private static CommandSpec.Builder oneKey(String name, int arity, String... keyFlags) {
        return spec(name, arity).keys(1, 1, 1).keySpec(KeySpec.range(1, 0, 1, keyFlags));
    }

    private static CommandSpec.Builder expireSpec(String name, String since, String summary) {
        return oneKey(name, -3, "RW", "UPDATE").flags(WRITE, FAST).acl("write", "fast").since(since)
                .complexity("O(1)").summary(summary);
    }

    private static CommandSpec.Builder ttlSpec(String name, String since, String summary) {
        return oneKey(name, 2, "RO", "ACCESS").flags(READONLY, FAST).acl("read", "fast").since(since)
                .complexity("O(1)").summary(summary);
    }

    List<Command> commands() {
        return List.of(
                command(spec("del", -2).flags(WRITE).acl("write", "slow").keys(1, -1, 1)
                        .keySpec(KeySpec.range(1, -1, 1, "RM", "DELETE"))
                        .complexity("O(N) in the number of keys, plus the size of each removed collection.")
                        .summary("Removes the given keys."), this::del),
                command(spec("unlink", -2).flags(WRITE, FAST).acl("write", "fast").since("4.0.0").keys(1, -1, 1)
                        .keySpec(KeySpec.range(1, -1, 1, "RM", "DELETE"))
                        .complexity("O(1) per removed key; reclaiming the memory is done apart.")
                        .summary("Removes the given keys, reclaiming their memory without blocking."), this::del),
                command(spec("exists", -2).flags(READONLY, FAST).acl("read", "fast").keys(1, -1, 1)
                        .keySpec(KeySpec.range(1, -1, 1, "RO")).complexity("O(N) in the number of keys given.")
                        .summary("Counts how many of the given keys exist."), this::exists),
                command(oneKey("type", 2, "RO").flags(READONLY, FAST).acl("read", "fast").complexity("O(1)")
                        .summary("Tells the type of the value held at a key."), this::type),
                command(spec("rename", 3).flags(WRITE).acl("write", "slow").keys(1, 2, 1)
                        .keySpec(KeySpec.range(1, 0, 1, "RW", "ACCESS", "DELETE"))
                        .keySpec(KeySpec.range(2, 0, 1, "OW", "UPDATE")).complexity("O(1)")
                        .summary("Gives a key a new name, replacing any key of that name."),
                        ctx -> rename(ctx, false)),
                command(spec("renamenx", 3).flags(WRITE, FAST).acl("write", "fast").keys(1, 2, 1)
                        .keySpec(KeySpec.range(1, 0, 1, "RW", "ACCESS", "DELETE"))
                        .keySpec(KeySpec.range(2, 0, 1, "OW", "INSERT")).complexity("O(1)")
                        .summary("Gives a key a new name unless that name is already taken."),
                        ctx -> rename(ctx, true)),
                command(oneKey("move", 3, "RW", "ACCESS", "UPDATE").flags(WRITE, FAST).acl("write", "fast")
                        .complexity("O(1)").summary("Moves a key to another database."), this::move),
                command(spec("copy", -3).flags(WRITE, DENYOOM).acl("write", "slow").since("6.2.0").keys(1, 2, 1)
                        .keySpec(KeySpec.range(1, 0, 1, "RO", "ACCESS"))
                        .keySpec(KeySpec.range(2, 0, 1, "OW", "UPDATE"))
                        .complexity("O(1) for strings, O(N) in the number of nested items for collections.")
                        .summary("Duplicates the value of a key under another key, possibly in another database."),
                        this::copy),
                command(spec("touch", -2).flags(READONLY, FAST).acl("read", "fast").since("3.2.1").keys(1, -1, 1)
                        .keySpec(KeySpec.range(1, -1, 1, "RO")).complexity("O(N) in the number of keys given.")
                        .summary("Marks keys as just accessed; answers how many of them exist."), this::touch),
                command(spec("randomkey", 1).flags(READONLY).acl("read", "slow").complexity("O(1)")
                        .summary("Answers the name of a key picked at random."), this::randomkey),
                command(spec("keys", 2).flags(READONLY).acl("read", "slow", "dangerous")
                        .complexity("O(N) in the number of keys in the database.")
                        .summary("Lists every key whose name matches a glob-style pattern."), this::keys),
                command(spec("scan", -2).flags(READONLY).acl("read", "slow").since("2.8.0")
                        .complexity("O(1) per call, O(N) for a whole iteration back to cursor 0.")
                        .summary("Walks the keyspace a few keys at a time with a cursor."), this::scan),
                command(expireSpec("expire", "1.0.0", "Sets a key to expire after a number of seconds."),
                        ctx -> expire(ctx, ctx.now(), true)),
                command(expireSpec("pexpire", "2.6.0", "Sets a key to expire after a number of milliseconds."),
                        ctx -> expire(ctx, ctx.now(), false)),
                command(expireSpec("expireat", "1.2.0", "Sets a key to expire at a Unix time in seconds."),
                        ctx -> expire(ctx, 0, true)),
                command(expireSpec("pexpireat", "2.6.0", "Sets a key to expire at a Unix time in milliseconds."),
                        ctx -> expire(ctx, 0, false)),
                command(ttlSpec("ttl", "1.0.0", "Answers the seconds a key has left to live."),
                        ctx -> ttl(ctx, false, false)),
                command(ttlSpec("pttl", "2.6.0", "Answers the milliseconds a key has left to live."),
                        ctx -> ttl(ctx, true, false)),
                command(ttlSpec("expiretime", "7.0.0", "Answers the Unix time in seconds at which a key expires."),
                        ctx -> ttl(ctx, false, true)),
                command(ttlSpec("pexpiretime", "7.0.0",
                        "Answers the Unix time in milliseconds at which a key expires."), ctx -> ttl(ctx, true, true)),
                command(oneKey("persist", 2, "RW", "UPDATE").flags(WRITE, FAST).acl("write", "fast").since("2.2.0")
                        .complexity("O(1)").summary("Removes the time to live of a key."), this::persist),
                objectCommand());
    }

    // ---- lookups ----

    /** A read that counts a hit or a miss but leaves the access time as it was. */
    private Dict.Entry<Value> lookupNoTouch(Db db, byte[] key) {
        Dict.Entry<Value> e = db.entry(key);
        if (e == null) {
            server.stats.keyspaceMisses++;
        } else {
            server.stats.keyspaceHits++;
        }
        return e;
    }

    /** A lookup before changing the key: refreshes the access time, counts no hit or miss. */
    private Dict.Entry<Value> lookupWrite(Db db, byte[] key) {
        Dict.Entry<Value> e = db.entry(key);
        if (e != null) {
            e.lru = server.lruClock();
        }
        return e;
    }

    private static Db db(CommandContext ctx) {
        return (Db) ctx.db();
    }

    // ---- DEL UNLINK EXISTS TYPE TOUCH ----

    private void del(CommandContext ctx) {
        Db db = db(ctx);
        long n = 0;
        for (int i = 1; i < ctx.argc(); i++) {
            byte[] key = ctx.arg(i);
            if (db.delete(key)) {
                n++;
                ctx.touched(db, key);
                ctx.notify('g', "del", key, db);
            }
        }
        ctx.dirty(n);
        ctx.reply().integer(n);
    }

    private void exists(CommandContext ctx) {
        Db db = db(ctx);
        long n = 0;
        for (int i = 1; i < ctx.argc(); i++) {
            if (lookupNoTouch(db, ctx.arg(i)) != null) {
                n++;
            }
        }
        ctx.reply().integer(n);
    }

    private void type(CommandContext ctx) {
        Dict.Entry<Value> e = lookupNoTouch(db(ctx), ctx.arg(1));
        ctx.reply().simple(typeName(e));
    }

    private static String typeName(Dict.Entry<Value> e) {
        return e == null ? "none" : e.value.type().name();
    }

    private void touch(CommandContext ctx) {
        long n = 0;
        for (int i = 1; i < ctx.argc(); i++) {
            if (ctx.db().get(ctx.arg(i)) != null) {
                n++;
            }
        }
        ctx.reply().integer(n);
    }

    // ---- RENAME RENAMENX MOVE COPY ----

    private void rename(CommandContext ctx, boolean nx) {
        Db db = db(ctx);
        byte[] from = ctx.arg(1);
        byte[] to = ctx.arg(2);
        Dict.Entry<Value> src = lookupWrite(db, from);
        if (src == null) {
            throw new CommandException(Errors.NO_SUCH_KEY);
        }
        if (Bytes.equal(from, to)) {
            reply(ctx.reply(), nx, 0);
            return;
        }
        Value value = src.value;
        long expireAt = src.expireAt;
        if (lookupWrite(db, to) != null) {
            if (nx) {
                ctx.reply().integer(0);
                return;
            }
            db.delete(to);
        }
        db.delete(from);
        addKey(ctx, db, to, value, expireAt);
        ctx.touched(db, from);
        ctx.touched(db, to);
        ctx.notify('g', "rename_from", from, db);
        ctx.notify('g', "rename_to", to, db);
        ctx.dirty(1);
        reply(ctx.reply(), nx, 1);
    }

    /** RENAME answers OK, RENAMENX answers 1 or 0. */
    private static void reply(Reply r, boolean asInteger, long n) {
        if (asInteger) {
            r.integer(n);
        } else {
            r.ok();
        }
    }

    /**
     * Adds a key that is absent (as Redis's dbAdd): with its TTL if it has one. The database
     * announces it to keyspace listeners as new and to clients blocked on it.
     */
    private static void addKey(CommandContext ctx, Db db, byte[] key, Value value, long expireAt) {
        db.add(key, value);
        if (expireAt >= 0) {
            db.setExpireAt(key, expireAt);
        }
    }

    private void move(CommandContext ctx) {
        if (clusterEnabled()) {
            throw new CommandException("ERR MOVE is not allowed in cluster mode");
        }
        Db src = db(ctx);
        Db dst = server.db(dbIndex(ctx, 2));
        if (src == dst) {
            throw new CommandException(SAME_OBJECT);
        }
        byte[] key = ctx.arg(1);
        Dict.Entry<Value> e = lookupWrite(src, key);
        if (e == null || lookupWrite(dst, key) != null) {
            ctx.reply().integer(0);
            return;
        }
        Value value = e.value;
        long expireAt = e.expireAt;
        addKey(ctx, dst, key, value, expireAt);
        src.delete(key);
        ctx.touched(src, key);
        ctx.touched(dst, key);
        ctx.notify('g', "move_from", key, src);
        ctx.notify('g', "move_to", key, dst);
        ctx.dirty(1);
        ctx.reply().integer(1);
    }

    private boolean clusterEnabled() {
        return "yes".equals(server.config.get("cluster-enabled"));
    }

    /** A database index argument: an int, or the not-an-integer error. */
    private static int dbIndex(CommandContext ctx, int arg) {
        long id = ctx.argLong(arg);
        if (id < Integer.MIN_VALUE || id > Integer.MAX_VALUE) {
            throw Errors.notInteger();
        }
        return (int) id;
    }

    private void copy(CommandContext ctx) {
        Db src = db(ctx);
        Db dst = src;
        boolean replace = false;
        for (int j = 3; j < ctx.argc(); j++) {
            if (Bytes.is(ctx.arg(j), "replace")) {
                replace = true;
            } else if (Bytes.is(ctx.arg(j), "db") && j + 1 < ctx.argc()) {
                dst = server.db(dbIndex(ctx, ++j));
            } else {
                throw Errors.syntax();
            }
        }
        if (clusterEnabled() && (src.id() != 0 || dst.id() != 0)) {
            throw new CommandException("ERR Copying to another database is not allowed in cluster mode");
        }
        byte[] key = ctx.arg(1);
        byte[] newKey = ctx.arg(2);
        if (src == dst && Bytes.equal(key, newKey)) {
            throw new CommandException(SAME_OBJECT);
        }
        Value value = src.get(key);
        if (value == null) {
            ctx.reply().integer(0);
            return;
        }
        long expireAt = src.expireAt(key);
        boolean overwrite = lookupWrite(dst, newKey) != null;
        if (overwrite && !replace) {
            ctx.reply().integer(0);
            return;
        }
        Value duplicate = value.copy();
        if (overwrite) {
            dst.delete(newKey);
        }
        addKey(ctx, dst, newKey, duplicate, expireAt);
        ctx.touched(dst, newKey);
        ctx.notify('g', "copy_to", newKey, dst);
        ctx.dirty(1);
        ctx.reply().integer(1);
    }

    // ---- RANDOMKEY KEYS SCAN ----

    private void randomkey(CommandContext ctx) {
        byte[] key = ctx.db().randomKey();
        if (key == null) {
            ctx.reply().nil();
        } else {
            ctx.reply().bulk(key);
        }
    }

    private void keys(CommandContext ctx) {
        Db db = db(ctx);
        byte[] pattern = ctx.arg(1);
        boolean all = pattern.length == 1 && pattern[0] == '*';
        List<byte[]> found = new ArrayList<>();
        db.forEachEntry(e -> {
            if ((all || Bytes.globMatch(pattern, e.key, false)) && !db.isExpired(e)) {
                found.add(e.key);
            }
        });
        Reply r = ctx.reply();
        r.array(found.size());
        for (byte[] k : found) {
            r.bulk(k);
        }
    }

    private void scan(CommandContext ctx) {
        long cursor = parseCursor(ctx.arg(1));
        long count = 10;
        byte[] pattern = null;
        byte[] typeName = null;
        for (int i = 2; i < ctx.argc(); i += 2) {
            boolean hasValue = i + 1 < ctx.argc();
            if (hasValue && Bytes.is(ctx.arg(i), "count")) {
                count = ctx.argLong(i + 1);
                if (count < 1) {
                    throw Errors.syntax();
                }
            } else if (hasValue && Bytes.is(ctx.arg(i), "match")) {
                byte[] p = ctx.arg(i + 1);
                pattern = p.length == 1 && p[0] == '*' ? null : p;
            } else if (hasValue && Bytes.is(ctx.arg(i), "type")) {
                typeName = ctx.arg(i + 1);
            } else {
                throw Errors.syntax();
            }
        }
        Db db = db(ctx);
        List<byte[]> keys = new ArrayList<>();
        // Db.scan visits up to ten times count buckets: keep that product within an int
        int perCall = (int) Math.min(count, Integer.MAX_VALUE / 10);
        long next = db.scan(cursor, perCall, keys::add);
        List<byte[]> out = new ArrayList<>(keys.size());
        for (byte[] key : keys) {
            if (pattern != null && !Bytes.globMatch(pattern, key, false)) {
                continue;
            }
            if (typeName != null && !Bytes.lower(typeName).equals(lowerAscii(typeName(lookupNoTouch(db, key))))) {
                continue;
            }
            if (db.entry(key) == null) {
                continue;
            }
            out.add(key);
        }
        Reply r = ctx.reply();
        r.array(2);
        r.bulk(Bytes.of(Long.toUnsignedString(next)));
        r.array(out.size());
        for (byte[] k : out) {
            r.bulk(k);
        }
    }

    private static String lowerAscii(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    /**
     * An unsigned 64-bit decimal cursor as C's strtoul reads it: no leading space, an optional
     * sign (a minus wraps around), digits up to the end of the string; an empty string is 0.
     */
    static long parseCursor(byte[] b) {
        int end = 0;
        while (end < b.length && b[end] != 0) {
            end++;
        }
        if (end == 0) {
            return 0;
        }
        if (isSpace(b[0])) {
            throw new CommandException("ERR invalid cursor");
        }
        int i = 0;
        boolean negative = false;
        if (b[0] == '+' || b[0] == '-') {
            negative = b[0] == '-';
            i++;
        }
        if (i == end) {
            throw new CommandException("ERR invalid cursor");
        }
        long v = 0;
        for (; i < end; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                throw new CommandException("ERR invalid cursor");
            }
            long limit = Long.divideUnsigned(-1L, 10);
            if (Long.compareUnsigned(v, limit) > 0 || (v == limit && d > Long.remainderUnsigned(-1L, 10))) {
                throw new CommandException("ERR invalid cursor");
            }
            v = v * 10 + d;
        }
        return negative ? -v : v;
    }

    private static boolean isSpace(byte c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x0b || c == '\f';
    }

    // ---- EXPIRE PEXPIRE EXPIREAT PEXPIREAT TTL PTTL EXPIRETIME PEXPIRETIME PERSIST ----

    /**
     * The EXPIRE family: {@code basetime} is now for the relative forms and 0 for the absolute
     * ones. A time already past deletes the key (propagated as DEL); any other time is
     * propagated as PEXPIREAT with the absolute milliseconds.
     */
    private void expire(CommandContext ctx, long basetime, boolean seconds) {
        int flags = expireFlags(ctx);
        long when = ctx.argLong(2);
        if (seconds) {
            if (when > Long.MAX_VALUE / 1000 || when < Long.MIN_VALUE / 1000) {
                throw invalidExpireTime(ctx);
            }
            when *= 1000;
        }
        if (when > Long.MAX_VALUE - basetime) {
            throw invalidExpireTime(ctx);
        }
        when += basetime;
        Db db = db(ctx);
        byte[] key = ctx.arg(1);
        Dict.Entry<Value> e = lookupWrite(db, key);
        if (e == null || !expireAllowed(flags, e.expireAt, when)) {
            ctx.reply().integer(0);
            return;
        }
        if (when <= ctx.now() && !server.persistence.loading) {
            db.delete(key);
            boolean lazy = server.config.getBool("lazyfree-lazy-expire");
            ctx.propagate(lazy ? UNLINK : DEL, key);
            ctx.touched(db, key);
            ctx.notify('g', "del", key, db);
        } else {
            db.setExpireAt(key, when);
            byte[][] effect = ctx.args().clone();
            effect[0] = PEXPIREAT;
            effect[2] = Bytes.fromLong(when);
            ctx.propagate(effect);
            ctx.touched(db, key);
            ctx.notify('g', "expire", key, db);
        }
        ctx.dirty(1);
        ctx.reply().integer(1);
    }

    private static CommandException invalidExpireTime(CommandContext ctx) {
        return new CommandException(String.format(Errors.INVALID_EXPIRE, ctx.command().name()));
    }

    /** NX XX GT LT, in any order and case; Redis 7.0's rules for which go together. */
    private static int expireFlags(CommandContext ctx) {
        int flags = 0;
        for (int j = 3; j < ctx.argc(); j++) {
            byte[] opt = ctx.arg(j);
            if (Bytes.is(opt, "nx")) {
                flags |= EXPIRE_NX;
            } else if (Bytes.is(opt, "xx")) {
                flags |= EXPIRE_XX;
            } else if (Bytes.is(opt, "gt")) {
                flags |= EXPIRE_GT;
            } else if (Bytes.is(opt, "lt")) {
                flags |= EXPIRE_LT;
            } else {
                throw new CommandException("ERR Unsupported option " + Bytes.str(opt));
            }
        }
        if ((flags & EXPIRE_NX) != 0 && (flags & (EXPIRE_XX | EXPIRE_GT | EXPIRE_LT)) != 0) {
            throw new CommandException("ERR NX and XX, GT or LT options at the same time are not compatible");
        }
        if ((flags & EXPIRE_GT) != 0 && (flags & EXPIRE_LT) != 0) {
            throw new CommandException("ERR GT and LT options at the same time are not compatible");
        }
        return flags;
    }

    /** Whether the options let {@code when} replace {@code current} (-1: no TTL, an infinite one). */
    private static boolean expireAllowed(int flags, long current, long when) {
        if ((flags & EXPIRE_NX) != 0 && current != -1) {
            return false;
        }
        if ((flags & EXPIRE_XX) != 0 && current == -1) {
            return false;
        }
        if ((flags & EXPIRE_GT) != 0 && (current == -1 || when <= current)) {
            return false;
        }
        return (flags & EXPIRE_LT) == 0 || current == -1 || when < current;
    }

    private void ttl(CommandContext ctx, boolean millis, boolean absolute) {
        Dict.Entry<Value> e = lookupNoTouch(db(ctx), ctx.arg(1));
        if (e == null) {
            ctx.reply().integer(-2);
            return;
        }
        if (e.expireAt < 0) {
            ctx.reply().integer(-1);
            return;
        }
        long t = Math.max(0, absolute ? e.expireAt : e.expireAt - ctx.now());
        ctx.reply().integer(millis ? t : (t + 500) / 1000);
    }

    private void persist(CommandContext ctx) {
        Db db = db(ctx);
        byte[] key = ctx.arg(1);
        if (lookupWrite(db, key) == null || !db.persist(key)) {
            ctx.reply().integer(0);
            return;
        }
        ctx.touched(db, key);
        ctx.notify('g', "persist", key, db);
        ctx.dirty(1);
        ctx.reply().integer(1);
    }

    // ---- OBJECT ----

    private static CommandSpec.Builder objectSub(String name, String since, String summary) {
        return CommandSpec.of("object|" + name, 3).group("generic").flags(READONLY).acl("keyspace", "read", "slow")
                .keys(2, 2, 1).keySpec(KeySpec.range(2, 0, 1, "RO")).since(since).complexity("O(1)")
                .summary(summary);
    }

    private Command objectCommand() {
        CommandSpec spec = CommandSpec.of("object", -2).group("generic").acl("slow").since("2.2.3")
                .complexity("Depends on the subcommand.")
                .summary("A container for commands that inspect the value stored at a key.")
                .subcommand(command(objectSub("encoding", "2.2.3",
                        "Answers how the value of a key is represented in memory."), this::objectEncoding))
                .subcommand(command(objectSub("freq", "4.0.0",
                        "Answers the logarithmic access frequency counter of a key."), this::objectFreq))
                .subcommand(command(objectSub("idletime", "2.2.3",
                        "Answers the seconds since a key was last accessed."), this::objectIdletime))
                .subcommand(command(objectSub("refcount", "2.2.3",
                        "Answers how many references the value of a key has."), this::objectRefcount))
                .subcommand(command(CommandSpec.of("object|help", 2).group("generic").flags(LOADING, STALE)
                        .acl("keyspace", "slow").since("6.2.0").complexity("O(1)")
                        .summary("Explains the OBJECT subcommands."), this::objectHelp))
                .build();
        return new Command(spec, ctx -> {
            throw Errors.unknownSubcommand(Bytes.str(ctx.arg(1)), "object");
        });
    }

    /** The key of an OBJECT subcommand, or null after answering nil for a missing key. */
    private Dict.Entry<Value> objectLookup(CommandContext ctx) {
        Dict.Entry<Value> e = lookupNoTouch(db(ctx), ctx.arg(2));
        if (e == null) {
            ctx.reply().nil();
        }
        return e;
    }

    private void objectEncoding(CommandContext ctx) {
        Dict.Entry<Value> e = objectLookup(ctx);
        if (e != null) {
            ctx.reply().bulk(e.value.encoding());
        }
    }

    private void objectRefcount(CommandContext ctx) {
        Dict.Entry<Value> e = objectLookup(ctx);
        if (e != null) {
            ctx.reply().integer(sharedInteger(e.value) ? SHARED_REFCOUNT : 1);
        }
    }

    /**
     * Redis keeps one shared object for each integer 0..9999 and stores it instead of a new
     * value, unless maxmemory is set with an LRU or LFU policy (which needs a clock per value).
     */
    private boolean sharedInteger(Value v) {
        if (!(v instanceof StringValue s) || !s.isInt() || s.longValue() < 0 || s.longValue() >= SHARED_INTEGERS) {
            return false;
        }
        String policy = maxmemoryPolicy();
        return maxmemory() == 0 || !(policy.contains("lru") || policy.contains("lfu"));
    }

    private void objectIdletime(CommandContext ctx) {
        Dict.Entry<Value> e = objectLookup(ctx);
        if (e == null) {
            return;
        }
        if (lfuPolicy()) {
            throw new CommandException("ERR An LFU maxmemory policy is selected, idle time not tracked. Please note "
                    + "that when switching between policies at runtime LRU and LFU data will take some time to adjust.");
        }
        int clock = server.lruClock();
        long idle = clock >= e.lru ? clock - e.lru : clock + (LRU_CLOCK_MAX - e.lru);
        ctx.reply().integer(idle);
    }

    /**
     * Under an LFU policy the 24 access bits hold the last decrement time in minutes (16 bits)
     * and a logarithmic counter (8 bits); the counter loses one per lfu-decay-time minutes.
     */
    private void objectFreq(CommandContext ctx) {
        Dict.Entry<Value> e = objectLookup(ctx);
        if (e == null) {
            return;
        }
        if (!lfuPolicy()) {
            throw new CommandException("ERR An LFU maxmemory policy is not selected, access frequency not tracked. "
                    + "Please note that when switching between policies at runtime LRU and LFU data will take some "
                    + "time to adjust.");
        }
        int lastDecrement = (e.lru >>> 8) & 0xFFFF;
        long counter = e.lru & 0xFF;
        int minutes = (int) ((System.currentTimeMillis() / 60_000) & 0xFFFF);
        long elapsed = minutes >= lastDecrement ? minutes - lastDecrement : 0xFFFF - lastDecrement + minutes;
        long decay = decayTime();
        long periods = decay > 0 ? elapsed / decay : 0;
        ctx.reply().integer(Math.max(0, counter - periods));
    }

    private void objectHelp(CommandContext ctx) {
        Introspection.help(ctx.reply(), "OBJECT", List.of(
                "ENCODING <key>",
                "    How the value at <key> is stored (int, embstr, raw, listpack, ...).",
                "FREQ <key>",
                "    The logarithmic access counter of <key> (LFU maxmemory policies only).",
                "IDLETIME <key>",
                "    Seconds since <key> was last read or written (not under LFU policies).",
                "REFCOUNT <key>",
                "    How many references the value at <key> has."));
    }

    private String maxmemoryPolicy() {
        String p = server.config.get("maxmemory-policy");
        return p == null ? "noeviction" : p.toLowerCase(Locale.ROOT);
    }

    private boolean lfuPolicy() {
        return maxmemoryPolicy().contains("lfu");
    }

    private long maxmemory() {
        return configNumber("maxmemory", 0);
    }

    private long decayTime() {
        return configNumber("lfu-decay-time", 1);
    }

    /** A numeric parameter whether a bundle owns it (parsed) or it is still kept as text. */
    private long configNumber(String name, long fallback) {
        String text = server.config.get(name);
        if (text == null) {
            return fallback;
        }
        try {
            return ConfigRegistry.memory(text);
        } catch (IllegalArgumentException e) {
            return fallback;
        }
    }
}
