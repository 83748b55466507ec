package io.modis.zsets;

import static io.modis.api.CommandFlag.BLOCKING;
import static io.modis.api.CommandFlag.DENYOOM;
import static io.modis.api.CommandFlag.FAST;
import static io.modis.api.CommandFlag.NOSCRIPT;
import static io.modis.api.CommandFlag.READONLY;
import static io.modis.api.CommandFlag.WRITE;

import io.modis.api.Command;
import io.modis.api.CommandFlag;
import io.modis.api.CommandHandler;
import io.modis.api.CommandProvider;
import io.modis.api.CommandSpec;
import io.modis.api.KeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.osgi.service.component.annotations.Component;

/**
 * The sorted-set commands of Redis 7.0 (t_zset.c): each command's metadata, as
 * src/commands/*.json declares it, beside the handler that runs it. The handlers live in one
 * class per family: {@link ZAddCommands}, {@link ZMemberCommands}, {@link ZRangeCommands},
 * {@link ZSetAlgebra}, {@link ZPopCommands}, {@link ZRandMember} and {@link ZScan}.
 */
@Component(service = CommandProvider.class)
public final class ZSetCommands implements CommandProvider {
    private static final String LOG_N = "O(log(N)) with N being the number of elements in the sorted set.";
    private static final String RANGE_BY = "O(log(N)+M) with N being the number of elements in the sorted set and M"
            + " the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements"
            + " with LIMIT), you can consider it O(log(N)).";
    private static final String REMOVE_RANGE = "O(log(N)+M) with N being the number of elements in the sorted set and"
            + " M the number of elements removed by the operation.";
    private static final String INTER = "O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K"
            + " being the number of input sorted sets and M being the number of elements in the resulting sorted set.";
    private static final String UNION = "O(N)+O(M*log(M)) with N being the sum of the sizes of the input sorted sets,"
            + " and M being the number of elements in the resulting sorted set.";
    private static final String DIFF = "O(L + (N-K)log(N)) worst case where L is the total number of elements in all"
            + " the sets, N is the size of the first set, and K is the size of the result set.";
    private static final String MPOP = "O(K) + O(M*log(N)) where K is the number of provided keys, N being the number"
            + " of elements in the sorted set, and M being the number of elements popped.";

