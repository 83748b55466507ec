package io.modis.acl;

import io.modis.core.TestServer;
import io.modis.core.TestServer.TestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.modis.core.TestServer.OK;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** CONFIG REWRITE writes the live users in place of the config file's "user" lines. */
class ConfigRewriteTest {
    @TempDir
    Path dir;

    @Test
    void rewriteReplacesUserLines() throws Exception {
        Path conf = dir.resolve("modis.conf");
        Files.writeString(conf, "user default on nopass ~* &* +@all\nhz 10\nuser old on nopass\n");
        try (TestServer ts = new TestServer()) {
            Acl acl = new Acl();
            ts.addConfigParams(acl.configParams());
            ts.addCommands(acl.commands());
            ts.addServerCommands();
            ts.server.configFile = conf.toString();
            ts.setAccessControl(acl, List.of(List.of("user", "default", "on", "nopass", "~*", "&*", "+@all"),
                    List.of("user", "old", "on", "nopass")));
            TestClient c = ts.client();
            assertEquals(1L, c.call("ACL", "DELUSER", "old"));
            assertEquals(OK, c.call("ACL", "SETUSER", "new", "on", "nopass", "~n:*", "+@all"));
            assertEquals(OK, c.call("CONFIG", "REWRITE"));
            assertEquals(List.of("user default on nopass sanitize-payload ~* &* +@all", "user new on nopass ~n:* resetchannels +@all",
                    "hz 10"), Files.readAllLines(conf));
        }
    }
}
