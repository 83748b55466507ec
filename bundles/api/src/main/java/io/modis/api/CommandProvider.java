package io.modis.api;

import java.util.List;

/**
 * The service a bundle registers to contribute commands. The core adds them to the command
 * table when the service appears and removes them when it goes away.
 */
public interface CommandProvider {
    List<Command> commands();
}
