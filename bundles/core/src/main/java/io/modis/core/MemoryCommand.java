package io.modis.core;

import static io.modis.api.CommandFlag.LOADING;
import static io.modis.api.CommandFlag.READONLY;
import static io.modis.api.CommandFlag.STALE;

import io.modis.api.Bytes;
import io.modis.api.Command;
import io.modis.api.CommandContext;
import io.modis.api.CommandException;
import io.modis.api.CommandHandler;
import io.modis.api.CommandSpec;
import io.modis.api.Errors;
import io.modis.api.KeySpec;
import io.modis.api.Reply;
import io.modis.api.Value;
import io.modis.api.dict.Dict;

import java.util.List;

/**
 * MEMORY and its subcommands. Sizes come from the values' own estimates
 * ({@link Value#memoryUsage()}) plus what the keyspace spends per key; process figures come
 * from the JVM heap and /proc.
 */
final class MemoryCommand {
    /** Bytes a key costs the keyspace besides its value: the table entry and the key array's header. */
    static final int PER_KEY_OVERHEAD = 40 + 16;

    private final Server server;

    MemoryCommand(Server server) {
        this.server = server;
    }

    private static Command sub(String name, int arity, String summary, String complexity, CommandHandler handler,
                               io.modis.api.CommandFlag... flags) {
        return new Command(CommandSpec.of("memory|" + name, arity).group("server").since("4.0.0").flags(flags)
                .acl("slow").summary(summary).complexity(complexity).build(), handler);
    }

    Command command() {
        String slow = "Depends on how much memory is allocated, could be slow";
        CommandSpec.Builder usage = CommandSpec.of("memory|usage", -3).group("server").since("4.0.0").flags(READONLY)
                .acl("read", "slow").keys(2, 2, 1).keySpec(KeySpec.range(2, 0, 1, "RO"))
                .summary("Estimate the memory usage of a key").complexity("O(N) where N is the number of samples.");
        CommandSpec spec = CommandSpec.of("memory", -2).group("server").since("4.0.0")
                .summary("A container for memory diagnostics commands").complexity("Depends on subcommand.")
                .subcommand(sub("doctor", 2, "Outputs memory problems report", "O(1)", this::doctor))
                .subcommand(sub("help", 2, "Show helpful text about the different subcommands", "O(1)", this::help,
                        LOADING, STALE))
                .subcommand(sub("malloc-stats", 2, "Show allocator internal stats", slow,
                        ctx -> ctx.reply().verbatim("txt", Bytes.of("Stats not supported for the current allocator"))))
                .subcommand(sub("purge", 2, "Ask the allocator to release memory", slow, ctx -> {
                    server.heapTrimmer.trim(); // in the background: the reply does not wait for it
                    ctx.reply().ok();
                }))
                .subcommand(sub("stats", 2, "Show memory usage details", "O(1)", this::stats))
                .subcommand(new Command(usage.build(), this::usage))
                .build();
        return new Command(spec, ctx -> {
            throw Errors.unknownSubcommand(ctx.argLower(1), "memory");
        });
    }

    private void help(CommandContext ctx) {
        Introspection.help(ctx.reply(), "MEMORY", List.of(
                "DOCTOR",
                "    Return memory problems reports.",
                "MALLOC-STATS",
                "    Return internal statistics report from the memory allocator.",
                "PURGE",
                "    Attempt to purge dirty pages for reclamation by the allocator.",
                "STATS",
                "    Return information about the memory usage of the server.",
                "USAGE <key> [SAMPLES <count>]",
                "    Return memory in bytes used by <key> and its value. Nested values are",
                "    sampled up to <count> times (default: 5, 0 means sample all)."));
    }

    /** MEMORY USAGE key [SAMPLES count]: the estimates are exact sums, so SAMPLES is only checked. */
    private void usage(CommandContext ctx) {
        for (int j = 3; j < ctx.argc(); j++) {
            if (Bytes.is(ctx.arg(j), "samples") && j + 1 < ctx.argc()) {
                if (ctx.argLong(j + 1) < 0) {
                    throw Errors.syntax();
                }
                j++;
            } else {
                throw Errors.syntax();
            }
        }
        Dict.Entry<Value> e = ((Db) ctx.db()).rawEntry(ctx.arg(2));
        if (e == null) {
            ctx.reply().nil();
            return;
        }
        ctx.reply().integer(e.value.memoryUsage() + e.key.length + PER_KEY_OVERHEAD);
    }

