package io.modis.sets;

import static io.modis.api.CommandFlag.DENYOOM;
import static io.modis.api.CommandFlag.FAST;
import static io.modis.api.CommandFlag.READONLY;
import static io.modis.api.CommandFlag.WRITE;

import io.modis.api.Command;
import io.modis.api.CommandContext;
import io.modis.api.CommandFlag;
import io.modis.api.CommandHandler;
import io.modis.api.CommandProvider;
import io.modis.api.CommandSpec;
import io.modis.api.Database;
import io.modis.api.Errors;
import io.modis.api.KeySpec;
import io.modis.api.Reply;
import io.modis.api.Value;
import java.util.Arrays;
import java.util.List;
import org.osgi.service.component.annotations.Component;

/**
 * The set commands of Redis 7.0 (t_set.c): every command's metadata, as COMMAND INFO reports
 * it, declared beside its handler. Membership commands are handled here; the set algebra is in
 * {@link SetAlgebra}, SPOP and SRANDMEMBER in {@link RandomMembers}, SSCAN in {@link SetScan}.
 */
@Component(service = CommandProvider.class)
public final class SetCommands implements CommandProvider {
    private static final String ALGEBRA_COMPLEXITY =
            "O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.";
    private static final String UNION_COMPLEXITY = "O(N) where N is the total number of elements in all given sets.";

