package io.modis.acl;

import io.modis.api.Bytes;
import io.modis.api.Command;
import io.modis.api.CommandContext;
import io.modis.api.CommandException;
import io.modis.api.CommandFlag;
import io.modis.api.CommandHandler;
import io.modis.api.CommandSpec;
import io.modis.api.Errors;
import io.modis.api.Reply;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static io.modis.api.CommandFlag.ADMIN;
import static io.modis.api.CommandFlag.LOADING;
import static io.modis.api.CommandFlag.NOSCRIPT;
import static io.modis.api.CommandFlag.SENTINEL;
import static io.modis.api.CommandFlag.STALE;

/** ACL and its subcommands (SETUSER GETUSER DELUSER LIST USERS WHOAMI CAT GENPASS DRYRUN LOG LOAD SAVE HELP). */
final class AclCommand {
    private static final List<String> HELP = List.of(
            "CAT [<category>]",
            "    List all commands that belong to <category>, or all command categories",
            "    when no category is specified.",
            "DELUSER <username> [<username> ...]",
            "    Delete a list of users.",
            "DRYRUN <username> <command> [<arg> ...]",
            "    Returns whether the user can execute the given command without executing the command.",
            "GETUSER <username>",
            "    Get the user's details.",
            "GENPASS [<bits>]",
            "    Generate a secure 256-bit user password. The optional `bits` argument can",
            "    be used to specify a different size.",
            "LIST",
            "    Show users details in config file format.",
            "LOAD",
            "    Reload users from the ACL file.",
            "LOG [<count> | RESET]",
            "    Show the ACL log entries.",
            "SAVE",
            "    Save the current config to the ACL file.",
            "SETUSER <username> <attribute> [<attribute> ...]",
            "    Create or modify a user with the specified attributes.",
            "USERS",
            "    List all the registered usernames.",
            "WHOAMI",
            "    Return the current connection username.");
    private static final int GENPASS_MAX_BITS = 4096;

    private final Acl acl;
    private final SecureRandom random = new SecureRandom();

    AclCommand(Acl acl) {
        this.acl = acl;
    }

    List<Command> commands() {
        CommandSpec spec = CommandSpec.of("acl", -2).group("server").since("6.0.0").flags(SENTINEL)
                .summary("A container for Access List Control commands").complexity("Depends on subcommand.")
                .subcommand(sub("cat", -2, "List the ACL categories or the commands inside a category",
                        "O(1) since the categories and commands are a fixed set.", this::cat,
                        NOSCRIPT, LOADING, STALE, SENTINEL))
                .subcommand(sub("deluser", -3, "Remove the specified ACL users and the associated rules",
                        "O(1) amortized time considering the typical user.", this::deluser,
                        ADMIN, NOSCRIPT, LOADING, STALE, SENTINEL))
                .subcommand(sub("dryrun", -4, "Returns whether the user can execute the given command without "
                        + "executing the command.", "O(1).", this::dryrun, ADMIN, NOSCRIPT, LOADING, STALE, SENTINEL))
                .subcommand(sub("genpass", -2, "Generate a pseudorandom secure password to use for ACL users",
                        "O(1)", this::genpass, NOSCRIPT, LOADING, STALE, SENTINEL))
                .subcommand(sub("getuser", 3, "Get the rules for a specific ACL user", "O(N). Where N is the number "
                        + "of password, command and pattern rules that the user has.", this::getuser,
                        ADMIN, NOSCRIPT, LOADING, STALE, SENTINEL))
                .subcommand(sub("help", 2, "Show helpful text about the different subcommands", "O(1)",
                        this::help, LOADING, STALE, SENTINEL))
                .subcommand(sub("list", 2, "List the current ACL rules in ACL config file format",
                        "O(N). Where N is the number of configured users.", this::list,
                        ADMIN, NOSCRIPT, LOADING, STALE, SENTINEL))
                .subcommand(sub("load", 2, "Reload the ACLs from the configured ACL file",
                        "O(N). Where N is the number of configured users.", this::load,
                        ADMIN, NOSCRIPT, LOADING, STALE, SENTINEL))
                .subcommand(sub("log", -2, "List latest events denied because of ACLs in place",
                        "O(N) with N being the number of entries shown.", this::log,
                        ADMIN, NOSCRIPT, LOADING, STALE, SENTINEL))
                .subcommand(sub("save", 2, "Save the current ACL rules in the configured ACL file",
                        "O(N). Where N is the number of configured users.", this::save,
                        ADMIN, NOSCRIPT, LOADING, STALE, SENTINEL))
                .subcommand(sub("setuser", -3, "Modify or create the rules for a specific ACL user",
                        "O(N). Where N is the number of rules provided.", this::setuser,
                        ADMIN, NOSCRIPT, LOADING, STALE, SENTINEL))
                .subcommand(sub("users", 2, "List the username of all the configured ACL rules",
                        "O(N). Where N is the number of configured users.", this::users,
                        ADMIN, NOSCRIPT, LOADING, STALE, SENTINEL))
                .subcommand(sub("whoami", 2, "Return the name of the user associated to the current connection",
                        "O(1)", this::whoami, NOSCRIPT, LOADING, STALE, SENTINEL))
                .build();
        return List.of(new Command(spec, ctx -> {
            throw Errors.unknownSubcommand(ctx.argLower(1), "acl");
        }));
    }

