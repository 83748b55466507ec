package io.modis.core;

import io.modis.api.Bytes;
import io.modis.api.Command;
import io.modis.api.CommandContext;
import io.modis.api.CommandException;
import io.modis.api.CommandSpec;
import io.modis.api.DebugSubcommand;
import io.modis.api.Errors;
import io.modis.api.Reply;
import io.modis.api.StringValue;
import io.modis.api.Value;
import io.modis.core.config.ConfigRegistry;
import io.modis.api.dict.Dict;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryUsage;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;

import static io.modis.api.CommandFlag.ADMIN;
import static io.modis.api.CommandFlag.LOADING;
import static io.modis.api.CommandFlag.NOSCRIPT;
import static io.modis.api.CommandFlag.PROTECTED;
import static io.modis.api.CommandFlag.STALE;

/**
 * DEBUG, gated by enable-debug-command. Its subcommands are not commands of their own in
 * Redis (COMMAND INFO debug lists none), so one handler dispatches on the subcommand name.
 */
final class DebugCommand {
    private static final long REPLY_BUFFER_DEFAULT_PEAK_RESET_MILLIS = 5000;

    private final Server server;
    private boolean skipChecksumValidation;
    /** Built-in subcommands a persistence bundle takes over when it contributes one of the same name. */
    private static final java.util.Set<String> PERSISTENCE_SUBCOMMANDS =
            java.util.Set.of("reload", "loadaof", "set-skip-checksum-validation");
    private long replyBufferPeakResetMillis = REPLY_BUFFER_DEFAULT_PEAK_RESET_MILLIS;
    private boolean replyBufferResizing = true;
    private long aofFlushSleepMicros;

    DebugCommand(Server server) {
        this.server = server;
    }

    Command command() {
        return new Command(CommandSpec.of("debug", -2).group("server").flags(ADMIN, NOSCRIPT, LOADING, STALE, PROTECTED)
                .acl("admin", "slow", "dangerous").summary("A container for debugging commands")
                .complexity("Depends on subcommand.").build(), this::debug);
    }

    private void debug(CommandContext ctx) {
        int argc = ctx.argc();
        DebugSubcommand persistence = server.debugSubcommands.get(ctx.argLower(1));
        if (persistence != null && PERSISTENCE_SUBCOMMANDS.contains(ctx.argLower(1))) {
            persistence.execute(ctx);
            return;
        }
        switch (ctx.argLower(1)) {
            case "help" -> when(ctx, argc == 2, this::help);
            case "log" -> when(ctx, argc == 3, this::log);
            case "reload" -> reload(ctx);
            case "loadaof" -> {
                DebugSubcommand aof = server.debugSubcommands.get("loadaof");
                if (aof == null) {
                    throw new CommandException("ERR DEBUG LOADAOF needs the persistence-aof bundle");
                }
                aof.execute(ctx);
            }
            case "object" -> when(ctx, argc == 3, this::object);
            case "populate" -> when(ctx, argc >= 3 && argc <= 5, this::populate);
            case "digest" -> when(ctx, argc == 2, this::digest);
            case "digest-value" -> digestValue(ctx);
            case "protocol" -> when(ctx, argc == 3, this::protocol);
            case "sleep" -> when(ctx, argc == 3, this::sleep);
            case "set-active-expire" -> when(ctx, argc == 3, c -> {
                server.activeExpire(atoi(c.arg(2)) != 0);
                c.reply().ok();
            });
            case "set-skip-checksum-validation" -> when(ctx, argc == 3, c -> {
                skipChecksumValidation = atoi(c.arg(2)) != 0;
                c.reply().ok();
            });
            case "aof-flush-sleep" -> when(ctx, argc == 3, c -> {
                aofFlushSleepMicros = atoi(c.arg(2));
                c.reply().ok();
            });
            case "set-disable-deny-scripts" -> when(ctx, argc == 3, c -> {
                server.scriptDenyDisabled = atoi(c.arg(2)) != 0;
                c.reply().ok();
            });
            case "pause-cron" -> when(ctx, argc == 3, c -> {
                server.debugPauseCron = atoi(c.arg(2)) != 0;
                c.reply().ok();
            });
            case "replybuffer" -> when(ctx, argc == 4, this::replyBuffer);
            case "change-repl-id" -> when(ctx, argc == 2, this::changeReplId);
            case "error" -> when(ctx, argc == 3, c ->
                    c.reply().error(Bytes.str(c.arg(2)).replace('\r', ' ').replace('\n', ' ')));
            case "htstats" -> when(ctx, argc == 3, this::htstats);
            case "htstats-key" -> when(ctx, argc == 3, this::htstatsKey);
            case "stringmatch-test" -> when(ctx, argc == 2, this::stringmatchTest);
            case "jmap" -> when(ctx, argc == 2, this::jmap);
            case "config-rewrite-force-all" -> when(ctx, argc == 2, new ConfigCommand(server)::rewriteForceAll);
            default -> {
                DebugSubcommand contributed = server.debugSubcommands.get(ctx.argLower(1));
                if (contributed == null) {
                    throw syntaxError(ctx);
                }
                contributed.execute(ctx);
            }
        }
    }

