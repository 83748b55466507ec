package io.modis.hyperloglog;

import static io.modis.api.CommandFlag.ADMIN;
import static io.modis.api.CommandFlag.DENYOOM;
import static io.modis.api.CommandFlag.FAST;
import static io.modis.api.CommandFlag.MAY_REPLICATE;
import static io.modis.api.CommandFlag.READONLY;
import static io.modis.api.CommandFlag.WRITE;
import static io.modis.hyperloglog.HllFormat.CARDINALITY_OFFSET;
import static io.modis.hyperloglog.HllFormat.CORRUPTED;
import static io.modis.hyperloglog.HllFormat.NOT_HLL;
import static io.modis.hyperloglog.HllFormat.REGISTERS;

import io.modis.api.Bytes;
import io.modis.api.Command;
import io.modis.api.CommandContext;
import io.modis.api.CommandException;
import io.modis.api.CommandFlag;
import io.modis.api.CommandHandler;
import io.modis.api.CommandProvider;
import io.modis.api.CommandSpec;
import io.modis.api.Database;
import io.modis.api.KeySpec;
import io.modis.api.Reply;
import io.modis.api.StringValue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.osgi.service.component.annotations.Component;

/**
 * The HyperLogLog commands of Redis 7.0 (hyperloglog.c). An HLL is a plain string value in
 * Redis's exact byte layout, so it moves to and from Redis with GET/SET and DUMP/RESTORE.
 */
@Component(service = CommandProvider.class)
public final class HllCommands implements CommandProvider {
    private final List<Command> commands = List.of(
            command(spec("pfadd", -2, WRITE, DENYOOM, FAST)
                    .keys(1, 1, 1).keySpec(KeySpec.range(1, 0, 1, "RW", "INSERT"))
                    .summary("Adds the specified elements to the specified HyperLogLog.")
                    .complexity("O(1) to add every element."), HllCommands::pfadd),
            command(spec("pfcount", -2, READONLY, MAY_REPLICATE)
                    .keys(1, -1, 1).keySpec(KeySpec.range(1, -1, 1, "RW", "ACCESS"))
                    .summary("Return the approximated cardinality of the set(s) observed by the HyperLogLog at key(s).")
                    .complexity("O(1) with a very small average constant time when called with a single key."
                            + " O(N) with N being the number of keys, and much bigger constant times, when called"
                            + " with multiple keys."), HllCommands::pfcount),
            command(spec("pfmerge", -2, WRITE, DENYOOM)
                    .keys(1, -1, 1)
                    .keySpec(KeySpec.range(1, 0, 1, "RW", "ACCESS", "INSERT"))
                    .keySpec(KeySpec.range(2, -1, 1, "RO", "ACCESS"))
                    .summary("Merge N different HyperLogLogs into a single one.")
                    .complexity("O(N) to merge N HyperLogLogs, but with high constant times."), HllCommands::pfmerge),
            command(spec("pfdebug", 3, WRITE, DENYOOM, ADMIN)
                    .keys(2, 2, 1).keySpec(KeySpec.range(2, 0, 1, "RW", "ACCESS"))
                    .summary("Internal commands for debugging HyperLogLog values")
                    .complexity("N/A"), HllCommands::pfdebug),
            command(spec("pfselftest", 1, ADMIN)
                    .summary("An internal command for testing HyperLogLog values")
                    .complexity("N/A"), HllCommands::pfselftest));

    @Override
    public List<Command> commands() {
        return commands;
    }

    /* ---------------------------------------------------------------- metadata helpers */

    /**
     * A hyperloglog-group spec; ACL categories are Redis's explicit @hyperloglog plus the ones
     * it derives from the flags.
     */
    private static CommandSpec.Builder spec(String name, int arity, CommandFlag... flags) {
        List<CommandFlag> f = Arrays.asList(flags);
        List<String> acl = new ArrayList<>();
        if (f.contains(WRITE)) {
            acl.add("write");
        }
        if (f.contains(READONLY)) {
            acl.add("read");
        }
        acl.add("hyperloglog");
        if (f.contains(ADMIN)) {
            acl.add("admin");
        }
        acl.add(f.contains(FAST) ? "fast" : "slow");
        if (f.contains(ADMIN)) {
            acl.add("dangerous");
        }
        return CommandSpec.of(name, arity).group("hyperloglog").since("2.8.9").flags(flags)
                .acl(acl.toArray(new String[0]));
    }

