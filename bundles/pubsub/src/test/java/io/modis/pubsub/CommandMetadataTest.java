package io.modis.pubsub;

import static io.modis.api.CommandFlag.FAST;
import static io.modis.api.CommandFlag.LOADING;
import static io.modis.api.CommandFlag.MAY_REPLICATE;
import static io.modis.api.CommandFlag.NOSCRIPT;
import static io.modis.api.CommandFlag.PUBSUB;
import static io.modis.api.CommandFlag.SENTINEL;
import static io.modis.api.CommandFlag.STALE;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.modis.api.Command;
import io.modis.api.CommandSpec;
import io.modis.api.KeySpec;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The declared metadata matches Redis 7.0's src/commands/*.json. */
class CommandMetadataTest {
    private final Map<String, CommandSpec> specs = new PubSubCommands(new PubSub()).commands().stream()
            .map(Command::spec).collect(Collectors.toMap(CommandSpec::name, Function.identity()));

    @Test
    void namesAndArities() {
        assertEquals(Map.of("subscribe", -2, "unsubscribe", -1, "psubscribe", -2, "punsubscribe", -1,
                        "publish", 3, "ssubscribe", -2, "sunsubscribe", -1, "spublish", 3, "pubsub", -2),
                specs.values().stream().collect(Collectors.toMap(CommandSpec::name, CommandSpec::arity)));
        specs.values().forEach(s -> assertEquals("pubsub", s.group(), s.name()));
    }

    @Test
    void flags() {
        assertEquals(Set.of(PUBSUB, NOSCRIPT, LOADING, STALE, SENTINEL), specs.get("subscribe").flags());
        assertEquals(Set.of(PUBSUB, NOSCRIPT, LOADING, STALE, SENTINEL), specs.get("punsubscribe").flags());
        assertEquals(Set.of(PUBSUB, LOADING, STALE, FAST, MAY_REPLICATE, SENTINEL), specs.get("publish").flags());
        assertEquals(Set.of(PUBSUB, NOSCRIPT, LOADING, STALE), specs.get("ssubscribe").flags());
        assertEquals(Set.of(PUBSUB, LOADING, STALE, FAST, MAY_REPLICATE), specs.get("spublish").flags());
        assertEquals(List.of("pubsub"), specs.get("publish").aclCategories());
        assertEquals("7.0.0", specs.get("spublish").since());
    }

    @Test
    void shardCommandsDeclareTheirChannelsAsNotKeys() {
        assertEquals(List.of(KeySpec.range(1, 0, 1, "NOT_KEY")), specs.get("spublish").keySpecs());
        assertEquals(List.of(KeySpec.range(1, -1, 1, "NOT_KEY")), specs.get("ssubscribe").keySpecs());
        assertEquals(List.of(KeySpec.range(1, -1, 1, "NOT_KEY")), specs.get("sunsubscribe").keySpecs());
        assertEquals(List.of(), specs.get("publish").keySpecs());
    }

    @Test
    void pubsubSubcommands() {
        Map<String, CommandSpec> subs = specs.get("pubsub").subcommands().stream().map(Command::spec)
                .collect(Collectors.toMap(CommandSpec::name, Function.identity()));
        assertEquals(Set.of("pubsub|channels", "pubsub|numsub", "pubsub|numpat", "pubsub|shardchannels",
                "pubsub|shardnumsub", "pubsub|help"), subs.keySet());
        assertEquals(2, subs.get("pubsub|numpat").arity());
        assertEquals(Set.of(PUBSUB, LOADING, STALE), subs.get("pubsub|channels").flags());
        assertEquals(Set.of(LOADING, STALE), subs.get("pubsub|help").flags());
        assertEquals("6.2.0", subs.get("pubsub|help").since());
    }
}
