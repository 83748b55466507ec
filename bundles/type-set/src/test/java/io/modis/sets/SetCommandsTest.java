package io.modis.sets;

import static io.modis.core.TestServer.OK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modis.api.Bytes;
import io.modis.api.Command;
import io.modis.api.CommandException;
import io.modis.api.CommandFlag;
import io.modis.api.CommandSpec;
import io.modis.api.KeySpec;
import io.modis.api.StringValue;
import io.modis.api.Value;
import io.modis.core.TestServer;
import io.modis.core.TestServer.Err;
import io.modis.core.TestServer.TestClient;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The set commands registered into the real core, driven through its command pipeline. */
class SetCommandsTest {
    private static final Err WRONGTYPE = new Err("WRONGTYPE Operation against a key holding the wrong kind of value");

    private final List<Command> provided = new SetCommands().commands();
    private TestServer t;
    private TestClient c;
    /** A second client that WATCHes keys, to see which keys a command touched. */
    private TestClient watcher;

    /** What the last {@link #run} did: the server's dirty count, propagation and keyspace events. */
    private long dirty;
    private List<String> propagated;
    private List<String> events;

    @BeforeEach
    void start() {
        t = new TestServer();
        t.addCommands(provided);
        t.addConfigParams(new SetConfig().configParams());
        t.addServerCommands();
        c = t.client();
        watcher = t.client();
    }

    @AfterEach
    void stop() {
        t.close();
    }

    /* ------------------------------------------------------------ helpers */

    /** Runs one command as a client and records what it did; returns its one reply. */
    private Object run(String... words) {
        t.takePropagated();
        t.takeEvents();
        long dirtyBefore = t.onEngine(() -> t.server.dirty);
        Object reply = c.call(words);
        assertNull(c.pending(), "a second reply to " + words[0]);
        dirty = t.onEngine(() -> t.server.dirty) - dirtyBefore;
        propagated = t.takePropagated();
        events = t.takeEvents();
        return reply;
    }

    private static Err err(String message) {
        return new Err(message);
    }

    private Value value(String key) {
        return t.onEngine(() -> t.server.db(0).get(Bytes.of(key)));
    }

    private SetValue set(String key) {
        return (SetValue) value(key);
    }

    private void put(String key, Value v) {
        t.onEngine(() -> t.server.db(0).set(Bytes.of(key), v));
    }

    private String encoding(String key) {
        return value(key).encoding();
    }

    private long expireAt(String key) {
        return t.onEngine(() -> t.server.db(0).expireAt(Bytes.of(key)));
    }

    private void setExpireAt(String key, long when) {
        t.onEngine(() -> t.server.db(0).setExpireAt(Bytes.of(key), when));
    }

    private void sadd(String key, String... members) {
        String[] argv = new String[members.length + 2];
        argv[0] = "sadd";
        argv[1] = key;
        System.arraycopy(members, 0, argv, 2, members.length);
        run(argv);
    }

    private void saddRange(String key, int from, int to) {
        sadd(key, IntStream.range(from, to).mapToObj(Integer::toString).toArray(String[]::new));
    }

    private Set<String> members(String key) {
        return asSet(run("smembers", key));
    }

    @SuppressWarnings("unchecked")
    private static Set<String> asSet(Object reply) {
        List<String> list = (List<String>) reply;
        Set<String> s = new TreeSet<>(list);
        assertEquals(list.size(), s.size(), "duplicates in " + list);
        return s;
    }

    @SuppressWarnings("unchecked")
    private static List<String> asList(Object reply) {
        return (List<String>) reply;
    }

    private static Set<String> setOf(String... s) {
        return new TreeSet<>(List.of(s));
    }

    private static Set<String> range(int from, int to) {
        return IntStream.range(from, to).mapToObj(Integer::toString).collect(Collectors.toCollection(TreeSet::new));
    }

    private void watch(String key) {
        assertEquals(OK, watcher.call("WATCH", key));
    }

    /** The watched key was touched: the watcher's transaction fails. */
    private void assertTouched(String key) {
        assertEquals(OK, watcher.call("MULTI"));
        assertNull(watcher.call("EXEC"), key + " was not touched");
    }

    private void assertNotTouched(String key) {
        assertEquals(OK, watcher.call("MULTI"));
        assertEquals(List.of(), watcher.call("EXEC"), key + " was touched");
    }

    private CommandSpec spec(String name) {
        return t.onEngine(() -> t.server.commands.lookup(name).command.spec());
    }

    /* ------------------------------------------------------------ metadata */

    @Test
    void providesTheRedis70SetCommands() {
        assertEquals(Set.of("sadd", "srem", "scard", "sismember", "smismember", "smembers", "smove", "spop",
                "srandmember", "sinter", "sintercard", "sinterstore", "sunion", "sunionstore", "sdiff", "sdiffstore",
                "sscan"), provided.stream().map(Command::name).collect(Collectors.toSet()));
        for (Command command : provided) {
            assertSame(command, t.onEngine(() -> t.server.commands.lookup(command.name()).command), command.name());
            CommandSpec s = command.spec();
            assertEquals("set", s.group(), command.name());
            assertTrue(!s.summary().isEmpty() && !s.complexity().isEmpty(), command.name());
        }
    }

