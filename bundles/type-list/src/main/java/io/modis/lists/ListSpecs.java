package io.modis.lists;

import static io.modis.api.CommandFlag.BLOCKING;
import static io.modis.api.CommandFlag.FAST;
import static io.modis.api.CommandFlag.WRITE;

import io.modis.api.Command;
import io.modis.api.CommandFlag;
import io.modis.api.CommandHandler;
import io.modis.api.CommandSpec;
import io.modis.api.KeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Builds the list commands' metadata as Redis 7.0's src/commands/*.json declares it. */
final class ListSpecs {
    private ListSpecs() {
    }

    /**
     * A list-group spec. ACL categories are Redis's explicit @list plus the ones it derives from
     * the flags (@write or @read, @fast or @slow, @blocking), in the order Redis lists them.
     */
    static CommandSpec.Builder spec(String name, int arity, String since, CommandFlag... flags) {
        List<CommandFlag> f = Arrays.asList(flags);
        List<String> acl = new ArrayList<>();
        acl.add(f.contains(WRITE) ? "write" : "read");
        acl.add("list");
        acl.add(f.contains(FAST) ? "fast" : "slow");
        if (f.contains(BLOCKING)) {
            acl.add("blocking");
        }
        return CommandSpec.of(name, arity).group("list").since(since).flags(flags).acl(acl.toArray(new String[0]));
    }

    /** The key is argument 1, and only it. */
    static CommandSpec.Builder oneKey(CommandSpec.Builder b, String... keyFlags) {
        return b.keys(1, 1, 1).keySpec(KeySpec.range(1, 0, 1, keyFlags));
    }

    /** A source list at argument 1 and a destination list at argument 2 (LMOVE and friends). */
    static CommandSpec.Builder sourceAndDestination(CommandSpec.Builder b) {
        return b.keys(1, 2, 1)
                .keySpec(KeySpec.range(1, 0, 1, "RW", "ACCESS", "DELETE"))
                .keySpec(KeySpec.range(2, 0, 1, "RW", "INSERT"));
    }

    static Command command(CommandSpec.Builder spec, CommandHandler handler) {
        return new Command(spec.build(), handler);
    }
}
