package io.modis.core;

import io.modis.core.TestServer.Err;
import io.modis.core.TestServer.TestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SlowLogLatencyTest {
    private TestServer ts;
    private TestClient c;

    @BeforeEach
    void setUp() {
        ts = new TestServer();
        ts.addServerCommands();
        c = ts.client();
    }

    @AfterEach
    void tearDown() {
        ts.close();
    }

    @Test
    void logsEveryCommandAtThresholdZeroNewestFirstWithPeerAndName() {
        c.call("client", "setname", "me");
        c.call("config", "set", "slowlog-log-slower-than", "0");
        c.call("dbsize");
        List<?> all = (List<?>) c.call("slowlog", "get", "-1");
        assertEquals(2, all.size());
        List<?> newest = (List<?>) all.get(0);
        assertEquals(6, newest.size());
        assertEquals(1L, newest.get(0));
        assertEquals(List.of("dbsize"), newest.get(3));
        assertEquals("127.0.0.1:50000", newest.get(4));
        assertEquals("me", newest.get(5));
        assertEquals(List.of("config", "set", "slowlog-log-slower-than", "0"), ((List<?>) all.get(1)).get(3));
    }

    @Test
    void trimsArgumentsAndLongStringsAsRedis() {
        c.call("config", "set", "slowlog-log-slower-than", "0");
        c.call("slowlog", "reset");
        List<String> argv = new ArrayList<>(List.of("del"));
        for (int i = 0; i < 40; i++) {
            argv.add("a" + i);
        }
        c.call(argv.toArray(new String[0]));
        c.call("echo", "A".repeat(130));
        List<?> entries = (List<?>) c.call("slowlog", "get");
        List<?> echo = (List<?>) ((List<?>) entries.get(0)).get(3);
        assertEquals("A".repeat(128) + "... (2 more bytes)", echo.get(1));
        List<?> many = (List<?>) ((List<?>) entries.get(1)).get(3);
        assertEquals(32, many.size());
        assertEquals("... (10 more arguments)", many.get(31));
    }

    @Test
    void hidesSensitiveConfigValuesAndAuth() {
        ts.addConfigParams(List.of(io.modis.api.ConfigParam.string("masterauth", "")
                .flags(io.modis.api.ConfigParam.Flag.SENSITIVE).build()));
        c.call("config", "set", "slowlog-log-slower-than", "0");
        c.call("config", "set", "masterauth", "secret");
        c.call("auth", "user", "pass");
        List<?> entries = (List<?>) c.call("slowlog", "get");
        assertEquals(List.of("auth", "(redacted)", "(redacted)"), ((List<?>) entries.get(0)).get(3));
        assertEquals(List.of("config", "set", "masterauth", "(redacted)"), ((List<?>) entries.get(1)).get(3));
    }

    @Test
    void maxLenAndCountErrors() {
        c.call("config", "set", "slowlog-log-slower-than", "0");
        c.call("config", "set", "slowlog-max-len", "3");
        for (int i = 0; i < 10; i++) {
            c.call("dbsize");
        }
        assertEquals(3L, c.call("slowlog", "len"));
        assertEquals(0, ((List<?>) c.call("slowlog", "get", "0")).size());
        assertEquals(new Err("ERR count should be greater than or equal to -1"), c.call("slowlog", "get", "-2"));
        assertEquals(new Err("ERR value is not an integer or out of range"), c.call("slowlog", "get", "x"));
        c.call("config", "set", "slowlog-log-slower-than", "-1");
        c.call("slowlog", "reset");
        c.call("dbsize");
        assertEquals(0L, c.call("slowlog", "len"));
    }

    @Test
    void execIsNotLoggedButItsCommandsAre() {
        c.call("config", "set", "slowlog-log-slower-than", "0");
        c.call("multi");
        c.call("dbsize");
        c.call("slowlog", "reset");
        c.call("dbsize");
        c.call("exec");
        List<?> entries = (List<?>) c.call("slowlog", "get");
        // the queued SLOWLOG RESET is logged after it ran, then the second DBSIZE; EXEC itself is not
        assertEquals(2, entries.size());
        assertEquals(List.of("dbsize"), ((List<?>) entries.get(0)).get(3));
        assertEquals(List.of("slowlog", "reset"), ((List<?>) entries.get(1)).get(3));
    }

    @Test
    void latencyHistogramPerCommandAndSubcommand() {
        c.call("config", "resetstat");
        c.call("dbsize");
        c.call("dbsize");
        c.call("client", "id");
        Map<?, ?> all = (Map<?, ?>) c.call("latency", "histogram");
        Map<?, ?> dbsize = (Map<?, ?>) all.get("dbsize");
        assertEquals(2L, dbsize.get("calls"));
        Map<?, ?> buckets = (Map<?, ?>) dbsize.get("histogram_usec");
        assertTrue(!buckets.isEmpty());
        long last = 0;
        for (Object count : buckets.values()) {
            last = (Long) count;
        }
        assertEquals(2L, last);
        Map<?, ?> client = (Map<?, ?>) c.call("latency", "histogram", "client", "nosuch");
        assertEquals(List.of("client|id"), new ArrayList<>(client.keySet()));
        String info = (String) c.call("info", "latencystats");
        assertTrue(info.contains("latency_percentiles_usec_dbsize:p50="), info);
        assertTrue(info.contains(",p99.9="), info);
        c.call("config", "set", "latency-tracking-info-percentiles", "0.0 50.0 100.0");
        assertEquals(Map.of("latency-tracking-info-percentiles", "0 50 100"),
                c.call("config", "get", "latency-tracking-info-percentiles"));
        assertTrue(((String) c.call("info", "latencystats")).contains("latency_percentiles_usec_dbsize:p0="));
        Object bad = c.call("config", "set", "latency-tracking-info-percentiles", "10 101");
        assertTrue(bad instanceof Err e && e.message().startsWith("ERR CONFIG SET failed"), String.valueOf(bad));
        c.call("config", "set", "latency-tracking", "no");
        c.call("config", "resetstat");
        c.call("dbsize");
        assertEquals(new LinkedHashMap<>(), c.call("latency", "histogram"));
    }

    @Test
    void latencyEventsRecordedAboveThreshold() {
        ts.onEngine(() -> {
            ts.server.ops.latencyThreshold = 1;
            ts.server.latency.sample("command", 5);
            ts.server.latency.sample("command", 7);
            ts.server.latency.sample("fast-command", 0);
        });
        List<?> latest = (List<?>) c.call("latency", "latest");
        assertEquals(1, latest.size());
        List<?> row = (List<?>) latest.get(0);
        assertEquals("command", row.get(0));
        assertEquals(7L, row.get(2));
        assertEquals(7L, row.get(3));
        List<?> history = (List<?>) c.call("latency", "history", "command");
        assertTrue(history.size() >= 1);
        assertTrue(((String) c.call("latency", "graph", "command")).startsWith("command - high 7 ms"));
        assertEquals(new Err("ERR No samples available for event 'nosuch'"), c.call("latency", "graph", "nosuch"));
        assertTrue(((String) c.call("latency", "doctor")).contains("command"));
        assertEquals(0L, c.call("latency", "reset", "nosuch"));
        assertEquals(1L, c.call("latency", "reset"));
        assertEquals(List.of(), c.call("latency", "latest"));
    }
}
