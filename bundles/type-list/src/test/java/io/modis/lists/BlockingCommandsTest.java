package io.modis.lists;

import static io.modis.core.TestServer.OK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.modis.core.TestServer.Status;
import io.modis.core.TestServer.TestClient;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** BLPOP, BRPOP, BLMPOP, BLMOVE and BRPOPLPUSH: immediate answers, blocking, serving, timeouts. */
class BlockingCommandsTest extends ListTestSupport {
    private static final Status QUEUED = new Status("QUEUED");

    @Test
    void answersAtOnceFromTheFirstNonEmptyList() {
        run("rpush", "b", "x", "y");
        assertEquals(List.of("b", "x"), run("blpop", "a", "b", "0"));
        assertEquals(List.of("0: LPOP b"), propagated);
        assertEquals(List.of("l:lpop:b@0"), events);
        assertEquals(1, dirty);
        assertEquals(List.of("b", "y"), run("brpop", "a", "b", "0"));
        assertEquals(List.of("0: RPOP b"), propagated);
        assertEquals(List.of("l:rpop:b@0", "g:del:b@0"), events);
        run("rpush", "b", "1", "2", "3");
        assertEquals(List.of("b", List.of("3", "2")), run("blmpop", "0", "2", "a", "b", "right", "count", "2"));
        assertEquals(List.of("0: RPOP b 2"), propagated);
        assertEquals("1", run("blmove", "b", "c", "LEFT", "right", "0"));
        assertEquals(List.of("0: LMOVE b c LEFT right"), propagated);
        assertEquals("1", run("brpoplpush", "c", "d", "0"));
        assertEquals(List.of("0: RPOPLPUSH c d"), propagated);
    }

    @Test
    void timeoutErrorsComeFirst() {
        assertEquals(err("ERR timeout is negative"), run("blpop", "l", "-1"));
        assertEquals(err("ERR timeout is not a float or out of range"), run("brpop", "l", "abc"));
        assertEquals(err("ERR timeout is not a float or out of range"), run("blmove", "l", "m", "left", "left", "1x"));
        assertEquals(err("ERR timeout is negative"), run("brpoplpush", "l", "m", "-1.5"));
        assertEquals(err("ERR timeout is negative"), run("blpop", "l", "inf"));
        assertEquals(err("ERR syntax error"), run("blmove", "l", "m", "middle", "left", "-1"));
        assertEquals(err(PopCommands.NUMKEYS), run("blmpop", "-1", "0", "l", "left"));
        assertEquals(err("ERR timeout is negative"), run("blmpop", "-1", "1", "l", "left"));
        setString("s", "v");
        assertEquals(err("ERR timeout is negative"), run("blpop", "s", "-1"));
        assertEquals(0, blockedClients());
    }

    @Test
    void blockedPopIsServedByALaterPush() {
        assertNull(run("blpop", "l", "0"));
        assertEquals(1, blockedClients());
        assertEquals(List.of(), propagated);
        TestClient pusher = t.client();
        t.takePropagated();
        t.takeEvents();
        assertEquals(2L, pusher.call("rpush", "l", "foo", "bar"));
        assertEquals(List.of("l", "foo"), awaitReply(c));
        assertEquals(List.of("0: rpush l foo bar", "0: LPOP l"), t.takePropagated());
        assertEquals(List.of("n:new:l@0", "l:rpush:l@0", "l:lpop:l@0"), t.takeEvents());
        assertEquals(List.of("bar"), pusher.call("lrange", "l", "0", "-1"));
        assertEquals(0, blockedClients());
    }

    @Test
    void clientsAreServedInTheOrderTheyBlocked() {
        TestClient first = t.client();
        TestClient second = t.client();
        TestClient third = t.client();
        assertNull(first.call("brpop", "l", "0"));
        assertNull(second.call("blpop", "l", "0"));
        assertNull(third.call("blpop", "l", "0"));
        c.call("rpush", "l", "a", "b");
        assertEquals(List.of("l", "b"), awaitReply(first));
        assertEquals(List.of("l", "a"), awaitReply(second));
        assertStillBlocked(third);
        assertEquals(0L, c.call("exists", "l"));
        c.call("lpush", "l", "c");
        assertEquals(List.of("l", "c"), awaitReply(third));
    }

