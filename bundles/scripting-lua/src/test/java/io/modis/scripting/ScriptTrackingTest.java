package io.modis.scripting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.modis.core.TestServer;
import io.modis.core.TestServer.TestClient;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Client-side caching and scripts, as Redis 7.0: a script that calls a read-only command makes
 * its caller track the keys the script command declared; a script that only writes, and the
 * script command itself (EVAL_RO, FCALL_RO), track nothing.
 */
class ScriptTrackingTest {
    private TestServer t;
    private TestClient reader;
    private TestClient writer;

    @BeforeEach
    void start() {
        t = new TestServer();
        ScriptingHost host = new ScriptingHost();
        t.addServerCommands();
        t.addCommands(ScriptLimitsTest.keyCommands());
        t.addCommands(host.commands());
        t.addConfigParams(host.configParams());
        reader = t.client();
        writer = t.client();
        reader.call("hello", "3");
        assertEquals(TestServer.OK, reader.call("client", "tracking", "on"));
    }

    @AfterEach
    void stop() {
        t.close();
    }

    @Test
    void aScriptsReadTracksItsDeclaredKeys() {
        reader.call("eval", "redis.call('put', 'k3', 'bar')", "2", "k1", "k2");
        writer.call("put", "k1", "1");
        writer.call("put", "k3", "1");
        assertNull(reader.pending());

        reader.call("eval", "redis.call('peek', 'k3')", "2", "k1", "k2");
        writer.call("put", "k2", "2");
        assertEquals(List.of("invalidate", List.of("k2")), reader.pending());
        writer.call("put", "k1", "2");
        assertEquals(List.of("invalidate", List.of("k1")), reader.pending());
        writer.call("put", "k3", "2");
        assertNull(reader.pending());
    }

    @Test
    void readOnlyScriptCommandsTrackOnlyThroughTheirReads() {
        reader.call("eval_ro", "redis.call('ping')", "1", "k1");
        writer.call("put", "k1", "1");
        assertNull(reader.pending());
        reader.call("eval_ro", "redis.call('peek', 'k1')", "1", "k1");
        writer.call("put", "k1", "2");
        assertEquals(List.of("invalidate", List.of("k1")), reader.pending());
    }
}
