package io.modis.core;

import io.modis.api.Bytes;
import io.modis.api.CommandException;
import io.modis.api.CommandFlag;
import io.modis.api.CommandKeys;
import io.modis.api.Errors;
import io.modis.api.Reply;
import io.modis.api.dict.Dict;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Server-assisted client-side caching (CLIENT TRACKING), as Redis 7.0's tracking.c: the keys
 * each tracking client read are remembered, and the first change to such a key sends that
 * client (or the client it redirects to) an invalidation, after which the key is forgotten.
 * In BCAST mode clients instead hear about every changed key under their prefixes, once per
 * engine task.
 */
final class Tracking {
    private static final byte[] INVALIDATE = Bytes.of("invalidate");
    private static final byte[] MESSAGE = Bytes.of("message");
    private static final byte[] CHANNEL = Bytes.of("__redis__:invalidate");
    private static final byte[] REDIR_BROKEN = Bytes.of("tracking-redir-broken");

    /** A client's tracking settings; absent while tracking is off. */
    static final class State {
        long redirect;
        boolean bcast;
        boolean optin;
        boolean optout;
        boolean noloop;
        /** CLIENT CACHING yes/no given for the next command. */
        boolean caching;
        boolean brokenRedirect;
        /** BCAST prefixes, sorted as Redis lists them. */
        final TreeMap<byte[], Boolean> prefixes = new TreeMap<>(Arrays::compareUnsigned);
    }

    /** One BCAST prefix: its clients, and the keys changed under it since the last broadcast. */
    private static final class Prefix {
        final Set<ClientSession> clients = new LinkedHashSet<>();
        /** Changed key -> the client that changed it (for NOLOOP), or null. */
        final TreeMap<byte[], ClientSession> keys = new TreeMap<>(Arrays::compareUnsigned);
    }

    private final Server server;
    /** Tracked key -> ids of the clients that may have it cached. */
    private final Dict<Set<Long>> table = new Dict<>();
    private long totalItems;
    private final TreeMap<byte[], Prefix> prefixes = new TreeMap<>(Arrays::compareUnsigned);
    private int clients;
    private boolean broadcastScheduled;
    /** An invalidation for a client that was running a command: sent after its reply. */
    private record Pending(ClientSession target, byte[] key, boolean flush) {
    }

    private final List<Pending> pending = new ArrayList<>();
    private int evictionTimeouts;

    Tracking(Server server) {
        this.server = server;
    }

    int clients() {
        return clients;
    }

    long totalKeys() {
        return table.size();
    }

    long totalItems() {
        return totalItems;
    }

    long totalPrefixes() {
        return prefixes.size();
    }

    // ---- CLIENT TRACKING / CACHING ----

    /** CLIENT TRACKING on|off [REDIRECT id] [BCAST] [PREFIX p ...] [OPTIN] [OPTOUT] [NOLOOP]. */
    void command(ClientSession c, byte[][] argv) {
        long redirect = 0;
        boolean bcast = false;
        boolean optin = false;
        boolean optout = false;
        boolean noloop = false;
        List<byte[]> newPrefixes = new ArrayList<>();
        for (int j = 3; j < argv.length; j++) {
            boolean more = j < argv.length - 1;
            if (Bytes.is(argv[j], "redirect") && more) {
                j++;
                if (redirect != 0) {
                    throw new CommandException("ERR A client can only redirect to a single other client");
                }
                try {
                    redirect = Bytes.parseLong(argv[j]);
                } catch (NumberFormatException e) {
                    throw Errors.notInteger();
                }
                if (!server.clients().containsKey(redirect)) {
                    throw new CommandException("ERR The client ID you want redirect to does not exist");
                }
            } else if (Bytes.is(argv[j], "bcast")) {
                bcast = true;
            } else if (Bytes.is(argv[j], "optin")) {
                optin = true;
            } else if (Bytes.is(argv[j], "optout")) {
                optout = true;
            } else if (Bytes.is(argv[j], "noloop")) {
                noloop = true;
            } else if (Bytes.is(argv[j], "prefix") && more) {
                newPrefixes.add(argv[++j]);
            } else {
                throw Errors.syntax();
            }
        }
        if (Bytes.is(argv[2], "on")) {
            if (!bcast && !newPrefixes.isEmpty()) {
                throw new CommandException("ERR PREFIX option requires BCAST mode to be enabled");
            }
            State s = c.tracking;
            if (s != null && s.bcast != bcast) {
                throw new CommandException("ERR You can't switch BCAST mode on/off before disabling tracking for "
                        + "this client, and then re-enabling it with a different mode.");
            }
            if (bcast && (optin || optout)) {
                throw new CommandException("ERR OPTIN and OPTOUT are not compatible with BCAST");
            }
            if (optin && optout) {
                throw new CommandException("ERR You can't specify both OPTIN mode and OPTOUT mode");
            }
            if (s != null && ((optin && s.optout) || (optout && s.optin))) {
                throw new CommandException("ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for "
                        + "this client, and then re-enabling it with a different mode.");
            }
            if (bcast) {
                checkPrefixCollisions(s, newPrefixes);
            }
            enable(c, redirect, bcast, optin, optout, noloop, newPrefixes);
        } else if (Bytes.is(argv[2], "off")) {
            disable(c);
        } else {
            throw Errors.syntax();
        }
    }

