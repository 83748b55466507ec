package io.modis.geo;

import static io.modis.api.CommandFlag.DENYOOM;
import static io.modis.api.CommandFlag.READONLY;
import static io.modis.api.CommandFlag.WRITE;

import io.modis.api.Bytes;
import io.modis.api.Command;
import io.modis.api.CommandFlag;
import io.modis.api.CommandHandler;
import io.modis.api.CommandProvider;
import io.modis.api.CommandSpec;
import io.modis.api.DataType;
import io.modis.api.KeyFinder;
import io.modis.api.KeySpec;
import io.modis.api.SortedSetFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The geo commands of Redis 7.0 (geo.c): each command's metadata, as src/commands/geo*.json
 * declares it, beside its handler. Geo indexes are sorted sets, which belong to the sorted-set
 * bundle: the commands are offered only while that bundle's type is, and create sets through it.
 */
@Component(service = CommandProvider.class)
public final class GeoCommands implements CommandProvider {
    private static final String SEARCH_COMPLEXITY = "O(N+log(M)) where N is the number of elements inside the bounding"
            + " box of the circular area delimited by center and radius and M is the number of items inside the index.";
    private static final String GEOSEARCH_COMPLEXITY = "O(N+log(M)) where N is the number of elements in the grid-aligned"
            + " bounding box area around the shape provided as the filter and M is the number of items inside the shape";

    private final List<Command> commands;

    /** The sorted-set type service doubles as the factory of sorted sets (api {@link SortedSetFactory}). */
    @Activate
    public GeoCommands(@Reference(target = "(modis.type=zset)") DataType sortedSetType) {
        SortedSetFactory sets = (SortedSetFactory) sortedSetType;
        GeoAdd add = new GeoAdd(sets);
        GeoSearch search = new GeoSearch(sets);
        commands = List.of(
                command(oneKey(spec("geoadd", -5, "3.2.0", WRITE, DENYOOM), "RW", "UPDATE")
                        .summary("Add one or more geospatial items in the geospatial index represented using a sorted set")
                        .complexity("O(log(N)) for each item added, where N is the number of elements in the sorted set."),
                        add::geoadd),
                command(oneKey(spec("geodist", -4, "3.2.0", READONLY), "RO", "ACCESS")
                        .summary("Returns the distance between two members of a geospatial index")
                        .complexity("O(log(N))"),
                        GeoLookups::geodist),
                command(oneKey(spec("geohash", -2, "3.2.0", READONLY), "RO", "ACCESS")
                        .summary("Returns members of a geospatial index as standard geohash strings")
                        .complexity("O(log(N)) for each member requested, where N is the number of elements in the"
                                + " sorted set."),
                        GeoLookups::geohash),
                command(oneKey(spec("geopos", -2, "3.2.0", READONLY), "RO", "ACCESS")
                        .summary("Returns longitude and latitude of members of a geospatial index")
                        .complexity("O(N) where N is the number of members requested."),
                        GeoLookups::geopos),
                command(storing(spec("georadius", -6, "3.2.0", WRITE, DENYOOM), 6)
                        .summary("Query a sorted set representing a geospatial index to fetch members matching a given"
                                + " maximum distance from a point")
                        .complexity(SEARCH_COMPLEXITY),
                        ctx -> search.run(ctx, GeoSearch.Form.RADIUS_COORDS)),
                command(oneKey(spec("georadius_ro", -6, "3.2.10", READONLY), "RO", "ACCESS")
                        .summary("A read-only variant for GEORADIUS")
                        .complexity(SEARCH_COMPLEXITY),
                        ctx -> search.run(ctx, GeoSearch.Form.RADIUS_COORDS_RO)),
                command(storing(spec("georadiusbymember", -5, "3.2.0", WRITE, DENYOOM), 5)
                        .summary("Query a sorted set representing a geospatial index to fetch members matching a given"
                                + " maximum distance from a member")
                        .complexity(SEARCH_COMPLEXITY),
                        ctx -> search.run(ctx, GeoSearch.Form.RADIUS_MEMBER)),
                command(oneKey(spec("georadiusbymember_ro", -5, "3.2.10", READONLY), "RO", "ACCESS")
                        .summary("A read-only variant for GEORADIUSBYMEMBER")
                        .complexity(SEARCH_COMPLEXITY),
                        ctx -> search.run(ctx, GeoSearch.Form.RADIUS_MEMBER_RO)),
                command(oneKey(spec("geosearch", -7, "6.2.0", READONLY), "RO", "ACCESS")
                        .summary("Query a sorted set representing a geospatial index to fetch members inside an area of"
                                + " a box or a circle.")
                        .complexity(GEOSEARCH_COMPLEXITY),
                        ctx -> search.run(ctx, GeoSearch.Form.SEARCH)),
                command(spec("geosearchstore", -8, "6.2.0", WRITE, DENYOOM)
                        .keys(1, 2, 1)
                        .keySpec(KeySpec.range(1, 0, 1, "OW", "UPDATE"))
                        .keySpec(KeySpec.range(2, 0, 1, "RO", "ACCESS"))
                        .summary("Query a sorted set representing a geospatial index to fetch members inside an area of"
                                + " a box or a circle, and store the result in another key.")
                        .complexity(GEOSEARCH_COMPLEXITY),
                        ctx -> search.run(ctx, GeoSearch.Form.SEARCH_STORE)));
    }

