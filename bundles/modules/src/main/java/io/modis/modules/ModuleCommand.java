package io.modis.modules;

import static io.modis.api.CommandFlag.ADMIN;
import static io.modis.api.CommandFlag.LOADING;
import static io.modis.api.CommandFlag.NOSCRIPT;
import static io.modis.api.CommandFlag.NO_ASYNC_LOADING;
import static io.modis.api.CommandFlag.PROTECTED;
import static io.modis.api.CommandFlag.STALE;

import io.modis.api.Bytes;
import io.modis.api.Command;
import io.modis.api.CommandContext;
import io.modis.api.CommandException;
import io.modis.api.CommandSpec;
import io.modis.api.Errors;
import io.modis.api.Reply;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** MODULE LOAD / LOADEX / UNLOAD / LIST / HELP, with Redis 7.0's replies and errors. */
final class ModuleCommand {
    static final String LOAD_ERROR = "ERR Error loading the extension. Please check the server logs.";

    private final Modules modules;

    ModuleCommand(Modules modules) {
        this.modules = modules;
    }

    private static CommandSpec.Builder sub(String name, int arity) {
        return CommandSpec.of("module|" + name, arity).group("server");
    }

    Command command() {
        CommandSpec spec = CommandSpec.of("module", -2).group("server").since("4.0.0")
                .summary("A container for module commands.").complexity("Depends on subcommand.")
                .subcommand(new Command(sub("help", 2).flags(LOADING, STALE).acl("slow").since("5.0.0")
                        .summary("Show helpful text about the different subcommands").complexity("O(1)").build(),
                        this::help))
                .subcommand(new Command(sub("list", 2).flags(ADMIN, NOSCRIPT).acl("admin", "slow", "dangerous")
                        .since("4.0.0").summary("List all modules loaded by the server")
                        .complexity("O(N) where N is the number of loaded modules.").build(), this::list))
                .subcommand(new Command(sub("load", -3).flags(NO_ASYNC_LOADING, ADMIN, NOSCRIPT, PROTECTED)
                        .acl("admin", "slow", "dangerous").since("4.0.0").summary("Load a module")
                        .complexity("O(1)").build(), this::load))
                .subcommand(new Command(sub("loadex", -3).flags(NO_ASYNC_LOADING, ADMIN, NOSCRIPT, PROTECTED)
                        .acl("admin", "slow", "dangerous").since("7.0.0")
                        .summary("Load a module with extended parameters").complexity("O(1)").build(), this::loadex))
                .subcommand(new Command(sub("unload", 3).flags(NO_ASYNC_LOADING, ADMIN, NOSCRIPT, PROTECTED)
                        .acl("admin", "slow", "dangerous").since("4.0.0").summary("Unload a module")
                        .complexity("O(1)").build(), this::unload))
                .build();
        return new Command(spec, ctx -> {
            throw Errors.unknownSubcommand(ctx.argLower(1), "module");
        });
    }

    private void help(CommandContext ctx) {
        List<String> lines = List.of(
                "LIST",
                "    Return a list of loaded modules.",
                "LOAD <path> [<arg> ...]",
                "    Load a module library from <path>, passing to it any optional arguments.",
                "LOADEX <path> [[CONFIG NAME VALUE] [CONFIG NAME VALUE]] [ARGS ...]",
                "    Load a module library from <path>, while passing it module configurations and optional arguments.",
                "UNLOAD <name>",
                "    Unload a module.");
        Reply r = ctx.reply();
        r.array(lines.size() + 3);
        r.simple("MODULE <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
        for (String l : lines) {
            r.simple(l);
        }
        r.simple("HELP");
        r.simple("    Print this help.");
    }

    private void load(CommandContext ctx) {
        List<String> args = new ArrayList<>();
        for (int i = 3; i < ctx.argc(); i++) {
            args.add(Bytes.str(ctx.arg(i)));
        }
        doLoad(ctx, Bytes.str(ctx.arg(2)), args, List.of());
    }

    /** LOADEX path [CONFIG name value ...] [ARGS arg ...]. */
    private void loadex(CommandContext ctx) {
        List<String[]> configs = new ArrayList<>();
        List<String> args = new ArrayList<>();
        for (int i = 3; i < ctx.argc(); i++) {
            String word = Bytes.str(ctx.arg(i));
            if (word.equalsIgnoreCase("config")) {
                if (i + 2 >= ctx.argc()) {
                    ctx.log().notice("CONFIG specified without name value pair");
                    throw new CommandException(LOAD_ERROR);
                }
                configs.add(new String[] {Bytes.str(ctx.arg(i + 1)), Bytes.str(ctx.arg(i + 2))});
                i += 2;
            } else if (word.equalsIgnoreCase("args")) {
                for (int j = i + 1; j < ctx.argc(); j++) {
                    args.add(Bytes.str(ctx.arg(j)));
                }
                break;
            } else {
                ctx.log().notice("Syntax Error from arguments to loadex around " + word + ".");
                throw new CommandException(LOAD_ERROR);
            }
        }
        doLoad(ctx, Bytes.str(ctx.arg(2)), args, configs);
    }

    private void doLoad(CommandContext ctx, String path, List<String> args, List<String[]> configs) {
        try {
            modules.load(path, args, configs, Module.Source.COMMAND);
        } catch (LoadException e) {
            ctx.log().warning(e.getMessage());
            throw new CommandException(LOAD_ERROR);
        }
        ctx.reply().ok();
    }

    private void unload(CommandContext ctx) {
        try {
            modules.unload(Bytes.str(ctx.arg(2)));
        } catch (LoadException e) {
            throw new CommandException("ERR Error unloading module: " + e.getMessage());
        }
        ctx.reply().ok();
    }

    /**
     * Redis's shape (name, ver, path, args per module); a deploy-folder jar that failed is listed
     * too, with ver 0 and an extra {@code error} field giving the reason.
     */
    private void list(CommandContext ctx) {
        List<Module> loaded = modules.loaded();
        List<Failure> failed = modules.failures();
        Reply r = ctx.reply();
        r.array(loaded.size() + failed.size());
        for (Module m : loaded) {
            r.map(4);
            r.bulk("name");
            r.bulk(m.name());
            r.bulk("ver");
            r.integer(m.ver());
            r.bulk("path");
            r.bulk(m.path());
            r.bulk("args");
            r.array(m.args().size());
            for (String a : m.args()) {
                r.bulk(a);
            }
        }
        for (Failure f : failed) {
            r.map(5);
            r.bulk("name");
            r.bulk(java.nio.file.Path.of(f.path()).getFileName().toString().toLowerCase(Locale.ROOT));
            r.bulk("ver");
            r.integer(0);
            r.bulk("path");
            r.bulk(f.path());
            r.bulk("args");
            r.array(0);
            r.bulk("error");
            r.bulk(f.reason());
        }
    }
}
