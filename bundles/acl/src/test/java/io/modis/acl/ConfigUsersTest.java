package io.modis.acl;

import io.modis.core.TestServer;
import io.modis.core.TestServer.Err;
import io.modis.core.TestServer.TestClient;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.modis.core.TestServer.OK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** "user" lines of the config file, as the core hands them to the bundle at startup. */
class ConfigUsersTest {
    @Test
    void userLinesDefineUsersAndTheDefaultUser() {
        try (TestServer ts = new TestServer()) {
            Acl acl = new Acl();
            ts.addConfigParams(acl.configParams());
            ts.addCommands(acl.commands());
            ts.setAccessControl(acl, List.of(
                    List.of("user", "default", "on", ">secret", "~*", "+@all"),
                    List.of("user", "ops", "on", ">pw", "+acl")));
            TestClient c = ts.client();
            assertEquals(new Err("NOAUTH Authentication required."), c.call("ACL", "WHOAMI"));
            assertEquals(OK, c.call("AUTH", "secret"));
            assertEquals(OK, c.call("AUTH", "ops", "pw"));
            assertEquals(List.of("default", "ops"), c.call("ACL", "USERS"));
        }
    }

    @Test
    void duplicateUsersAreAFatalError() {
        try (TestServer ts = new TestServer()) {
            Acl acl = new Acl();
            ts.addConfigParams(acl.configParams());
            assertThrows(IllegalArgumentException.class, () -> ts.setAccessControl(acl, List.of(
                    List.of("user", "a", "on"), List.of("user", "a", "off"))));
        }
    }
}
