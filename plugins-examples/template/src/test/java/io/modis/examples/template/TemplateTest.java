package io.modis.examples.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.modis.api.Value;
import io.modis.core.TestServer;
import io.modis.core.TestServer.Err;
import io.modis.core.TestServer.TestClient;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The template's commands run in the real core (TestServer: the engine, dispatcher and
 * keyspace, without sockets or OSGi), as every bundle of Modis is tested.
 */
class TemplateTest {
    private TestServer t;
    private TestClient c;

    @BeforeEach
    void start() {
        t = new TestServer();
        t.addCommands(new TemplateCommands().commands());
        t.addConfigParams(new TemplateConfig().configParams());
        c = t.client();
    }

    @AfterEach
    void stop() {
        t.close();
    }

    @Test
    void incrbyCreatesAndAddsAndGetReads() {
        assertEquals(null, c.call("template.get", "c"));
        assertEquals(5L, c.call("template.incrby", "c", "5"));
        assertEquals(-2L, c.call("template.incrby", "c", "-7"));
        assertEquals(-2L, c.call("template.get", "c"));
        assertEquals(new TestServer.Status("tmplcount"), c.call("type", "c"));
        // deterministic writes propagate as received (AOF, replicas)
        assertEquals(List.of("0: template.incrby c 5", "0: template.incrby c -7"), t.takePropagated());
    }

    @Test
    void badInputGetsAnErrorAndChangesNothing() {
        c.call("template.incrby", "c", "1");
        assertEquals(new Err("ERR value is not an integer or out of range"), c.call("template.incrby", "c", "x"));
        assertEquals(new Err("ERR wrong number of arguments for 'template.incrby' command"), c.call("template.incrby", "c"));
        t.config("template.max-increment", "10");
        assertEquals(new Err("ERR increment exceeds template.max-increment"), c.call("template.incrby", "c", "11"));
        assertEquals(1L, c.call("template.get", "c"));
    }

    @Test
    void aRoundTripThroughSerializeAndRestoreKeepsTheValue() {
        Counter original = new Counter(-1234567890123L);
        byte[] payload = CounterType.INSTANCE.serialize(original);
        Value back = CounterType.INSTANCE.restore(payload, CounterType.ENCODING_VERSION);
        assertEquals(-1234567890123L, ((Counter) back).get());
        assertThrows(IllegalArgumentException.class, () -> CounterType.INSTANCE.restore(payload, 9));
        assertThrows(RuntimeException.class, () -> CounterType.INSTANCE.restore(new byte[] {1}, 1));
    }
}
