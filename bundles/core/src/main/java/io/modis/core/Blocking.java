package io.modis.core;

import io.modis.api.BlockedCommand;
import io.modis.api.CommandSpec;
import io.modis.api.dict.Dict;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.ScheduledFuture;

/**
 * Clients parked on keys, and the keys signalled ready since the last command. Ready keys are
 * served after each top-level command, in signalling order, clients in the order they blocked.
 */
final class Blocking {
    /** One blocked client. */
    static final class Waiter {
        final ClientSession client;
        final Db db;
        final List<byte[]> keys;
        final BlockedCommand command;
        /** The command that blocked, as the context shows it again while serving. */
        final CommandSpec spec;
        final byte[][] argv;
        ScheduledFuture<?> timeout;

        Waiter(ClientSession client, Db db, List<byte[]> keys, BlockedCommand command, CommandSpec spec,
                byte[][] argv) {
            this.client = client;
            this.db = db;
            this.keys = keys;
            this.command = command;
            this.spec = spec;
            this.argv = argv;
        }
    }

    private record Ready(Db db, byte[] key) {
    }

    private final LinkedHashSet<Object> readySet = new LinkedHashSet<>();
    private final List<Ready> ready = new ArrayList<>();
    int blockedClients;

    void block(Waiter w) {
        for (byte[] k : w.keys) {
            Dict.Entry<ArrayDeque<Waiter>> e = w.db.blocked.addOrFind(k);
            if (e.value == null) {
                e.value = new ArrayDeque<>();
            }
            e.value.add(w);
        }
        blockedClients++;
    }

    void unblock(Waiter w) {
        for (byte[] k : w.keys) {
            Dict.Entry<ArrayDeque<Waiter>> e = w.db.blocked.find(k);
            if (e != null) {
                e.value.remove(w);
                if (e.value.isEmpty()) {
                    w.db.blocked.remove(k);
                }
            }
        }
        if (w.timeout != null) {
            w.timeout.cancel(false);
        }
        blockedClients--;
    }

    void signal(Db db, byte[] key) {
        if (db.blocked.size() == 0 || db.blocked.find(key) == null) {
            return;
        }
        String id = db.id() + ":" + java.util.Base64.getEncoder().encodeToString(key);
        if (readySet.add(id)) {
            ready.add(new Ready(db, key));
        }
    }

    boolean hasReady() {
        return !ready.isEmpty();
    }

    /** Serves clients blocked on ready keys until no key is ready any more. */
    void serveReady(Server server) {
        while (!ready.isEmpty()) {
            List<Ready> batch = new ArrayList<>(ready);
            ready.clear();
            readySet.clear();
            for (Ready r : batch) {
                Dict.Entry<ArrayDeque<Waiter>> e = r.db.blocked.find(r.key);
                if (e == null) {
                    continue;
                }
                for (Waiter w : new ArrayList<>(e.value)) {
                    if (w.client.blockedOn != w) {
                        continue;
                    }
                    if (server.serveBlocked(w, r.key)) {
                        unblock(w);
                        w.client.blockedOn = null;
                        server.resumeClient(w.client);
                    }
                    if (r.db.peek(r.key) == null) {
                        break;
                    }
                }
            }
        }
    }
}
