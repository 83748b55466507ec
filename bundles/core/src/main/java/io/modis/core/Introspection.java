package io.modis.core;

import io.modis.api.Bytes;
import io.modis.api.Command;
import io.modis.api.CommandContext;
import io.modis.api.CommandException;
import io.modis.api.CommandFlag;
import io.modis.api.CommandKeys;
import io.modis.api.CommandSpec;
import io.modis.api.Errors;
import io.modis.api.InfoSection;
import io.modis.api.KeySpec;
import io.modis.api.Reply;
import io.modis.core.config.ConfigRegistry;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeMap;

import static io.modis.api.CommandFlag.LOADING;
import static io.modis.api.CommandFlag.SENTINEL;
import static io.modis.api.CommandFlag.STALE;
import static io.modis.core.CoreCommands.command;

/** INFO and COMMAND: what the server knows about itself. */
final class Introspection {
    /** The sections plain INFO shows ("module_list" is Redis's name for the Modules section there). */
    private static final List<String> DEFAULT_SECTIONS = List.of("server", "clients", "memory", "persistence",
            "stats", "replication", "cpu", "modules", "errorstats", "cluster", "keyspace");
    /** Every built-in section, in the order Redis prints them. */
    private static final List<String> SECTIONS = List.of("server", "clients", "memory", "persistence", "stats",
            "replication", "cpu", "modules", "commandstats", "errorstats", "latencystats", "cluster", "keyspace");
    /** Redis's ACL categories in the order COMMAND INFO lists them. */
    static final List<String> ACL_CATEGORIES = List.of("keyspace", "read", "write", "set", "sortedset", "list",
            "hash", "string", "bitmap", "hyperloglog", "geo", "stream", "pubsub", "admin", "fast", "slow",
            "blocking", "dangerous", "connection", "transaction", "scripting");
    /** Flags Redis keeps out of COMMAND INFO. */
    private static final Set<CommandFlag> HIDDEN_FLAGS = EnumSet.of(CommandFlag.MAY_REPLICATE, CommandFlag.SENTINEL,
            CommandFlag.ONLY_SENTINEL, CommandFlag.PROTECTED, CommandFlag.MOVABLE_KEYS);

    private final Server server;
    private final long startupMemory;

    Introspection(Server server) {
        this.server = server;
        Runtime rt = Runtime.getRuntime();
        this.startupMemory = rt.totalMemory() - rt.freeMemory();
    }

    private static CommandSpec.Builder sub(String name, int arity) {
        return CommandSpec.of("command|" + name, arity).group("server").flags(LOADING, STALE, SENTINEL)
                .acl("connection");
    }

    List<Command> commands() {
        CommandSpec command = CommandSpec.of("command", -1).group("server").flags(LOADING, STALE, SENTINEL)
                .acl("connection").since("2.8.13").summary("Get array of Redis command details")
                .complexity("O(N) where N is the total number of Redis commands")
                .subcommand(new Command(sub("count", 2).since("2.8.13").summary("Get total number of Redis commands")
                        .complexity("O(1)").build(), ctx -> ctx.reply().integer(server.commands.size())))
                .subcommand(new Command(sub("docs", -2).since("7.0.0")
                        .summary("Get array of specific Redis command documentation")
                        .complexity("O(N) where N is the number of commands to look up").build(), this::commandDocs))
                .subcommand(new Command(sub("getkeys", -4).since("2.8.13")
                        .summary("Extract keys given a full Redis command")
                        .complexity("O(N) where N is the number of arguments to the command").build(),
                        ctx -> getKeys(ctx, false)))
                .subcommand(new Command(sub("getkeysandflags", -4).since("7.0.0")
                        .summary("Extract keys and access flags given a full Redis command")
                        .complexity("O(N) where N is the number of arguments to the command").build(),
                        ctx -> getKeys(ctx, true)))
                .subcommand(new Command(sub("help", 2).since("5.0.0")
                        .summary("Show helpful text about the different subcommands").complexity("O(1)").build(),
                        this::commandHelp))
                .subcommand(new Command(sub("info", -2).since("2.8.13")
                        .summary("Get array of specific Redis command details, or all when no argument is given.")
                        .complexity("O(N) where N is the number of commands to look up").build(), this::commandInfo))
                .subcommand(new Command(sub("list", -2).since("7.0.0").summary("Get an array of Redis command names")
                        .complexity("O(N) where N is the total number of Redis commands").build(), this::commandList))
                .build();
        return List.of(
                command(CommandSpec.of("info", -1).group("server").flags(LOADING, STALE, SENTINEL).acl("dangerous")
                        .summary("Get information and statistics about the server").complexity("O(1)"), this::info),
                new Command(command, ctx -> {
                    if (ctx.argc() > 1) {
                        throw Errors.unknownSubcommand(ctx.argLower(1), "command");
                    }
                    replyAllInfo(ctx.reply());
                }));
    }

