package io.modis.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bad configuration ends bin/modis-server with status 1 and Redis's
 * {@code *** FATAL CONFIG FILE ERROR ***} report on stderr (the expected lines are
 * redis-server 7.0.15's for the same input), before it listens anywhere.
 */
class ConfigErrorTest {

    private static final Duration EXIT = Duration.ofSeconds(60);
    private static final String BANNER = "*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\n";

    @Test
    void directiveWithoutItsArgument(@TempDir Path dir) throws Exception {
        ServerProcess.Exited exited = ServerProcess.runToExit(dir, EXIT, "--port");
        assertFatal(exited, ">>> 'port'\nwrong number of arguments\n");
    }

    @Test
    void unknownDirective(@TempDir Path dir) throws Exception {
        ServerProcess.Exited exited = ServerProcess.runToExit(dir, EXIT, "--nosuchdirective", "1");
        assertFatal(exited, ">>> 'nosuchdirective \"1\"'\nBad directive or wrong number of arguments\n");
    }

    @Test
    void valueOutOfRange(@TempDir Path dir) throws Exception {
        ServerProcess.Exited exited = ServerProcess.runToExit(dir, EXIT, "--port", "70000");
        assertFatal(exited, ">>> 'port \"70000\"'\nargument must be between 0 and 65535 inclusive\n");
    }

    @Test
    void badLineOfAConfigFileIsReportedWithItsNumber(@TempDir Path dir) throws Exception {
        Path conf = Files.writeString(dir.resolve("bad.conf"), "# a comment\nsave \"\"\nmaxclients notanumber\nport 0\n");
        ServerProcess.Exited exited = ServerProcess.runToExit(dir, EXIT, conf.toString());
        assertFatal(exited, "Reading the configuration file, at line 3\n>>> 'maxclients notanumber'\n"
                + "argument couldn't be parsed into an integer\n");
    }

    @Test
    void badEnumerationValueInAConfigFile(@TempDir Path dir) throws Exception {
        Path conf = Files.writeString(dir.resolve("bad.conf"), "port 0\nsave \"\"\nloglevel loud\n");
        ServerProcess.Exited exited = ServerProcess.runToExit(dir, EXIT, conf.toString());
        assertFatal(exited, "Reading the configuration file, at line 3\n>>> 'loglevel loud'\n"
                + "argument(s) must be one of the following: debug, verbose, notice, warning\n");
    }

    /** A parameter the core registers only once the engine runs: checked by the launcher's check alone. */
    @Test
    void theLauncherChecksValuesOfTheCoreParameters(@TempDir Path dir) throws Exception {
        Path conf = Files.writeString(dir.resolve("bad.conf"), "port 0\nsave \"\"\nmaxmemory-policy lru\n");
        ServerProcess.Exited exited = ServerProcess.runToExit(dir, EXIT, conf.toString());
        assertFatal(exited, "Reading the configuration file, at line 3\n>>> 'maxmemory-policy lru'\n"
                + "argument(s) must be one of the following: volatile-lru, volatile-lfu, volatile-random, "
                + "volatile-ttl, allkeys-lru, allkeys-lfu, allkeys-random, noeviction\n");
    }

    @Test
    void parametersBundlesDeclareAndModuleParametersPassTheLauncher(@TempDir Path dir) throws Exception {
        Path conf = Files.writeString(dir.resolve("bad.conf"),
                "save \"\"\ndeploy-dir drop\nbloom.error-rate 0.01\nkey-load-delay 0\nport notaport\n");
        ServerProcess.Exited exited = ServerProcess.runToExit(dir, EXIT, conf.toString());
        assertFatal(exited, "Reading the configuration file, at line 5\n>>> 'port notaport'\n"
                + "argument couldn't be parsed into an integer\n");
    }

    private static void assertFatal(ServerProcess.Exited exited, String report) {
        String output = "stdout:\n" + exited.stdout() + "\nstderr:\n" + exited.stderr();
        assertEquals(1, exited.code(), output);
        assertTrue(exited.stderr().contains(BANNER), output);
        assertTrue(exited.stderr().contains(report), "expected on stderr:\n" + report + "\n" + output);
        assertFalse(exited.stdout().contains("Ready to accept connections"), output);
    }
}