    private interface Branch {
        void run(CommandContext ctx);
    }

    private static void when(CommandContext ctx, boolean argcOk, Branch branch) {
        if (!argcOk) {
            throw syntaxError(ctx);
        }
        branch.run(ctx);
    }

    private static CommandException syntaxError(CommandContext ctx) {
        String sub = Bytes.str(ctx.arg(1));
        return new CommandException("ERR unknown subcommand or wrong number of arguments for '"
                + (sub.length() > 128 ? sub.substring(0, 128) : sub) + "'. Try DEBUG HELP.");
    }

    /** C's atoi: a leading integer, 0 if there is none. */
    private static long atoi(byte[] b) {
        int i = 0;
        boolean negative = false;
        if (i < b.length && (b[i] == '-' || b[i] == '+')) {
            negative = b[i] == '-';
            i++;
        }
        long v = 0;
        for (; i < b.length && b[i] >= '0' && b[i] <= '9'; i++) {
            v = v * 10 + (b[i] - '0');
        }
        return negative ? -v : v;
    }

    private void help(CommandContext ctx) {
        List<String> lines = new java.util.ArrayList<>(List.of(
                "AOF-FLUSH-SLEEP <microsec>",
                "    Accepted for test suites; there is no AOF flush to delay in this bundle.",
                "CHANGE-REPL-ID",
                "    Gives the server fresh replication ids (for replication tests only).",
                "CONFIG-REWRITE-FORCE-ALL",
                "    Like CONFIG REWRITE but writes every parameter, defaults included.",
                "DIGEST",
                "    A 40-hex-digit fingerprint of every database's keys, values and TTLs.",
                "DIGEST-VALUE <key> [<key> ...]",
                "    The fingerprint of each given key's value.",
                "ERROR <string>",
                "    Replies with <string> as an error, so clients can test error handling.",
                "LOG <message>",
                "    Writes <message> to the server log.",
                "HTSTATS <dbid>",
                "    Statistics of a database's hash tables.",
                "HTSTATS-KEY <key>",
                "    Statistics of the hash table holding the value at <key>, if it has one.",
                "JMAP",
                "    The JVM's heap, memory pools and collectors (what MALLOC-STATS is to Redis).",
                "LOADAOF",
                "    Reloads the AOF (needs the persistence-aof bundle).",
                "OBJECT <key>",
                "    Internal details of the value at <key>: encoding, size, access clock.",
                "POPULATE <count> [<prefix>] [<size>]",
                "    Adds <count> string keys <prefix>:<n> (default prefix 'key') without",
                "    replacing existing ones; values are 'value:<n>', or <size> bytes long.",
                "PROTOCOL <type>",
                "    Replies with a sample of a RESP type: string, integer, double, bignum, null,",
                "    array, set, map, attrib, push, verbatim, true or false.",
                "RELOAD [MERGE|NOFLUSH|NOSAVE ...]",
                "    Saves and reloads the dataset (needs the persistence-rdb bundle).",
                "SET-ACTIVE-EXPIRE <0|1>",
                "    0 stops the background expiry cycle (keys then expire only when touched).",
                "SET-SKIP-CHECKSUM-VALIDATION <0|1>",
                "    1 skips checksum checks of RDB files and RESTORE payloads.",
                "SLEEP <seconds>",
                "    Blocks the server for <seconds> (fractions allowed).",
                "STRINGMATCH-TEST",
                "    Runs a quick self-test of the glob matcher.",
                "PAUSE-CRON <0|1>",
                "    1 suspends the periodic tasks (expiry, rehashing).",
                "REPLYBUFFER PEAK-RESET-TIME <NEVER|RESET|<ms>> | RESIZING <0|1>",
                "    Accepted for test suites; reply buffers are managed by the transport."));
        server.debugSubcommands.values().forEach(d -> lines.addAll(d.help()));
        Introspection.help(ctx.reply(), "DEBUG", lines);
    }

    private void log(CommandContext ctx) {
        server.log.warning("DEBUG LOG: " + Bytes.str(ctx.arg(2)));
        ctx.reply().ok();
    }