    // ---- INFO ----

    private void info(CommandContext ctx) {
        Set<String> wanted = new LinkedHashSet<>();
        boolean all = false;
        boolean everything = false;
        if (ctx.argc() == 1) {
            wanted.addAll(DEFAULT_SECTIONS);
        }
        for (int i = 1; i < ctx.argc(); i++) {
            String s = ctx.argLower(i);
            switch (s) {
                case "default" -> wanted.addAll(DEFAULT_SECTIONS);
                case "all" -> all = true;
                case "everything" -> {
                    all = true;
                    everything = true;
                }
                case "module_list" -> wanted.add("modules");
                default -> wanted.add(s);
            }
        }
        ctx.reply().verbatim("txt", Bytes.of(report(wanted, all, everything)));
    }

    /** The INFO text for the chosen sections ("all" adds every section but the extra ones). */
    String report(Set<String> wanted, boolean all, boolean everything) {
        boolean plain = wanted.containsAll(DEFAULT_SECTIONS);
        StringBuilder out = new StringBuilder(4096);
        for (String name : SECTIONS) {
            if (!all && !wanted.contains(name)) {
                continue;
            }
            InfoSection provided = provided(name);
            if (provided != null) {
                section(out, provided);
            } else {
                builtIn(out, name);
            }
        }
        for (InfoSection s : server.infoSections) {
            if (SECTIONS.contains(s.name())) {
                continue;
            }
            if (everything || all || wanted.contains(s.name()) || (plain && s.isDefault())) {
                section(out, s);
            }
        }
        return out.toString();
    }

    private InfoSection provided(String name) {
        for (InfoSection s : server.infoSections) {
            if (s.name().equalsIgnoreCase(name)) {
                return s;
            }
        }
        return null;
    }

    private static void header(StringBuilder out, String title) {
        if (out.length() > 0) {
            out.append("\r\n");
        }
        out.append("# ").append(title).append("\r\n");
    }

    private static void section(StringBuilder out, InfoSection s) {
        String n = s.name();
        header(out, n.isEmpty() ? n : Character.toUpperCase(n.charAt(0)) + n.substring(1));
        s.write((field, value) -> out.append(field).append(':').append(value).append("\r\n"));
    }

    private void builtIn(StringBuilder out, String name) {
        Map<String, Object> contributed = new LinkedHashMap<>();
        for (io.modis.api.InfoFields extra : server.infoFields) {
            if (extra.section().equals(name)) {
                extra.write(contributed::put);
            }
        }
        Fields f = new Fields(out, contributed);
        builtInFields(out, name, f);
        contributed.forEach((field, value) -> out.append(field).append(':').append(value).append("\r\n"));
    }

    private void builtInFields(StringBuilder out, String name, Fields f) {
        switch (name) {
            case "server" -> {
                header(out, "Server");
                serverSection(f);
            }
            case "clients" -> {
                header(out, "Clients");
                clientsSection(f);
            }
            case "memory" -> {
                header(out, "Memory");
                memorySection(f);
            }
            case "persistence" -> {
                header(out, "Persistence");
                persistenceSection(f);
            }
            case "stats" -> {
                header(out, "Stats");
                statsSection(f);
            }
            case "replication" -> {
                header(out, "Replication");
                replicationSection(f);
            }
            case "cpu" -> {
                header(out, "CPU");
                cpuSection(f);
            }
            case "modules" -> header(out, "Modules");
            case "commandstats" -> {
                header(out, "Commandstats");
                commandStats(f);
            }
            case "errorstats" -> {
                header(out, "Errorstats");
                for (var e : new TreeMap<>(server.stats.errors).entrySet()) {
                    f.put("errorstat_" + safe(e.getKey()), "count=" + e.getValue());
                }
            }
            case "latencystats" -> {
                header(out, "Latencystats");
                server.latency.infoFields(f::put);
            }
            case "cluster" -> {
                header(out, "Cluster");
                f.put("cluster_enabled", 0);
            }
            case "keyspace" -> {
                header(out, "Keyspace");
                keyspaceSection(f);
            }
            default -> throw new IllegalStateException("no built-in section " + name);
        }
    }

    /** Appends "name:value" lines; a value a bundle contributed for the name replaces the core's. */
    private record Fields(StringBuilder out, Map<String, Object> contributed) {
        void put(String name, Object value) {
            Object v = value;
            if (contributed.containsKey(name)) {
                v = contributed.remove(name);
            }
            out.append(name).append(':').append(v).append("\r\n");
        }
    }

