package io.modis.examples.stringtools;

import io.modis.api.Command;
import io.modis.api.CommandContext;
import io.modis.api.CommandFlag;
import io.modis.api.CommandProvider;
import io.modis.api.CommandSpec;
import io.modis.api.KeySpec;
import io.modis.api.StringValue;
import org.osgi.service.component.annotations.Component;

import java.util.List;

/**
 * An example third-party bundle: two commands over string values, built against the api only.
 * STRTOOLS.UPPER key returns the value in ASCII upper case; STRTOOLS.REVERSE key reverses the
 * value in place and returns the new value.
 */
@Component(service = CommandProvider.class)
public final class StringTools implements CommandProvider {
    @Override
    public List<Command> commands() {
        return List.of(
                new Command(CommandSpec.of("strtools.upper", 2).flags(CommandFlag.READONLY, CommandFlag.MODULE)
                        .acl("read", "string").keys(1, 1, 1).keySpec(KeySpec.range(1, 0, 1, "RO", "ACCESS"))
                        .group("module").summary("Returns a string value in ASCII upper case.").build(),
                        StringTools::upper),
                new Command(CommandSpec.of("strtools.reverse", 2).flags(CommandFlag.WRITE, CommandFlag.MODULE)
                        .acl("write", "string").keys(1, 1, 1).keySpec(KeySpec.range(1, 0, 1, "RW", "UPDATE"))
                        .group("module").summary("Reverses a string value in place.").build(),
                        StringTools::reverse));
    }

    static byte[] upper(byte[] in) {
        byte[] out = in.clone();
        for (int i = 0; i < out.length; i++) {
            if (out[i] >= 'a' && out[i] <= 'z') {
                out[i] -= 32;
            }
        }
        return out;
    }

    static byte[] reversed(byte[] in) {
        byte[] out = new byte[in.length];
        for (int i = 0; i < in.length; i++) {
            out[i] = in[in.length - 1 - i];
        }
        return out;
    }

    private static void upper(CommandContext ctx) {
        StringValue v = ctx.db().get(ctx.arg(1), StringValue.class);
        if (v == null) {
            ctx.reply().nil();
        } else {
            ctx.reply().bulk(upper(v.bytes()));
        }
    }

    private static void reverse(CommandContext ctx) {
        StringValue v = ctx.db().get(ctx.arg(1), StringValue.class);
        if (v == null) {
            ctx.reply().nil();
            return;
        }
        byte[] r = reversed(v.bytes());
        ctx.db().setKeepTtl(ctx.arg(1), StringValue.of(r));
        ctx.touched(ctx.db(), ctx.arg(1));
        ctx.dirty(1);
        ctx.reply().bulk(r);
    }
}