    private final List<Command> commands = List.of(
            command(oneKey(spec("sadd", -3, "1.0.0", WRITE, DENYOOM, FAST), "RW", "INSERT")
                    .summary("Add one or more members to a set")
                    .complexity("O(1) for each element added, so O(N) to add N elements when the command is"
                            + " called with multiple arguments."), SetCommands::sadd),
            command(oneKey(spec("srem", -3, "1.0.0", WRITE, FAST), "RW", "DELETE")
                    .summary("Remove one or more members from a set")
                    .complexity("O(N) where N is the number of members to be removed."), SetCommands::srem),
            command(oneKey(spec("scard", 2, "1.0.0", READONLY, FAST), "RO")
                    .summary("Get the number of members in a set").complexity("O(1)"), SetCommands::scard),
            command(oneKey(spec("sismember", 3, "1.0.0", READONLY, FAST), "RO")
                    .summary("Determine if a given value is a member of a set").complexity("O(1)"),
                    SetCommands::sismember),
            command(oneKey(spec("smismember", -3, "6.2.0", READONLY, FAST), "RO", "ACCESS")
                    .summary("Returns the membership associated with the given elements for a set")
                    .complexity("O(N) where N is the number of elements being checked for membership"),
                    SetCommands::smismember),
            command(oneKey(spec("smembers", 2, "1.0.0", READONLY), "RO", "ACCESS")
                    .summary("Get all the members in a set").complexity("O(N) where N is the set cardinality."),
                    SetAlgebra::smembers),
            command(spec("smove", 4, "1.0.0", WRITE, FAST)
                    .keys(1, 2, 1)
                    .keySpec(KeySpec.range(1, 0, 1, "RW", "ACCESS", "DELETE"))
                    .keySpec(KeySpec.range(2, 0, 1, "RW", "INSERT"))
                    .summary("Move a member from one set to another").complexity("O(1)"), SetCommands::smove),
            command(oneKey(spec("spop", -2, "1.0.0", WRITE, FAST), "RW", "ACCESS", "DELETE")
                    .summary("Remove and return one or multiple random members from a set")
                    .complexity("Without the count argument O(1), otherwise O(N) where N is the value of the"
                            + " passed count."), RandomMembers::spop),
            command(oneKey(spec("srandmember", -2, "1.0.0", READONLY), "RO", "ACCESS")
                    .summary("Get one or multiple random members from a set")
                    .complexity("Without the count argument O(1), otherwise O(N) where N is the absolute value"
                            + " of the passed count."), RandomMembers::srandmember),
            command(spec("sinter", -2, "1.0.0", READONLY)
                    .keys(1, -1, 1).keySpec(KeySpec.range(1, -1, 1, "RO", "ACCESS"))
                    .summary("Intersect multiple sets").complexity(ALGEBRA_COMPLEXITY), SetAlgebra::sinter),
            command(spec("sintercard", -3, "7.0.0", READONLY)
                    .keySpec(KeySpec.keynum(1, 0, 1, 1, "RO", "ACCESS"))
                    .summary("Intersect multiple sets and return the cardinality of the result")
                    .complexity(ALGEBRA_COMPLEXITY), SetAlgebra::sintercard),
            command(spec("sinterstore", -3, "1.0.0", WRITE, DENYOOM)
                    .keys(1, -1, 1)
                    .keySpec(KeySpec.range(1, 0, 1, "RW", "UPDATE"))
                    .keySpec(KeySpec.range(2, -1, 1, "RO", "ACCESS"))
                    .summary("Intersect multiple sets and store the resulting set in a key")
                    .complexity(ALGEBRA_COMPLEXITY), SetAlgebra::sinterstore),
            command(spec("sunion", -2, "1.0.0", READONLY)
                    .keys(1, -1, 1).keySpec(KeySpec.range(1, -1, 1, "RO", "ACCESS"))
                    .summary("Add multiple sets").complexity(UNION_COMPLEXITY), SetAlgebra::sunion),
            command(spec("sunionstore", -3, "1.0.0", WRITE, DENYOOM)
                    .keys(1, -1, 1)
                    .keySpec(KeySpec.range(1, 0, 1, "OW", "UPDATE"))
                    .keySpec(KeySpec.range(2, -1, 1, "RO", "ACCESS"))
                    .summary("Add multiple sets and store the resulting set in a key")
                    .complexity(UNION_COMPLEXITY), SetAlgebra::sunionstore),
            command(spec("sdiff", -2, "1.0.0", READONLY)
                    .keys(1, -1, 1).keySpec(KeySpec.range(1, -1, 1, "RO", "ACCESS"))
                    .summary("Subtract multiple sets").complexity(UNION_COMPLEXITY), SetAlgebra::sdiff),
            command(spec("sdiffstore", -3, "1.0.0", WRITE, DENYOOM)
                    .keys(1, -1, 1)
                    .keySpec(KeySpec.range(1, 0, 1, "OW", "UPDATE"))
                    .keySpec(KeySpec.range(2, -1, 1, "RO", "ACCESS"))
                    .summary("Subtract multiple sets and store the resulting set in a key")
                    .complexity(UNION_COMPLEXITY), SetAlgebra::sdiffstore),
            command(oneKey(spec("sscan", -3, "2.8.0", READONLY), "RO", "ACCESS")
                    .summary("Incrementally iterate Set elements")
                    .complexity("O(1) for every call. O(N) for a complete iteration, including enough command"
                            + " calls for the cursor to return back to 0. N is the number of elements inside the"
                            + " collection.."), SetScan::sscan));

    @Override
    public List<Command> commands() {
        return commands;
    }

    /* ---------------------------------------------------------------- metadata helpers */

    /**
     * A set-group spec; ACL categories are Redis's explicit @set plus the ones it derives from
     * the flags (@write or @read, @fast or @slow), in Redis's order.
     */
    private static CommandSpec.Builder spec(String name, int arity, String since, CommandFlag... flags) {
        List<CommandFlag> f = Arrays.asList(flags);
        return CommandSpec.of(name, arity).group("set").since(since).flags(flags)
                .acl(f.contains(WRITE) ? "write" : "read", "set", f.contains(FAST) ? "fast" : "slow");
    }

    /** The key is argument 1, and only it. */
    private static CommandSpec.Builder oneKey(CommandSpec.Builder b, String... keyFlags) {
        return b.keys(1, 1, 1).keySpec(KeySpec.range(1, 0, 1, keyFlags));
    }

    private static Command command(CommandSpec.Builder spec, CommandHandler handler) {
        return new Command(spec.build(), handler);
    }

    /* ---------------------------------------------------------------- handlers */