    private void serverSection(Fields f) {
        long now = System.currentTimeMillis();
        long uptime = (now - server.startMillis) / 1000;
        long hz = server.config.getLong("hz");
        f.put("redis_version", CoreComponent.REDIS_VERSION);
        f.put("redis_git_sha1", "00000000");
        f.put("redis_git_dirty", 0);
        f.put("redis_build_id", String.format("%016x", (long) ("modis-" + CoreComponent.VERSION).hashCode()));
        f.put("redis_mode", "standalone");
        f.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + machine());
        f.put("arch_bits", 64);
        f.put("monotonic_clock", "POSIX clock_gettime");
        f.put("multiplexing_api", "netty");
        f.put("atomicvar_api", "java");
        f.put("gcc_version", "0.0.0");
        f.put("process_id", ProcessHandle.current().pid());
        f.put("process_supervised", "no");
        f.put("run_id", server.runId);
        f.put("tcp_port", param("port", "0"));
        f.put("server_time_usec", now * 1000);
        f.put("uptime_in_seconds", uptime);
        f.put("uptime_in_days", uptime / (3600 * 24));
        f.put("hz", hz);
        f.put("configured_hz", hz);
        f.put("lru_clock", server.lruClock());
        f.put("executable", executable());
        f.put("config_file", server.configFile == null ? "" : server.configFile);
        f.put("io_threads_active", 0);
        f.put("modis_version", CoreComponent.VERSION);
        f.put("java_version", System.getProperty("java.version"));
    }

    /** A parameter's text, or {@code fallback} when no bundle knows the parameter. */
    private String param(String name, String fallback) {
        String v = server.config.get(name);
        return v == null ? fallback : v;
    }

    private static String machine() {
        String arch = System.getProperty("os.arch");
        return "amd64".equals(arch) ? "x86_64" : arch;
    }

    private static String executable() {
        String e = System.getProperty("modis.executable");
        if (e != null) {
            return e;
        }
        return ProcessHandle.current().info().command().orElse("");
    }

    private void clientsSection(Fields f) {
        long maxIn = 0;
        long maxOut = 0;
        int withTimeout = 0;
        for (ClientSession c : server.clients().values()) {
            maxIn = Math.max(maxIn, c.conn.queryBufferSize());
            maxOut = Math.max(maxOut, c.conn.outputBufferSize());
            if (c.blockedOn != null && c.blockedOn.timeout != null) {
                withTimeout++;
            }
        }
        f.put("connected_clients", server.clients().size());
        f.put("cluster_connections", 0);
        f.put("maxclients", server.config.getLong("maxclients"));
        f.put("client_recent_max_input_buffer", maxIn);
        f.put("client_recent_max_output_buffer", maxOut);
        f.put("blocked_clients", server.blockedClients());
        f.put("tracking_clients", server.tracking.clients());
        f.put("clients_in_timeout_table", withTimeout);
    }

    private void memorySection(Fields f) {
        Runtime rt = Runtime.getRuntime();
        long heap = rt.totalMemory() - rt.freeMemory();
        long committed = rt.totalMemory();
        long rss = residentSetSize(committed);
        // used_memory is the estimate maxmemory works with (Eviction): data + clients + startup
        server.eviction.sampleClients();
        long used = server.eviction.usedMemory();
        long peak = server.stats.peakMemory(used);
        long startup = Eviction.STARTUP_BYTES;
        long dataset = server.eviction.datasetMemory();
        long maxmemory = maxmemory();
        long system = totalSystemMemory();
        f.put("used_memory", used);
        f.put("used_memory_human", human(used));
        f.put("used_memory_rss", rss);
        f.put("used_memory_rss_human", human(rss));
        f.put("used_memory_peak", peak);
        f.put("used_memory_peak_human", human(peak));
        f.put("used_memory_peak_perc", percent(used, peak));
        f.put("used_memory_overhead", used - dataset);
        f.put("used_memory_startup", startup);
        f.put("used_memory_dataset", dataset);
        f.put("used_memory_dataset_perc", percent(dataset, used));
        f.put("allocator_allocated", heap);
        f.put("allocator_active", committed);
        f.put("allocator_resident", rss);
        f.put("total_system_memory", system);
        f.put("total_system_memory_human", human(system));
        f.put("used_memory_lua", 0);
        f.put("used_memory_vm_eval", 0);
        f.put("used_memory_lua_human", "0B");
        f.put("used_memory_scripts_eval", 0);
        f.put("number_of_cached_scripts", 0);
        f.put("number_of_functions", 0);
        f.put("number_of_libraries", 0);
        f.put("used_memory_vm_functions", 0);
        f.put("used_memory_vm_total", 0);
        f.put("used_memory_vm_total_human", "0B");
        f.put("used_memory_functions", 0);
        f.put("used_memory_scripts", 0);
        f.put("used_memory_scripts_human", "0B");
        f.put("maxmemory", maxmemory);
        f.put("maxmemory_human", human(maxmemory));
        f.put("maxmemory_policy", param("maxmemory-policy", "noeviction"));
        f.put("allocator_frag_ratio", ratio(committed, heap));
        f.put("allocator_frag_bytes", committed - heap);
        f.put("allocator_rss_ratio", ratio(rss, committed));
        f.put("allocator_rss_bytes", rss - committed);
        f.put("rss_overhead_ratio", ratio(rss, rss));
        f.put("rss_overhead_bytes", 0);
        f.put("mem_fragmentation_ratio", ratio(rss, used));
        f.put("mem_fragmentation_bytes", rss - used);
        f.put("mem_not_counted_for_evict", 0);
        f.put("mem_replication_backlog", 0);
        f.put("mem_total_replication_buffers", 0);
        f.put("mem_clients_slaves", 0);
        f.put("mem_clients_normal", server.eviction.clientsMemory);
        f.put("mem_cluster_links", 0);
        f.put("mem_aof_buffer", 0);
        f.put("mem_allocator", "jvm");
        // Modis's own: the JVM heap committed now, and heap trims done after bursts (HeapTrimmer)
        f.put("heap_committed", committed);
        f.put("heap_trims", server.heapTrimmer.trims());
        f.put("active_defrag_running", 0);
        f.put("lazyfree_pending_objects", 0);
        f.put("lazyfreed_objects", 0);
    }

    private long clientsMemory() {
        long sum = 0;
        for (ClientSession c : server.clients().values()) {
            sum += ClientCommands.totalMemory(c, null);
        }
        return sum;
    }

    private long maxmemory() {
        String v = server.config.get("maxmemory");
        if (v == null) {
            return 0;
        }
        try {
            return ConfigRegistry.memory(v);
        } catch (RuntimeException e) {
            return 0;
        }
    }

    /** The process's resident set from /proc, or {@code fallback} where /proc is absent. */
    static long residentSetSize(long fallback) {
        try {
            String[] statm = Files.readString(Path.of("/proc/self/statm")).trim().split("\\s+");
            return Long.parseLong(statm[1]) * 4096;
        } catch (IOException | RuntimeException e) {
            return fallback;
        }
    }

    private static long totalSystemMemory() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: reported as unknown
        }
        return 0;
    }

    /** Redis's bytesToHuman: 100B, 1.50K, 2.00M ... */
    static String human(long n) {
        String[] units = {"K", "M", "G", "T", "P"};
        if (n < 1024) {
            return n + "B";
        }
        double d = n;
        for (String u : units) {
            d /= 1024;
            if (d < 1024 || u.equals("P")) {
                return String.format(Locale.ROOT, "%.2f%s", d, u);
            }
        }
        return n + "B";
    }

    private static String percent(long part, long whole) {
        return String.format(Locale.ROOT, "%.2f%%", whole == 0 ? 0.0 : part * 100.0 / whole);
    }

    private static String ratio(long a, long b) {
        return String.format(Locale.ROOT, "%.2f", b == 0 ? 0.0 : (double) a / b);
    }

    private void persistenceSection(Fields f) {
        f.put("loading", server.persistence.loading ? 1 : 0);
        f.put("async_loading", 0);
        f.put("current_cow_peak", 0);
        f.put("current_cow_size", 0);
        f.put("current_cow_size_age", 0);
        f.put("current_fork_perc", "0.00");
        f.put("current_save_keys_processed", 0);
        f.put("current_save_keys_total", 0);
        f.put("rdb_changes_since_last_save", server.dirty);
        f.put("rdb_bgsave_in_progress", 0);
        f.put("rdb_last_save_time", server.lastSave);
        f.put("rdb_last_bgsave_status", "ok");
        f.put("rdb_last_bgsave_time_sec", -1);
        f.put("rdb_current_bgsave_time_sec", -1);
        f.put("rdb_saves", 0);
        f.put("rdb_last_cow_size", 0);
        f.put("rdb_last_load_keys_expired", 0);
        f.put("rdb_last_load_keys_loaded", 0);
        f.put("aof_enabled", 0);
        f.put("aof_rewrite_in_progress", 0);
        f.put("aof_rewrite_scheduled", 0);
        f.put("aof_last_rewrite_time_sec", -1);
        f.put("aof_current_rewrite_time_sec", -1);
        f.put("aof_last_bgrewrite_status", "ok");
        f.put("aof_rewrites", 0);
        f.put("aof_rewrites_consecutive_failures", 0);
        f.put("aof_last_write_status", "ok");
        f.put("aof_last_cow_size", 0);
        f.put("module_fork_in_progress", 0);
        f.put("module_fork_last_cow_size", 0);
    }

    private void statsSection(Fields f) {
        Stats s = server.stats;
        f.put("total_connections_received", s.connectionsReceived);
        f.put("total_commands_processed", s.commandsProcessed);
        f.put("instantaneous_ops_per_sec", s.instantaneous(Stats.METRIC_COMMANDS));
        f.put("total_net_input_bytes", s.netInputBytes);
        f.put("total_net_output_bytes", s.netOutputBytes);
        f.put("total_net_repl_input_bytes", 0);
        f.put("total_net_repl_output_bytes", 0);
        f.put("instantaneous_input_kbps", kbps(s.instantaneous(Stats.METRIC_NET_INPUT)));
        f.put("instantaneous_output_kbps", kbps(s.instantaneous(Stats.METRIC_NET_OUTPUT)));
        f.put("instantaneous_input_repl_kbps", "0.00");
        f.put("instantaneous_output_repl_kbps", "0.00");
        f.put("rejected_connections", s.rejectedConnections);
        f.put("sync_full", 0);
        f.put("sync_partial_ok", 0);
        f.put("sync_partial_err", 0);
        f.put("expired_keys", s.expiredKeys);
        f.put("expired_stale_perc", String.format(Locale.ROOT, "%.2f", (double) s.expiredStalePerc));
        f.put("expired_time_cap_reached_count", 0);
        f.put("expire_cycle_cpu_milliseconds", s.expireCycleCpuMillis);
        f.put("evicted_keys", s.evictedKeys);
        f.put("evicted_clients", s.evictedClients);
        f.put("total_eviction_exceeded_time", 0);
        f.put("current_eviction_exceeded_time", 0);
        f.put("keyspace_hits", s.keyspaceHits);
        f.put("keyspace_misses", s.keyspaceMisses);
        f.put("pubsub_channels", 0);
        f.put("pubsub_patterns", 0);
        f.put("pubsubshard_channels", 0);
        f.put("latest_fork_usec", 0);
        f.put("total_forks", server.persistence.snapshotsStarted);
        f.put("migrate_cached_sockets", 0);
        f.put("slave_expires_tracked_keys", 0);
        f.put("active_defrag_hits", 0);
        f.put("active_defrag_misses", 0);
        f.put("active_defrag_key_hits", 0);
        f.put("active_defrag_key_misses", 0);
        f.put("total_active_defrag_time", 0);
        f.put("current_active_defrag_time", 0);
        f.put("tracking_total_keys", server.tracking.totalKeys());
        f.put("tracking_total_items", server.tracking.totalItems());
        f.put("tracking_total_prefixes", server.tracking.totalPrefixes());
        f.put("unexpected_error_replies", s.unexpectedErrorReplies);
        f.put("total_error_replies", s.errorReplies);
        f.put("dump_payload_sanitizations", 0);
        f.put("total_reads_processed", s.totalReadsProcessed);
        f.put("total_writes_processed", s.totalWritesProcessed);
        f.put("io_threaded_reads_processed", 0);
        f.put("io_threaded_writes_processed", 0);
        f.put("reply_buffer_shrinks", 0);
        f.put("reply_buffer_expands", 0);
    }

    private static String kbps(long bytesPerSecond) {
        return String.format(Locale.ROOT, "%.2f", bytesPerSecond / 1024.0);
    }

    private void replicationSection(Fields f) {
        f.put("role", "master");
        f.put("connected_slaves", 0);
        f.put("master_failover_state", "no-failover");
        f.put("master_replid", server.replId);
        f.put("master_replid2", server.replId2);
        f.put("master_repl_offset", 0);
        f.put("second_repl_offset", -1);
        f.put("repl_backlog_active", 0);
        f.put("repl_backlog_size", 1048576);
        f.put("repl_backlog_first_byte_offset", 0);
        f.put("repl_backlog_histlen", 0);
    }

    private void cpuSection(Fields f) {
        long[] ticks = procStatTimes();
        if (ticks != null) {
            f.put("used_cpu_sys", seconds(ticks[1] * 10_000_000L));
            f.put("used_cpu_user", seconds(ticks[0] * 10_000_000L));
            f.put("used_cpu_sys_children", seconds(ticks[3] * 10_000_000L));
            f.put("used_cpu_user_children", seconds(ticks[2] * 10_000_000L));
        } else {
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long cpu = 0;
            long user = 0;
            for (long id : threads.getAllThreadIds()) {
                cpu += Math.max(0, threads.getThreadCpuTime(id));
                user += Math.max(0, threads.getThreadUserTime(id));
            }
            f.put("used_cpu_sys", seconds(cpu - user));
            f.put("used_cpu_user", seconds(user));
            f.put("used_cpu_sys_children", seconds(0));
            f.put("used_cpu_user_children", seconds(0));
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long cpu = Math.max(0, threads.getCurrentThreadCpuTime());
        long user = Math.max(0, threads.getCurrentThreadUserTime());
        f.put("used_cpu_sys_main_thread", seconds(cpu - user));
        f.put("used_cpu_user_main_thread", seconds(user));
    }

    /** utime, stime, cutime, cstime in clock ticks (1/100 s) from /proc/self/stat, or null. */
    private static long[] procStatTimes() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] t = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return new long[] {Long.parseLong(t[11]), Long.parseLong(t[12]), Long.parseLong(t[13]),
                Long.parseLong(t[14])};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String seconds(long nanos) {
        long micros = Math.max(0, nanos) / 1000;
        return String.format(Locale.ROOT, "%d.%06d", micros / 1_000_000, micros % 1_000_000);
    }

    private void commandStats(Fields f) {
        for (CommandTable.Entry e : server.commands.all()) {
            commandStat(f, e);
            for (CommandTable.Entry s : e.subcommands()) {
                commandStat(f, s);
            }
        }
    }

    private static void commandStat(Fields f, CommandTable.Entry e) {
        if (e.calls == 0 && e.failedCalls == 0 && e.rejectedCalls == 0) {
            return;
        }
        f.put("cmdstat_" + safe(e.fullName()), String.format(Locale.ROOT,
                "calls=%d,usec=%d,usec_per_call=%.2f,rejected_calls=%d,failed_calls=%d", e.calls, e.micros,
                e.calls == 0 ? 0.0 : (double) e.micros / e.calls, e.rejectedCalls, e.failedCalls));
    }

    /** INFO field names cannot contain the characters that structure the output. */
    private static String safe(String s) {
        return s.replace('#', '_').replace(':', '_').replace('\n', '_').replace('\r', '_');
    }

    private void keyspaceSection(Fields f) {
        for (int i = 0; i < server.databases(); i++) {
            Db db = server.db(i);
            if (db.size() > 0 || db.expiresSize() > 0) {
                f.put("db" + i, "keys=" + db.size() + ",expires=" + db.expiresSize() + ",avg_ttl="
                        + db.avgTtlEstimate);
            }
        }
    }

    // ---- COMMAND ----

    private void commandHelp(CommandContext ctx) {
        help(ctx.reply(), "COMMAND", List.of(
                "(no subcommand)",
                "    Details of every command.",
                "COUNT",
                "    How many commands the server has.",
                "LIST [FILTERBY MODULE <name> | ACLCAT <category> | PATTERN <glob>]",
                "    The names of the commands, all or filtered.",
                "INFO [<command-name> ...]",
                "    Details of the named commands (all when none is named).",
                "DOCS [<command-name> ...]",
                "    Documentation of the named commands (all when none is named).",
                "GETKEYS <full-command>",
                "    The keys a full command line would access.",
                "GETKEYSANDFLAGS <full-command>",
                "    The keys a full command line would access, with how it accesses them."));
    }

    private void replyAllInfo(Reply r) {
        r.array(server.commands.size());
        for (CommandTable.Entry e : server.commands.all()) {
            replyInfo(r, e);
        }
    }

    private void commandInfo(CommandContext ctx) {
        if (ctx.argc() == 2) {
            replyAllInfo(ctx.reply());
            return;
        }
        Reply r = ctx.reply();
        r.array(ctx.argc() - 2);
        for (int i = 2; i < ctx.argc(); i++) {
            CommandTable.Entry e = byFullName(ctx.arg(i));
            if (e == null) {
                r.nil();
            } else {
                replyInfo(r, e);
            }
        }
    }

    /** "name" or "container|sub"; null for anything else. */
    private CommandTable.Entry byFullName(byte[] name) {
        String n = Bytes.lower(name);
        if (n.indexOf('|') != n.lastIndexOf('|')) {
            return null;
        }
        return server.commands.lookupFullName(n);
    }

    /** One command's COMMAND INFO entry: the ten fields of Redis 7.0. */
    private void replyInfo(Reply r, CommandTable.Entry e) {
        CommandSpec s = e.command.spec();
        KeyPositions.Range range = KeyPositions.legacy(s);
        r.array(10);
        r.bulk(e.fullName());
        r.integer(s.arity());
        List<String> flags = flagNames(s);
        r.set(flags.size());
        for (String f : flags) {
            r.simple(f);
        }
        r.integer(range.first());
        r.integer(range.last());
        r.integer(range.step());
        List<String> cats = aclCategories(s);
        r.set(cats.size());
        for (String c : cats) {
            r.simple("@" + c);
        }
        r.set(0);
        replyKeySpecs(r, KeyPositions.specs(s));
        if (e.isContainer()) {
            r.array(e.subcommands().size());
        } else {
            r.set(0);
        }
        for (CommandTable.Entry sub : e.subcommands()) {
            replyInfo(r, sub);
        }
    }

    /** The flags COMMAND INFO shows, "movablekeys" derived from the key specs as Redis does. */
    static List<String> flagNames(CommandSpec s) {
        List<String> out = new ArrayList<>();
        boolean movable = KeyPositions.movable(s);
        for (CommandFlag f : CommandFlag.values()) {
            if (f == CommandFlag.MOVABLE_KEYS ? movable : s.has(f) && !HIDDEN_FLAGS.contains(f)) {
                out.add(f.redisName());
            }
        }
        return out;
    }

    /** The declared categories plus those Redis implies from the flags, in Redis's order. */
    static List<String> aclCategories(CommandSpec s) {
        Set<String> cats = new LinkedHashSet<>();
        for (String c : s.aclCategories()) {
            cats.add(c.toLowerCase(Locale.ROOT));
        }
        if (s.has(CommandFlag.WRITE)) {
            cats.add("write");
        }
        if (s.has(CommandFlag.READONLY) && !cats.contains("scripting")) {
            cats.add("read");
        }
        if (s.has(CommandFlag.ADMIN)) {
            cats.add("admin");
            cats.add("dangerous");
        }
        if (s.has(CommandFlag.PUBSUB)) {
            cats.add("pubsub");
        }
        if (s.has(CommandFlag.FAST)) {
            cats.add("fast");
        }
        if (s.has(CommandFlag.BLOCKING)) {
            cats.add("blocking");
        }
        if (!cats.contains("fast")) {
            cats.add("slow");
        }
        List<String> out = new ArrayList<>();
        for (String c : ACL_CATEGORIES) {
            if (cats.contains(c)) {
                out.add(c);
            }
        }
        return out;
    }

    private static void replyKeySpecs(Reply r, List<KeySpec> specs) {
        r.set(specs.size());
        for (KeySpec k : specs) {
            r.map(3);
            r.bulk("flags");
            List<String> flags = KeyPositions.displayFlags(k.flags());
            r.set(flags.size());
            for (String f : flags) {
                r.simple(f);
            }
            r.bulk("begin_search");
            r.map(2);
            r.bulk("type");
            if (k.isUnknown()) {
                r.bulk("unknown");
                r.bulk("spec");
                r.map(0);
                r.bulk("find_keys");
                r.map(2);
                r.bulk("type");
                r.bulk("unknown");
                r.bulk("spec");
                r.map(0);
                continue;
            }
            if (k.keyword() != null) {
                r.bulk("keyword");
                r.bulk("spec");
                r.map(2);
                r.bulk("keyword");
                r.bulk(k.keyword());
                r.bulk("startfrom");
                r.integer(k.keywordStartFrom());
            } else {
                r.bulk("index");
                r.bulk("spec");
                r.map(1);
                r.bulk("index");
                r.integer(k.beginIndex());
            }
            r.bulk("find_keys");
            r.map(2);
            r.bulk("type");
            if (k.keynum()) {
                r.bulk("keynum");
                r.bulk("spec");
                r.map(3);
                r.bulk("keynumidx");
                r.integer(k.keynumIndex());
                r.bulk("firstkey");
                r.integer(k.firstKey());
                r.bulk("keystep");
                r.integer(k.keyStep());
            } else {
                r.bulk("range");
                r.bulk("spec");
                r.map(3);
                r.bulk("lastkey");
                r.integer(k.lastKey());
                r.bulk("keystep");
                r.integer(k.keyStep());
                r.bulk("limit");
                r.integer(k.limit());
            }
        }
    }

    private void commandDocs(CommandContext ctx) {
        Reply r = ctx.reply();
        List<CommandTable.Entry> found = new ArrayList<>();
        if (ctx.argc() == 2) {
            found.addAll(server.commands.all());
        } else {
            for (int i = 2; i < ctx.argc(); i++) {
                CommandTable.Entry e = byFullName(ctx.arg(i));
                if (e != null) {
                    found.add(e);
                }
            }
        }
        r.map(found.size());
        for (CommandTable.Entry e : found) {
            r.bulk(e.fullName());
            replyDocs(r, e);
        }
    }

    private void replyDocs(Reply r, CommandTable.Entry e) {
        CommandSpec s = e.command.spec();
        boolean summary = s.summary() != null && !s.summary().isEmpty();
        boolean since = s.since() != null && !s.since().isEmpty();
        boolean complexity = s.complexity() != null && !s.complexity().isEmpty();
        boolean subs = e.isContainer();
        r.map(1 + (summary ? 1 : 0) + (since ? 1 : 0) + (complexity ? 1 : 0) + (subs ? 1 : 0));
        if (summary) {
            r.bulk("summary");
            r.bulk(s.summary());
        }
        if (since) {
            r.bulk("since");
            r.bulk(s.since());
        }
        r.bulk("group");
        r.bulk(s.group());
        if (complexity) {
            r.bulk("complexity");
            r.bulk(s.complexity());
        }
        if (subs) {
            r.bulk("subcommands");
            r.map(e.subcommands().size());
            for (CommandTable.Entry sub : e.subcommands()) {
                r.bulk(sub.fullName());
                replyDocs(r, sub);
            }
        }
    }

    private void commandList(CommandContext ctx) {
        String filter = null;
        String arg = null;
        for (int i = 2; i < ctx.argc(); i++) {
            if (Bytes.is(ctx.arg(i), "filterby") && ctx.argc() - 1 - i == 2) {
                filter = ctx.argLower(i + 1);
                if (!filter.equals("module") && !filter.equals("aclcat") && !filter.equals("pattern")) {
                    throw Errors.syntax();
                }
                arg = Bytes.str(ctx.arg(i + 2));
                i += 2;
            } else {
                throw Errors.syntax();
            }
        }
        List<String> names = new ArrayList<>();
        for (CommandTable.Entry e : server.commands.all()) {
            if (listed(e, filter, arg)) {
                names.add(e.fullName());
            }
            for (CommandTable.Entry s : e.subcommands()) {
                if (listed(s, filter, arg)) {
                    names.add(s.fullName());
                }
            }
        }
        Reply r = ctx.reply();
        r.array(names.size());
        for (String n : names) {
            r.bulk(n);
        }
    }

    private static boolean listed(CommandTable.Entry e, String filter, String arg) {
        if (filter == null) {
            return true;
        }
        CommandSpec s = e.command.spec();
        return switch (filter) {
            // commands of loaded modules are not known by module name yet
            case "module" -> false;
            case "aclcat" -> aclCategories(s).contains(arg.toLowerCase(Locale.ROOT));
            default -> Bytes.globMatch(Bytes.of(arg), Bytes.of(e.fullName()), true);
        };
    }

    private void getKeys(CommandContext ctx, boolean withFlags) {
        byte[][] argv = new byte[ctx.argc() - 2][];
        System.arraycopy(ctx.args(), 2, argv, 0, argv.length);
        CommandTable.Entry e = server.commands.lookup(argv[0]);
        if (e != null && e.isContainer() && argv.length >= 2) {
            e = e.subcommand(argv[1]);
        }
        if (e == null) {
            throw new CommandException("ERR Invalid command specified");
        }
        CommandSpec s = e.command.spec();
        if (!CommandKeys.hasKeys(s)) {
            throw new CommandException("ERR The command has no key arguments");
        }
        if (!s.arityAccepts(argv.length)) {
            throw new CommandException("ERR Invalid number of arguments specified for command");
        }
        List<CommandKeys.Key> keys = CommandKeys.find(s, argv);
        if (keys == null || keys.isEmpty()) {
            if (s.has(CommandFlag.NO_MANDATORY_KEYS)) {
                ctx.reply().array(0);
                return;
            }
            throw new CommandException("ERR Invalid arguments specified for command");
        }
        Reply r = ctx.reply();
        r.array(keys.size());
        for (CommandKeys.Key k : keys) {
            if (withFlags) {
                r.array(2);
                r.bulk(argv[k.position()]);
                List<String> flags = KeyPositions.displayFlags(k.flags());
                r.set(flags.size());
                for (String f : flags) {
                    r.simple(f);
                }
            } else {
                r.bulk(argv[k.position()]);
            }
        }
    }

    /** Writes a HELP reply: the title line, the given lines, then the HELP line itself. */
    static void help(Reply r, String command, List<String> lines) {
        r.array(lines.size() + 3);
        r.simple(command + " <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
        for (String l : lines) {
            r.simple(l);
        }
        r.simple("HELP");
        r.simple("    Print this help.");
    }
}