    private final List<Command> commands = List.of(
            command(oneKey(spec("zadd", -4, "1.2.0", WRITE, DENYOOM, FAST), "RW", "UPDATE")
                    .summary("Add one or more members to a sorted set, or update its score if it already exists")
                    .complexity("O(log(N)) for each item added, where N is the number of elements in the sorted set."),
                    ZAddCommands::zadd),
            command(oneKey(spec("zincrby", 4, "1.2.0", WRITE, DENYOOM, FAST), "RW", "ACCESS", "UPDATE")
                    .summary("Increment the score of a member in a sorted set")
                    .complexity("O(log(N)) where N is the number of elements in the sorted set."),
                    ZAddCommands::zincrby),
            command(oneKey(spec("zrem", -3, "1.2.0", WRITE, FAST), "RW", "DELETE")
                    .summary("Remove one or more members from a sorted set")
                    .complexity("O(M*log(N)) with N being the number of elements in the sorted set and M the number"
                            + " of elements to be removed."),
                    ZMemberCommands::zrem),
            command(oneKey(spec("zcard", 2, "1.2.0", READONLY, FAST), "RO")
                    .summary("Get the number of members in a sorted set").complexity("O(1)"),
                    ZMemberCommands::zcard),
            command(oneKey(spec("zscore", 3, "1.2.0", READONLY, FAST), "RO", "ACCESS")
                    .summary("Get the score associated with the given member in a sorted set").complexity("O(1)"),
                    ZMemberCommands::zscore),
            command(oneKey(spec("zmscore", -3, "6.2.0", READONLY, FAST), "RO", "ACCESS")
                    .summary("Get the score associated with the given members in a sorted set")
                    .complexity("O(N) where N is the number of members being requested."),
                    ZMemberCommands::zmscore),
            command(oneKey(spec("zrank", 3, "2.0.0", READONLY, FAST), "RO", "ACCESS")
                    .summary("Determine the index of a member in a sorted set").complexity("O(log(N))"),
                    ZMemberCommands::zrank),
            command(oneKey(spec("zrevrank", 3, "2.0.0", READONLY, FAST), "RO", "ACCESS")
                    .summary("Determine the index of a member in a sorted set, with scores ordered from high to low")
                    .complexity("O(log(N))"),
                    ZMemberCommands::zrevrank),
            command(oneKey(spec("zcount", 4, "2.0.0", READONLY, FAST), "RO", "ACCESS")
                    .summary("Count the members in a sorted set with scores within the given values")
                    .complexity(LOG_N),
                    ZRangeCommands::zcount),
            command(oneKey(spec("zlexcount", 4, "2.8.9", READONLY, FAST), "RO", "ACCESS")
                    .summary("Count the number of members in a sorted set between a given lexicographical range")
                    .complexity(LOG_N),
                    ZRangeCommands::zlexcount),
            command(oneKey(spec("zrange", -4, "1.2.0", READONLY), "RO", "ACCESS")
                    .summary("Return a range of members in a sorted set")
                    .complexity("O(log(N)+M) with N being the number of elements in the sorted set and M the number"
                            + " of elements returned."),
                    ZRangeCommands::zrange),
            command(spec("zrangestore", -5, "6.2.0", WRITE, DENYOOM)
                    .keySpec(KeySpec.range(1, 0, 1, "OW", "UPDATE"))
                    .keySpec(KeySpec.range(2, 0, 1, "RO", "ACCESS"))
                    .summary("Store a range of members from sorted set into another key")
                    .complexity("O(log(N)+M) with N being the number of elements in the sorted set and M the number"
                            + " of elements stored into the destination key."),
                    ZRangeCommands::zrangestore),
            command(oneKey(spec("zrevrange", -4, "1.2.0", READONLY), "RO", "ACCESS")
                    .summary("Return a range of members in a sorted set, by index, with scores ordered from high to"
                            + " low")
                    .complexity("O(log(N)+M) with N being the number of elements in the sorted set and M the number"
                            + " of elements returned."),
                    ZRangeCommands::zrevrange),
            command(oneKey(spec("zrangebyscore", -4, "1.0.5", READONLY), "RO", "ACCESS")
                    .summary("Return a range of members in a sorted set, by score").complexity(RANGE_BY),
                    ZRangeCommands::zrangebyscore),
            command(oneKey(spec("zrevrangebyscore", -4, "2.2.0", READONLY), "RO", "ACCESS")
                    .summary("Return a range of members in a sorted set, by score, with scores ordered from high to"
                            + " low")
                    .complexity(RANGE_BY),
                    ZRangeCommands::zrevrangebyscore),
            command(oneKey(spec("zrangebylex", -4, "2.8.9", READONLY), "RO", "ACCESS")
                    .summary("Return a range of members in a sorted set, by lexicographical range")
                    .complexity(RANGE_BY),
                    ZRangeCommands::zrangebylex),
            command(oneKey(spec("zrevrangebylex", -4, "2.8.9", READONLY), "RO", "ACCESS")
                    .summary("Return a range of members in a sorted set, by lexicographical range, ordered from"
                            + " higher to lower strings.")
                    .complexity(RANGE_BY),
                    ZRangeCommands::zrevrangebylex),
            command(oneKey(spec("zremrangebyrank", 4, "2.0.0", WRITE), "RW", "DELETE")
                    .summary("Remove all members in a sorted set within the given indexes").complexity(REMOVE_RANGE),
                    ZRangeCommands::zremrangebyrank),
            command(oneKey(spec("zremrangebyscore", 4, "1.2.0", WRITE), "RW", "DELETE")
                    .summary("Remove all members in a sorted set within the given scores").complexity(REMOVE_RANGE),
                    ZRangeCommands::zremrangebyscore),
            command(oneKey(spec("zremrangebylex", 4, "2.8.9", WRITE), "RW", "DELETE")
                    .summary("Remove all members in a sorted set between the given lexicographical range")
                    .complexity(REMOVE_RANGE),
                    ZRangeCommands::zremrangebylex),
            command(inputKeys(spec("zunion", -3, "6.2.0", READONLY), 1)
                    .summary("Add multiple sorted sets").complexity(UNION),
                    ZSetAlgebra::zunion),
            command(inputKeys(spec("zinter", -3, "6.2.0", READONLY), 1)
                    .summary("Intersect multiple sorted sets").complexity(INTER),
                    ZSetAlgebra::zinter),
            command(inputKeys(spec("zintercard", -3, "7.0.0", READONLY), 1)
                    .summary("Intersect multiple sorted sets and return the cardinality of the result")
                    .complexity("O(N*K) worst case with N being the smallest input sorted set, K being the number of"
                            + " input sorted sets."),
                    ZSetAlgebra::zintercard),
            command(inputKeys(spec("zdiff", -3, "6.2.0", READONLY), 1)
                    .summary("Subtract multiple sorted sets").complexity(DIFF),
                    ZSetAlgebra::zdiff),
            command(inputKeys(destination(spec("zunionstore", -4, "2.0.0", WRITE, DENYOOM)), 2)
                    .summary("Add multiple sorted sets and store the resulting sorted set in a new key")
                    .complexity("O(N)+O(M log(M)) with N being the sum of the sizes of the input sorted sets, and M"
                            + " being the number of elements in the resulting sorted set."),
                    ZSetAlgebra::zunionstore),
            command(inputKeys(destination(spec("zinterstore", -4, "2.0.0", WRITE, DENYOOM)), 2)
                    .summary("Intersect multiple sorted sets and store the resulting sorted set in a new key")
                    .complexity(INTER),
                    ZSetAlgebra::zinterstore),
            command(inputKeys(destination(spec("zdiffstore", -4, "6.2.0", WRITE, DENYOOM)), 2)
                    .summary("Subtract multiple sorted sets and store the resulting sorted set in a new key")
                    .complexity(DIFF),
                    ZSetAlgebra::zdiffstore),
            command(oneKey(spec("zpopmin", -2, "5.0.0", WRITE, FAST), "RW", "ACCESS", "DELETE")
                    .summary("Remove and return members with the lowest scores in a sorted set")
                    .complexity("O(log(N)*M) with N being the number of elements in the sorted set, and M being the"
                            + " number of elements popped."),
                    ZPopCommands::zpopmin),
            command(oneKey(spec("zpopmax", -2, "5.0.0", WRITE, FAST), "RW", "ACCESS", "DELETE")
                    .summary("Remove and return members with the highest scores in a sorted set")
                    .complexity("O(log(N)*M) with N being the number of elements in the sorted set, and M being the"
                            + " number of elements popped."),
                    ZPopCommands::zpopmax),
            command(spec("zmpop", -4, "7.0.0", WRITE)
                    .keySpec(KeySpec.keynum(1, 0, 1, 1, "RW", "ACCESS", "DELETE"))
                    .summary("Remove and return members with scores in a sorted set").complexity(MPOP),
                    ZPopCommands::zmpop),
            command(spec("bzpopmin", -3, "5.0.0", WRITE, NOSCRIPT, FAST, BLOCKING)
                    .keySpec(KeySpec.range(1, -2, 1, "RW", "ACCESS", "DELETE"))
                    .summary("Remove and return the member with the lowest score from one or more sorted sets, or"
                            + " block until one is available")
                    .complexity(LOG_N),
                    ZPopCommands::bzpopmin),
            command(spec("bzpopmax", -3, "5.0.0", WRITE, NOSCRIPT, FAST, BLOCKING)
                    .keySpec(KeySpec.range(1, -2, 1, "RW", "ACCESS", "DELETE"))
                    .summary("Remove and return the member with the highest score from one or more sorted sets, or"
                            + " block until one is available")
                    .complexity(LOG_N),
                    ZPopCommands::bzpopmax),
            command(spec("bzmpop", -5, "7.0.0", WRITE, BLOCKING)
                    .keySpec(KeySpec.keynum(2, 0, 1, 1, "RW", "ACCESS", "DELETE"))
                    .summary("Remove and return members with scores in a sorted set or block until one is available")
                    .complexity(MPOP),
                    ZPopCommands::bzmpop),
            command(oneKey(spec("zrandmember", -2, "6.2.0", READONLY), "RO", "ACCESS")
                    .summary("Get one or multiple random elements from a sorted set")
                    .complexity("O(N) where N is the number of elements returned"),
                    ZRandMember::zrandmember),
            command(oneKey(spec("zscan", -3, "2.8.0", READONLY), "RO", "ACCESS")
                    .summary("Incrementally iterate sorted sets elements and associated scores")
                    .complexity("O(1) for every call. O(N) for a complete iteration, including enough command calls"
                            + " for the cursor to return back to 0. N is the number of elements inside the collection.."),
                    ZScan::zscan));