    private static Command sub(String name, int arity, String summary, String complexity, CommandHandler h,
                               CommandFlag... flags) {
        String since = name.equals("dryrun") ? "7.0.0" : "6.0.0";
        return new Command(CommandSpec.of("acl|" + name, arity).group("server").since(since).flags(flags)
                .summary(summary).complexity(complexity).build(), h);
    }

    // ---- SETUSER ----

    private void setuser(CommandContext ctx) {
        String name = Bytes.str(ctx.arg(2));
        if (Selector.hasSpaces(name, 0)) {
            throw new CommandException("ERR Usernames can't contain spaces or null characters");
        }
        // passwords are hashed from their bytes here, so that binary passwords survive
        Map<String, String> shown = new HashMap<>();
        List<String> ops = new ArrayList<>();
        for (int i = 3; i < ctx.argc(); i++) {
            byte[] a = ctx.arg(i);
            String op = Bytes.str(a);
            if (a.length > 0 && (a[0] == '>' || a[0] == '<')) {
                byte[] pass = java.util.Arrays.copyOfRange(a, 1, a.length);
                String hashed = (a[0] == '>' ? "#" : "!") + User.hash(pass);
                shown.put(hashed, op);
                op = hashed;
            }
            ops.add(op);
        }
        List<String> rules;
        try {
            rules = Rules.mergeSelectors(ops);
        } catch (AclException e) {
            throw new CommandException("ERR " + e.getMessage());
        }
        User existing = acl.user(name);
        User updated = existing != null ? existing.copy(name) : new User(name, acl.pubsubAll());
        for (String rule : rules) {
            try {
                updated.apply(acl.commandIndex(), rule, acl.pubsubAll());
            } catch (AclException e) {
                throw new CommandException("ERR Error in ACL SETUSER modifier '" + shown.getOrDefault(rule, rule)
                        + "': " + e.getMessage());
            }
        }
        boolean killSubscribers = existing != null && !channelsRetained(updated, existing);
        acl.put(updated);
        ctx.reply().ok();
        if (killSubscribers) {
            acl.killClientsOf(name, true);
        }
    }

    /**
     * Redis's ACLKillPubsubClientsIfNeeded test: subscribers keep their connection when the new
     * rules allow all channels or keep every channel pattern the old ones had. (Redis then checks
     * each subscription; Modis closes the user's subscribed clients, which do not expose theirs.)
     */
    private static boolean channelsRetained(User updated, User original) {
        List<byte[]> upcoming = new ArrayList<>();
        for (Selector s : updated.selectors) {
            if (s.allChannels) {
                return true;
            }
            upcoming.addAll(s.channels);
        }
        for (Selector s : original.selectors) {
            if (s.allChannels) {
                return false;
            }
            for (byte[] c : s.channels) {
                boolean found = false;
                for (byte[] u : upcoming) {
                    found |= java.util.Arrays.equals(u, c);
                }
                if (!found) {
                    return false;
                }
            }
        }
        return true;
    }

    // ---- GETUSER LIST USERS DELUSER WHOAMI ----

