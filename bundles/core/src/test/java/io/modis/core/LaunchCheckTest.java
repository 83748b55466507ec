package io.modis.core;

import io.modis.api.CommandException;
import io.modis.core.config.ConfigRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The launcher's config check, and the flags of Redis 7.0's table that CONFIG SET obeys. */
class LaunchCheckTest {

    @Test
    void badOptionsAreReportedAsRedisReportsThem() {
        assertEquals("\n*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\nReading the configuration file, at line 2\n"
                + ">>> 'port \"70000\"'\nargument must be between 0 and 65535 inclusive\n",
                LaunchCheck.check(new String[] {"--port", "70000"}, List.of()));
        assertEquals("\n*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\nReading the configuration file, at line 2\n"
                + ">>> 'maxmemory-policy \"lru\"'\nargument(s) must be one of the following: volatile-lru, "
                + "volatile-lfu, volatile-random, volatile-ttl, allkeys-lru, allkeys-lfu, allkeys-random, noeviction\n",
                LaunchCheck.check(new String[] {"--maxmemory-policy", "lru"}, List.of()));
    }

    @Test
    void aBadLineOfTheFileIsReportedWithItsNumber(@TempDir Path dir) throws Exception {
        Path conf = Files.writeString(dir.resolve("bad.conf"), "port 7000\n\nnosuchdirective yes\n");
        assertEquals("\n*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\nReading the configuration file, at line 3\n"
                + ">>> 'nosuchdirective yes'\nBad directive or wrong number of arguments\n",
                LaunchCheck.check(new String[] {conf.toString()}, List.of()));
    }

    @Test
    void whatBundlesProvideIsAccepted(@TempDir Path dir) throws Exception {
        Path conf = Files.writeString(dir.resolve("ok.conf"), "bloom.error-rate 0.01\nloadmodule /x/bloom.so\n"
                + "key-load-delay 10\nappendonly yes\nrename-command KEYS \"\"\nuser alice on nopass ~* +@all\n");
        assertNull(LaunchCheck.check(new String[] {conf.toString(), "--deploy-dir", "drop"}, List.of("deploy-dir")));
        assertEquals("Bad directive or wrong number of arguments",
                lastLine(LaunchCheck.check(new String[] {"--deploy-dir", "drop"}, List.of())));
        assertEquals("Module config specified without value",
                lastLine(LaunchCheck.check(new String[] {"--bloom.error-rate"}, List.of())));
    }

    @Test
    void configSetFollowsRedisFlags() {
        ConfigRegistry registry = LaunchCheck.registry(List.of());
        registry.set(List.<String[]>of(new String[] {"port", "6380"}), false);
        assertEquals("6380", registry.get("port"), "port is not a protected config in Redis 7.0");
        for (String name : List.of("dir", "dbfilename")) {
            CommandException e = assertThrows(CommandException.class,
                    () -> registry.set(List.<String[]>of(new String[] {name, "x"}), false));
            assertEquals("ERR CONFIG SET failed (possibly related to argument '" + name
                    + "') - can't set protected config", e.getMessage());
        }
        for (String name : Set.of("rdbchecksum", "daemonize", "databases", "unixsocket", "aclfile", "logfile",
                "appendfilename", "appenddirname", "enable-debug-command", "cluster-enabled", "cluster-port",
                "io-threads", "tcp-backlog", "supervised", "syslog-ident", "disable-thp", "socket-mark-id",
                "replicaof", "server_cpulist")) {
            CommandException e = assertThrows(CommandException.class,
                    () -> registry.set(List.<String[]>of(new String[] {name, registry.get(name)}), true));
            assertEquals("ERR CONFIG SET failed (possibly related to argument '" + name
                    + "') - can't set immutable config", e.getMessage());
        }
    }

    @Test
    void whileLoadingDirAndAppendonlyAreRefusedWithTheLoadingError() {
        ConfigRegistry registry = LaunchCheck.registry(List.of());
        String loading = "LOADING Redis is loading the dataset in memory";
        registry.set(List.<String[]>of(new String[] {"loglevel", "debug"}), false, loading);
        assertEquals("debug", registry.get("loglevel"));
        for (String name : List.of("dir", "appendonly")) {
            CommandException e = assertThrows(CommandException.class, () -> registry.set(
                    List.<String[]>of(new String[] {"loglevel", "warning"}, new String[] {name, "x"}), true, loading));
            assertEquals(loading, e.getMessage());
            assertEquals("debug", registry.get("loglevel"), "nothing changed");
        }
    }

    private static String lastLine(String report) {
        String[] lines = report.split("\n");
        return lines[lines.length - 1];
    }
}
