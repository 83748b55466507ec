package io.modis.acl;

import io.modis.api.AccessControl;
import io.modis.api.Bytes;
import io.modis.api.Client;
import io.modis.api.Command;
import io.modis.api.CommandProvider;
import io.modis.api.CommandSpec;
import io.modis.api.ConfigParam;
import io.modis.api.ConfigProvider;
import org.osgi.service.component.annotations.Component;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Redis 7.0 ACL: the users, the permission checks the core asks for before every command, AUTH,
 * the ACL LOG, the ACL file and the "user" lines of the config file. Everything runs on the
 * engine thread (the core calls in from there; the ACL command runs there).
 */
@Component(service = {AccessControl.class, CommandProvider.class, ConfigProvider.class})
public final class Acl implements AccessControl, CommandProvider, ConfigProvider {
    private Host host;
    private Commands commands;
    private final Map<String, User> users = new HashMap<>();
    private User defaultUser;
    final AclLog log = new AclLog();
    private final AclCommand command = new AclCommand(this);

    // parameters: written by CONFIG SET (engine thread) or the config file (before attach)
    private volatile String aclFile = "";
    private volatile long logMaxLen = 128;
    private volatile boolean pubsubAll;

    public Acl() {
        defaultUser = newDefaultUser();
        users.put("default", defaultUser);
    }

    // ---- parameters and commands ----

    @Override
    public List<ConfigParam> configParams() {
        return List.of(
                ConfigParam.string("aclfile", "").flags(ConfigParam.Flag.IMMUTABLE)
                        .onChange(v -> aclFile = v == null ? "" : v.toString()).build(),
                ConfigParam.integer("acllog-max-len", 128, 0, Long.MAX_VALUE).onChange(v -> {
                    logMaxLen = (Long) v;
                    log.trim(logMaxLen);
                }).build(),
                ConfigParam.enumeration("acl-pubsub-default", "resetchannels", "allchannels", "resetchannels")
                        .onChange(v -> pubsubAll = "allchannels".equals(v)).build());
    }

    @Override
    public List<Command> commands() {
        return command.commands();
    }

    // ---- AccessControl ----

    @Override
    public void attach(Host host) {
        this.host = host;
        this.commands = new Commands(host);
        String file = host.config().get("aclfile");
        aclFile = file == null ? "" : file;
        Object max = host.config().value("acllog-max-len");
        if (max instanceof Long l) {
            logMaxLen = l;
        }
        pubsubAll = "allchannels".equals(host.config().get("acl-pubsub-default"));
        users.clear();
        defaultUser = newDefaultUser();
        users.put("default", defaultUser);
        String pass = host.config().get("requirepass");
        if (pass != null && !pass.isEmpty()) {
            requirePass(pass);
        }
        List<List<String>> lines = host.directives("user");
        if (!aclFile.isEmpty() && !lines.isEmpty()) {
            throw new IllegalArgumentException("Configuring Redis with users defined in redis.conf and at the same "
                    + "setting an ACL file path is invalid. This setup is very likely to lead to configuration errors "
                    + "and security holes, please define either an ACL file or declare users directly in your "
                    + "redis.conf, but not both.");
        }
        loadConfigUsers(lines);
        if (!aclFile.isEmpty()) {
            String errors = AclFile.load(this, aclFile, new ArrayList<>());
            if (errors != null) {
                throw new IllegalArgumentException("Aborting Redis startup because of ACL errors: " + errors);
            }
        }
    }

    private void loadConfigUsers(List<List<String>> lines) {
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (List<String> line : lines) {
            String name = line.get(0);
            if (!seen.add(name)) {
                throw new IllegalArgumentException("Duplicate user found. A user can only be defined once in "
                        + "config files");
            }
            if (Selector.hasSpaces(name, 0)) {
                throw new IllegalArgumentException("Spaces not allowed in ACL usernames");
            }
            User u = users.get(name);
            if (u == null) {
                u = new User(name, pubsubAll);
                users.put(name, u);
            } else {
                u.apply(commands, "reset", pubsubAll);
            }
            List<String> rules;
            try {
                rules = Rules.mergeSelectors(line.subList(1, line.size()));
            } catch (AclException e) {
                throw new IllegalArgumentException(e.getMessage());
            }
            for (String rule : rules) {
                try {
                    u.apply(commands, rule, pubsubAll);
                } catch (AclException e) {
                    throw new IllegalArgumentException("Error loading ACL rule '" + rule + "' for the user named '"
                            + name + "': " + e.getMessage());
                }
            }
        }
    }

    @Override
    public boolean startsAuthenticated() {
        return defaultUser.enabled && defaultUser.nopass;
    }

    @Override
    public boolean defaultUserNoPass() {
        return defaultUser.nopass;
    }

    @Override
    public boolean authenticate(Client client, byte[] user, byte[] password) {
        String name = Bytes.str(user);
        User u = users.get(name);
        if (u != null && u.accepts(password)) {
            return true;
        }
        logEntry(client, "auth", "AUTH", name);
        return false;
    }