    private void getuser(CommandContext ctx) {
        User u = acl.user(Bytes.str(ctx.arg(2)));
        Reply r = ctx.reply();
        if (u == null) {
            r.nil();
            return;
        }
        Commands commands = acl.commandIndex();
        r.map(6);
        r.bulk("flags");
        List<String> flags = u.flags();
        r.set(flags.size());
        for (String f : flags) {
            r.bulk(f);
        }
        r.bulk("passwords");
        r.array(u.passwords.size());
        for (String p : u.passwords) {
            r.bulk(p);
        }
        describeSelector(r, u.root(), commands);
        r.bulk("selectors");
        r.array(u.selectors.size() - 1);
        for (int i = 1; i < u.selectors.size(); i++) {
            r.map(3);
            describeSelector(r, u.selectors.get(i), commands);
        }
    }

    private static void describeSelector(Reply r, Selector s, Commands commands) {
        r.bulk("commands");
        r.bulk(s.describeCommands(commands));
        r.bulk("keys");
        r.bulk(s.describeKeys());
        r.bulk("channels");
        r.bulk(s.describeChannels());
    }

    private void list(CommandContext ctx) {
        List<User> users = acl.sortedUsers();
        ctx.reply().array(users.size());
        for (User u : users) {
            ctx.reply().bulk("user " + u.name + " " + u.describe(acl.commandIndex()));
        }
    }

    private void users(CommandContext ctx) {
        List<User> users = acl.sortedUsers();
        ctx.reply().array(users.size());
        for (User u : users) {
            ctx.reply().bulk(u.name);
        }
    }

    private void deluser(CommandContext ctx) {
        for (int i = 2; i < ctx.argc(); i++) {
            if (Bytes.str(ctx.arg(i)).equals("default")) {
                throw new CommandException("ERR The 'default' user cannot be removed");
            }
        }
        List<String> deleted = new ArrayList<>();
        for (int i = 2; i < ctx.argc(); i++) {
            String name = Bytes.str(ctx.arg(i));
            if (acl.remove(name) != null) {
                deleted.add(name);
            }
        }
        ctx.reply().integer(deleted.size());
        for (String name : deleted) {
            acl.killClientsOf(name, false);
        }
    }

    private void whoami(CommandContext ctx) {
        ctx.reply().bulk(ctx.client().user());
    }

    // ---- CAT GENPASS DRYRUN LOG ----

    private void cat(CommandContext ctx) {
        Reply r = ctx.reply();
        if (ctx.argc() == 2) {
            r.array(Categories.NAMES.size());
            for (String c : Categories.NAMES) {
                r.bulk(c);
            }
            return;
        }
        if (ctx.argc() > 3) {
            throw new CommandException("ERR unknown subcommand or wrong number of arguments for '"
                    + clip(Bytes.str(ctx.arg(1))) + "'. Try ACL HELP.");
        }
        String name = Bytes.str(ctx.arg(2));
        long bit = Categories.bit(name);
        if (bit == 0) {
            throw new CommandException("ERR Unknown category '" + clip(name) + "'");
        }
        List<String> names = new ArrayList<>();
        Commands commands = acl.commandIndex();
        collect(commands, commands.all(), bit, names);
        r.array(names.size());
        for (String n : names) {
            r.bulk(n);
        }
    }

    private static void collect(Commands commands, List<Commands.Cmd> cmds, long bit, List<String> out) {
        for (Commands.Cmd c : cmds) {
            if (c.module) {
                continue;
            }
            if ((c.categories & bit) != 0) {
                out.add(c.name());
            }
            collect(commands, commands.subcommands(c), bit, out);
        }
    }

    private static String clip(String s) {
        return s.length() > 128 ? s.substring(0, 128) : s;
    }

    private void genpass(CommandContext ctx) {
        if (ctx.argc() > 3) {
            throw new CommandException("ERR unknown subcommand or wrong number of arguments for '"
                    + clip(Bytes.str(ctx.arg(1))) + "'. Try ACL HELP.");
        }
        long bits = ctx.argc() == 3 ? ctx.argLong(2) : 256;
        if (bits <= 0 || bits > GENPASS_MAX_BITS) {
            throw new CommandException("ERR ACL GENPASS argument must be the number of bits for the output "
                    + "password, a positive number up to " + GENPASS_MAX_BITS);
        }
        int chars = (int) ((bits + 3) / 4);
        byte[] raw = new byte[(chars + 1) / 2];
        random.nextBytes(raw);
        ctx.reply().bulk(HexFormat.of().formatHex(raw).substring(0, chars));
    }