    private void reload(CommandContext ctx) {
        for (int i = 2; i < ctx.argc(); i++) {
            String opt = ctx.argLower(i);
            if (!opt.equals("merge") && !opt.equals("noflush") && !opt.equals("nosave")) {
                throw new CommandException("ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.");
            }
        }
        throw new CommandException("ERR DEBUG RELOAD needs the persistence-rdb bundle");
    }

    // ---- keys and values ----

    private void object(CommandContext ctx) {
        Db db = (Db) ctx.db();
        Dict.Entry<Value> e = db.rawEntry(ctx.arg(2));
        if (e == null) {
            throw new CommandException(Errors.NO_SUCH_KEY);
        }
        Value v = e.value;
        String encoding = v.encoding();
        StringBuilder sb = new StringBuilder();
        sb.append("Value at:0x").append(Integer.toHexString(System.identityHashCode(v)))
                .append(" refcount:1 encoding:").append(encoding)
                .append(" serializedlength:").append(serializedLength(v))
                .append(" lru:").append(e.lru)
                .append(" lru_seconds_idle:").append(idleSeconds(e.lru));
        if (encoding.equals("quicklist")) {
            String fill = server.config.get("list-max-listpack-size");
            String depth = server.config.get("list-compress-depth");
            sb.append(" ql_nodes:1 ql_avg_node:0.00 ql_listpack_max:").append(fill == null ? "-2" : fill)
                    .append(" ql_compressed:").append(depth == null || depth.equals("0") ? 0 : 1)
                    .append(" ql_uncompressed_size:").append(v.memoryUsage());
        }
        ctx.reply().simple(sb.toString());
    }

    private static long serializedLength(Value v) {
        try {
            return v.type().serialize(v).length;
        } catch (RuntimeException e) {
            return v.memoryUsage();
        }
    }

    /** Seconds since {@code lru}, on the 24-bit seconds clock that wraps as Redis's does. */
    private long idleSeconds(int lru) {
        int clock = server.lruClock();
        return clock >= lru ? clock - lru : clock + (0xFFFFFF - lru);
    }

    private void populate(CommandContext ctx) {
        long count = positive(ctx.arg(2));
        String prefix = ctx.argc() >= 4 ? Bytes.str(ctx.arg(3)) : "key";
        long size = ctx.argc() == 5 ? positive(ctx.arg(4)) : 0;
        Db db = (Db) ctx.db();
        for (long j = 0; j < count; j++) {
            byte[] key = Bytes.of(prefix + ":" + j);
            if (db.exists(key)) {
                continue;
            }
            byte[] text = Bytes.of("value:" + j);
            byte[] value = size == 0 ? text : Arrays.copyOf(text, (int) Math.min(size, Integer.MAX_VALUE - 8));
            db.add(key, StringValue.of(value));
            ctx.touched(db, key);
        }
        ctx.reply().ok();
    }

    private static long positive(byte[] arg) {
        long v;
        try {
            v = Bytes.parseLong(arg);
        } catch (NumberFormatException e) {
            throw Errors.notInteger();
        }
        if (v < 0) {
            throw new CommandException("ERR value is out of range, must be positive");
        }
        return v;
    }

    private void digest(CommandContext ctx) {
        ctx.reply().simple(DatasetDigest.hex(new DatasetDigest().dataset(server)));
    }

    private void digestValue(CommandContext ctx) {
        Db db = (Db) ctx.db();
        DatasetDigest digest = new DatasetDigest();
        Reply r = ctx.reply();
        r.array(ctx.argc() - 2);
        for (int i = 2; i < ctx.argc(); i++) {
            // logically expired keys still have a digest, as in Redis
            Dict.Entry<Value> e = db.rawEntry(ctx.arg(i));
            r.simple(DatasetDigest.hex(e == null ? new byte[20] : digest.value(e)));
        }
    }

    // ---- the protocol and the engine ----

    private void protocol(CommandContext ctx) {
        Reply r = ctx.reply();
        switch (ctx.argLower(2)) {
            case "string" -> r.bulk("Hello World");
            case "integer" -> r.integer(12345);
            case "double" -> r.dbl(3.141);
            case "bignum" -> r.bigNumber("1234567999999999999999999999999999999");
            case "null" -> r.nil();
            case "array" -> {
                r.array(3);
                for (int j = 0; j < 3; j++) {
                    r.integer(j);
                }
            }
            case "set" -> {
                r.set(3);
                for (int j = 0; j < 3; j++) {
                    r.integer(j);
                }
            }
            case "map" -> {
                r.map(3);
                for (int j = 0; j < 3; j++) {
                    r.integer(j);
                    r.bool(j == 1);
                }
            }
            case "attrib" -> {
                if (r.protocol() == 3) {
                    r.attribute(1);
                    r.bulk("key-popularity");
                    r.array(2);
                    r.bulk("key:123");
                    r.integer(90);
                }
                r.bulk("Some real reply following the attribute");
            }
            case "push" -> {
                if (r.protocol() < 3) {
                    throw new CommandException("ERR RESP2 is not supported by this command");
                }
                r.push(2);
                r.bulk("server-cpu-usage");
                r.integer(42);
                r.bulk("Some real reply following the push reply");
            }
            case "true" -> r.bool(true);
            case "false" -> r.bool(false);
            case "verbatim" -> r.verbatim("txt", Bytes.of("This is a verbatim\nstring"));
            default -> throw new CommandException("ERR Wrong protocol type name. Please use one of the following: "
                    + "string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false");
        }
    }

