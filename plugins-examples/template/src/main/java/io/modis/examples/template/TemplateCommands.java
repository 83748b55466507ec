package io.modis.examples.template;

import io.modis.api.Command;
import io.modis.api.CommandContext;
import io.modis.api.CommandException;
import io.modis.api.CommandFlag;
import io.modis.api.CommandProvider;
import io.modis.api.CommandSpec;
import io.modis.api.KeySpec;
import java.util.List;
import org.osgi.service.component.annotations.Component;

/**
 * The commands: {@code TEMPLATE.INCRBY key increment} (creates the counter, answers the new
 * value) and {@code TEMPLATE.GET key} (nil when absent). Each declares its metadata (arity,
 * flags, ACL categories, key positions) beside its handler.
 */
@Component(service = CommandProvider.class)
public final class TemplateCommands implements CommandProvider {
    @Override
    public List<Command> commands() {
        return List.of(
                new Command(CommandSpec.of("template.incrby", 3)
                        .flags(CommandFlag.WRITE, CommandFlag.DENYOOM, CommandFlag.FAST, CommandFlag.MODULE)
                        .acl("write", "fast").keys(1, 1, 1).keySpec(KeySpec.range(1, 0, 1, "RW", "UPDATE"))
                        .group("module").summary("Adds to a counter, creating it.").build(),
                        TemplateCommands::incrby),
                new Command(CommandSpec.of("template.get", 2)
                        .flags(CommandFlag.READONLY, CommandFlag.FAST, CommandFlag.MODULE)
                        .acl("read", "fast").keys(1, 1, 1).keySpec(KeySpec.range(1, 0, 1, "RO", "ACCESS"))
                        .group("module").summary("Returns a counter.").build(),
                        TemplateCommands::get));
    }

    private static void incrby(CommandContext ctx) {
        long by = ctx.argLong(2);
        if (Math.abs(by) > TemplateConfig.maxIncrement) {
            throw new CommandException("ERR increment exceeds template.max-increment");
        }
        byte[] key = ctx.arg(1);
        // WRONGTYPE for a key of another type; checks come before any change
        Counter c = ctx.db().get(key, Counter.class);
        boolean created = c == null;
        if (created) {
            c = new Counter(0);
        }
        long next;
        try {
            next = Math.addExact(c.get(), by);
        } catch (ArithmeticException e) {
            throw new CommandException("ERR increment or decrement would overflow");
        }
        c.set(next);
        if (created) {
            ctx.db().set(key, c);
        }
        ctx.dirty(1);
        ctx.touched(ctx.db(), key);
        ctx.notify('d', "template.incrby", key, ctx.db());
        ctx.reply().integer(c.get());
    }

    private static void get(CommandContext ctx) {
        Counter c = ctx.db().get(ctx.arg(1), Counter.class);
        if (c == null) {
            ctx.reply().nil();
        } else {
            ctx.reply().integer(c.get());
        }
    }
}