    private static Command command(CommandSpec.Builder spec, CommandHandler handler) {
        return new Command(spec.build(), handler);
    }

    /* ---------------------------------------------------------------- shared steps */

    /**
     * The HLL at key, or null if absent: WRONGTYPE for other types, and Redis's HLL flavour
     * of it for strings that are not HLLs.
     */
    private static StringValue lookupHll(Database db, byte[] key) {
        StringValue v = db.get(key, StringValue.class);
        if (v != null && !HllFormat.isHll(v)) {
            throw new CommandException(NOT_HLL);
        }
        return v;
    }

    /**
     * Redis un-shares a string before an HLL command may change it, which leaves it "raw"
     * whether or not it then changes; an empty in-place write does the same here.
     */
    private static void unshare(StringValue v) {
        if (!"raw".equals(v.encoding())) {
            v.setRange(0, Bytes.EMPTY);
        }
    }

    private static HllEditor editor(CommandContext ctx, StringValue v, byte[] key) {
        Database db = ctx.db();
        return new HllEditor(v, replacement -> db.setKeepTtl(key, replacement),
                HllConfig.sparseMaxBytes(ctx.config()));
    }

    /** A new empty HLL stored at an absent key. */
    private static StringValue create(Database db, byte[] key) {
        StringValue v = StringValue.ofRaw(HllFormat.emptySparse());
        db.add(key, v);
        return v;
    }

    /* ---------------------------------------------------------------- PFADD */

    static void pfadd(CommandContext ctx) {
        Database db = ctx.db();
        byte[] key = ctx.arg(1);
        StringValue v = lookupHll(db, key);
        int updated = 0;
        if (v == null) {
            v = create(db, key);
            updated++;
        } else {
            unshare(v);
        }
        HllEditor hll = editor(ctx, v, key);
        for (int j = 2; j < ctx.argc(); j++) {
            int result = hll.add(ctx.arg(j));
            if (result < 0) {
                // Redis keeps the registers raised before the corruption showed, unannounced
                hll.finish();
                ctx.reply().error(CORRUPTED);
                return;
            }
            updated += result;
        }
        if (updated > 0) {
            hll.invalidateCache();
        }
        hll.finish();
        if (updated > 0) {
            ctx.touched(db, key);
            ctx.notify('$', "pfadd", key, db);
            ctx.dirty(updated);
        }
        ctx.reply().integer(updated > 0 ? 1 : 0);
    }

    /* ---------------------------------------------------------------- PFCOUNT */

    static void pfcount(CommandContext ctx) {
        if (ctx.argc() > 2) {
            ctx.reply().integer(unionCount(ctx));
            return;
        }
        Database db = ctx.db();
        byte[] key = ctx.arg(1);
        StringValue v = lookupHll(db, key);
        if (v == null) {
            ctx.reply().integer(0);
            return;
        }
        unshare(v);
        if (HllFormat.cacheValid(v)) {
            ctx.reply().integer(HllFormat.cachedCardinality(v));
            return;
        }
        int[] histogram = Estimator.newHistogram();
        byte[] bytes = v.bytes();
        if (HllFormat.isSparse(v)) {
            if (!Sparse.histogram(bytes, bytes.length, histogram)) {
                throw new CommandException(CORRUPTED);
            }
        } else {
            Dense.histogram(bytes, histogram);
        }
        long card = Estimator.estimate(histogram);
        v.setRange(CARDINALITY_OFFSET, HllFormat.cardinalityBytes(card));
        // a read that rewrote the cached count: replicas and the AOF must rewrite it too
        ctx.touched(db, key);
        ctx.dirty(1);
        ctx.propagate(ctx.args());
        ctx.reply().integer(card);
    }

    /** The estimate for the union of several HLLs; the keys stay as they are. */
    private static long unionCount(CommandContext ctx) {
        byte[] max = new byte[REGISTERS];
        for (int j = 1; j < ctx.argc(); j++) {
            StringValue v = lookupHll(ctx.db(), ctx.arg(j));
            if (v != null) {
                mergeInto(max, v);
            }
        }
        int[] histogram = Estimator.newHistogram();
        for (byte register : max) {
            histogram[register]++;
        }
        return Estimator.estimate(histogram);
    }