    private void stats(CommandContext ctx) {
        Runtime rt = Runtime.getRuntime();
        long heap = rt.totalMemory() - rt.freeMemory();
        long committed = rt.totalMemory();
        long rss = Introspection.residentSetSize(committed);
        // the totals are used_memory's estimate (Eviction); allocator.* are the JVM heap's figures
        server.eviction.sampleClients();
        long used = server.eviction.usedMemory();
        long peak = server.stats.peakMemory(used);
        long keys = 0;
        int dbsWithKeys = 0;
        for (int i = 0; i < server.databases(); i++) {
            long n = server.db(i).size();
            keys += n;
            if (n > 0) {
                dbsWithKeys++;
            }
        }
        long overhead = keys * PER_KEY_OVERHEAD;
        long dataset = server.eviction.datasetMemory();
        Reply r = ctx.reply();
        r.map(27 + dbsWithKeys);
        field(r, "peak.allocated", peak);
        field(r, "total.allocated", used);
        field(r, "startup.allocated", Eviction.STARTUP_BYTES);
        field(r, "replication.backlog", 0);
        field(r, "clients.slaves", 0);
        field(r, "clients.normal", server.eviction.clientsMemory);
        field(r, "cluster.links", 0);
        field(r, "aof.buffer", 0);
        field(r, "lua.caches", 0);
        field(r, "functions.caches", 0);
        for (int i = 0; i < server.databases(); i++) {
            Db db = server.db(i);
            if (db.size() == 0) {
                continue;
            }
            r.bulk(Bytes.of("db." + i));
            r.map(3);
            field(r, "overhead.hashtable.main", db.size() * PER_KEY_OVERHEAD);
            field(r, "overhead.hashtable.expires", db.expiresSize() * PER_KEY_OVERHEAD);
            field(r, "overhead.hashtable.slot-to-keys", 0);
        }
        field(r, "overhead.total", overhead);
        field(r, "keys.count", keys);
        field(r, "keys.bytes-per-key", keys == 0 ? 0 : used / keys);
        field(r, "dataset.bytes", dataset);
        r.bulk(Bytes.of("dataset.percentage"));
        r.dbl(used == 0 ? 0 : dataset * 100.0 / used);
        r.bulk(Bytes.of("peak.percentage"));
        r.dbl(peak == 0 ? 0 : used * 100.0 / peak);
        field(r, "allocator.allocated", heap);
        field(r, "allocator.active", committed);
        field(r, "allocator.resident", rss);
        ratio(r, "allocator-fragmentation.ratio", committed, heap);
        field(r, "allocator-fragmentation.bytes", committed - heap);
        ratio(r, "allocator-rss.ratio", rss, committed);
        field(r, "allocator-rss.bytes", rss - committed);
        ratio(r, "rss-overhead.ratio", rss, rss);
        field(r, "rss-overhead.bytes", 0);
        ratio(r, "fragmentation", rss, used);
        field(r, "fragmentation.bytes", rss - used);
    }

    private static void field(Reply r, String name, long value) {
        r.bulk(Bytes.of(name));
        r.integer(value);
    }

    private static void ratio(Reply r, String name, long a, long b) {
        r.bulk(Bytes.of(name));
        r.dbl(b == 0 ? 0 : (double) a / b);
    }

    /** A short report in Modis's own words: the heap and how full it is. */
    private void doctor(CommandContext ctx) {
        Runtime rt = Runtime.getRuntime();
        long used = rt.totalMemory() - rt.freeMemory();
        long max = rt.maxMemory();
        String text = "Heap in use: " + Introspection.human(used) + " of " + Introspection.human(max) + " allowed ("
                + (max == 0 ? 0 : used * 100 / max) + "%). "
                + (used * 10 > max * 9 ? "The heap is nearly full: raise -Xmx or set maxmemory."
                        : "No memory problem detected.");
        ctx.reply().verbatim("txt", Bytes.of(text));
    }
}
