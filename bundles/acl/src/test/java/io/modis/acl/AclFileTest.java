package io.modis.acl;

import io.modis.api.ConfigParam;
import io.modis.core.TestServer;
import io.modis.core.TestServer.Err;
import io.modis.core.TestServer.TestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.modis.core.TestServer.OK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ACL SAVE / LOAD with an aclfile: all-or-nothing loading, users written back as rules. */
class AclFileTest {
    @TempDir
    Path dir;

    private TestServer server(Path file) {
        TestServer ts = new TestServer();
        Acl acl = new Acl();
        // aclfile is immutable: a stand-in whose default is the file plays the config file's line
        ts.addConfigParams(acl.configParams().stream().filter(p -> !p.name().equals("aclfile")).toList());
        ts.addConfigParams(List.of(ConfigParam.string("aclfile", file.toString()).build()));
        ts.addCommands(acl.commands());
        ts.setAccessControl(acl, List.of());
        return ts;
    }

    @Test
    void saveThenLoadKeepsUsersAndABadFileChangesNothing() throws Exception {
        Path file = dir.resolve("users.acl");
        Files.writeString(file, "user default on nopass ~* &* +@all\nuser carol on >pw ~c:* +@all\n");
        try (TestServer ts = server(file)) {
            TestClient c = ts.client();
            assertEquals(OK, c.call("AUTH", "carol", "pw"));
            assertEquals(OK, c.call("ACL", "SETUSER", "dave", "on", "nopass", "%R~d:*", "+acl"));
            assertEquals(OK, c.call("ACL", "SAVE"));
            String saved = Files.readString(file);
            assertTrue(saved.contains("user dave on nopass %R~d:* resetchannels -@all "), saved);
            Files.writeString(file, saved + "user dave on nopass\n");
            Object err = c.call("ACL", "LOAD");
            assertTrue(err instanceof Err e && e.message().contains("Duplicate user 'dave' found")
                    && e.message().endsWith("no change to the previously active ACL rules was performed"), err.toString());
            assertEquals(List.of("carol", "dave", "default"), c.call("ACL", "USERS"));
            Files.writeString(file, saved);
            assertEquals(OK, c.call("ACL", "LOAD"));
            // carol's connection is closed by the reload
            assertEquals(null, c.call("PING"));
            TestClient d = ts.client();
            assertEquals(OK, d.call("AUTH", "dave", "x"));
            assertEquals("dave", d.call("ACL", "WHOAMI"));
        }
    }
}