    /** Blocks the engine thread: that is what the tests that use it want. */
    private void sleep(CommandContext ctx) {
        double seconds;
        try {
            seconds = Double.parseDouble(Bytes.str(ctx.arg(2)).trim());
        } catch (NumberFormatException e) {
            seconds = 0;
        }
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        long left;
        while ((left = deadline - System.nanoTime()) > 0) {
            LockSupport.parkNanos(left);
        }
        ctx.reply().ok();
    }

    private void replyBuffer(CommandContext ctx) {
        if (Bytes.is(ctx.arg(2), "peak-reset-time")) {
            if (Bytes.is(ctx.arg(3), "never")) {
                replyBufferPeakResetMillis = -1;
            } else if (Bytes.is(ctx.arg(3), "reset")) {
                replyBufferPeakResetMillis = REPLY_BUFFER_DEFAULT_PEAK_RESET_MILLIS;
            } else {
                replyBufferPeakResetMillis = ctx.argLong(3);
            }
        } else if (Bytes.is(ctx.arg(2), "resizing")) {
            replyBufferResizing = atoi(ctx.arg(3)) != 0;
        } else {
            throw syntaxError(ctx);
        }
        ctx.reply().ok();
    }

    private void changeReplId(CommandContext ctx) {
        server.log.warning("Changing replication IDs after receiving DEBUG change-repl-id");
        server.replId = Server.randomHexId();
        server.replId2 = "0".repeat(40);
        ctx.reply().ok();
    }

    private void htstats(CommandContext ctx) {
        long dbid = ctx.argLong(2);
        if (dbid < 0 || dbid >= server.databases()) {
            throw new CommandException("ERR Out of range database");
        }
        ctx.reply().verbatim("txt", Bytes.of(server.db((int) dbid).htStats()));
    }

    private void htstatsKey(CommandContext ctx) {
        Value v = ctx.db().get(ctx.arg(2));
        if (v == null) {
            throw new CommandException(Errors.NO_SUCH_KEY);
        }
        String stats = v.hashTableStats();
        if (stats == null) {
            throw new CommandException("ERR The value stored at the specified key is not represented using an hash table");
        }
        ctx.reply().verbatim("txt", Bytes.of(stats));
    }

    /** Matches random patterns against random strings: it passes if nothing throws. */
    private void stringmatchTest(CommandContext ctx) {
        Random random = new Random();
        byte[] alphabet = Bytes.of("*?[]^-\\abc");
        for (int i = 0; i < 100_000; i++) {
            byte[] pattern = new byte[random.nextInt(32)];
            byte[] text = new byte[random.nextInt(32)];
            for (int j = 0; j < pattern.length; j++) {
                pattern[j] = alphabet[random.nextInt(alphabet.length)];
            }
            random.nextBytes(text);
            Bytes.globMatch(pattern, text, random.nextBoolean());
        }
        ctx.reply().simple("Apparently Redis did not crash: test passed");
    }

    /** The JVM's memory report: Modis's counterpart of Redis's MALLOC-STATS. */
    private void jmap(CommandContext ctx) {
        StringBuilder sb = new StringBuilder();
        var memory = ManagementFactory.getMemoryMXBean();
        usage(sb, "heap", memory.getHeapMemoryUsage());
        usage(sb, "non-heap", memory.getNonHeapMemoryUsage());
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            usage(sb, "pool " + pool.getName() + " (" + pool.getType().toString().toLowerCase(Locale.ROOT) + ")",
                    pool.getUsage());
        }
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            sb.append("gc ").append(gc.getName()).append(": collections=").append(gc.getCollectionCount())
                    .append(" time_ms=").append(gc.getCollectionTime()).append('\n');
        }
        ctx.reply().bulk(sb.toString());
    }

    private static void usage(StringBuilder sb, String name, MemoryUsage u) {
        if (u == null) {
            return;
        }
        sb.append(name).append(": used=").append(u.getUsed()).append(" committed=").append(u.getCommitted())
                .append(" max=").append(u.getMax()).append('\n');
    }
}