    @Override
    public Denial check(Client client, CommandSpec spec, byte[][] argv) {
        User u = users.get(client.user());
        if (u != null && u.unrestricted) {
            return null;
        }
        Commands.Cmd cmd = commands.of(spec);
        if (u == null) {
            logEntry(client, "command", spec.name(), client.user());
            return new Denial(Kind.COMMAND, spec.name(), null);
        }
        long r = evaluate(u, cmd, argv);
        if (r == Selector.OK) {
            return null;
        }
        int code = (int) (r >>> 32);
        int pos = (int) r;
        Denial d = switch (code) {
            case Selector.DENIED_CMD -> new Denial(Kind.COMMAND, spec.name(), null);
            case Selector.DENIED_KEY -> new Denial(Kind.KEY, spec.name(), argv[pos]);
            default -> new Denial(Kind.CHANNEL, spec.name(), argv[pos]);
        };
        String reason = code == Selector.DENIED_CMD ? "command" : code == Selector.DENIED_KEY ? "key" : "channel";
        logEntry(client, reason, d.object() == null ? spec.name() : Bytes.str(d.object()), u.name);
        return d;
    }

    @Override
    public boolean permits(Client client, CommandSpec spec, byte[][] argv) {
        User u = users.get(client.user());
        return u != null && (u.unrestricted || evaluate(u, commands.of(spec), argv) == Selector.OK);
    }

    @Override
    public boolean readsAnyKey(Client client, CommandSpec spec, byte[][] argv) {
        User u = users.get(client.user());
        if (u == null) {
            return false;
        }
        if (u.unrestricted) {
            return true;
        }
        Commands.Cmd cmd = commands.of(spec);
        Selector.KeysCache keys = new Selector.KeysCache();
        for (Selector s : u.selectors) {
            if (s.check(cmd, argv, keys) == Selector.OK && s.readsAnyKey()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Redis's ACLCheckAllUserCommandPerm: OK (0) when a selector allows the call, else the most
     * relevant denial as (code << 32 | argument position).
     */
    long evaluate(User u, Commands.Cmd cmd, byte[][] argv) {
        int relevant = 0;
        int lastIdx = 0;
        Selector.KeysCache keys = new Selector.KeysCache();
        for (Selector s : u.selectors) {
            s.deniedAt = 0;
            int r = s.check(cmd, argv, keys);
            if (r == Selector.OK) {
                return Selector.OK;
            }
            if (r > relevant || (r == relevant && s.deniedAt > lastIdx)) {
                relevant = r;
                lastIdx = s.deniedAt;
            }
        }
        return ((long) relevant << 32) | lastIdx;
    }

    @Override
    public List<String> configUserLines() {
        List<String> lines = new ArrayList<>();
        if (aclFile.isEmpty()) {
            for (User u : sortedUsers()) {
                lines.add("user " + u.name + " " + u.describe(commands));
            }
        }
        return lines;
    }

    @Override
    public boolean hasUser(String name) {
        return users.containsKey(name);
    }

    @Override
    public void requirePass(String password) {
        defaultUser.apply(commands, "resetpass", pubsubAll);
        defaultUser.apply(commands, password == null || password.isEmpty() ? "nopass" : ">" + password, pubsubAll);
    }

    // ---- shared with the ACL command and the file ----

    void logEntry(Client client, String reason, String object, String username) {
        String context = client.inScript() ? "lua" : client.inMulti() ? "multi" : "toplevel";
        log.add(new AclLog.Entry(reason, context, object, username, System.currentTimeMillis(), client.info()),
                logMaxLen);
    }

    Host host() {
        return host;
    }

    Commands commandIndex() {
        return commands;
    }

    boolean pubsubAll() {
        return pubsubAll;
    }

    String aclFile() {
        return aclFile;
    }

    User user(String name) {
        return users.get(name);
    }

    User defaultUser() {
        return defaultUser;
    }

    /** Users sorted by name, as ACL LIST / USERS / SAVE show them. */
    List<User> sortedUsers() {
        return new ArrayList<>(new TreeMap<>(users).values());
    }

    User newDefaultUser() {
        User u = new User("default", false);
        Commands none = commands;
        u.root().apply(none, "+@all");
        u.root().apply(none, "~*");
        u.root().apply(none, "&*");
        u.enabled = true;
        u.nopass = true;
        u.refresh();
        return u;
    }

    /** Installs {@code u} under its name (replacing the user of that name). */
    void put(User u) {
        if (u.name.equals("default")) {
            defaultUser = u;
        }
        users.put(u.name, u);
    }

    User remove(String name) {
        return users.remove(name);
    }

    /**
     * Replaces every user at once (ACL LOAD). Returns the clients of the old users but
     * default's, which the caller closes once its reply is written.
     */
    List<Client> replaceAll(Map<String, User> loaded) {
        java.util.Set<String> old = new java.util.HashSet<>(users.keySet());
        users.clear();
        users.putAll(loaded);
        defaultUser = users.get("default");
        List<Client> doomed = new ArrayList<>();
        if (host != null) {
            for (Client c : host.clients()) {
                if (!c.user().equals("default") && old.contains(c.user())) {
                    doomed.add(c);
                }
            }
        }
        return doomed;
    }

    /** Closes the connections authenticated as {@code name}. */
    void killClientsOf(String name, boolean onlySubscribers) {
        if (host == null) {
            return;
        }
        for (Client c : host.clients()) {
            if (c.user().equals(name) && (!onlySubscribers || c.subscriptionCount() > 0)) {
                c.kill();
            }
        }
    }
}
