package io.modis.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/** Redis's own tools (redis-tools 7.0: redis-cli, redis-benchmark) against bin/modis-server. */
@Timeout(180)
class RedisToolsTest {

    private static final Duration READY = Duration.ofSeconds(60);
    private static final Duration TOOL = Duration.ofSeconds(120);

    @TempDir
    static Path dir;
    static ServerProcess server;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(tool("redis-cli") != null && tool("redis-benchmark") != null,
                "redis-cli and redis-benchmark (package redis-tools) are not installed");
        server = ServerProcess.start(dir);
        assertTrue(server.awaitLog("Ready to accept connections", READY), "not ready\n" + server.output());
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void flush() {
        try (Jedis jedis = jedis()) {
            assertEquals("OK", jedis.flushAll());
        }
    }

    @Test
    void redisCliCommands() throws Exception {
        assertEquals(ok("OK\n"), cli("set", "a", "b"));
        assertEquals(ok("b\n"), cli("get", "a"));
        assertEquals(ok("\n"), cli("get", "missing"));
        assertEquals(ok("b\n\n"), cli("mget", "a", "missing"));
        // redis-cli ends an error reply with an empty line
        assertEquals(ok("ERR value is not an integer or out of range\n\n"), cli("incr", "a"));
        assertEquals(ok("ERR unknown command 'nosuch', with args beginning with: 'x' \n\n"), cli("nosuch", "x"));
        String port = Integer.toString(server.port());
        // RESP2: CONFIG GET is a flat array; RESP3 (-3): a map, which redis-cli prints as "key value".
        assertEquals(ok("port\n" + port + "\n"), cli("config", "get", "port"));
        assertEquals(ok("port " + port + "\n"), run(List.of(tool("redis-cli"), "-3", "-p", port, "config", "get", "port"), null));
        try (Jedis jedis = jedis()) {
            assertEquals("b", jedis.get("a"));
        }
    }

    @Test
    void redisCliPipeMode(@TempDir Path work) throws Exception {
        StringBuilder protocol = new StringBuilder();
        for (int i = 0; i < 10_000; i++) {
            protocol.append(RawConnection.command("SET", "key:" + i, "value:" + i));
        }
        Path input = Files.writeString(work.resolve("pipe.txt"), protocol, StandardCharsets.UTF_8);
        Result result = run(List.of(tool("redis-cli"), "-p", Integer.toString(server.port()), "--pipe"), input);
        assertEquals(0, result.code(), result.toString());
        assertTrue(result.stdout().contains("All data transferred. Waiting for the last reply..."), result.toString());
        assertTrue(result.stdout().contains("errors: 0, replies: 10000"), result.toString());
        try (Jedis jedis = jedis()) {
            assertEquals(10_000, jedis.dbSize());
            assertEquals("value:0", jedis.get("key:0"));
            assertEquals("value:9999", jedis.get("key:9999"));
        }
    }

    @Test
    void redisBenchmarkSetGet() throws Exception {
        Result result = run(List.of(tool("redis-benchmark"), "-p", Integer.toString(server.port()),
                "-q", "-n", "2000", "-t", "set,get"), null);
        assertEquals(0, result.code(), result.toString());
        // -q prints progress with \r and a final line per test
        assertTrue(result.stdout().matches("(?s).*SET: [0-9.]+ requests per second.*"), result.toString());
        assertTrue(result.stdout().matches("(?s).*GET: [0-9.]+ requests per second.*"), result.toString());
        String all = (result.stdout() + result.stderr()).toLowerCase(Locale.ROOT);
        assertFalse(all.contains("error") || all.contains("err "), result.toString());
        try (Jedis jedis = jedis()) {
            assertEquals("PONG", jedis.ping());
            assertEquals(3, jedis.get("key:__rand_int__").length()); // benchmark's value: "VXK" (-d 3)
        }
    }

    @Test
    void redisCliLuaDebugger(@TempDir Path work) throws Exception {
        Path script = Files.writeString(work.resolve("script.lua"), "local n = tonumber(ARGV[1])\n"
                + "redis.call('set', KEYS[1], n * 2)\n"
                + "return redis.call('get', KEYS[1])\n");
        Path input = Files.writeString(work.resolve("commands.txt"), "step\nprint n\nstep\nwhole\ncontinue\n");
        String port = Integer.toString(server.port());
        for (String mode : List.of("--ldb", "--ldb-sync-mode")) {
            Result result = run(List.of(tool("redis-cli"), "-p", port, mode, "--eval", script.toString(), "cli:k", ",",
                    "21"), input);
            assertEquals(0, result.code(), result.toString());
            String out = result.stdout();
            for (String expected : List.of("Lua debugging session started", "* Stopped at 1, stop reason = step over",
                    "-> 1   local n = tonumber(ARGV[1])", "* Stopped at 2, stop reason = step over", "<value> 21",
                    "<redis> set cli:k 42", "<reply> \"+OK\"", "   1   local n = tonumber(ARGV[1])",
                    "-> 3   return redis.call('get', KEYS[1])", "\"42\"", "(Lua debugging session ended")) {
                assertTrue(out.contains(expected), expected + " missing in\n" + result);
            }
            try (Jedis jedis = jedis()) {
                assertEquals("42", jedis.get("cli:k"));
            }
        }
    }

    private record Result(int code, String stdout, String stderr) {
        @Override
        public String toString() {
            return "exit " + code + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr;
        }
    }

    private static Result ok(String stdout) {
        return new Result(0, stdout, "");
    }

    private static Result cli(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(tool("redis-cli"), "-p", Integer.toString(server.port())));
        command.addAll(List.of(args));
        return run(command, null);
    }

    /** Runs a tool to completion (killed after {@link #TOOL}), stdin from {@code input} or nothing. */
    private static Result run(List<String> command, Path input) throws IOException, InterruptedException {
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process process = new ProcessBuilder(command)
                .redirectInput(input == null ? ProcessBuilder.Redirect.from(new File("/dev/null")) : ProcessBuilder.Redirect.from(input.toFile()))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        try {
            assertTrue(process.waitFor(TOOL.toMillis(), TimeUnit.MILLISECONDS), String.join(" ", command) + " did not finish");
            return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            process.destroyForcibly();
        }
    }

    private static String tool(String name) {
        for (String path : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
            Path candidate = Path.of(path, name);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }

    private static Jedis jedis() {
        return new Jedis(new HostAndPort("127.0.0.1", server.port()),
                DefaultJedisClientConfig.builder().timeoutMillis(30_000).autoNegotiateProtocol(false).build());
    }
}
