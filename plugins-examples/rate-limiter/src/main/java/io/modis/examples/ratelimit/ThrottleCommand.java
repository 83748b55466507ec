package io.modis.examples.ratelimit;

import io.modis.api.Bytes;
import io.modis.api.Command;
import io.modis.api.CommandContext;
import io.modis.api.CommandException;
import io.modis.api.CommandFlag;
import io.modis.api.CommandProvider;
import io.modis.api.CommandSpec;
import io.modis.api.Database;
import io.modis.api.KeySpec;
import io.modis.api.Reply;
import io.modis.api.StringValue;
import org.osgi.service.component.annotations.Component;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * CL.THROTTLE key max_burst count_per_period period [quantity]: redis-cell's GCRA rate limiter.
 *
 * <p>The bucket is stored as redis-cell stores it: a string holding the TAT in nanoseconds since
 * the epoch, expiring when the bucket would be full again. A plain string needs no data type of
 * its own, so RDB, AOF, replication, DUMP/RESTORE and GET work on it unchanged, and the TTL
 * removes idle buckets. The command runs alone on the engine thread, so read-decide-write is
 * atomic. Time is the command's time ({@link CommandContext#now()}), fixed inside MULTI and
 * scripts. Because the result depends on that time, the command is never propagated as
 * received: an allowed request propagates {@code SET key tat PXAT expiry}, which replays to the
 * same state anywhere and at any later time.
 */
@Component(service = CommandProvider.class)
public final class ThrottleCommand implements CommandProvider {
    static final String USAGE = "Cell error: Usage: cl.throttle <key> <max_burst> <count per period> <period> [<quantity>]";

    private static final byte[] SET = Bytes.of("SET");
    private static final byte[] PXAT = Bytes.of("PXAT");
    private static final byte[] DEL = Bytes.of("DEL");

    @Override
    public List<Command> commands() {
        return List.of(new Command(CommandSpec.of("cl.throttle", -2)
                .flags(CommandFlag.WRITE, CommandFlag.DENYOOM, CommandFlag.MODULE)
                .acl("write").keys(1, 1, 1).keySpec(KeySpec.range(1, 0, 1, "RW", "ACCESS", "UPDATE"))
                .group("module").since("0.1.0")
                .summary("Rate-limits a key with the generic cell rate algorithm (GCRA).")
                .complexity("O(1)").build(),
                ThrottleCommand::throttle));
    }

    private static void throttle(CommandContext ctx) {
        if (ctx.argc() != 5 && ctx.argc() != 6) {
            throw new CommandException(USAGE);
        }
        long maxBurst = parse(ctx.arg(2));
        long count = parse(ctx.arg(3));
        long period = parse(ctx.arg(4));
        long quantity = ctx.argc() == 6 ? parse(ctx.arg(5)) : 1;
        long emission = Gcra.emissionInterval(count, period);
        if (emission == 0) {
            throw new CommandException("Cell error: Zero rates are not supported");
        }
        if (maxBurst < 0 || count < 0 || period < 0 || quantity < 0) {
            throw new CommandException("Cell error: max_burst, count per period, period and quantity must not be negative");
        }
        Database db = ctx.db();
        byte[] key = ctx.arg(1);
        StringValue stored = db.get(key, StringValue.class);
        long tat = stored == null ? -1 : parseTat(stored.bytes());
        long nowMillis = ctx.now();
        Gcra.Decision d;
        try {
            d = Gcra.decide(tat, Math.multiplyExact(nowMillis, 1_000_000L), maxBurst, emission, quantity);
        } catch (ArithmeticException e) {
            throw new CommandException("Cell error: rate limit parameters are too large");
        }
        if (!d.limited()) {
            store(ctx, db, key, stored, d, nowMillis);
        }
        Reply reply = ctx.reply();
        reply.array(5);
        reply.integer(d.limited() ? 1 : 0);
        reply.integer(d.limit());
        reply.integer(d.remaining());
        reply.integer(Gcra.replySeconds(d.retryAfter()));
        reply.integer(Gcra.replySeconds(d.resetAfter()));
    }

    /** Stores the new TAT with its expiry, propagated as an absolute SET ... PXAT. */
    private static void store(CommandContext ctx, Database db, byte[] key, StringValue stored, Gcra.Decision d,
                              long nowMillis) {
        long ttlMillis = d.ttl() / 1_000_000;
        if (ttlMillis <= 0) {
            // the bucket is already full again: a key expiring now is no key
            if (stored != null) {
                db.delete(key);
                ctx.dirty(1);
                ctx.touched(db, key);
                ctx.propagate(DEL, key);
                ctx.notify('g', "del", key, db);
            }
            return;
        }
        byte[] value = Long.toString(d.newTat()).getBytes(StandardCharsets.US_ASCII);
        long expireAt = nowMillis + ttlMillis;
        if (stored != null && Bytes.equal(stored.bytes(), value) && db.expireAt(key) == expireAt) {
            return; // a peek (quantity 0) that changes nothing
        }
        db.set(key, StringValue.of(value));
        db.setExpireAt(key, expireAt);
        ctx.dirty(1);
        ctx.touched(db, key);
        ctx.propagate(SET, key, value, PXAT, Bytes.fromLong(expireAt));
        ctx.notify('$', "set", key, db);
        ctx.notify('g', "expire", key, db);
    }

    /** An integer as Rust's {@code str::parse::<i64>} reads it (an optional sign, then digits). */
    static long parse(byte[] arg) {
        Long v = parseDecimal(arg, true);
        if (v == null) {
            throw new CommandException("Cell error: Couldn't parse as integer: "
                    + new String(arg, StandardCharsets.UTF_8));
        }
        return v;
    }

    /** The stored TAT, read as redis-cell reads it (an unsigned integer). */
    static long parseTat(byte[] value) {
        if (value.length == 0) {
            throw new CommandException("Cell error: cannot parse integer from empty string");
        }
        Long v = parseDecimal(value, false);
        if (v == null) {
            boolean digits = true;
            for (int i = value[0] == '+' ? 1 : 0; i < value.length; i++) {
                digits &= value[i] >= '0' && value[i] <= '9';
            }
            throw new CommandException(digits && value.length > 1
                    ? "Cell error: number too large to fit in target type"
                    : "Cell error: invalid digit found in string");
        }
        return v;
    }

    private static Long parseDecimal(byte[] s, boolean signed) {
        int i = 0;
        boolean negative = false;
        if (s.length > 0 && (s[0] == '+' || (signed && s[0] == '-'))) {
            negative = s[0] == '-';
            i = 1;
        }
        if (i == s.length) {
            return null;
        }
        long v = 0;
        for (; i < s.length; i++) {
            int digit = s[i] - '0';
            if (digit < 0 || digit > 9) {
                return null;
            }
            // accumulate negatively so that Long.MIN_VALUE parses
            if (v < (Long.MIN_VALUE + digit) / 10) {
                return null;
            }
            v = v * 10 - digit;
        }
        if (!negative) {
            if (v == Long.MIN_VALUE) {
                return null;
            }
            v = -v;
        }
        return v;
    }
}
