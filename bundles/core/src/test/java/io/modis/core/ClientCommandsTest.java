package io.modis.core;

import io.modis.api.BlockedCommand;
import io.modis.api.Command;
import io.modis.api.CommandContext;
import io.modis.api.CommandSpec;
import io.modis.api.Connection;
import io.modis.api.Reply;
import io.modis.core.TestServer.Err;
import io.modis.core.TestServer.RecordingReply;
import io.modis.core.TestServer.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.modis.api.CommandFlag.BLOCKING;
import static io.modis.api.CommandFlag.WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClientCommandsTest {
    private static final String LINE = "id=\\d+ addr=\\S+ laddr=\\S+ fd=-?\\d+ name=\\S* age=\\d+ idle=\\d+ flags=\\w+ "
            + "db=\\d+ sub=0 psub=0 ssub=0 multi=-?\\d+ qbuf=\\d+ qbuf-free=\\d+ argv-mem=\\d+ multi-mem=\\d+ "
            + "rbs=\\d+ rbp=\\d+ obl=0 oll=0 omem=\\d+ tot-mem=\\d+ events=r cmd=\\S+ user=\\S+ redir=-1 resp=[23]";

    private TestServer ts;

    /** A client with its own addresses, driven on the engine thread like the transport does. */
    private final class Client {
        final Conn conn;
        final ClientSession session;

        Client(String addr) {
            conn = new Conn(addr);
            session = ts.onEngine(() -> ts.server.open(conn));
        }

        Object call(String... words) {
            return ts.onEngine(() -> {
                session.execute(TestServer.argv(words));
                return conn.replies.next();
            });
        }

        Object pending() {
            return ts.onEngine(conn.replies::next);
        }

        long id() {
            return session.id;
        }
    }

    private static final class Conn implements Connection {
        final RecordingReply replies = new RecordingReply();
        final String addr;
        boolean closed;

        Conn(String addr) {
            this.addr = addr;
        }

        @Override
        public Reply reply() {
            return replies;
        }

        @Override
        public void protocol(int version) {
            replies.protocol = version;
        }

        @Override
        public String remoteAddress() {
            return addr;
        }

        @Override
        public String localAddress() {
            return "127.0.0.1:6379";
        }

        @Override
        public int fd() {
            return 9;
        }

        @Override
        public boolean unixSocket() {
            return false;
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
            closed = true;
        }

        @Override
        public void resume() {
        }

        @Override
        public int queryBufferSize() {
            return 0;
        }

        @Override
        public long outputBufferSize() {
            return 0;
        }
    }

    /** Blocks until CLIENT UNBLOCK, whose timeout reply is "timed-out". */
    private static Command blockingCommand() {
        return new Command(CommandSpec.of("tblock", -2).flags(BLOCKING).build(), ctx ->
                ctx.block(List.of(ctx.args()).subList(1, ctx.argc()), 0, new BlockedCommand() {
                    @Override
                    public boolean serve(CommandContext c) {
                        return false;
                    }

                    @Override
                    public void timeout(Reply reply) {
                        reply.bulk("timed-out");
                    }
                }));
    }

    private static Command writeCommand() {
        return new Command(CommandSpec.of("twrite", 1).flags(WRITE).build(), ctx -> ctx.reply().simple("WROTE"));
    }

    @BeforeEach
    void start() {
        ts = IntrospectionTest.serverWithIntrospection();
        ts.addCommands(List.of(blockingCommand(), writeCommand()));
    }

    @AfterEach
    void stop() {
        ts.close();
    }

    @Test
    void clientListLineHasRedisFieldsInOrder() {
        Client a = new Client("10.0.0.1:1111");
        String list = (String) a.call("client", "list");
        assertTrue(list.endsWith("\n"));
        String line = list.trim();
        assertTrue(line.matches(LINE), line);
        assertTrue(line.startsWith("id=" + a.id() + " addr=10.0.0.1:1111 laddr=127.0.0.1:6379 fd=9 name= "), line);
        assertTrue(line.contains(" flags=N db=0 "), line);
        assertTrue(line.contains(" multi=-1 qbuf=26 "), line);
        assertTrue(line.contains(" argv-mem=10 "), line);
        assertTrue(line.contains(" cmd=client|list user=default redir=-1 resp=2"), line);
    }

    @Test
    void clientInfoDescribesTheCallerAndOthersShowTheirLastCommand() {
        Client a = new Client("10.0.0.1:1111");
        Client b = new Client("10.0.0.2:2222");
        b.call("ping");
        assertEquals(TestServer.OK, a.call("client", "setname", "worker-1"));
        String info = (String) a.call("client", "info");
        assertTrue(info.matches(LINE + "\n"), info);
        assertTrue(info.contains(" name=worker-1 ") && info.contains(" cmd=client|info "), info);

        String[] lines = ((String) a.call("client", "list")).split("\n");
        assertEquals(2, lines.length);
        assertTrue(lines[1].startsWith("id=" + b.id() + " "));
        assertTrue(lines[1].contains(" cmd=ping ") && lines[1].contains(" qbuf=0 qbuf-free=0 argv-mem=0 "), lines[1]);
    }

    @Test
    void clientListFilters() {
        Client a = new Client("10.0.0.1:1111");
        Client b = new Client("10.0.0.2:2222");
        String byId = (String) a.call("client", "list", "id", String.valueOf(b.id()), "999");
        assertEquals(1, byId.split("\n").length);
        assertTrue(byId.startsWith("id=" + b.id() + " "));
        assertEquals(2, ((String) a.call("client", "list", "type", "normal")).split("\n").length);
        assertEquals("", a.call("client", "list", "type", "replica"));
        assertEquals(new Err("ERR Unknown client type 'bogus'"), a.call("client", "list", "type", "bogus"));
        assertEquals(new Err("ERR Invalid client ID"), a.call("client", "list", "id", "x"));
        assertEquals(new Err("ERR syntax error"), a.call("client", "list", "foo"));
    }

    @Test
    void namesAreValidated() {
        Client a = new Client("10.0.0.1:1111");
        assertNull(a.call("client", "getname"));
        assertEquals(new Err("ERR Client names cannot contain spaces, newlines or special characters."),
                a.call("client", "setname", "foo bar"));
        a.call("client", "setname", "x");
        assertEquals("x", a.call("client", "getname"));
        a.call("client", "setname", "");
        assertNull(a.call("client", "getname"));
        assertEquals(TestServer.OK, a.call("client", "setinfo", "LIB-NAME", "redis-py"));
        assertEquals(TestServer.OK, a.call("client", "setinfo", "lib-ver", "5.0.1"));
        assertEquals("redis-py", a.session.libName);
        assertEquals(new Err("ERR Unrecognized option 'color'"), a.call("client", "setinfo", "color", "red"));
        assertEquals(new Err("ERR lib-ver cannot contain spaces, newlines or special characters."),
                a.call("client", "setinfo", "lib-ver", "1 2"));
    }

    @Test
    void killByAddressIdAndFilters() {
        Client a = new Client("10.0.0.1:1111");
        Client b = new Client("10.0.0.2:2222");
        Client c = new Client("10.0.0.3:3333");
        assertEquals(TestServer.OK, a.call("client", "kill", "10.0.0.2:2222"));
        assertTrue(b.conn.closed);
        assertEquals(new Err("ERR No such client"), a.call("client", "kill", "10.0.0.2:2222"));
        assertEquals(1L, a.call("client", "kill", "id", String.valueOf(c.id())));
        assertTrue(c.conn.closed);
        assertEquals(1, ((String) a.call("client", "list")).split("\n").length);
        assertEquals(0L, a.call("client", "kill", "skipme", "yes"));
        assertFalse(a.conn.closed);

        assertEquals(new Err("ERR client-id should be greater than 0"), a.call("client", "kill", "id", "0"));
        assertEquals(new Err("ERR client-id should be greater than 0"), a.call("client", "kill", "id", "str"));
        assertEquals(new Err("ERR Unknown client type 'wrong'"), a.call("client", "kill", "type", "wrong"));
        assertEquals(new Err("ERR No such user 'nobody'"), a.call("client", "kill", "user", "nobody"));
        assertEquals(new Err("ERR syntax error"), a.call("client", "kill", "skipme", "maybe"));
        assertEquals(new Err("ERR syntax error"), a.call("client", "kill", "id", "10", "wrong_arg"));
        assertEquals(new Err("ERR wrong number of arguments for 'client|kill' command"), a.call("client", "kill"));
    }

    @Test
    void killingEveryoneIncludingMeRepliesThenCloses() {
        Client a = new Client("10.0.0.1:1111");
        new Client("10.0.0.2:2222");
        new Client("10.0.0.3:3333");
        assertEquals(3L, a.call("client", "kill", "skipme", "no"));
        assertTrue(a.conn.closed);
        assertTrue(ts.onEngine(() -> ts.server.clients().size() == 1 && a.session.closing));
    }

    @Test
    void replyOffOnAndSkip() {
        Client a = new Client("10.0.0.1:1111");
        assertNull(a.call("client", "reply", "off"));
        assertNull(a.call("ping"));
        assertEquals(TestServer.OK, a.call("client", "reply", "on"));
        assertEquals(new Status("PONG"), a.call("ping"));

        assertNull(a.call("client", "reply", "skip"));
        assertNull(a.call("ping"));
        assertEquals(new Status("PONG"), a.call("ping"));

        assertNull(a.call("client", "reply", "skip"));
        assertEquals(TestServer.OK, a.call("client", "reply", "on"));
        assertEquals(new Status("PONG"), a.call("ping"));
        assertEquals(new Err("ERR syntax error"), a.call("client", "reply", "maybe"));
    }

    @Test
    void pauseWritesHoldsWritersUntilUnpause() {
        Client admin = new Client("10.0.0.1:1111");
        Client writer = new Client("10.0.0.2:2222");
        assertEquals(TestServer.OK, admin.call("client", "pause", "100000", "write"));
        assertEquals(new Status("PONG"), writer.call("ping"));
        assertNull(writer.call("twrite"));
        assertEquals(TestServer.OK, admin.call("client", "unpause"));
        assertEquals(new Status("WROTE"), writer.pending());

        assertEquals(new Err("ERR CLIENT PAUSE mode must be WRITE or ALL"), admin.call("client", "pause", "10", "x"));
        assertEquals(new Err("ERR timeout is negative"), admin.call("client", "pause", "-1"));
        assertEquals(new Err("ERR timeout is not an integer or out of range"), admin.call("client", "pause", "x"));
    }

    @Test
    void aKeyGivenTwiceIsWaitedOnOnce() {
        Client admin = new Client("10.0.0.1:1111");
        Client blocked = new Client("10.0.0.2:2222");
        assertNull(blocked.call("tblock", "k", "k", "j"));
        assertEquals(2L, ts.onEngine(() -> ts.server.db(0).blocked.size()));
        assertEquals(1, ts.onEngine(() -> ts.server.db(0).blocked.get(TestServer.argv("k")[0]).size()));
        assertEquals(1L, admin.call("client", "unblock", String.valueOf(blocked.id())));
        assertEquals("timed-out", blocked.pending());
        assertEquals(0L, ts.onEngine(() -> ts.server.db(0).blocked.size()));
    }

    @Test
    void unblockWithTimeoutOrError() {
        Client admin = new Client("10.0.0.1:1111");
        Client blocked = new Client("10.0.0.2:2222");
        admin.call("config", "resetstat");
        assertEquals(0L, admin.call("client", "unblock", String.valueOf(blocked.id())));
        assertNull(blocked.call("tblock", "k"));
        assertTrue(((String) admin.call("client", "list", "id", String.valueOf(blocked.id()))).contains(" flags=b "));
        assertTrue(((String) admin.call("info", "clients")).contains("blocked_clients:1\r\n"));
        assertEquals(1L, admin.call("client", "unblock", String.valueOf(blocked.id())));
        assertEquals("timed-out", blocked.pending());

        assertNull(blocked.call("tblock", "k"));
        assertEquals(1L, admin.call("client", "unblock", String.valueOf(blocked.id()), "ERROR"));
        assertEquals(new Err("UNBLOCKED client unblocked via CLIENT UNBLOCK"), blocked.pending());
        String info = (String) admin.call("info", "errorstats", "commandstats");
        assertTrue(info.contains("errorstat_UNBLOCKED:count=1\r\n"), info);
        assertTrue(info.matches("(?s).*cmdstat_tblock:calls=2,[^\r]*,failed_calls=1\r\n.*"), info);
        assertEquals(new Err("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR"),
                admin.call("client", "unblock", "1", "later"));
    }

    @Test
    void smallSubcommands() {
        Client a = new Client("10.0.0.1:1111");
        assertEquals(a.id(), a.call("client", "id"));
        assertEquals(-1L, a.call("client", "getredir"));
        assertEquals(Map.of("flags", List.of("off"), "redirect", -1L, "prefixes", List.of()),
                a.call("client", "trackinginfo"));
        assertEquals(TestServer.OK, a.call("client", "no-evict", "on"));
        assertTrue(((String) a.call("client", "info")).contains(" flags=e "));
        assertEquals(new Err("ERR syntax error"), a.call("client", "no-evict", "maybe"));
        assertEquals(new Err("ERR wrong number of arguments for 'client|id' command"), a.call("client", "id", "x"));
        assertEquals(new Err("ERR unknown subcommand 'foo'. Try CLIENT HELP."), a.call("client", "foo"));
        List<?> help = (List<?>) a.call("client", "help");
        assertEquals(new Status("CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:"), help.get(0));
        a.call("multi");
        a.call("ping");
        String inMulti = (String) new Client("10.0.0.9:9").call("client", "list", "id", String.valueOf(a.id()));
        assertTrue(inMulti.contains(" flags=xe ") && inMulti.contains(" multi=1 "), inMulti);
    }
}