    @Test
    void metadataFollowsCommandInfo() {
        CommandSpec sadd = spec("sadd");
        assertEquals(-3, sadd.arity());
        assertEquals(Set.of(CommandFlag.WRITE, CommandFlag.DENYOOM, CommandFlag.FAST), sadd.flags());
        assertEquals(List.of("write", "set", "fast"), sadd.aclCategories());
        assertEquals(List.of(KeySpec.range(1, 0, 1, "RW", "INSERT")), sadd.keySpecs());

        CommandSpec smembers = spec("smembers");
        assertEquals(Set.of(CommandFlag.READONLY), smembers.flags());
        assertEquals(List.of("read", "set", "slow"), smembers.aclCategories());

        CommandSpec smove = spec("smove");
        assertEquals(List.of(1, 2, 1), List.of(smove.firstKey(), smove.lastKey(), smove.keyStep()));
        assertEquals(List.of(KeySpec.range(1, 0, 1, "RW", "ACCESS", "DELETE"), KeySpec.range(2, 0, 1, "RW", "INSERT")),
                smove.keySpecs());

        CommandSpec sintercard = spec("sintercard");
        assertEquals(-3, sintercard.arity());
        assertEquals("7.0.0", sintercard.since());
        assertEquals(List.of(0, 0, 0), List.of(sintercard.firstKey(), sintercard.lastKey(), sintercard.keyStep()));
        assertEquals(List.of(KeySpec.keynum(1, 0, 1, 1, "RO", "ACCESS")), sintercard.keySpecs());

        CommandSpec sunionstore = spec("sunionstore");
        assertEquals(List.of(1, -1, 1), List.of(sunionstore.firstKey(), sunionstore.lastKey(), sunionstore.keyStep()));
        assertEquals(List.of("OW", "UPDATE"), sunionstore.keySpecs().get(0).flags());
        assertEquals(List.of("RW", "UPDATE"), spec("sinterstore").keySpecs().get(0).flags());
        assertEquals(Set.of(CommandFlag.WRITE, CommandFlag.FAST), spec("spop").flags());
        assertEquals("6.2.0", spec("smismember").since());
        assertEquals("2.8.0", spec("sscan").since());
    }

    @Test
    void commandGetkeysFindsSintercardKeys() {
        assertEquals(List.of("a", "b"), c.call("COMMAND", "GETKEYS", "sintercard", "2", "a", "b", "limit", "1"));
        assertEquals(List.of("d", "a", "b"), c.call("COMMAND", "GETKEYS", "sdiffstore", "d", "a", "b"));
    }

    @Test
    void configParameterDrivesTheIntsetThreshold() {
        assertEquals(Map.of("set-max-intset-entries", "512"), c.call("CONFIG", "GET", "set-max-intset-entries"));
        assertEquals(OK, c.call("CONFIG", "SET", "set-max-intset-entries", "3"));
        assertEquals(3L, SetType.INSTANCE.maxIntsetEntries());
        saddRange("s", 0, 3);
        assertEquals("intset", encoding("s"));
        sadd("s", "3");
        assertEquals("hashtable", encoding("s"));
        assertTrue(c.call("CONFIG", "SET", "set-max-intset-entries", "-1") instanceof Err);
    }

    /* ------------------------------------------------------------ SADD / SREM / membership */

    @Test
    void saddCountsNewMembersAndAnnouncesTheKey() {
        watch("s");
        assertEquals(3L, run("sadd", "s", "a", "b", "a", "c"));
        assertEquals(3, dirty);
        assertEquals(List.of("n:new:s@0", "s:sadd:s@0"), events);
        assertEquals(List.of("0: sadd s a b a c"), propagated);
        assertTouched("s");
        assertEquals(1L, run("sadd", "s", "a", "d"));
        assertEquals(List.of("s:sadd:s@0"), events);

        watch("s");
        assertEquals(0L, run("sadd", "s", "a", "b"));
        assertEquals(0, dirty);
        assertEquals(List.of(), events);
        assertEquals(List.of(), propagated);
        assertNotTouched("s");
        assertEquals(setOf("a", "b", "c", "d"), members("s"));
    }

    @Test
    void integerMembersMakeAnIntsetUntilSomethingElseArrives() {
        sadd("s", "17");
        assertEquals("intset", encoding("s"));
        assertEquals(1L, run("sadd", "s", "16"));
        assertEquals(0L, run("sadd", "s", "16"));
        assertEquals("intset", encoding("s"));
        assertEquals(List.of("16", "17"), run("smembers", "s"), "an intset is sorted");
        assertEquals(1L, run("sadd", "s", "a"));
        assertEquals("hashtable", encoding("s"));
        assertEquals(setOf("16", "17", "a"), members("s"));
        run("srem", "s", "a");
        assertEquals("hashtable", encoding("s"), "never converts back");
        assertEquals(1L, run("sismember", "s", "16"));
    }

    @Test
    void onlyStrictIntegersFitAnIntset() {
        for (String notStrict : List.of("01", "+1", " 1", "1 ", "-0", "1.0", "9223372036854775808",
                "-9223372036854775809", "213244124402402314402033402", "")) {
            run("del", "s");
            sadd("s", notStrict);
            assertEquals("hashtable", encoding("s"), notStrict);
            assertEquals(1L, run("sismember", "s", notStrict), notStrict);
        }
        run("del", "s");
        sadd("s", "9223372036854775807", "-9223372036854775808", "0", "-1");
        assertEquals("intset", encoding("s"));
        assertEquals(List.of("-9223372036854775808", "-1", "0", "9223372036854775807"), run("smembers", "s"));
        assertEquals(0L, run("sismember", "s", "00"));
        assertEquals(0L, run("srem", "s", "-0"));
    }

