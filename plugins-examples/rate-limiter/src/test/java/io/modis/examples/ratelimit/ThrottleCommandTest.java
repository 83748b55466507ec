package io.modis.examples.ratelimit;

import io.modis.api.Bytes;
import io.modis.api.DataType;
import io.modis.api.Digest;
import io.modis.api.Value;
import io.modis.core.TestServer;
import io.modis.core.TestServer.Err;
import io.modis.core.TestServer.TestClient;
import io.modis.strings.StringCommands;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * CL.THROTTLE through the real core. The rate is one request per hour, so the few milliseconds
 * between two commands of a test never change a reply (every duration is replied in whole
 * seconds, rounded up).
 */
class ThrottleCommandTest {
    private static final long HOUR_NS = 3600L * 1_000_000_000L;

    private TestServer t;
    private TestClient c;

    @BeforeEach
    void start() {
        t = new TestServer();
        t.addCommands(new StringCommands().commands());
        t.addCommands(new ThrottleCommand().commands());
        c = t.client();
    }

    @AfterEach
    void stop() {
        t.close();
    }

    private Object throttle(String... args) {
        String[] argv = new String[args.length + 1];
        argv[0] = "CL.THROTTLE";
        System.arraycopy(args, 0, argv, 1, args.length);
        return c.call(argv);
    }

    @Test
    void burstThenLimited() {
        long before = System.currentTimeMillis();
        assertEquals(List.of(0L, 5L, 4L, -1L, 3600L), throttle("user:1", "4", "1", "3600"));
        long firstTat = Long.parseLong((String) c.call("GET", "user:1"));
        assertTrue(firstTat >= before * 1_000_000L + HOUR_NS && firstTat <= System.currentTimeMillis() * 1_000_000L + HOUR_NS);
        assertEquals(List.of(0L, 5L, 3L, -1L, 7200L), throttle("user:1", "4", "1", "3600"));
        assertEquals(List.of(0L, 5L, 2L, -1L, 10800L), throttle("user:1", "4", "1", "3600"));
        assertEquals(List.of(0L, 5L, 1L, -1L, 14400L), throttle("user:1", "4", "1", "3600"));
        assertEquals(List.of(0L, 5L, 0L, -1L, 18000L), throttle("user:1", "4", "1", "3600"));
        assertEquals(List.of(1L, 5L, 0L, 3600L, 18000L), throttle("user:1", "4", "1", "3600"));
        // the stored TAT moved by one emission interval per allowed request, none for the refused one
        assertEquals(firstTat + 4 * HOUR_NS, Long.parseLong((String) c.call("GET", "user:1")));
        long pttl = (Long) c.call("PTTL", "user:1");
        assertTrue(pttl > 5 * 3600_000L - 10_000 && pttl <= 5 * 3600_000L, "pttl " + pttl);
        // another key is another bucket
        assertEquals(List.of(0L, 5L, 4L, -1L, 3600L), throttle("user:2", "4", "1", "3600"));
    }

    @Test
    void quantityAndPeek() {
        assertEquals(List.of(0L, 11L, 8L, -1L, 3L * 3600), throttle("q", "10", "1", "3600", "3"));
        // a peek reports without changing the bucket
        t.takePropagated();
        assertEquals(List.of(0L, 11L, 8L, -1L, 3L * 3600), throttle("q", "10", "1", "3600", "0"));
        assertEquals(List.of(), t.takePropagated());
        // more than the burst allows at once: refused, and no retry can help
        assertEquals(List.of(1L, 11L, 8L, -1L, 3L * 3600), throttle("q", "10", "1", "3600", "12"));
        assertEquals(List.of(1L, 3L, 3L, -1L, 0L), throttle("fresh", "2", "1", "3600", "4"));
        assertEquals(0L, c.call("EXISTS", "fresh"));
    }

    @Test
    void propagatesTheNewStateAsAnAbsoluteSet() {
        t.takePropagated();
        t.takeEvents();
        throttle("p", "4", "1", "3600");
        String tat = (String) c.call("GET", "p");
        List<String> propagated = t.takePropagated();
        assertEquals(1, propagated.size());
        String[] words = propagated.get(0).split(" ");
        assertEquals(List.of("0:", "SET", "p", tat, "PXAT"), List.of(words).subList(0, 5));
        long pxat = Long.parseLong(words[5]);
        assertEquals(Long.parseLong(tat) / 1_000_000L, pxat, "the key expires at the TAT");
        assertEquals(List.of("n:new:p@0", "$:set:p@0", "g:expire:p@0"), t.takeEvents());
        // a refused request changes nothing and propagates nothing
        for (int i = 0; i < 5; i++) {
            throttle("p", "4", "1", "3600");
        }
        t.takePropagated();
        assertEquals(1L, ((List<?>) throttle("p", "4", "1", "3600")).get(0));
        assertEquals(List.of(), t.takePropagated());
    }