    private static boolean overlap(byte[] a, byte[] b) {
        int n = Math.min(a.length, b.length);
        return Arrays.equals(a, 0, n, b, 0, n);
    }

    private static void checkPrefixCollisions(State s, List<byte[]> given) {
        for (int i = 0; i < given.size(); i++) {
            byte[] p = given.get(i);
            if (s != null) {
                for (byte[] existing : s.prefixes.keySet()) {
                    if (overlap(existing, p)) {
                        throw new CommandException("ERR Prefix '" + Bytes.str(p) + "' overlaps with an existing prefix '"
                                + Bytes.str(existing) + "'. Prefixes for a single client must not overlap.");
                    }
                }
            }
            for (int j = i + 1; j < given.size(); j++) {
                if (overlap(p, given.get(j))) {
                    throw new CommandException("ERR Prefix '" + Bytes.str(p) + "' overlaps with another provided prefix '"
                            + Bytes.str(given.get(j)) + "'. Prefixes for a single client must not overlap.");
                }
            }
        }
    }

    private void enable(ClientSession c, long redirect, boolean bcast, boolean optin, boolean optout, boolean noloop,
                        List<byte[]> newPrefixes) {
        State s = c.tracking;
        if (s == null) {
            s = new State();
            c.tracking = s;
            clients++;
        }
        s.brokenRedirect = false;
        s.redirect = redirect;
        s.bcast = bcast;
        s.optin = optin;
        s.optout = optout;
        s.noloop = noloop;
        if (bcast) {
            if (newPrefixes.isEmpty()) {
                addPrefix(c, s, new byte[0]);
            }
            for (byte[] p : newPrefixes) {
                addPrefix(c, s, p);
            }
        }
    }

    private void addPrefix(ClientSession c, State s, byte[] p) {
        Prefix bs = prefixes.computeIfAbsent(p, k -> new Prefix());
        if (bs.clients.add(c)) {
            s.prefixes.put(p, Boolean.TRUE);
        }
    }

    /** CLIENT TRACKING off, RESET and disconnection: drops the BCAST registrations too. */
    void disable(ClientSession c) {
        State s = c.tracking;
        if (s == null) {
            return;
        }
        for (byte[] p : s.prefixes.keySet()) {
            Prefix bs = prefixes.get(p);
            if (bs != null) {
                bs.clients.remove(c);
                if (bs.clients.isEmpty()) {
                    prefixes.remove(p);
                }
            }
        }
        c.tracking = null;
        clients--;
    }

    /** CLIENT CACHING yes|no. */
    void caching(ClientSession c, byte[] opt) {
        State s = c.tracking;
        if (s == null) {
            throw new CommandException("ERR CLIENT CACHING can be called only when the client is in tracking mode "
                    + "with OPTIN or OPTOUT mode enabled");
        }
        if (Bytes.is(opt, "yes")) {
            if (!s.optin) {
                throw new CommandException("ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.");
            }
        } else if (Bytes.is(opt, "no")) {
            if (!s.optout) {
                throw new CommandException("ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.");
            }
        } else {
            throw Errors.syntax();
        }
        s.caching = true;
    }