    @Test
    void servedBlmpopPropagatesAPopWithItsCount() {
        TestClient a = t.client();
        TestClient b = t.client();
        assertNull(a.call("blmpop", "0", "2", "x", "y", "left", "count", "1"));
        assertNull(b.call("blmpop", "0", "2", "x", "y", "right", "count", "10"));
        t.takePropagated();
        c.call("multi");
        c.call("lpush", "x", "a", "b", "c", "d", "e");
        c.call("lpush", "y", "1", "2");
        c.call("exec");
        assertEquals(List.of("x", List.of("e")), awaitReply(a));
        assertEquals(List.of("x", List.of("a", "b", "c", "d")), awaitReply(b));
        List<String> p = t.takePropagated();
        assertEquals(List.of("0: LPOP x 1", "0: RPOP x 4"), p.subList(p.size() - 2, p.size()));
        assertEquals(List.of("2", "1"), c.call("lrange", "y", "0", "-1"));
    }

    @Test
    void aClientWaitingOnSeveralKeysIsServedFromTheListMadeFirst() {
        assertNull(run("blpop", "k1", "k2", "k2", "k1", "0"));
        TestClient other = t.client();
        other.call("multi");
        other.call("rpush", "k2", "b");
        other.call("rpush", "k1", "a");
        other.call("exec");
        assertEquals(List.of("k2", "b"), awaitReply(c));
        assertEquals(List.of("a"), other.call("lrange", "k1", "0", "-1"));
        assertEquals(0, blockedClients());
    }

    @Test
    void pushThenDeleteOrOverwriteDoesNotWakeTheClient() {
        assertNull(run("blpop", "l", "0"));
        TestClient other = t.client();
        other.call("multi");
        other.call("lpush", "l", "a");
        other.call("del", "l");
        other.call("exec");
        assertStillBlocked(c);
        setString("l", "foo");
        other.call("ping");
        assertStillBlocked(c);
        other.call("del", "l");
        other.call("lpush", "l", "b");
        assertEquals(List.of("l", "b"), awaitReply(c));
    }

    @Test
    void insideMultiNothingBlocks() {
        run("lpush", "l", "foo", "bar");
        c.call("multi");
        assertEquals(QUEUED, c.call("blpop", "l", "0"));
        c.call("blpop", "l", "0");
        c.call("blpop", "l", "0");
        c.call("brpoplpush", "l", "t", "0");
        c.call("blmove", "l", "t", "left", "left", "0");
        c.call("blmpop", "0", "1", "l", "left");
        assertEquals(Arrays.asList(List.of("l", "bar"), List.of("l", "foo"), null, null, null, null), c.call("exec"));
        assertEquals(0, blockedClients());
    }

    @Test
    void blockedClientsTimeOut() {
        assertNull(run("blpop", "l", "m", "0.01"));
        awaitNoBlockedClient();
        assertNull(c.pending());
        assertNull(run("brpoplpush", "l", "m", "0.01"));
        awaitNoBlockedClient();
        assertNull(c.pending());
        c.call("rpush", "l", "x");
        assertEquals(List.of("x"), c.call("lrange", "l", "0", "-1"));
    }

    @Test
    void servedMovePushesOntoTheDestinationAndWakesItsWaiters() {
        TestClient popper = t.client();
        assertNull(popper.call("blpop", "target", "0"));
        assertNull(run("blmove", "src", "target", "right", "left", "0"));
        t.takePropagated();
        t.takeEvents();
        t.client().call("rpush", "src", "foo");
        assertEquals("foo", awaitReply(c));
        assertEquals(List.of("target", "foo"), awaitReply(popper));
        assertEquals(List.of("0: rpush src foo", "0: LMOVE src target right left", "0: LPOP target"),
                t.takePropagated());
        assertEquals(List.of("n:new:src@0", "l:rpush:src@0", "n:new:target@0", "l:lpush:target@0",
                "l:rpop:src@0", "g:del:src@0", "l:lpop:target@0", "g:del:target@0"), t.takeEvents());
        assertEquals(0L, c.call("exists", "src", "target"));
    }

    @Test
    void linkedAndCircularMoves() {
        TestClient one = t.client();
        TestClient two = t.client();
        assertNull(one.call("blmove", "list1", "list2", "right", "left", "0"));
        assertNull(two.call("blmove", "list2", "list3", "left", "right", "0"));
        c.call("rpush", "list1", "foo");
        assertEquals("foo", awaitReply(one));
        assertEquals("foo", awaitReply(two));
        assertEquals(List.of("foo"), c.call("lrange", "list3", "0", "-1"));
        assertEquals(0L, c.call("exists", "list1", "list2"));

        assertNull(one.call("brpoplpush", "a", "b", "0"));
        assertNull(two.call("brpoplpush", "b", "a", "0"));
        c.call("rpush", "a", "bar");
        assertEquals("bar", awaitReply(one));
        assertEquals("bar", awaitReply(two));
        assertEquals(List.of("bar"), c.call("lrange", "a", "0", "-1"));
        assertEquals(0L, c.call("exists", "b"));
    }