    @Test
    void errorsAsRedisCellWordsThem() {
        assertEquals(new Err(ThrottleCommand.USAGE), throttle("k", "1", "2"));
        assertEquals(new Err(ThrottleCommand.USAGE), throttle("k", "1", "2", "3", "4", "5"));
        assertEquals(new Err("Cell error: Couldn't parse as integer: ten"), throttle("k", "ten", "1", "60"));
        assertEquals(new Err("Cell error: Couldn't parse as integer: 1.5"), throttle("k", "1", "1.5", "60"));
        assertEquals(new Err("Cell error: Couldn't parse as integer: 99999999999999999999"),
                throttle("k", "1", "1", "99999999999999999999"));
        assertEquals(new Err("Cell error: Zero rates are not supported"), throttle("k", "1", "0", "60"));
        assertEquals(new Err("Cell error: Zero rates are not supported"), throttle("k", "1", "10", "0"));
        assertEquals(new Err("Cell error: max_burst, count per period, period and quantity must not be negative"),
                throttle("k", "-1", "10", "60"));
        assertEquals(new Err("Cell error: rate limit parameters are too large"),
                throttle("k", "9223372036854775806", "1", "60"));
        assertEquals(0L, c.call("EXISTS", "k"));
        assertEquals(List.of(0L, 2L, 1L, -1L, 3600L), throttle("k", "+1", "1", "3600"));

        c.call("SET", "s", "not a number");
        assertEquals(new Err("Cell error: invalid digit found in string"), throttle("s", "1", "1", "60"));
        assertEquals("not a number", c.call("GET", "s"));
    }

    @Test
    void timeStandsStillInsideATransaction() {
        assertEquals(TestServer.OK, c.call("MULTI"));
        for (int i = 0; i < 3; i++) {
            assertEquals(new TestServer.Status("QUEUED"), throttle("m", "1", "1", "60"));
        }
        // one instant for all three: the third is refused with exactly one interval to wait
        assertEquals(List.of(List.of(0L, 2L, 1L, -1L, 60L), List.of(0L, 2L, 0L, -1L, 120L),
                List.of(1L, 2L, 0L, 60L, 120L)), c.call("EXEC"));
    }

    @Test
    void declaresItsMetadata() {
        t.addServerCommands();
        List<?> info = (List<?>) ((List<?>) c.call("COMMAND", "INFO", "cl.throttle")).get(0);
        assertEquals(List.of("cl.throttle", -2L), info.subList(0, 2));
        assertEquals("[write, denyoom, module]", texts(info.get(2)));
        assertEquals(List.of(1L, 1L, 1L), info.subList(3, 6));
        assertEquals("[@write, @slow]", texts(info.get(6)));
        assertTrue(String.valueOf(info.get(8)).contains("RW"), String.valueOf(info.get(8)));
        assertEquals(List.of("bucket"), c.call("COMMAND", "GETKEYS", "CL.THROTTLE", "bucket", "1", "1", "60"));
    }

    @Test
    void aKeyOfAnotherTypeIsWrongtype() {
        t.onEngine(() -> t.server.db(0).set(Bytes.of("other"), new OtherValue()));
        assertEquals(new Err("WRONGTYPE Operation against a key holding the wrong kind of value"),
                throttle("other", "1", "1", "60"));
        // a string of digits is read as a TAT (here one long past: the bucket is empty)
        c.call("SET", "digits", "123");
        assertEquals(List.of(0L, 2L, 1L, -1L, 3600L), throttle("digits", "1", "1", "3600"));
    }

    private static String texts(Object statuses) {
        return ((List<?>) statuses).stream().map(o -> ((TestServer.Status) o).text()).toList().toString();
    }

    /** A value of a type this bundle does not know. */
    private static final class OtherValue implements Value {
        private static final DataType TYPE = new DataType() {
            @Override
            public String name() {
                return "other";
            }

            @Override
            public int rdbType() {
                return -1;
            }

            @Override
            public byte[] serialize(Value value) {
                return new byte[0];
            }

            @Override
            public Value restore(byte[] payload, int encodingVersion) {
                return new OtherValue();
            }
        };

        @Override
        public DataType type() {
            return TYPE;
        }

        @Override
        public String encoding() {
            return "raw";
        }

        @Override
        public long memoryUsage() {
            return 16;
        }

        @Override
        public Value copy() {
            return this;
        }

        @Override
        public void digest(Digest d) {
        }
    }
}
