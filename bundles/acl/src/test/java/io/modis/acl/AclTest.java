package io.modis.acl;

import io.modis.api.ChannelSpec;
import io.modis.api.Command;
import io.modis.api.CommandFlag;
import io.modis.api.CommandSpec;
import io.modis.api.KeySpec;
import io.modis.core.TestServer;
import io.modis.core.TestServer.Err;
import io.modis.core.TestServer.TestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.modis.core.TestServer.OK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The acl bundle in the real core: users, AUTH, permission checks read from command metadata
 * (the stand-in commands below are declared like any third-party bundle's), ACL LOG, DRYRUN.
 */
class AclTest {
    private final TestServer ts = new TestServer();
    private final Acl acl = new Acl();

    AclTest() {
        ts.addConfigParams(acl.configParams());
        ts.addCommands(acl.commands());
        ts.addCommands(List.of(
                new Command(CommandSpec.of("kget", 2).flags(CommandFlag.READONLY, CommandFlag.FAST).acl("string")
                        .keys(1, 1, 1).keySpec(KeySpec.range(1, 0, 1, "RO", "ACCESS")).build(),
                        ctx -> ctx.reply().bulk("v")),
                new Command(CommandSpec.of("kset", 3).flags(CommandFlag.WRITE, CommandFlag.DENYOOM).acl("string")
                        .keys(1, 1, 1).keySpec(KeySpec.range(1, 0, 1, "RW", "UPDATE")).build(),
                        ctx -> ctx.reply().ok()),
                new Command(CommandSpec.of("kcopy", 3).flags(CommandFlag.WRITE).acl("keyspace")
                        .keySpec(KeySpec.range(1, 0, 1, "RO", "ACCESS"))
                        .keySpec(KeySpec.range(2, 0, 1, "OW", "UPDATE")).build(),
                        ctx -> ctx.reply().ok()),
                new Command(CommandSpec.of("keval", -3).acl("scripting")
                        .keySpec(KeySpec.keynum(2, 0, 1, 1, "RW", "ACCESS", "UPDATE")).build(),
                        ctx -> ctx.reply().ok()),
                new Command(CommandSpec.of("kpub", 3).flags(CommandFlag.PUBSUB, CommandFlag.FAST)
                        .channels(new ChannelSpec(1, 1, false, true)).build(), ctx -> ctx.reply().integer(0))));
        ts.setAccessControl(acl, List.of());
    }

    @AfterEach
    void close() {
        ts.close();
    }

    @Test
    void newConnectionsAreTheDefaultUser() {
        TestClient c = ts.client();
        assertEquals("default", c.call("ACL", "WHOAMI"));
        assertEquals(OK, c.call("kset", "k", "v"));
    }

    @Test
    void newUsersStartDisabledAndWithoutPermissions() {
        TestClient c = ts.client();
        assertEquals(OK, c.call("ACL", "SETUSER", "alice", ">pw"));
        assertEquals(new Err("WRONGPASS invalid username-password pair or user is disabled."),
                c.call("AUTH", "alice", "pw"));
        assertEquals(OK, c.call("ACL", "SETUSER", "alice", "on", "+acl|whoami"));
        assertEquals(OK, c.call("AUTH", "alice", "pw"));
        assertEquals("alice", c.call("ACL", "WHOAMI"));
        assertEquals(new Err("NOPERM this user has no permissions to run the 'kget' command"), c.call("kget", "x"));
    }

    @Test
    void keyPatternsLimitKeysWithReadAndWritePermissions() {
        TestClient admin = ts.client();
        admin.call("ACL", "SETUSER", "bob", "on", "nopass", "+@all", "~app:*", "%R~ro:*", "%W~wo:*");
        TestClient c = ts.client();
        assertEquals(OK, c.call("AUTH", "bob", "any"));
        assertEquals("v", c.call("kget", "app:1"));
        assertEquals(OK, c.call("kset", "app:1", "x"));
        assertEquals("v", c.call("kget", "ro:1"));
        Err keys = new Err("NOPERM this user has no permissions to access one of the keys used as arguments");
        assertEquals(keys, c.call("kset", "ro:1", "x"));
        assertEquals(keys, c.call("kget", "wo:1"));
        assertEquals(keys, c.call("kget", "other"));
        assertEquals(OK, c.call("kcopy", "ro:1", "wo:2"));
        assertEquals(keys, c.call("kcopy", "wo:1", "ro:2"));
        assertEquals("This user has no permissions to access the 'other' key",
                admin.call("ACL", "DRYRUN", "bob", "kget", "other"));
        assertEquals(OK, admin.call("ACL", "DRYRUN", "bob", "kget", "app:2"));
    }

    @Test
    void channelsAreCheckedFromChannelMetadata() {
        TestClient admin = ts.client();
        admin.call("ACL", "SETUSER", "ps", "on", "nopass", "+@all", "resetchannels", "&news.*");
        TestClient c = ts.client();
        c.call("AUTH", "ps", "x");
        assertEquals(0L, c.call("kpub", "news.today", "m"));
        assertEquals(new Err("NOPERM this user has no permissions to access one of the channels used as arguments"),
                c.call("kpub", "sport", "m"));
        @SuppressWarnings("unchecked")
        Map<String, Object> entry = (Map<String, Object>) ((List<Object>) admin.call("ACL", "LOG")).get(0);
        assertEquals("channel", entry.get("reason"));
        assertEquals("sport", entry.get("object"));
        assertEquals("ps", entry.get("username"));
        assertEquals("toplevel", entry.get("context"));
    }

    @Test
    void commandRulesAndTheirDescription() {
        TestClient c = ts.client();
        c.call("ACL", "SETUSER", "u", "+@all", "-kget");
        @SuppressWarnings("unchecked")
        Map<String, Object> user = (Map<String, Object>) c.call("ACL", "GETUSER", "u");
        assertEquals("+@all -kget", user.get("commands"));
        c.call("ACL", "SETUSER", "u", "-@all", "+acl|whoami");
        assertEquals("user u off resetchannels -@all +acl|whoami", ((List<?>) c.call("ACL", "LIST")).get(1));
        assertEquals(new Err("ERR Error in ACL SETUSER modifier '+nosuch': Unknown command or category name in ACL"),
                c.call("ACL", "SETUSER", "u", "+kget", "+nosuch"));
        // nothing changed by the failed SETUSER
        assertEquals("user u off resetchannels -@all +acl|whoami", ((List<?>) c.call("ACL", "LIST")).get(1));
    }

    @Test
    void badInputIsRefusedAndChangesNothing() {
        TestClient c = ts.client();
        assertEquals(new Err("ERR Usernames can't contain spaces or null characters"),
                c.call("ACL", "SETUSER", "a b"));
        assertEquals(new Err("ERR Error in ACL SETUSER modifier '#abc': The password hash must be exactly 64 "
                + "characters and contain only lowercase hexadecimal characters"), c.call("ACL", "SETUSER", "x", "#abc"));
        assertEquals(new Err("ERR Unmatched parenthesis in acl selector starting at '(+get'."),
                c.call("ACL", "SETUSER", "x", "(+get"));
        assertNull(c.call("ACL", "GETUSER", "x"));
        assertEquals(new Err("ERR The 'default' user cannot be removed"), c.call("ACL", "DELUSER", "default"));
        assertEquals(new Err("WRONGPASS invalid username-password pair or user is disabled."),
                c.call("AUTH", "nobody", "x".repeat(100_000)));
        @SuppressWarnings("unchecked")
        Map<String, Object> entry = (Map<String, Object>) ((List<Object>) c.call("ACL", "LOG")).get(0);
        assertEquals("auth", entry.get("reason"));
        assertEquals("nobody", entry.get("username"));
    }

    @Test
    void selectorsAreAlternatives() {
        TestClient admin = ts.client();
        admin.call("ACL", "SETUSER", "s", "on", "nopass", "(+kset ~w:*)", "(+kget ~r:*)");
        TestClient c = ts.client();
        c.call("AUTH", "s", "x");
        assertEquals(OK, c.call("kset", "w:1", "v"));
        assertEquals("v", c.call("kget", "r:1"));
        assertEquals(new Err("NOPERM this user has no permissions to access one of the keys used as arguments"),
                c.call("kget", "w:1"));
    }

    @Test
    void deletingAUserClosesItsConnections() {
        TestClient admin = ts.client();
        admin.call("ACL", "SETUSER", "gone", "on", "nopass", "+@all");
        TestClient c = ts.client();
        c.call("AUTH", "gone", "x");
        assertEquals(1L, admin.call("ACL", "DELUSER", "gone"));
        assertNull(c.call("ACL", "WHOAMI"));
    }

    @Test
    void defaultUserOffMeansNoAuth() {
        TestClient admin = ts.client();
        admin.call("ACL", "SETUSER", "default", "off");
        TestClient c = ts.client();
        assertEquals(new Err("NOAUTH Authentication required."), c.call("kget", "x"));
    }

    @Test
    void queuedCommandsAreCheckedAgainAtExec() {
        TestClient admin = ts.client();
        admin.call("ACL", "SETUSER", "m", "on", "nopass", "+multi", "+exec", "+kget", "~*");
        TestClient c = ts.client();
        c.call("AUTH", "m", "x");
        c.call("MULTI");
        c.call("kget", "a");
        admin.call("ACL", "SETUSER", "m", "-kget");
        List<?> res = (List<?>) c.call("EXEC");
        assertTrue(res.get(0) instanceof Err e && e.message().startsWith("NOPERM ACLs rules changed"));
    }

    @Test
    void aKeyCountBeyondTheArgumentsNamesNoKeys() {
        TestClient admin = ts.client();
        assertEquals(OK, admin.call("ACL", "SETUSER", "ev", "on", "nopass", "+@all", "%R~read*", "%RW~rw*"));
        assertEquals(OK, admin.call("ACL", "DRYRUN", "ev", "keval", "", "1", "rw1"));
        assertEquals("This user has no permissions to access the 'read' key",
                admin.call("ACL", "DRYRUN", "ev", "keval", "", "1", "read"));
        assertEquals(OK, admin.call("ACL", "DRYRUN", "ev", "keval", "", "0", "read"), "read is an argument, not a key");
        // syntax errors, but OK from the ACL's point of view (Redis's invalid key spec)
        assertEquals(OK, admin.call("ACL", "DRYRUN", "ev", "keval", "", "-1", "read"));
        assertEquals(OK, admin.call("ACL", "DRYRUN", "ev", "keval", "", "3", "rw", "read"));
    }
}