    /** After each command outside MULTI: CLIENT CACHING applies to the next command only. */
    static void commandDone(ClientSession c, String command) {
        if (c.tracking != null && !c.inMulti && !command.startsWith("client|")) {
            c.tracking.caching = false;
        }
    }

    void trackingInfo(ClientSession c, Reply r) {
        State s = c.tracking;
        r.map(3);
        r.bulk(Bytes.of("flags"));
        List<String> flags = new ArrayList<>();
        flags.add(s != null ? "on" : "off");
        if (s != null) {
            if (s.bcast) {
                flags.add("bcast");
            }
            if (s.optin) {
                flags.add("optin");
                if (s.caching) {
                    flags.add("caching-yes");
                }
            }
            if (s.optout) {
                flags.add("optout");
                if (s.caching) {
                    flags.add("caching-no");
                }
            }
            if (s.noloop) {
                flags.add("noloop");
            }
            if (s.brokenRedirect) {
                flags.add("broken_redirect");
            }
        }
        r.set(flags.size());
        for (String f : flags) {
            r.bulk(Bytes.of(f));
        }
        r.bulk(Bytes.of("redirect"));
        r.integer(s != null ? s.redirect : -1);
        r.bulk(Bytes.of("prefixes"));
        if (s == null) {
            r.array(0);
            return;
        }
        r.array(s.prefixes.size());
        for (byte[] p : s.prefixes.keySet()) {
            r.bulk(p);
        }
    }

    // ---- remembering keys ----

    /** After a read-only command: the keys it read may now be cached by the client. */
    void remember(ClientSession c, io.modis.api.CommandSpec spec, byte[][] argv) {
        State s = c.tracking;
        if (s == null || s.bcast || !spec.has(CommandFlag.READONLY) || spec.has(CommandFlag.PUBSUB)) {
            return;
        }
        rememberKeys(c, spec, argv);
    }

    /** Remembers that {@code c} may cache the keys of {@code argv}, whatever the command's flags. */
    void rememberKeys(ClientSession c, io.modis.api.CommandSpec spec, byte[][] argv) {
        State s = c.tracking;
        if (s == null || s.bcast || (s.optin && !s.caching) || (s.optout && s.caching)) {
            return;
        }
        List<CommandKeys.Key> keys = CommandKeys.find(spec, argv);
        if (keys == null) {
            return;
        }
        for (CommandKeys.Key k : keys) {
            Dict.Entry<Set<Long>> e = table.addOrFind(argv[k.position()].clone());
            if (e.value == null) {
                e.value = new LinkedHashSet<>();
            }
            if (e.value.add(c.id)) {
                totalItems++;
            }
        }
    }

    // ---- invalidation ----

    /**
     * A key changed. {@code by} is the client whose command changed it (null for expiry and
     * eviction): BCAST clients in NOLOOP mode do not hear of their own changes.
     */
    void invalidate(byte[] key, ClientSession by, boolean bcast) {
        if (clients == 0 && table.size() == 0) {
            return;
        }
        if (bcast && !prefixes.isEmpty()) {
            rememberForBroadcast(key, by);
        }
        Dict.Entry<Set<Long>> e = table.remove(key);
        if (e == null) {
            return;
        }
        totalItems -= e.value.size();
        table.resizeIfNeeded();
        ClientSession current = server.currentClient();
        for (long id : e.value) {
            ClientSession target = server.clients().get(id);
            if (target == null || target.tracking == null || target.tracking.bcast) {
                continue;
            }
            if (target.tracking.noloop && target == current) {
                continue;
            }
            if (target == current && server.inCommand()) {
                // the reply of the running command comes first
                pending.add(new Pending(target, key, false));
            } else {
                send(target, List.of(key));
            }
        }
    }