    @Override
    public List<Command> commands() {
        return commands;
    }

    /**
     * A sorted_set-group spec; ACL categories are Redis's explicit @sortedset plus the ones it
     * derives from the flags, in Redis's order.
     */
    private static CommandSpec.Builder spec(String name, int arity, String since, CommandFlag... flags) {
        List<CommandFlag> f = Arrays.asList(flags);
        List<String> acl = new ArrayList<>();
        acl.add(f.contains(WRITE) ? "write" : "read");
        acl.add("sortedset");
        acl.add(f.contains(FAST) ? "fast" : "slow");
        if (f.contains(BLOCKING)) {
            acl.add("blocking");
        }
        return CommandSpec.of(name, arity).group("sorted_set").since(since).flags(flags)
                .acl(acl.toArray(new String[0]));
    }

    /** The key is argument 1, and only it. */
    private static CommandSpec.Builder oneKey(CommandSpec.Builder b, String... keyFlags) {
        return b.keySpec(KeySpec.range(1, 0, 1, keyFlags));
    }

    /** The *STORE commands' destination, argument 1. */
    private static CommandSpec.Builder destination(CommandSpec.Builder b) {
        return b.keySpec(KeySpec.range(1, 0, 1, "OW", "UPDATE"));
    }

    /** numkeys at {@code numkeysIdx}, then that many input keys. */
    private static CommandSpec.Builder inputKeys(CommandSpec.Builder b, int numkeysIdx) {
        return b.keySpec(KeySpec.keynum(numkeysIdx, 0, 1, 1, "RO", "ACCESS"));
    }

    private static Command command(CommandSpec.Builder spec, CommandHandler handler) {
        return new Command(spec.build(), handler);
    }
}