    static void sadd(CommandContext ctx) {
        Database db = ctx.db();
        byte[] key = ctx.arg(1);
        SetValue set = db.get(key, SetValue.class);
        boolean created = set == null;
        if (created) {
            set = SetValue.forFirstMember(ctx.arg(2));
        }
        long max = SetType.INSTANCE.maxIntsetEntries();
        int added = 0;
        for (int j = 2, argc = ctx.argc(); j < argc; j++) {
            if (set.add(ctx.arg(j), max)) {
                added++;
            }
        }
        if (created) {
            db.add(key, set);
        }
        if (added > 0) {
            ctx.touched(db, key);
            ctx.notify('s', "sadd", key, db);
        }
        ctx.dirty(added);
        ctx.reply().integer(added);
    }

    static void srem(CommandContext ctx) {
        Database db = ctx.db();
        byte[] key = ctx.arg(1);
        SetValue set = db.get(key, SetValue.class);
        if (set == null) {
            ctx.reply().integer(0);
            return;
        }
        int removed = 0;
        boolean keyRemoved = false;
        for (int j = 2, argc = ctx.argc(); j < argc; j++) {
            if (set.remove(ctx.arg(j))) {
                removed++;
                if (set.length() == 0) {
                    db.delete(key);
                    keyRemoved = true;
                    break;
                }
            }
        }
        if (removed > 0) {
            ctx.touched(db, key);
            ctx.notify('s', "srem", key, db);
            if (keyRemoved) {
                ctx.notify('g', "del", key, db);
            }
            ctx.dirty(removed);
        }
        ctx.reply().integer(removed);
    }

    static void scard(CommandContext ctx) {
        SetValue set = ctx.db().get(ctx.arg(1), SetValue.class);
        ctx.reply().integer(set == null ? 0 : set.length());
    }

    static void sismember(CommandContext ctx) {
        SetValue set = ctx.db().get(ctx.arg(1), SetValue.class);
        ctx.reply().integer(set != null && set.contains(ctx.arg(2)) ? 1 : 0);
    }

    static void smismember(CommandContext ctx) {
        SetValue set = ctx.db().get(ctx.arg(1), SetValue.class);
        Reply reply = ctx.reply();
        int argc = ctx.argc();
        reply.array(argc - 2);
        for (int j = 2; j < argc; j++) {
            reply.integer(set != null && set.contains(ctx.arg(j)) ? 1 : 0);
        }
    }

    /**
     * SMOVE: the source's absence wins over a wrong type at the destination, and the destination
     * counts as modified only when the member was new to it.
     */
    static void smove(CommandContext ctx) {
        Database db = ctx.db();
        byte[] srcKey = ctx.arg(1);
        byte[] dstKey = ctx.arg(2);
        byte[] member = ctx.arg(3);
        Value src = db.get(srcKey);
        Value dst = db.get(dstKey);
        Reply reply = ctx.reply();
        if (src == null) {
            reply.integer(0);
            return;
        }
        if (!(src instanceof SetValue srcSet) || (dst != null && !(dst instanceof SetValue))) {
            throw Errors.wrongType();
        }
        SetValue dstSet = (SetValue) dst;
        if (srcSet == dstSet) {
            reply.integer(srcSet.contains(member) ? 1 : 0);
            return;
        }
        if (!srcSet.remove(member)) {
            reply.integer(0);
            return;
        }
        ctx.notify('s', "srem", srcKey, db);
        if (srcSet.length() == 0) {
            db.delete(srcKey);
            ctx.notify('g', "del", srcKey, db);
        }
        ctx.touched(db, srcKey);
        ctx.dirty(1);
        boolean created = dstSet == null;
        if (created) {
            dstSet = SetValue.forFirstMember(member);
        }
        boolean added = dstSet.add(member, SetType.INSTANCE.maxIntsetEntries());
        if (created) {
            db.add(dstKey, dstSet);
        }
        if (added) {
            ctx.dirty(1);
            ctx.touched(db, dstKey);
            ctx.notify('s', "sadd", dstKey, db);
        }
        reply.integer(1);
    }
}
