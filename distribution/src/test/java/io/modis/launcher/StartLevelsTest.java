package io.modis.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class StartLevelsTest {

    @Test
    void loggingComesFirst() {
        for (String name : List.of("org.apache.aries.spifly.dynamic.bundle", "org.objectweb.asm",
                "org.objectweb.asm.tree.analysis", "slf4j.api", "slf4j.simple")) {
            assertEquals(StartLevels.LOGGING, StartLevels.of(name), name);
        }
    }

    @Test
    void declarativeServicesComeSecond() {
        for (String name : List.of("org.apache.felix.scr", "org.osgi.service.component",
                "org.osgi.util.promise", "org.osgi.util.function", "io.netty.transport", "io.netty.buffer")) {
            assertEquals(StartLevels.SERVICES, StartLevels.of(name), name);
        }
    }

    @Test
    void modisBundlesComeThird() {
        for (String name : List.of("io.modis.core", "io.modis.type-string", "io.modis.examples.stringtools")) {
            assertEquals(StartLevels.MODIS, StartLevels.of(name), name);
        }
    }

    @Test
    void persistenceLoadsBeforeTheTransportsListen() {
        assertEquals(StartLevels.PERSISTENCE, StartLevels.of("io.modis.rdb"));
        assertEquals(StartLevels.PERSISTENCE, StartLevels.of("io.modis.aof"));
        assertEquals(StartLevels.TRANSPORT, StartLevels.of("io.modis.transport-resp"));
        assertEquals(StartLevels.FRAMEWORK, StartLevels.TRANSPORT);
    }

    @Test
    void argumentsAreJoinedWithNul() {
        assertEquals("conf\u0000--save\u0000", FrameworkLauncher.joinArgv(List.of("conf", "--save", "")));
    }
}
