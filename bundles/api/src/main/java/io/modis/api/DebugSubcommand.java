package io.modis.api;

import java.util.List;

/**
 * A DEBUG subcommand contributed by a bundle (for example the list bundle's
 * {@code DEBUG QUICKLIST-PACKED-THRESHOLD}). The core's DEBUG command runs it when no built-in
 * subcommand has that name. Arguments are seen as DEBUG's: {@code arg(1)} is the subcommand.
 */
public interface DebugSubcommand {
    /** The subcommand's name, lower case. */
    String name();

    /** Lines added to DEBUG HELP. */
    default List<String> help() {
        return List.of();
    }

    void execute(CommandContext ctx);
}