    /** max[i] = max(max[i], register i of v); INVALIDOBJ if v's sparse body is corrupted. */
    private static void mergeInto(byte[] max, StringValue v) {
        byte[] bytes = v.bytes();
        if (HllFormat.isSparse(v)) {
            if (!Sparse.mergeInto(max, bytes, bytes.length)) {
                throw new CommandException(CORRUPTED);
            }
        } else {
            Dense.mergeInto(max, bytes);
        }
    }

    /* ---------------------------------------------------------------- PFMERGE */

    static void pfmerge(CommandContext ctx) {
        Database db = ctx.db();
        byte[] max = new byte[REGISTERS];
        boolean dense = false;
        // the destination counts as a source too
        for (int j = 1; j < ctx.argc(); j++) {
            StringValue v = lookupHll(db, ctx.arg(j));
            if (v == null) {
                continue;
            }
            dense |= !HllFormat.isSparse(v);
            mergeInto(max, v);
        }
        byte[] key = ctx.arg(1);
        StringValue v = db.get(key, StringValue.class);
        if (v == null) {
            v = create(db, key);
        } else {
            unshare(v);
        }
        HllEditor hll = editor(ctx, v, key);
        if (dense && !hll.toDense()) {
            throw new CommandException(CORRUPTED);
        }
        for (int j = 0; j < REGISTERS; j++) {
            if (max[j] != 0) {
                hll.raise(j, max[j]);
            }
        }
        hll.invalidateCache();
        hll.finish();
        ctx.touched(db, key);
        // a merge is a mass PFADD as far as listeners are concerned
        ctx.notify('$', "pfadd", key, db);
        ctx.dirty(1);
        ctx.reply().ok();
    }

    /* ---------------------------------------------------------------- PFDEBUG and PFSELFTEST */

    static void pfdebug(CommandContext ctx) {
        Database db = ctx.db();
        byte[] key = ctx.arg(2);
        StringValue v = db.get(key, StringValue.class);
        if (v == null) {
            throw new CommandException("ERR The specified key does not exist");
        }
        if (!HllFormat.isHll(v)) {
            throw new CommandException(NOT_HLL);
        }
        unshare(v);
        Reply reply = ctx.reply();
        switch (ctx.argLower(1)) {
            case "getreg" -> {
                HllEditor hll = editor(ctx, v, key);
                if (hll.isSparse()) {
                    if (!hll.toDense()) {
                        throw new CommandException(CORRUPTED);
                    }
                    ctx.dirty(1); // the new encoding reaches replicas by running PFDEBUG there too
                }
                byte[] bytes = hll.finish().bytes();
                reply.array(REGISTERS);
                for (int j = 0; j < REGISTERS; j++) {
                    reply.integer(Dense.get(bytes, j));
                }
            }
            case "decode" -> {
                if (!HllFormat.isSparse(v)) {
                    throw new CommandException("ERR HLL encoding is not sparse");
                }
                byte[] bytes = v.bytes();
                reply.bulk(Bytes.of(Sparse.decode(bytes, bytes.length)));
            }
            case "encoding" -> reply.simple(HllFormat.isSparse(v) ? "sparse" : "dense");
            case "todense" -> {
                HllEditor hll = editor(ctx, v, key);
                boolean converted = hll.isSparse();
                if (converted) {
                    if (!hll.toDense()) {
                        throw new CommandException(CORRUPTED);
                    }
                    ctx.dirty(1);
                }
                reply.integer(converted ? 1 : 0);
            }
            default -> throw new CommandException(
                    "ERR Unknown PFDEBUG subcommand '" + Bytes.str(ctx.arg(1)) + "'");
        }
    }

    static void pfselftest(CommandContext ctx) {
        String failure = new SelfTest(new Random(), HllConfig.sparseMaxBytes(ctx.config())).run();
        if (failure != null) {
            ctx.reply().error(failure);
        } else {
            ctx.reply().ok();
        }
    }
}
