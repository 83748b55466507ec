package io.modis.core;

import io.modis.api.Bytes;
import io.modis.api.Command;
import io.modis.api.CommandContext;
import io.modis.api.CommandException;
import io.modis.api.CommandFlag;
import io.modis.api.CommandHandler;
import io.modis.api.CommandSpec;
import io.modis.api.Errors;
import io.modis.api.Reply;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The latency monitor (events that took at least latency-monitor-threshold ms: "command",
 * "fast-command", "expire-cycle" ...; each keeps its last 160 one-second samples and its
 * all-time maximum) and latency tracking (a per-command HdrHistogram of call durations, shown by
 * LATENCY HISTOGRAM and INFO latencystats).
 *
 * <p>HdrHistogram is the library Redis itself uses (its C port), so percentiles and buckets come
 * out the same way: values in nanoseconds from 1 ns to 1 s with 2 significant digits.
 */
final class LatencyMonitor {
    static final int SAMPLES = 160;
    static final long HISTOGRAM_MAX_NANOS = 1_000_000_000L;
    static final int HISTOGRAM_PRECISION = 2;

    /** One event's ring of samples, one per second at most. */
    static final class Series {
        final long[] times = new long[SAMPLES];
        final long[] latencies = new long[SAMPLES];
        int idx;
        long max;

        void add(long now, long latency) {
            int prev = (idx + SAMPLES - 1) % SAMPLES;
            if (times[prev] == now) {
                latencies[prev] = Math.max(latencies[prev], latency);
            } else {
                times[idx] = now;
                latencies[idx] = latency;
                idx = (idx + 1) % SAMPLES;
            }
            max = Math.max(max, latency);
        }

        int last() {
            return (idx + SAMPLES - 1) % SAMPLES;
        }
    }

    private final Server server;
    private final Map<String, Series> events = new LinkedHashMap<>();

    LatencyMonitor(Server server) {
        this.server = server;
    }

    /** Records {@code millis} for {@code event} if it reaches latency-monitor-threshold (0 disables). */
    void sample(String event, long millis) {
        long threshold = server.ops.latencyThreshold;
        if (threshold > 0 && millis >= threshold) {
            events.computeIfAbsent(event, e -> new Series()).add(System.currentTimeMillis() / 1000, millis);
        }
    }

    /** After a command ran: the monitor's command event and the command's latency histogram. */
    void commandDone(CommandTable.Entry entry, long nanos, boolean track) {
        if (server.ops.latencyThreshold > 0) {
            sample(entry.command.spec().has(CommandFlag.FAST) ? "fast-command" : "command", nanos / 1_000_000);
        }
        if (track && server.ops.latencyTracking) {
            record(entry, nanos);
        }
    }

    static void record(CommandTable.Entry entry, long nanos) {
        if (entry.latency == null) {
            entry.latency = new Histogram(1, HISTOGRAM_MAX_NANOS, HISTOGRAM_PRECISION);
        }
        entry.latency.recordValue(Math.max(1, Math.min(HISTOGRAM_MAX_NANOS, nanos)));
    }

    // ---- INFO latencystats ----

