package io.modis.geo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.modis.core.TestServer;
import io.modis.core.TestServer.Err;
import io.modis.core.TestServer.Status;
import io.modis.zsets.ZSetCommands;
import io.modis.zsets.ZSetConfig;
import io.modis.zsets.ZSetType;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Geo replies compared digit for digit with a real Redis (/usr/bin/redis-server, started on a
 * free loopback port; the test is skipped where it is not installed): the same random points
 * indexed in both, then many random queries of every kind.
 */
class RedisComparisonTest {
    private static final Path REDIS = Path.of("/usr/bin/redis-server");
    private static final String[] UNITS = {"m", "km", "ft", "mi", "KM"};

    private Process redis;
    private RespClient real;
    private TestServer t;
    private TestServer.TestClient modis;

    @BeforeEach
    void start() throws IOException {
        assumeTrue(Files.isExecutable(REDIS), "no redis-server to compare with");
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        redis = new ProcessBuilder(REDIS.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--daemonize", "no").redirectErrorStream(true).start();
        BufferedReader log = new BufferedReader(new InputStreamReader(redis.getInputStream(), StandardCharsets.UTF_8));
        String line;
        do {
            line = log.readLine();
            assumeTrue(line != null, "redis-server did not start");
        } while (!line.contains("Ready to accept connections"));
        Thread drain = new Thread(() -> {
            try {
                while (log.readLine() != null) {
                    // keep the pipe from filling up
                }
            } catch (IOException ignored) {
                // the server went away
            }
        });
        drain.setDaemon(true);
        drain.start();
        real = new RespClient(new Socket(InetAddress.getLoopbackAddress(), port));

        t = new TestServer();
        t.addCommands(new ZSetCommands().commands());
        t.addConfigParams(new ZSetConfig().configParams());
        t.addCommands(new GeoCommands(ZSetType.INSTANCE).commands());
        modis = t.client();
    }

    @AfterEach
    void stop() throws IOException {
        if (t != null) {
            t.close();
        }
        if (real != null) {
            real.close();
        }
        if (redis != null) {
            redis.destroy();
        }
    }

    private Object both(String... argv) throws IOException {
        Object expected = real.call(argv);
        Object actual = modis.call(argv);
        assertEquals(expected, actual, () -> String.join(" ", argv));
        return actual;
    }

    private static String num(double d) {
        return String.format(Locale.ROOT, "%.6f", d);
    }

    @Test
    void randomPointsAndQueriesAgreeWithRedis() throws IOException {
        Random random = new Random(20261126);
        List<double[]> points = new ArrayList<>();
        for (int cluster = 0; cluster < 12; cluster++) {
            double lon = -179 + random.nextDouble() * 358;
            double lat = -84 + random.nextDouble() * 168;
            if (cluster == 0) {
                lon = 179.9; // across the antimeridian
            } else if (cluster == 1) {
                lat = 84.9; // near the Mercator limit
            }
            for (int i = 0; i < 60; i++) {
                double plon = Math.max(-180, Math.min(180, lon + (random.nextDouble() - 0.5) * 6));
                double plat = Math.max(-85, Math.min(85, lat + (random.nextDouble() - 0.5) * 6));
                points.add(new double[] {plon, plat});
            }
        }
        for (int i = 0; i < points.size(); i += 20) {
            List<String> argv = new ArrayList<>(List.of("geoadd", "points"));
            for (int j = i; j < Math.min(points.size(), i + 20); j++) {
                argv.add(num(points.get(j)[0]));
                argv.add(num(points.get(j)[1]));
                argv.add("p" + j);
            }
            both(argv.toArray(new String[0]));
        }
        for (int i = 0; i < 60; i++) {
            int a = random.nextInt(points.size());
            int b = random.nextInt(points.size());
            both("geopos", "points", "p" + a, "p" + b, "missing");
            both("geohash", "points", "p" + a, "p" + b, "missing");
            both("geodist", "points", "p" + a, "p" + b, UNITS[random.nextInt(UNITS.length)]);
        }
        int nonEmpty = 0;
        for (int q = 0; q < 2000; q++) {
            double[] centre = points.get(random.nextInt(points.size()));
            double lon = Math.max(-180, Math.min(180, centre[0] + (random.nextDouble() - 0.5)));
            double lat = Math.max(-85, Math.min(85, centre[1] + (random.nextDouble() - 0.5)));
            String unit = UNITS[random.nextInt(UNITS.length)];
            double km = random.nextInt(10) == 0 ? random.nextDouble() * 5000 : random.nextDouble() * 400;
            String size = num(km * 1000 / GeoArgs.unit(unit.getBytes(StandardCharsets.US_ASCII)));
            List<String> options = randomOptions(random);
            List<String> argv = new ArrayList<>();
            switch (q % 4) {
                case 0 -> argv.addAll(List.of("georadius", "points", num(lon), num(lat), size, unit));
                case 1 -> argv.addAll(List.of("georadiusbymember_ro", "points",
                        "p" + random.nextInt(points.size()), size, unit));
                case 2 -> argv.addAll(List.of("geosearch", "points", "fromlonlat", num(lon), num(lat),
                        "bybox", size, num(km * 1000 * random.nextDouble() * 2), "m"));
                default -> argv.addAll(List.of("geosearch", "points", "frommember",
                        "p" + random.nextInt(points.size()), "byradius", size, unit));
            }
            argv.addAll(options);
            Object reply = both(argv.toArray(new String[0]));
            if (reply instanceof List<?> l && !l.isEmpty()) {
                nonEmpty++;
            }
            if (q % 10 == 0 && argv.get(0).equals("geosearch")) {
                List<String> store = new ArrayList<>(argv);
                store.set(0, "geosearchstore");
                store.add(1, "dst");
                store.removeIf(o -> o.startsWith("with"));
                if (random.nextBoolean()) {
                    store.add("storedist");
                }
                both(store.toArray(new String[0]));
                Object members = both("zrange", "dst", "0", "-1");
                if (members instanceof List<?> l) {
                    for (Object m : l) {
                        // glibc's asin is off by an ulp in a few near-halfway cases that the correctly
                        // rounded one here cannot follow; scaled by the earth's diameter, that ulp may
                        // move a STOREDIST score by two or three of its own
                        Object where = real.call("geopos", "points", (String) m);
                        double expected = Double.parseDouble((String) real.call("zscore", "dst", (String) m));
                        double actual = (Double) modis.call("zscore", "dst", (String) m);
                        assertEquals(expected, actual, 4 * Math.ulp(expected),
                                () -> String.join(" ", store) + " / " + m + " at " + where);
                    }
                }
            }
        }
        assertTrue(nonEmpty > 200, "queries should mostly find points, found " + nonEmpty);
    }

    private static List<String> randomOptions(Random random) {
        List<String> options = new ArrayList<>();
        if (random.nextBoolean()) {
            options.add("WITHDIST");
        }
        if (random.nextInt(3) == 0) {
            options.add("withcoord");
        }
        if (random.nextInt(3) == 0) {
            options.add("withhash");
        }
        switch (random.nextInt(3)) {
            case 0 -> options.add("asc");
            case 1 -> options.add("DESC");
            default -> { }
        }
        if (random.nextBoolean()) {
            options.add("count");
            options.add(Integer.toString(1 + random.nextInt(20)));
            if (random.nextInt(4) == 0) {
                options.add("any");
            }
        }
        if (options.isEmpty()) {
            options.add("asc");
        }
        return options;
    }

    @Test
    void errorsAndEdgesAgreeWithRedis() throws IOException {
        both("geoadd", "k", "180", "85.05112878", "corner", "-180", "-85.05112878", "other", "0", "0", "origin");
        both("geoadd", "k", "180.1", "0", "x");
        both("geoadd", "k", "0", "-85.06", "x");
        both("geoadd", "k", "inf", "0", "x");
        both("geopos", "k", "corner", "other", "origin");
        both("geohash", "k", "corner", "other", "origin");
        both("geodist", "k", "corner", "other", "km");
        both("georadius", "k", "0", "0", "0", "m", "withdist", "withcoord", "withhash");
        both("georadius", "k", "179", "85", "20000", "km", "withdist", "asc");
        both("geosearch", "k", "fromlonlat", "0", "0", "bybox", "40000", "40000", "km", "desc", "withdist");
        both("georadius", "k", "0", "0", "1", "furlong");
        both("georadius", "k", "0", "0", "-1", "m");
        both("georadius", "k", "0", "0", "nan", "m");
        both("geosearch", "k", "frommember", "missing", "byradius", "1", "m", "asc");
        both("geosearch", "k", "frommember", "origin", "byradius", "1", "m", "count", "-3");
        both("geosearch", "k", "frommember", "origin", "bybox", "1", "x", "m");
        both("geosearchstore", "d", "nokey", "frommember", "origin", "byradius", "1", "m");
        both("zadd", "weird", "-5", "neg", "9007199254740993", "huge", "1e300", "vast");
        both("geopos", "weird", "neg", "huge", "vast");
        both("geohash", "weird", "neg", "huge", "vast");
    }

    /** Just enough RESP2 to read Redis's replies into the shapes TestServer's client gives. */
    private static final class RespClient implements AutoCloseable {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;

        RespClient(Socket socket) throws IOException {
            this.socket = socket;
            this.in = new BufferedInputStream(socket.getInputStream());
            this.out = socket.getOutputStream();
        }

        Object call(String... argv) throws IOException {
            StringBuilder sb = new StringBuilder().append('*').append(argv.length).append("\r\n");
            for (String a : argv) {
                byte[] b = a.getBytes(StandardCharsets.UTF_8);
                sb.append('$').append(b.length).append("\r\n").append(a).append("\r\n");
            }
            out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            return read();
        }

        private Object read() throws IOException {
            int type = in.read();
            String line = line();
            switch (type) {
                case '+':
                    return new Status(line);
                case '-':
                    return new Err(line);
                case ':':
                    return Long.parseLong(line);
                case '$': {
                    int n = Integer.parseInt(line);
                    if (n < 0) {
                        return null;
                    }
                    byte[] b = in.readNBytes(n + 2);
                    return new String(b, 0, n, StandardCharsets.UTF_8);
                }
                case '*': {
                    int n = Integer.parseInt(line);
                    if (n < 0) {
                        return null;
                    }
                    List<Object> items = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                        items.add(read());
                    }
                    return items;
                }
                default:
                    throw new IOException("unexpected reply type " + type);
            }
        }

        private String line() throws IOException {
            StringBuilder sb = new StringBuilder();
            int c;
            while ((c = in.read()) != '\r') {
                if (c < 0) {
                    throw new IOException("connection closed");
                }
                sb.append((char) c);
            }
            in.read();
            return sb.toString();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