    @Test
    void intsetConvertsPastTheThreshold() {
        saddRange("s", 0, 512);
        assertEquals("intset", encoding("s"));
        assertEquals(1L, run("sadd", "s", "512"));
        assertEquals("hashtable", encoding("s"));
        assertEquals(range(0, 513), members("s"));

        t.config("set-max-intset-entries", "0");
        sadd("zero", "1");
        assertEquals("hashtable", encoding("zero"));
    }

    @Test
    void sremRemovesAndDeletesTheEmptiedKey() {
        sadd("s", "a", "b", "c", "d");
        assertEquals(0L, run("srem", "s", "x", "y"));
        assertEquals(0, dirty);
        assertEquals(List.of(), events);
        watch("s");
        assertEquals(2L, run("srem", "s", "b", "d", "x"));
        assertEquals(2, dirty);
        assertEquals(List.of("s:srem:s@0"), events);
        assertEquals(List.of("0: srem s b d x"), propagated);
        assertTouched("s");
        assertEquals(2L, run("srem", "s", "a", "c", "z"));
        assertEquals(List.of("s:srem:s@0", "g:del:s@0"), events);
        assertNull(value("s"));
        assertEquals(0L, run("srem", "s", "a"));

        sadd("i", "1", "2", "3");
        assertEquals(3L, run("srem", "i", "1", "2", "3", "4", "5"));
        assertNull(value("i"));
    }

    @Test
    void hashtableShrinksAfterRemovals() {
        saddRange("s", 0, 1000);
        sadd("s", "x");
        assertEquals(1024, bucketsOf("s"));
        run(command("srem", "s", IntStream.range(0, 990).mapToObj(Integer::toString)));
        SetValue s = set("s");
        // lookups move the shrink along, as in Redis
        t.onEngine(() -> IntStream.range(0, 2000).forEach(i -> s.contains(Bytes.of("x"))));
        // the shrink begins at 101 members (to 128 buckets); whether the removals' rehash steps
        // finish it inside the SREM depends on the table's random hash seed: if they do, the
        // 11 members left start a second shrink, to 16 buckets. Either way it ran to its end.
        long buckets = bucketsOf("s");
        assertTrue(buckets == 128 || buckets == 16, "the shrink began at 101 members and ran to its end: " + buckets);
        assertEquals(range(990, 1000).size() + 1, members("s").size());
    }

    /** A command with many arguments in one call. */
    private static String[] command(String name, String key, Stream<String> args) {
        List<String> argv = new ArrayList<>(List.of(name, key));
        args.forEach(argv::add);
        return argv.toArray(String[]::new);
    }

    private long bucketsOf(String key) {
        String stats = set(key).hashTableStats();
        Matcher m = Pattern.compile("table size: (\\d+)").matcher(stats);
        long total = 0;
        while (m.find()) {
            total += Long.parseLong(m.group(1));
        }
        return total;
    }

    @Test
    void cardAndMembership() {
        assertEquals(0L, run("scard", "s"));
        assertEquals(0L, run("sismember", "s", "a"));
        assertEquals(List.of(0L, 0L), run("smismember", "s", "a", "b"));
        assertEquals(List.of(), run("smembers", "s"));
        sadd("s", "foo", "bar");
        assertEquals(2L, run("scard", "s"));
        assertEquals(1L, run("sismember", "s", "foo"));
        assertEquals(0L, run("sismember", "s", "bla"));
        assertEquals(List.of(1L, 0L, 1L), run("smismember", "s", "foo", "bla", "bar"));
        assertEquals(err("ERR wrong number of arguments for 'smismember' command"), run("smismember", "s"));
        sadd("i", "16", "17");
        assertEquals(List.of(0L, 1L, 0L), run("smismember", "i", "18", "16", "x"));
    }

    @Test
    void everyCommandRejectsAnotherType() {
        StringValue str = StringValue.of(Bytes.of("x"));
        put("str", str);
        sadd("s", "a");
        for (String[] cmd : List.of(new String[] {"sadd", "str", "a"}, new String[] {"srem", "str", "a"},
                new String[] {"scard", "str"}, new String[] {"sismember", "str", "a"},
                new String[] {"smismember", "str", "a"}, new String[] {"smembers", "str"},
                new String[] {"spop", "str"}, new String[] {"spop", "str", "2"}, new String[] {"srandmember", "str"},
                new String[] {"srandmember", "str", "-2"}, new String[] {"sinter", "s", "str"},
                new String[] {"sinter", "nokey", "str"}, new String[] {"sintercard", "2", "nokey", "str"},
                new String[] {"sinterstore", "d", "nokey", "str"}, new String[] {"sunion", "str", "s"},
                new String[] {"sunionstore", "d", "s", "str"}, new String[] {"sdiff", "nokey", "str"},
                new String[] {"sdiffstore", "d", "s", "str"}, new String[] {"sscan", "str", "0"},
                new String[] {"smove", "str", "s", "a"}, new String[] {"smove", "s", "str", "a"})) {
            assertEquals(WRONGTYPE, run(cmd), String.join(" ", cmd));
            assertEquals(0, dirty, String.join(" ", cmd));
            assertEquals(List.of(), events, String.join(" ", cmd));
        }
        assertSame(str, value("str"));
        assertEquals(setOf("a"), members("s"));
        assertNull(value("d"));
    }

    /* ------------------------------------------------------------ SMOVE */

