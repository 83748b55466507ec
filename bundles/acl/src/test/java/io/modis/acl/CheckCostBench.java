package io.modis.acl;

import io.modis.api.Bytes;
import io.modis.api.Client;
import io.modis.api.CommandFlag;
import io.modis.api.CommandSpec;
import io.modis.api.KeySpec;
import io.modis.core.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.util.List;

/**
 * Measures what a permission check costs per command, for the default (unrestricted) user and
 * for a user limited to two key patterns (run with -Dmodis.bench=true; prints, asserts nothing
 * about time). docs/benchmarks.md records the numbers.
 */
@EnabledIfSystemProperty(named = "modis.bench", matches = "true")
class CheckCostBench {
    private static final int ITERATIONS = 2_000_000;

    @Test
    void checkCost() {
        try (TestServer ts = new TestServer()) {
            Acl acl = new Acl();
            ts.addConfigParams(acl.configParams());
            ts.addCommands(acl.commands());
            CommandSpec get = CommandSpec.of("get", 2).flags(CommandFlag.READONLY, CommandFlag.FAST).acl("string")
                    .keys(1, 1, 1).keySpec(KeySpec.range(1, 0, 1, "RO", "ACCESS")).build();
            ts.setAccessControl(acl, List.of(List.of("user", "bench", "on", "nopass", "~key:*", "~counter:*", "+@all")));
            Client def = client("default");
            Client bench = client("bench");
            byte[][] argv = {Bytes.of("GET"), Bytes.of("key:000000012345")};
            for (int round = 0; round < 20; round++) {
                long d = ts.onEngine(() -> time(acl, def, get, argv));
                long b = ts.onEngine(() -> time(acl, bench, get, argv));
                System.out.printf("round %d: default %.1f ns/check, key-pattern user %.1f ns/check%n", round,
                        d / (double) ITERATIONS, b / (double) ITERATIONS);
            }
        }
    }

    private static long time(Acl acl, Client c, CommandSpec spec, byte[][] argv) {
        long start = System.nanoTime();
        int denied = 0;
        for (int i = 0; i < ITERATIONS; i++) {
            if (acl.check(c, spec, argv) != null) {
                denied++;
            }
        }
        if (denied != 0) {
            throw new AssertionError("denied");
        }
        return System.nanoTime() - start;
    }

    private static Client client(String user) {
        return new Client() {
            public long id() {
                return 1;
            }

            public String name() {
                return null;
            }

            public int protocol() {
                return 2;
            }

            public int dbIndex() {
                return 0;
            }

            public String address() {
                return "127.0.0.1:1";
            }

            public boolean inMulti() {
                return false;
            }

            public boolean inScript() {
                return false;
            }

            public void send(java.util.function.Consumer<io.modis.api.Reply> message) {
            }

            public void subscriptions(int channels, int patterns, int shardChannels) {
            }

            public int subscriptionCount() {
                return 0;
            }

            @Override
            public String user() {
                return user;
            }
        };
    }
}