    private void dryrun(CommandContext ctx) {
        String userName = Bytes.str(ctx.arg(2));
        User u = acl.user(userName);
        if (u == null) {
            throw new CommandException("ERR User '" + userName + "' not found");
        }
        byte[][] argv = java.util.Arrays.copyOfRange(ctx.args(), 3, ctx.argc());
        Commands commands = acl.commandIndex();
        CommandSpec spec = acl.host().command(Bytes.lower(argv[0]));
        if (spec != null && !spec.subcommands().isEmpty() && argv.length >= 2) {
            spec = acl.host().command(spec.name() + "|" + Bytes.lower(argv[1]));
        }
        if (spec == null) {
            throw new CommandException("ERR Command '" + Bytes.str(argv[0]) + "' not found");
        }
        if (!spec.arityAccepts(argv.length)) {
            throw new CommandException("ERR wrong number of arguments for '" + spec.name() + "' command");
        }
        long result = acl.evaluate(u, commands.of(spec), argv);
        int code = (int) (result >>> 32);
        int pos = (int) result;
        switch (code) {
            case Selector.OK -> ctx.reply().ok();
            case Selector.DENIED_CMD -> ctx.reply().bulk("This user has no permissions to run the '" + spec.name()
                    + "' command");
            case Selector.DENIED_KEY -> ctx.reply().bulk("This user has no permissions to access the '"
                    + Bytes.str(argv[pos]) + "' key");
            default -> ctx.reply().bulk("This user has no permissions to access the '" + Bytes.str(argv[pos])
                    + "' channel");
        }
    }

    private void log(CommandContext ctx) {
        if (ctx.argc() > 3) {
            throw new CommandException("ERR unknown subcommand or wrong number of arguments for '"
                    + clip(Bytes.str(ctx.arg(1))) + "'. Try ACL HELP.");
        }
        long count = 10;
        if (ctx.argc() == 3) {
            if (Bytes.is(ctx.arg(2), "reset")) {
                acl.log.reset();
                ctx.reply().ok();
                return;
            }
            count = Math.max(0, ctx.argLong(2));
        }
        List<AclLog.Entry> entries = acl.log.latest(count);
        Reply r = ctx.reply();
        long now = System.currentTimeMillis();
        r.array(entries.size());
        for (AclLog.Entry e : entries) {
            r.map(7);
            r.bulk("count");
            r.integer(e.count);
            r.bulk("reason");
            r.bulk(e.reason);
            r.bulk("context");
            r.bulk(e.context);
            r.bulk("object");
            r.bulk(e.object);
            r.bulk("username");
            r.bulk(e.username);
            r.bulk("age-seconds");
            r.dbl((now - e.created) / 1000.0);
            r.bulk("client-info");
            r.bulk(e.clientInfo);
        }
    }

    // ---- LOAD SAVE HELP ----

    private void requireFile() {
        if (acl.aclFile().isEmpty()) {
            throw new CommandException("ERR This Redis instance is not configured to use an ACL file. You may want "
                    + "to specify users via the ACL SETUSER command and then issue a CONFIG REWRITE (assuming you "
                    + "have a Redis configuration file set) in order to store users in the Redis configuration.");
        }
    }

    private void load(CommandContext ctx) {
        requireFile();
        String errors = AclFile.load(acl, acl.aclFile());
        if (errors != null) {
            throw new CommandException("ERR " + errors);
        }
        ctx.reply().ok();
    }

    private void save(CommandContext ctx) {
        requireFile();
        if (!AclFile.save(acl, acl.aclFile())) {
            throw new CommandException("ERR There was an error trying to save the ACLs. Please check the server "
                    + "logs for more information");
        }
        ctx.reply().ok();
    }

    private void help(CommandContext ctx) {
        Reply r = ctx.reply();
        r.array(HELP.size() + 3);
        r.simple("ACL <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
        for (String l : HELP) {
            r.simple(l);
        }
        r.simple("HELP");
        r.simple("    Print this help.");
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