    @Test
    void smoveMovesAndConvertsTheDestination() {
        sadd("src", "1", "a", "b");
        sadd("dst", "2", "3", "4");
        watch("dst");
        assertEquals(1L, run("smove", "src", "dst", "a"));
        assertEquals(2, dirty);
        assertEquals(List.of("s:srem:src@0", "s:sadd:dst@0"), events);
        assertEquals(List.of("0: smove src dst a"), propagated);
        assertTouched("dst");
        assertEquals(setOf("1", "b"), members("src"));
        assertEquals(setOf("2", "3", "4", "a"), members("dst"));
        assertEquals("hashtable", encoding("dst"));

        run("del", "dst");
        sadd("dst", "2", "3");
        assertEquals(1L, run("smove", "src", "dst", "1"));
        assertEquals("intset", encoding("dst"));
    }

    @Test
    void smoveCreatesTheDestinationAndDeletesAnEmptiedSource() {
        sadd("src", "2");
        assertEquals(1L, run("smove", "src", "new", "2"));
        assertEquals(List.of("s:srem:src@0", "g:del:src@0", "n:new:new@0", "s:sadd:new@0"), events);
        assertNull(value("src"));
        assertEquals("intset", encoding("new"));
        sadd("src", "x", "y");
        assertEquals(1L, run("smove", "src", "other", "x"));
        assertEquals("hashtable", encoding("other"));
    }

    @Test
    void smoveTouchesTheDestinationOnlyWhenTheMemberIsNew() {
        sadd("src", "a", "b");
        sadd("dst", "a");
        watch("dst");
        assertEquals(1L, run("smove", "src", "dst", "a"));
        assertEquals(1, dirty);
        assertEquals(List.of("s:srem:src@0"), events);
        assertNotTouched("dst");
        assertEquals(setOf("b"), members("src"));
        assertEquals(setOf("a"), members("dst"));
    }

    @Test
    void smoveEdgeCases() {
        sadd("s", "a", "b", "c");
        assertEquals(0L, run("smove", "s", "t", "zz"));
        assertEquals(0, dirty);
        assertNull(value("t"));
        assertEquals(1L, run("smove", "s", "s", "b"));
        assertEquals(0L, run("smove", "s", "s", "zz"));
        assertEquals(0, dirty);
        assertEquals(setOf("a", "b", "c"), members("s"));

        put("str", StringValue.of(Bytes.of("x")));
        assertEquals(0L, run("smove", "nosrc", "str", "a"), "a missing source wins over a wrong destination");
        assertEquals(WRONGTYPE, run("smove", "s", "str", "a"));
        assertEquals(setOf("a", "b", "c"), members("s"));
    }

    /* ------------------------------------------------------------ SPOP */