    @Override
    public List<Command> commands() {
        return commands;
    }

    /** A geo-group spec; ACL categories are Redis's explicit @geo plus the ones it derives from the flags. */
    private static CommandSpec.Builder spec(String name, int arity, String since, CommandFlag... flags) {
        List<CommandFlag> f = Arrays.asList(flags);
        List<String> acl = new ArrayList<>();
        acl.add(f.contains(WRITE) ? "write" : "read");
        acl.add("geo");
        acl.add("slow");
        return CommandSpec.of(name, arity).group("geo").since(since).flags(flags).acl(acl.toArray(new String[0]));
    }

    private static CommandSpec.Builder oneKey(CommandSpec.Builder b, String... keyFlags) {
        return b.keys(1, 1, 1).keySpec(KeySpec.range(1, 0, 1, keyFlags));
    }

    /**
     * GEORADIUS and GEORADIUSBYMEMBER: the source key, and a STORE or STOREDIST destination
     * searched for from {@code optionsFrom}; the key finder takes the last such destination.
     */
    private static CommandSpec.Builder storing(CommandSpec.Builder b, int optionsFrom) {
        return b.keys(1, 1, 1)
                .keySpec(KeySpec.range(1, 0, 1, "RO", "ACCESS"))
                .keySpec(KeySpec.keyword("STORE", optionsFrom, 0, 1, "OW", "UPDATE"))
                .keySpec(KeySpec.keyword("STOREDIST", optionsFrom, 0, 1, "OW", "UPDATE"))
                .keyFinder(GeoCommands::radiusKeys);
    }

    /** georadiusGetKeys: the source, then the key after the last STORE or STOREDIST from argument 5 on. */
    static List<KeyFinder.Key> radiusKeys(byte[][] argv) {
        List<KeyFinder.Key> keys = new ArrayList<>(2);
        keys.add(new KeyFinder.Key(1, 0));
        int stored = -1;
        int spec = 0;
        for (int i = 5; i < argv.length; i++) {
            boolean store = Bytes.is(argv[i], "store");
            if ((store || Bytes.is(argv[i], "storedist")) && i + 1 < argv.length) {
                stored = i + 1;
                spec = store ? 1 : 2;
                i++;
            }
        }
        if (stored > 0) {
            keys.add(new KeyFinder.Key(stored, spec));
        }
        return keys;
    }

    private static Command command(CommandSpec.Builder spec, CommandHandler handler) {
        return new Command(spec.build(), handler);
    }
}