    private void rememberForBroadcast(byte[] key, ClientSession by) {
        for (Map.Entry<byte[], Prefix> p : prefixes.entrySet()) {
            byte[] prefix = p.getKey();
            if (prefix.length > key.length || !Arrays.equals(prefix, 0, prefix.length, key, 0, prefix.length)) {
                continue;
            }
            p.getValue().keys.put(key.clone(), by);
            if (!broadcastScheduled) {
                broadcastScheduled = true;
                server.executor.execute(this::broadcast);
            }
        }
    }

    /** Sends each BCAST client the keys changed under its prefixes (Redis does it before sleeping). */
    void broadcast() {
        broadcastScheduled = false;
        for (Prefix bs : prefixes.values()) {
            if (bs.keys.isEmpty()) {
                continue;
            }
            for (ClientSession c : List.copyOf(bs.clients)) {
                List<byte[]> keys = new ArrayList<>(bs.keys.size());
                for (Map.Entry<byte[], ClientSession> k : bs.keys.entrySet()) {
                    if (!(c.tracking != null && c.tracking.noloop && k.getValue() == c)) {
                        keys.add(k.getKey());
                    }
                }
                if (!keys.isEmpty()) {
                    send(c, keys);
                }
            }
            bs.keys.clear();
        }
    }

    /** FLUSHDB / FLUSHALL: every tracking client drops its whole cache (a null invalidation). */
    void flushed() {
        if (clients > 0) {
            ClientSession current = server.currentClient();
            for (ClientSession c : List.copyOf(server.clients().values())) {
                if (c.tracking == null) {
                    continue;
                }
                if (c == current && server.inCommand()) {
                    pending.add(new Pending(c, null, true));
                } else {
                    send(c, null);
                }
            }
        }
        table.clear();
        totalItems = 0;
    }

    /** After a top-level command: invalidations for clients that were running follow their replies. */
    void afterCommand() {
        if (pending.isEmpty()) {
            return;
        }
        List<Pending> batch = new ArrayList<>(pending);
        pending.clear();
        for (Pending p : batch) {
            if (server.clients().get(p.target.id) == p.target) {
                send(p.target, p.flush ? null : List.of(p.key));
            }
        }
    }

    /**
     * tracking-table-max-keys: forgets keys (invalidating them) until the table is back under the
     * limit, with an effort that grows while it keeps failing.
     */
    void limitTable(long maxKeys) {
        if (maxKeys == 0 || table.size() <= maxKeys) {
            evictionTimeouts = 0;
            return;
        }
        int effort = 100 * (evictionTimeouts + 1);
        while (effort-- > 0) {
            Dict.Entry<Set<Long>> e = table.randomEntry();
            if (e == null) {
                break;
            }
            invalidate(e.key, null, false);
            if (table.size() <= maxKeys) {
                evictionTimeouts = 0;
                return;
            }
        }
        evictionTimeouts++;
    }

    /**
     * Delivers an invalidation to {@code c} or to the client it redirects to: a RESP3 push, or a
     * "message" on __redis__:invalidate for a RESP2 redirect target that is subscribed.
     */
    private void send(ClientSession c, List<byte[]> keys) {
        State s = c.tracking;
        ClientSession dest = c;
        boolean redirected = false;
        if (s != null && s.redirect != 0) {
            dest = server.clients().get(s.redirect);
            if (dest == null) {
                s.brokenRedirect = true;
                if (c.protocol > 2) {
                    long id = s.redirect;
                    c.send(r -> {
                        r.push(2);
                        r.bulk(REDIR_BROKEN);
                        r.integer(id);
                    });
                }
                return;
            }
            redirected = true;
        }
        if (dest.protocol > 2) {
            dest.send(r -> {
                r.push(2);
                r.bulk(INVALIDATE);
                writeKeys(r, keys);
            });
        } else if (redirected && dest.subscriptionCount() > 0) {
            dest.send(r -> {
                r.push(3);
                r.bulk(MESSAGE);
                r.bulk(CHANNEL);
                writeKeys(r, keys);
            });
        }
    }

    private static void writeKeys(Reply r, List<byte[]> keys) {
        if (keys == null) {
            r.nil();
            return;
        }
        r.array(keys.size());
        for (byte[] k : keys) {
            r.bulk(k);
        }
    }
}