    @Test
    void spopWithoutCountIsPropagatedAsSrem() {
        sadd("s", "a", "b", "c");
        Set<String> popped = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            watch("s");
            String m = (String) run("spop", "s");
            assertTrue(popped.add(m));
            assertEquals(List.of("0: SREM s " + m), propagated);
            assertEquals(1, dirty);
            assertTouched("s");
            assertEquals(i < 2 ? List.of("s:spop:s@0") : List.of("s:spop:s@0", "g:del:s@0"), events);
        }
        assertEquals(setOf("a", "b", "c"), popped);
        assertNull(value("s"));
        assertNull(run("spop", "s"));
        assertEquals(List.of(), propagated);
        assertEquals(err("ERR syntax error"), run("spop", "s", "1", "2"));
    }

    @Test
    void spopOnIntsets() {
        sadd("s", "1", "2", "3");
        Set<String> popped = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            popped.add((String) run("spop", "s"));
            if (i < 2) {
                assertEquals("intset", encoding("s"));
            }
        }
        assertEquals(setOf("1", "2", "3"), popped);
        assertEquals(0L, run("scard", "s"));
    }

    @Test
    void spopWithSmallCountPopsOneByOne() {
        saddRange("s", 1, 21);
        watch("s");
        Set<String> popped = asSet(run("spop", "s", "2"));
        assertEquals(2, popped.size());
        assertEquals(2, dirty);
        assertEquals(List.of("s:spop:s@0"), events);
        assertEquals(popped.stream().map(m -> "0: SREM s " + m).collect(Collectors.toSet()), Set.copyOf(propagated));
        assertEquals(2, propagated.size());
        assertTouched("s");
        Set<String> left = members("s");
        assertEquals(18, left.size());
        left.addAll(popped);
        assertEquals(range(1, 21), left);
    }

    @Test
    void spopWithLargeCountKeepsARandomRemnant() {
        sadd("s", "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "1", "2");
        setExpireAt("s", System.currentTimeMillis() + 100_000);
        long ttl = expireAt("s");
        Set<String> popped = asSet(run("spop", "s", "11"));
        assertEquals(11, popped.size());
        assertEquals(11, dirty);
        assertEquals(11, propagated.size());
        assertEquals(popped.stream().map(m -> "0: SREM s " + m).collect(Collectors.toSet()), Set.copyOf(propagated));
        Set<String> left = members("s");
        assertEquals(1, left.size());
        assertFalse(popped.contains(left.iterator().next()));
        assertEquals(ttl, expireAt("s"), "the key keeps its TTL");
    }

    @Test
    void spopSurvivorsOfAnIntegerHashtableBecomeAnIntset() {
        sadd("s", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "x");
        run("srem", "s", "x");
        assertEquals("hashtable", encoding("s"));
        run("spop", "s", "9");
        assertEquals("intset", encoding("s"), "Redis builds the survivors as a new set");
    }

    @Test
    void spopWithCountCoveringTheSetDeletesIt() {
        sadd("s", "a", "b", "c");
        watch("s");
        assertEquals(setOf("a", "b", "c"), asSet(run("spop", "s", "30")));
        assertEquals(3, dirty);
        assertEquals(List.of("0: DEL s"), propagated);
        assertEquals(List.of("s:spop:s@0", "g:del:s@0"), events);
        assertTouched("s");
        assertNull(value("s"));
    }

    @Test
    void spopCountEdgeCases() {
        assertEquals(List.of(), run("spop", "nokey", "100"));
        sadd("s", "a", "b");
        assertEquals(List.of(), run("spop", "s", "0"));
        assertEquals(0, dirty);
        assertEquals(List.of(), events);
        assertEquals(err("ERR value is out of range, must be positive"), run("spop", "s", "-1"));
        assertEquals(err("ERR value is out of range, must be positive"), run("spop", "s", "x"));
        assertEquals(err("ERR value is out of range, must be positive"), run("spop", "nokey", "-1"));
        assertEquals(2L, run("scard", "s"));
    }

    @Test
    void spopWithCountMatchesWholeSetOverManyCalls() {
        for (String type : List.of("letters", "numbers")) {
            run("del", "s");
            Set<String> contents = new TreeSet<>();
            for (int i = 0; i < 26; i++) {
                contents.add(type.equals("letters") ? String.valueOf((char) ('a' + i)) : Integer.toString(i + 1));
            }
            sadd("s", contents.toArray(String[]::new));
            Set<String> all = new TreeSet<>();
            for (String n : List.of("11", "9", "0", "4", "1", "0", "1", "0")) {
                Set<String> got = asSet(run("spop", "s", n));
                for (String m : got) {
                    assertTrue(all.add(m), "popped twice: " + m);
                }
            }
            assertEquals(contents, all);
            assertEquals(0L, run("scard", "s"));
        }
    }

    @Test
    void spopInsideMultiIsPropagatedAsItsEffects() {
        sadd("s", "a");
        assertEquals(OK, c.call("MULTI"));
        c.call("spop", "s");
        t.takePropagated();
        assertEquals(List.of("a"), c.call("EXEC"));
        assertTrue(t.takePropagated().contains("0: SREM s a"));
        assertNull(value("s"));
    }

    /* ------------------------------------------------------------ SRANDMEMBER */

    @Test
    void srandmemberWithoutCount() {
        assertNull(run("srandmember", "s"));
        sadd("s", "a", "b", "c");
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 200 && seen.size() < 3; i++) {
            seen.add((String) run("srandmember", "s"));
        }
        assertEquals(setOf("a", "b", "c"), seen);
        assertEquals(0, dirty);
        assertEquals(List.of(), propagated);
        assertEquals(err("ERR syntax error"), run("srandmember", "s", "1", "2"));
    }

    @Test
    void srandmemberCountErrorsAndEmptyReplies() {
        assertEquals(List.of(), run("srandmember", "nokey", "100"));
        sadd("s", "a");
        assertEquals(List.of(), run("srandmember", "s", "0"));
        assertEquals(err("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807"),
                run("srandmember", "s", "-9223372036854775808"));
        assertEquals(err("ERR value is not an integer or out of range"), run("srandmember", "s", "1.5"));
        assertEquals(List.of("a", "a", "a"), run("srandmember", "s", "-3"));
    }

    @Test
    void srandmemberCountPathsOnBothEncodings() {
        Set<String> hashtable = new TreeSet<>();
        for (int i = 0; i < 50; i++) {
            hashtable.add("m" + i);
        }
        Map<String, Set<String>> sets = Map.of("h", hashtable, "i", range(0, 50));
        for (Map.Entry<String, Set<String>> e : sets.entrySet()) {
            String key = e.getKey();
            Set<String> contents = e.getValue();
            sadd(key, contents.toArray(String[]::new));
            assertEquals(key.equals("i") ? "intset" : "hashtable", encoding(key));

            List<String> repeated = asList(run("srandmember", key, "-100"));
            assertEquals(100, repeated.size());
            assertTrue(contents.containsAll(repeated));

            for (String whole : List.of("50", "100")) {
                assertEquals(contents, asSet(run("srandmember", key, whole)));
            }
            // 45 copies the set and thins it; 5 draws distinct members.
            for (int size : List.of(45, 5)) {
                Set<String> union = new HashSet<>();
                for (int round = 0; round < 1000 && union.size() < 50; round++) {
                    Set<String> got = asSet(run("srandmember", key, Integer.toString(size)));
                    assertEquals(size, got.size());
                    assertTrue(contents.containsAll(got));
                    union.addAll(got);
                }
                assertEquals(contents, union, "every member comes up eventually");
            }
        }
    }

    @Test
    void srandmemberIsUniformOnBothEncodings() {
        sadd("h", "1", "5", "10", "50", "125", "MARY", "PATRICIA", "LINDA", "BARBARA", "ELIZABETH");
        saddRange("i", 0, 10);
        for (String key : List.of("h", "i")) {
            int draws = 100_000;
            Map<String, Integer> histogram = new HashMap<>();
            for (String m : asList(run("srandmember", key, "-" + draws))) {
                histogram.merge(m, 1, Integer::sum);
            }
            assertEquals(10, histogram.size());
            double expected = draws / 10.0;
            double chiSquare = 0;
            for (int n : histogram.values()) {
                chiSquare += (n - expected) * (n - expected) / expected;
            }
            // 9 degrees of freedom: above 40 has a probability of about 1e-5
            assertTrue(chiSquare < 40, key + ": chi-square " + chiSquare + " for " + histogram);
        }
    }

    /* ------------------------------------------------------------ SINTER family */

    /** Sets like set.tcl's: set1 = 0..199, set2 = 195..394, set3 = {199 195 1000 2000}, plus an encoding marker. */
    private void algebraSets(String marker) {
        for (int i = 1; i <= 5; i++) {
            run("del", "set" + i);
        }
        saddRange("set1", 0, 200);
        saddRange("set2", 195, 395);
        sadd("set3", "199", "195", "1000", "2000");
        saddRange("set4", 5, 200);
        sadd("set5", "0");
        for (int i = 1; i <= 5; i++) {
            sadd("set" + i, marker);
        }
    }

    @Test
    void intersectionOnBothEncodings() {
        for (String marker : List.of("foo", "200")) {
            algebraSets(marker);
            String enc = marker.equals("foo") ? "hashtable" : "intset";
            Set<String> expected = range(195, 200);
            expected.add(marker);
            assertEquals(expected, asSet(run("sinter", "set1", "set2")));
            assertEquals(6L, run("sintercard", "2", "set1", "set2"));
            assertEquals(6L, run("sintercard", "2", "set1", "set2", "limit", "0"));
            assertEquals(3L, run("sintercard", "2", "set1", "set2", "limit", "3"));
            assertEquals(6L, run("sintercard", "2", "set1", "set2", "LIMIT", "10"));
            assertEquals(6L, run("sinterstore", "res", "set1", "set2"));
            assertEquals(enc, encoding("res"));
            assertEquals(expected, members("res"));
            assertEquals(setOf("195", "199", marker), asSet(run("sinter", "set1", "set2", "set3")));
            assertEquals(2L, run("sintercard", "3", "set1", "set2", "set3", "limit", "2"));
            assertEquals(range(0, 200).size() + 1, asSet(run("sinter", "set1", "set1", "set1")).size());
        }
    }

    @Test
    void intersectionOfAnIntsetAndAnIntegerHashtable() {
        sadd("a", "1", "2", "3");
        sadd("b", "1", "2", "3", "x");
        run("srem", "b", "x");
        assertEquals(setOf("1", "2", "3"), asSet(run("sinter", "a", "b")));
        assertEquals(setOf("1", "2", "3"), asSet(run("sinter", "b", "a")));
    }

    @Test
    void sinterstoreReplacesTheDestinationAndItsTtl() {
        sadd("a", "x", "y", "z");
        sadd("b", "y", "z", "w");
        put("dst", StringValue.of(Bytes.of("old")));
        setExpireAt("dst", System.currentTimeMillis() + 100_000);
        watch("dst");
        assertEquals(2L, run("sinterstore", "dst", "a", "b"));
        assertEquals(1, dirty);
        assertEquals(List.of("s:sinterstore:dst@0"), events);
        assertEquals(List.of("0: sinterstore dst a b"), propagated);
        assertTouched("dst");
        assertEquals(-1, expireAt("dst"));
        assertEquals(setOf("y", "z"), members("dst"));
        assertNotSame(value("a"), value("dst"));
    }

    @Test
    void emptyIntersectionsDeleteTheDestination() {
        put("dst", StringValue.of(Bytes.of("xxx")));
        assertEquals(0L, run("sinterstore", "dst", "nokey1", "nokey2"));
        assertEquals(1, dirty);
        assertEquals(List.of("g:del:dst@0"), events);
        assertNull(value("dst"));
        assertEquals(0L, run("sinterstore", "dst", "nokey1", "nokey2"));
        assertEquals(0, dirty);
        assertEquals(List.of(), propagated);

        sadd("a", "1", "2");
        sadd("b", "3");
        sadd("dst", "z");
        assertEquals(0L, run("sinterstore", "dst", "a", "b"));
        assertEquals(List.of("g:del:dst@0"), events);
        assertNull(value("dst"));
        assertEquals(List.of(), run("sinter", "a", "nokey"));
        assertEquals(0L, run("sintercard", "1", "nokey"));
    }

    @Test
    void sintercardArgumentErrors() {
        assertEquals(err("ERR wrong number of arguments for 'sintercard' command"), run("sintercard", "1"));
        assertEquals(err("ERR numkeys should be greater than 0"), run("sintercard", "0", "s"));
        assertEquals(err("ERR numkeys should be greater than 0"), run("sintercard", "a", "s"));
        assertEquals(err("ERR Number of keys can't be greater than number of args"), run("sintercard", "2", "s"));
        assertEquals(err("ERR Number of keys can't be greater than number of args"),
                run("sintercard", "3", "s", "t"));
        assertEquals(err("ERR syntax error"), run("sintercard", "1", "s", "t"));
        assertEquals(err("ERR syntax error"), run("sintercard", "1", "s", "limit"));
        assertEquals(err("ERR LIMIT can't be negative"), run("sintercard", "1", "s", "limit", "-1"));
        assertEquals(err("ERR LIMIT can't be negative"), run("sintercard", "1", "s", "limit", "a"));
        sadd("s", "a", "b", "c");
        assertEquals(2L, run("sintercard", "1", "s", "limit", "5", "limit", "2"), "the last LIMIT wins");
    }

    /* ------------------------------------------------------------ SUNION / SDIFF */

    @Test
    void unionAndDifferenceOnBothEncodings() {
        for (String marker : List.of("foo", "200")) {
            algebraSets(marker);
            String enc = marker.equals("foo") ? "hashtable" : "intset";
            Set<String> union = range(0, 395);
            union.add(marker);
            assertEquals(union, asSet(run("sunion", "set1", "set2")));
            assertEquals(union, asSet(run("sunion", "nokey1", "set1", "set2", "nokey2")));
            run("del", "res");
            assertEquals((long) union.size(), run("sunionstore", "res", "set1", "set2"));
            assertEquals(List.of("n:new:res@0", "s:sunionstore:res@0"), events);
            assertEquals(enc, encoding("res"), "395 members fit an intset");
            assertEquals(union, members("res"));
            assertEquals(setOf("0", "1", "2", "3", "4"), asSet(run("sdiff", "set1", "set4")));
            assertEquals(setOf("1", "2", "3", "4"), asSet(run("sdiff", "set1", "set4", "set5")));
            assertEquals(4L, run("sdiffstore", "res", "set1", "set4", "set5"));
            assertEquals(List.of("s:sdiffstore:res@0"), events);
            if (enc.equals("intset")) {
                assertEquals("intset", encoding("res"));
            }
            assertEquals(List.of(), run("sdiff", "set1", "set1", "set1"));
            assertEquals(range(0, 200).size() + 1, asSet(run("sunion", "set1", "set1")).size());
        }
    }

    @Test
    void unionStoreEncodingFollowsTheResult() {
        saddRange("a", 0, 300);
        saddRange("b", 200, 400);
        run("sunionstore", "u", "a", "b");
        assertEquals("intset", encoding("u"));
        saddRange("c", 400, 600);
        run("sunionstore", "u", "a", "b", "c");
        assertEquals("hashtable", encoding("u"));
        assertEquals(range(0, 600), members("u"));
    }

    @Test
    void differenceTreatsMissingKeysAsEmpty() {
        sadd("a", "a", "b", "c");
        sadd("b", "b", "c", "d");
        assertEquals(setOf("a"), asSet(run("sdiff", "a", "b", "nokey")));
        assertEquals(List.of(), run("sdiff", "nokey", "b", "a"));
        put("dst", StringValue.of(Bytes.of("xxx")));
        assertEquals(0L, run("sdiffstore", "dst", "foo", "bar"));
        assertEquals(List.of("g:del:dst@0"), events);
        assertNull(value("dst"));
        assertEquals(3L, run("sdiffstore", "dst", "a", "nokey"));
        assertEquals(0L, run("sdiffstore", "dst", "nokey", "a"));
        assertNull(value("dst"));
    }

    @Test
    void bothDifferenceAlgorithmsAgree() {
        // A large first set against small others favours removal; the opposite favours probing.
        saddRange("big", 0, 1000);
        sadd("small", "1", "2", "x");
        assertEquals(998, asSet(run("sdiff", "big", "small")).size());
        assertEquals(setOf("x"), asSet(run("sdiff", "small", "big")));
        Set<String> expected = range(0, 1000);
        expected.removeAll(range(0, 10));
        expected.removeAll(range(500, 1000));
        saddRange("low", 0, 10);
        saddRange("high", 500, 2000);
        assertEquals(expected, asSet(run("sdiff", "big", "low", "high")));
        assertEquals((long) expected.size(), run("sdiffstore", "d", "big", "low", "high"));
        assertEquals(expected, members("d"));
    }

    @Test
    void differenceFuzz() {
        Random random = new Random(42);
        for (int round = 0; round < 50; round++) {
            int n = random.nextInt(6) + 1;
            Set<String> expected = new HashSet<>();
            List<String> keys = new ArrayList<>();
            keys.add("sdiff");
            for (int i = 0; i < n; i++) {
                String key = "f" + i;
                run("del", key);
                keys.add(key);
                int count = random.nextInt(60);
                for (int j = 0; j < count; j++) {
                    String m = random.nextBoolean() ? Integer.toString(random.nextInt(100)) : "s" + random.nextInt(100);
                    sadd(key, m);
                    if (i == 0) {
                        expected.add(m);
                    }
                }
            }
            for (int i = 1; i < n; i++) {
                Object others = run("smembers", "f" + i);
                expected.removeAll(asSet(others));
            }
            assertEquals(new TreeSet<>(expected), asSet(run(keys.toArray(String[]::new))));
        }
    }

    /* ------------------------------------------------------------ SSCAN */

    @Test
    void sscanReturnsAnIntsetWhole() {
        saddRange("s", 0, 100);
        @SuppressWarnings("unchecked")
        List<Object> reply = (List<Object>) run("sscan", "s", "12345", "count", "1");
        assertEquals("0", reply.get(0));
        assertEquals(range(0, 100), asSet(reply.get(1)));
        reply = castList(run("sscan", "s", "0", "match", "1*"));
        assertEquals(setOf("1", "10", "11", "12", "13", "14", "15", "16", "17", "18", "19"), asSet(reply.get(1)));
    }

    @Test
    void sscanWalksAHashtable() {
        Set<String> all = new TreeSet<>();
        for (int i = 0; i < 1000; i++) {
            all.add("m" + i);
        }
        sadd("s", all.toArray(String[]::new));
        Set<String> seen = new TreeSet<>();
        String cursor = "0";
        int calls = 0;
        do {
            List<Object> reply = castList(run("sscan", "s", cursor, "count", "20"));
            cursor = (String) reply.get(0);
            seen.addAll(asList(reply.get(1)));
            calls++;
        } while (!cursor.equals("0"));
        assertEquals(all, seen);
        assertTrue(calls > 10, "walked in steps: " + calls);

        List<Object> matched = castList(run("sscan", "s", "0", "match", "m99*", "count", "100000"));
        assertEquals("0", matched.get(0));
        assertEquals(setOf("m99", "m990", "m991", "m992", "m993", "m994", "m995", "m996", "m997", "m998", "m999"),
                asSet(matched.get(1)));
    }

    @Test
    void sscanKeepsItsGuaranteeWhileTheSetChanges() {
        run(command("sadd", "s", IntStream.range(0, 500).mapToObj(i -> "k" + i)));
        Set<String> seen = new HashSet<>();
        String cursor = "0";
        int step = 0;
        do {
            List<Object> reply = castList(run("sscan", "s", cursor));
            cursor = (String) reply.get(0);
            seen.addAll(asList(reply.get(1)));
            // grow the table under the scan, then shrink it
            if (step++ == 3) {
                run(command("sadd", "s", IntStream.range(0, 2000).mapToObj(i -> "extra" + i)));
            }
            if (step == 10) {
                run(command("srem", "s", IntStream.range(0, 2000).mapToObj(i -> "extra" + i)));
            }
        } while (!cursor.equals("0"));
        for (int i = 0; i < 500; i++) {
            assertTrue(seen.contains("k" + i), "k" + i);
        }
    }

    @Test
    void sscanArgumentHandling() {
        assertEquals(List.of("0", List.of()), run("sscan", "nokey", "0"));
        assertEquals(List.of("0", List.of()), run("sscan", "nokey", "0", "bogus"), "options are read after the lookup");
        assertEquals(err("ERR invalid cursor"), run("sscan", "nokey", "x"));
        sadd("s", "a");
        assertEquals(err("ERR invalid cursor"), run("sscan", "s", " 1"));
        assertEquals(err("ERR invalid cursor"), run("sscan", "s", "18446744073709551616"));
        assertEquals(err("ERR syntax error"), run("sscan", "s", "0", "count", "0"));
        assertEquals(err("ERR value is not an integer or out of range"), run("sscan", "s", "0", "count", "x"));
        assertEquals(err("ERR syntax error"), run("sscan", "s", "0", "match"));
        assertEquals(err("ERR syntax error"), run("sscan", "s", "0", "type", "string"));
        assertEquals(List.of("0", List.of("a")), run("sscan", "s", "", "MATCH", "*"));
    }

    @Test
    void cursorParsingFollowsStrtoul() {
        assertEquals(0, SetScan.parseCursor(Bytes.of("")));
        assertEquals(42, SetScan.parseCursor(Bytes.of("+42")));
        assertEquals(7, SetScan.parseCursor(Bytes.of("007")));
        assertEquals(-1L, SetScan.parseCursor(Bytes.of("18446744073709551615")));
        assertEquals(-5L, SetScan.parseCursor(Bytes.of("-5")));
        for (String bad : List.of("+", "-", "1a", " 1", "18446744073709551616", "99999999999999999999")) {
            try {
                SetScan.parseCursor(Bytes.of(bad));
                throw new AssertionError("accepted " + bad);
            } catch (CommandException e) {
                assertEquals("ERR invalid cursor", e.getMessage());
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Object> castList(Object o) {
        return (List<Object>) o;
    }

    /* ------------------------------------------------------------ the value through the core */

    @Test
    void typeObjectEncodingCopyAndDigest() {
        sadd("s", "a", "b", "1");
        assertEquals(new TestServer.Status("set"), c.call("TYPE", "s"));
        assertEquals("hashtable", c.call("OBJECT", "ENCODING", "s"));
        assertEquals(1L, c.call("COPY", "s", "t"));
        assertNotSame(value("s"), value("t"));
        run("sadd", "t", "c");
        assertEquals(setOf("a", "b", "1"), members("s"));
        assertEquals(c.call("DEBUG", "DIGEST-VALUE", "s"), c.call("DEBUG", "DIGEST-VALUE", "s"));
        run("srem", "t", "c");
        assertEquals(c.call("DEBUG", "DIGEST-VALUE", "s"), c.call("DEBUG", "DIGEST-VALUE", "t"));
        assertTrue(((String) c.call("DEBUG", "HTSTATS-KEY", "s")).contains("number of elements: 3"));
        sadd("i", "1", "2");
        assertTrue(c.call("DEBUG", "HTSTATS-KEY", "i") instanceof Err);
    }

    @Test
    void membersViewListsEveryMember() {
        sadd("s", "a", "b", "c");
        List<String> seen = new ArrayList<>();
        SetValue s = set("s");
        assertEquals(3, s.length());
        t.onEngine(() -> s.forEachMember(m -> seen.add(Bytes.str(m))));
        assertEquals(setOf("a", "b", "c"), new TreeSet<>(seen));
    }

    @Test
    void memoryEstimateFollowsChanges() {
        sadd("s", "x");
        long one = set("s").memoryUsage();
        for (int i = 0; i < 100; i++) {
            sadd("s", "member-" + i);
        }
        long many = set("s").memoryUsage();
        assertTrue(many > one + 100 * 40, one + " -> " + many);
        saddRange("i", 0, 100);
        long ints = set("i").memoryUsage();
        assertTrue(ints < 400, "an intset of 100 small numbers is about 200 bytes, not " + ints);
        assertTrue(ints < many / 10);
    }

}