    /** latency_percentiles_usec_&lt;command&gt; for every command with recorded latencies. */
    void infoFields(java.util.function.BiConsumer<String, Object> f) {
        double[] percentiles = server.ops.percentiles;
        for (CommandTable.Entry e : withHistograms(server.commands.all())) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < percentiles.length; i++) {
                if (i > 0) {
                    sb.append(',');
                }
                double micros = e.latency.getValueAtPercentile(percentiles[i]) / 1000.0;
                sb.append('p').append(OpsConfig.trimDouble(percentiles[i])).append('=')
                        .append(String.format(Locale.ROOT, "%.3f", micros));
            }
            f.accept("latency_percentiles_usec_" + e.fullName(), sb.toString());
        }
    }

    private static List<CommandTable.Entry> withHistograms(Iterable<CommandTable.Entry> entries) {
        List<CommandTable.Entry> out = new ArrayList<>();
        for (CommandTable.Entry e : entries) {
            if (e.latency != null) {
                out.add(e);
            }
            for (CommandTable.Entry s : e.subcommands()) {
                if (s.latency != null) {
                    out.add(s);
                }
            }
        }
        return out;
    }

    // ---- LATENCY ----

    private static Command sub(String name, int arity, String summary, CommandHandler handler,
                               CommandFlag... flags) {
        return new Command(CommandSpec.of("latency|" + name, arity).group("server").since("2.8.13").flags(flags)
                .acl("admin", "slow", "dangerous").summary(summary).build(), handler);
    }

    Command command() {
        CommandFlag[] admin = {CommandFlag.ADMIN, CommandFlag.NOSCRIPT, CommandFlag.LOADING, CommandFlag.STALE};
        CommandSpec spec = CommandSpec.of("latency", -2).group("server").since("2.8.13")
                .summary("A container for latency diagnostics commands").complexity("Depends on subcommand.")
                .subcommand(sub("doctor", 2, "Return a human readable latency analysis report.", this::doctor, admin))
                .subcommand(sub("graph", 3, "Return a latency graph for the event.", this::graph, admin))
                .subcommand(sub("history", 3, "Return timestamp-latency samples for the event.", this::history,
                        admin))
                .subcommand(sub("latest", 2, "Return the latest latency samples for all events.", this::latest,
                        admin))
                .subcommand(sub("reset", -2, "Reset latency data for one or more events.", this::reset, admin))
                .subcommand(sub("histogram", -2, "Return the cumulative distribution of latencies of a subset of "
                        + "commands or all.", this::histogram, admin))
                .subcommand(new Command(CommandSpec.of("latency|help", 2).group("server").since("2.8.13")
                        .flags(CommandFlag.LOADING, CommandFlag.STALE).acl("slow")
                        .summary("Show helpful text about the different subcommands.").build(), this::help))
                .build();
        return new Command(spec, ctx -> {
            throw Errors.unknownSubcommand(ctx.argLower(1), "latency");
        });
    }

    private void help(CommandContext ctx) {
        Introspection.help(ctx.reply(), "LATENCY", List.of(
                "DOCTOR",
                "    Return a human readable latency analysis report.",
                "GRAPH <event>",
                "    Return an ASCII latency graph for the <event> class.",
                "HISTORY <event>",
                "    Return time-latency samples for the <event> class.",
                "LATEST",
                "    Return the latest latency samples for all events.",
                "RESET [<event> ...]",
                "    Reset latency data of one or more <event> classes.",
                "    (default: reset all data for all event classes)",
                "HISTOGRAM [COMMAND ...]",
                "    Return a cumulative distribution of latencies in the format of a histogram for the specified "
                        + "command names.",
                "    If no commands are specified then all histograms are replied."));
    }

    private void history(CommandContext ctx) {
        Series s = events.get(Bytes.str(ctx.arg(2)));
        Reply r = ctx.reply();
        if (s == null) {
            r.array(0);
            return;
        }
        List<Integer> order = chronological(s);
        r.array(order.size());
        for (int i : order) {
            r.array(2);
            r.integer(s.times[i]);
            r.integer(s.latencies[i]);
        }
    }

    private static List<Integer> chronological(Series s) {
        List<Integer> out = new ArrayList<>();
        for (int j = 0; j < SAMPLES; j++) {
            int i = (s.idx + j) % SAMPLES;
            if (s.times[i] != 0) {
                out.add(i);
            }
        }
        return out;
    }

    private void latest(CommandContext ctx) {
        Reply r = ctx.reply();
        r.array(events.size());
        for (Map.Entry<String, Series> e : events.entrySet()) {
            Series s = e.getValue();
            r.array(4);
            r.bulk(e.getKey());
            r.integer(s.times[s.last()]);
            r.integer(s.latencies[s.last()]);
            r.integer(s.max);
        }
    }

    private void reset(CommandContext ctx) {
        if (ctx.argc() == 2) {
            int n = events.size();
            events.clear();
            ctx.reply().integer(n);
            return;
        }
        int n = 0;
        for (int i = 2; i < ctx.argc(); i++) {
            if (events.remove(Bytes.str(ctx.arg(i))) != null) {
                n++;
            }
        }
        ctx.reply().integer(n);
    }

    /** An ASCII chart of the event's samples, oldest on the left, with how long ago each was taken. */
    private void graph(CommandContext ctx) {
        String event = Bytes.str(ctx.arg(2));
        Series s = events.get(event);
        if (s == null) {
            throw new CommandException("ERR No samples available for event '" + event + "'");
        }
        List<Integer> order = chronological(s);
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int i : order) {
            min = Math.min(min, s.latencies[i]);
            max = Math.max(max, s.latencies[i]);
        }
        StringBuilder g = new StringBuilder();
        g.append(event).append(" - high ").append(max).append(" ms, low ").append(min)
                .append(" ms (all time high ").append(s.max).append(" ms)\n");
        g.append("-".repeat(80)).append('\n');
        int rows = 4;
        long now = System.currentTimeMillis() / 1000;
        List<Integer> shown = order.size() > 80 ? order.subList(order.size() - 80, order.size()) : order;
        for (int row = rows; row >= 1; row--) {
            StringBuilder line = new StringBuilder();
            for (int i : shown) {
                long level = max == min ? rows : 1 + (s.latencies[i] - min) * (rows - 1) / (max - min);
                line.append(level >= row ? (level == row ? '_' : '|') : ' ');
            }
            g.append(line.toString().stripTrailing()).append('\n');
        }
        List<String> labels = new ArrayList<>();
        int width = 0;
        for (int i : shown) {
            String l = ago(now - s.times[i]);
            labels.add(l);
            width = Math.max(width, l.length());
        }
        for (int c = 0; c < width; c++) {
            StringBuilder line = new StringBuilder();
            for (String l : labels) {
                line.append(c < l.length() ? l.charAt(c) : ' ');
            }
            g.append(line.toString().stripTrailing()).append('\n');
        }
        ctx.reply().verbatim("txt", Bytes.of(g.toString()));
    }

    private static String ago(long seconds) {
        if (seconds < 60) {
            return seconds + "s";
        } else if (seconds < 3600) {
            return seconds / 60 + "m";
        } else if (seconds < 86400) {
            return seconds / 3600 + "h";
        }
        return seconds / 86400 + "d";
    }

    /** A plain-words report: each event's worst and average latency, and what usually causes it. */
    private void doctor(CommandContext ctx) {
        StringBuilder r = new StringBuilder();
        if (events.isEmpty()) {
            if (server.ops.latencyThreshold == 0) {
                r.append("I'm sorry, Dave, I can't do that. Latency monitoring is disabled in this Modis instance. "
                        + "You may use \"CONFIG SET latency-monitor-threshold <milliseconds>.\" in order to enable "
                        + "it.\n");
            } else {
                r.append("No latency spikes were observed since the monitor was last reset. "
                        + "Modis is running with latency-monitor-threshold ")
                        .append(server.ops.latencyThreshold).append(" ms.\n");
            }
            ctx.reply().verbatim("txt", Bytes.of(r.toString()));
            return;
        }
        r.append("Latency report for this Modis instance (latency-monitor-threshold ")
                .append(server.ops.latencyThreshold).append(" ms):\n\n");
        int n = 1;
        for (Map.Entry<String, Series> e : events.entrySet()) {
            Series s = e.getValue();
            List<Integer> order = chronological(s);
            long sum = 0;
            for (int i : order) {
                sum += s.latencies[i];
            }
            long first = order.isEmpty() ? 0 : s.times[order.get(0)];
            r.append(n++).append(". ").append(e.getKey()).append(": ").append(order.size())
                    .append(" latency spikes (average ").append(order.isEmpty() ? 0 : sum / order.size())
                    .append("ms, worst ").append(s.max).append("ms) since ")
                    .append(first == 0 ? 0 : System.currentTimeMillis() / 1000 - first).append(" seconds ago.\n");
            r.append("   ").append(advice(e.getKey())).append('\n');
        }
        ctx.reply().verbatim("txt", Bytes.of(r.toString()));
    }

    private static String advice(String event) {
        return switch (event) {
            case "command" -> "Slow commands: check SLOWLOG GET for O(N) commands on big values (KEYS, SORT, "
                    + "LRANGE over a long list, SMEMBERS ...) and prefer SCAN and bounded ranges.";
            case "fast-command" -> "Even O(1) commands were slow: the JVM may be pausing (GC) or the machine "
                    + "is overloaded; check the GC log and CPU use.";
            case "expire-cycle" -> "The active expiry cycle took long: many keys expire at the same time; "
                    + "spread the TTLs.";
            case "eviction-cycle", "eviction-del" -> "Evicting keys took long: maxmemory is reached often; "
                    + "raise maxmemory or lower the write rate.";
            default -> "No specific advice for this event.";
        };
    }

    /** LATENCY HISTOGRAM [command ...]: calls and cumulative bucket counts per command, in microseconds. */
    private void histogram(CommandContext ctx) {
        List<CommandTable.Entry> selected;
        if (ctx.argc() == 2) {
            selected = withHistograms(server.commands.all());
        } else {
            selected = new ArrayList<>();
            for (int i = 2; i < ctx.argc(); i++) {
                String name = Bytes.str(ctx.arg(i)).toLowerCase(Locale.ROOT);
                CommandTable.Entry e = lookup(name);
                if (e == null) {
                    continue;
                }
                for (CommandTable.Entry x : withHistograms(List.of(e))) {
                    if (!selected.contains(x)) {
                        selected.add(x);
                    }
                }
            }
        }
        Reply r = ctx.reply();
        r.map(selected.size());
        for (CommandTable.Entry e : selected) {
            r.bulk(e.fullName());
            r.map(2);
            r.bulk("calls");
            r.integer(e.latency.getTotalCount());
            r.bulk("histogram_usec");
            List<long[]> buckets = new ArrayList<>();
            long previous = 0;
            for (HistogramIterationValue v : e.latency.logarithmicBucketValues(1024, 2.0)) {
                long cumulative = v.getTotalCountToThisValue();
                if (cumulative > previous) {
                    buckets.add(new long[] {v.getValueIteratedTo() / 1000, cumulative});
                }
                previous = cumulative;
            }
            r.map(buckets.size());
            for (long[] b : buckets) {
                r.integer(b[0]);
                r.integer(b[1]);
            }
        }
    }

    private CommandTable.Entry lookup(String name) {
        int bar = name.indexOf('|');
        if (bar < 0) {
            return server.commands.lookup(Bytes.of(name));
        }
        CommandTable.Entry parent = server.commands.lookup(Bytes.of(name.substring(0, bar)));
        return parent == null ? null : parent.subcommand(Bytes.of(name.substring(bar + 1)));
    }
}
