package io.modis.lists;

import io.modis.api.Bytes;
import io.modis.api.CommandContext;
import io.modis.api.CommandException;
import io.modis.api.DebugSubcommand;
import java.util.List;
import org.osgi.service.component.annotations.Component;

/**
 * DEBUG QUICKLIST-PACKED-THRESHOLD size: elements at least that large are kept in plain nodes
 * of their own (the tests use tiny thresholds to exercise plain nodes with small values).
 */
@Component(service = DebugSubcommand.class)
public final class PackedThresholdDebug implements DebugSubcommand {
    static final String BAD_SIZE = "ERR argument must be a memory value bigger than 1 and smaller than 4gb";

    @Override
    public String name() {
        return "quicklist-packed-threshold";
    }

    @Override
    public List<String> help() {
        return List.of("QUICKLIST-PACKED-THRESHOLD <size>",
                "    Sets the threshold for elements to be inserted as plain vs packed nodes",
                "    Default value is 1GB, allows values up to 4GB. Setting to 0 restores to default.");
    }

    @Override
    public void execute(CommandContext ctx) {
        if (ctx.argc() != 3) {
            throw new CommandException("ERR unknown subcommand or wrong number of arguments for '"
                    + Bytes.str(ctx.arg(1)) + "'. Try DEBUG HELP.");
        }
        long size = MemoryValue.parse(ctx.arg(2));
        if (size < 0 || !ListTuning.plainThreshold(size)) {
            throw new CommandException(BAD_SIZE);
        }
        ctx.reply().ok();
    }
}