    @Test
    void selfReferentialMoveKeepsTheElement() {
        assertNull(run("brpoplpush", "l", "l", "0"));
        t.takePropagated();
        t.client().call("rpush", "l", "foo");
        assertEquals("foo", awaitReply(c));
        assertEquals(List.of("0: rpush l foo", "0: RPOPLPUSH l l"), t.takePropagated());
        assertEquals(List.of("foo"), c.call("lrange", "l", "0", "-1"));
    }

    @Test
    void wrongTypeDestinationFailsOnlyThatClient() {
        setString("target1", "nolist");
        TestClient one = t.client();
        TestClient two = t.client();
        assertNull(one.call("brpoplpush", "l", "target1", "0"));
        assertNull(two.call("brpoplpush", "l", "target2", "0"));
        c.call("rpush", "l", "a", "b", "c");
        assertEquals(WRONGTYPE, awaitReply(one));
        assertEquals("c", awaitReply(two));
        assertEquals(List.of("a", "b"), c.call("lrange", "l", "0", "-1"));
        assertEquals(List.of("c"), c.call("lrange", "target2", "0", "-1"));
    }

    @Test
    void servedMoveTouchesTheDestination() {
        TestClient watcher = t.client();
        assertNull(run("brpoplpush", "src", "dst", "0"));
        watcher.call("watch", "dst");
        watcher.call("multi");
        watcher.call("ping");
        t.client().call("lpush", "src", "element");
        assertEquals("element", awaitReply(c));
        assertNull(watcher.call("exec"));
    }

    @Test
    void aListMovedIntoPlaceWakesTheClient() {
        assertNull(run("blpop", "foo", "0"));
        TestClient other = t.client();
        other.call("lpush", "bob", "abc", "def", "hij");
        other.call("rename", "bob", "foo");
        assertEquals(List.of("foo", "hij"), awaitReply(c));
        assertEquals(OK, other.call("select", "1"));
        other.call("rpush", "k", "hello");
        assertNull(run("brpop", "k", "5"));
        other.call("move", "k", "0");
        assertEquals(List.of("k", "hello"), awaitReply(c));
    }

    /** The replication stream Redis's "BLMPOP propagate as pop with count" test expects. */
    @Test
    void blmpopPropagatesAsPopsWithCounts() {
        TestClient rd = t.client();
        t.takePropagated();
        c.call("lpush", "mylist", "a", "b", "c");
        c.call("rpush", "mylist2", "1", "2", "3");
        c.call("blmpop", "0", "1", "mylist", "left", "count", "1");
        c.call("blmpop", "0", "2", "mylist", "mylist2", "right", "count", "10");
        c.call("blmpop", "0", "2", "mylist", "mylist2", "right", "count", "10");
        assertNull(rd.call("blmpop", "0", "1", "mylist", "left", "count", "1"));
        c.call("lpush", "mylist", "a");
        assertEquals(List.of("mylist", List.of("a")), awaitReply(rd));
        assertNull(rd.call("blmpop", "0", "2", "mylist", "mylist2", "left", "count", "5"));
        c.call("lpush", "mylist", "a", "b", "c");
        awaitReply(rd);
        assertNull(rd.call("blmpop", "0", "2", "mylist", "mylist2", "right", "count", "10"));
        c.call("rpush", "mylist2", "a", "b", "c");
        awaitReply(rd);
        assertNull(c.call("blmpop", "0.01", "1", "mylist", "left", "count", "10"));
        awaitNoBlockedClient();
        assertNull(c.pending());
        c.call("rpush", "foo", "bar");
        assertEquals(List.of("0: lpush mylist a b c", "0: rpush mylist2 1 2 3", "0: LPOP mylist 1",
                "0: RPOP mylist 2", "0: RPOP mylist2 3", "0: lpush mylist a", "0: LPOP mylist 1",
                "0: lpush mylist a b c", "0: LPOP mylist 3", "0: rpush mylist2 a b c", "0: RPOP mylist2 3",
                "0: rpush foo bar"), t.takePropagated());
    }
}
