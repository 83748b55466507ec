package io.modis.rdb;

import io.modis.api.Bytes;
import io.modis.api.CommandContext;
import io.modis.api.CommandException;
import io.modis.api.Database;
import io.modis.api.Errors;
import io.modis.api.InfoFields;
import io.modis.api.InfoSection;
import io.modis.api.KeyFinder;
import io.modis.api.Value;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * MIGRATE host port key|"" destination-db timeout [COPY] [REPLACE] [AUTH password]
 * [AUTH2 username password] [KEYS key ...]: sends each key as a RESTORE with its DUMP payload
 * and remaining TTL, and deletes the keys the target acknowledged (unless COPY), propagating a
 * DEL of exactly those. As in Redis, the command blocks the server while it talks to the target
 * (Redis documents MIGRATE as blocking both instances; the timeout bounds each step), which
 * keeps it atomic. Connections are cached per host:port for 10 seconds of idleness, with the
 * database last selected on them (INFO stats: migrate_cached_sockets).
 */
final class MigrateCommand implements InfoFields {
    private static final long CACHE_TTL_MILLIS = 10_000;
    private static final int CACHE_MAX = 64;

    /** A cached connection to a target. */
    private static final class Target {
        final Socket socket;
        final OutputStream out;
        final InputStream in;
        long lastDb = -1;
        long lastUse;

        Target(Socket socket) throws IOException {
            this.socket = socket;
            this.out = socket.getOutputStream();
            this.in = new BufferedInputStream(socket.getInputStream());
        }

        void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing a broken connection
            }
        }
    }

    private final DumpCommands dump;
    /** Engine thread only. */
    private final Map<String, Target> cache = new LinkedHashMap<>();

    MigrateCommand(DumpCommands dump) {
        this.dump = dump;
    }

    /** Redis's migrateGetKeys: the key argument, or the keys after KEYS when it is empty. */
    static final KeyFinder KEYS = argv -> {
        if (argv.length < 6) {
            return null;
        }
        List<KeyFinder.Key> keys = new ArrayList<>();
        if (argv[3].length == 0) {
            for (int i = 6; i < argv.length; i++) {
                // a password is no key, even one spelled KEYS (as Redis's migrateGetKeys skips it)
                if (Bytes.is(argv[i], "auth")) {
                    i++;
                } else if (Bytes.is(argv[i], "auth2")) {
                    i += 2;
                } else if (Bytes.is(argv[i], "keys")) {
                    for (int k = i + 1; k < argv.length; k++) {
                        keys.add(new KeyFinder.Key(k, 1));
                    }
                    break;
                }
            }
        } else {
            keys.add(new KeyFinder.Key(3, 0));
        }
        return keys;
    };

    /** Closes connections idle for more than 10 seconds (engine thread, once a second). */
    void closeIdle() {
        long now = System.currentTimeMillis();
        for (Iterator<Target> it = cache.values().iterator(); it.hasNext(); ) {
            Target t = it.next();
            if (now - t.lastUse > CACHE_TTL_MILLIS) {
                t.close();
                it.remove();
            }
        }
    }

    void closeAll() {
        cache.values().forEach(Target::close);
        cache.clear();
    }

    @Override
    public String section() {
        return "stats";
    }

    @Override
    public void write(InfoSection.InfoWriter out) {
        out.field("migrate_cached_sockets", cache.size());
    }

    void migrate(CommandContext ctx) {
        boolean copy = false;
        boolean replace = false;
        byte[] user = null;
        byte[] password = null;
        int firstKey = 3;
        int numKeys = 1;
        for (int j = 6; j < ctx.argc(); j++) {
            int more = ctx.argc() - 1 - j;
            String opt = ctx.argLower(j);
            switch (opt) {
                case "copy" -> copy = true;
                case "replace" -> replace = true;
                case "auth" -> {
                    if (more < 1) {
                        throw Errors.syntax();
                    }
                    password = ctx.arg(++j);
                }
                case "auth2" -> {
                    if (more < 2) {
                        throw Errors.syntax();
                    }
                    user = ctx.arg(++j);
                    password = ctx.arg(++j);
                }
                case "keys" -> {
                    if (ctx.arg(3).length != 0) {
                        throw new CommandException("ERR When using MIGRATE KEYS option, the key argument must be set to "
                                + "the empty string");
                    }
                    firstKey = j + 1;
                    numKeys = ctx.argc() - j - 1;
                    j = ctx.argc();
                }
                default -> throw Errors.syntax();
            }
        }
        long timeout = ctx.argLong(5);
        long dbid = ctx.argLong(4);
        if (timeout <= 0) {
            timeout = 1000;
        }
        Database db = ctx.db();
        List<byte[]> keys = new ArrayList<>();
        List<Value> values = new ArrayList<>();
        for (int i = firstKey; i < firstKey + numKeys; i++) {
            Value v = db.get(ctx.arg(i));
            if (v != null) {
                keys.add(ctx.arg(i));
                values.add(v);
            }
        }
        if (keys.isEmpty()) {
            ctx.propagateNothing();
            ctx.reply().simple("NOKEY");
            return;
        }
        String host = Bytes.str(ctx.arg(1));
        String port = Bytes.str(ctx.arg(2));
        boolean mayRetry = true;
        while (true) {
            Target t = connect(host, port, (int) timeout);
            Attempt a = new Attempt();
            try {
                a.run(ctx, t, keys, values, dbid, user, password, replace, (int) timeout);
            } catch (IOException e) {
                a.socketError = true;
                a.timedOut = e instanceof SocketTimeoutException;
            }
            if (!a.targetError && a.socketError && a.firstRead && mayRetry && !a.timedOut) {
                // nothing was processed: a stale cached connection, try once more on a new one
                closeSocket(host, port);
                mayRetry = false;
                continue;
            }
            if (a.socketError) {
                closeSocket(host, port);
            }
            if (!copy) {
                deleteAcked(ctx, db, a.acked);
            } else {
                ctx.propagateNothing();
            }
            if (a.targetError) {
                throw new CommandException("ERR Target instance replied with error: " + a.error);
            }
            if (a.socketError) {
                throw new CommandException("IOERR error or timeout " + (a.writeError ? "writing" : "reading")
                        + " to target instance");
            }
            t.lastDb = dbid;
            ctx.reply().ok();
            return;
        }
    }

    private static void deleteAcked(CommandContext ctx, Database db, List<byte[]> acked) {
        if (acked.isEmpty()) {
            ctx.propagateNothing();
            return;
        }
        byte[][] del = new byte[acked.size() + 1][];
        del[0] = Bytes.of("DEL");
        for (int i = 0; i < acked.size(); i++) {
            byte[] key = acked.get(i);
            db.delete(key);
            ctx.touched(db, key);
            ctx.notify('g', "del", key, db);
            ctx.dirty(1);
            del[i + 1] = key;
        }
        ctx.propagate(del);
    }

    /** One exchange with the target; what it learnt. */
    private final class Attempt {
        final List<byte[]> acked = new ArrayList<>();
        boolean socketError;
        boolean writeError;
        boolean timedOut;
        boolean targetError;
        /** True while the first reply was not read yet (a retry cannot have done anything). */
        boolean firstRead = true;
        String error;

        void run(CommandContext ctx, Target t, List<byte[]> keys, List<Value> values, long dbid, byte[] user,
                 byte[] password, boolean replace, int timeout) throws IOException {
            ByteArrayOutputStream cmd = new ByteArrayOutputStream();
            if (password != null) {
                if (user != null) {
                    resp(cmd, Bytes.of("AUTH"), user, password);
                } else {
                    resp(cmd, Bytes.of("AUTH"), password);
                }
            }
            boolean select = t.lastDb != dbid;
            if (select) {
                resp(cmd, Bytes.of("SELECT"), Bytes.fromLong(dbid));
            }
            Database db = ctx.db();
            List<byte[]> sent = new ArrayList<>();
            for (int i = 0; i < keys.size(); i++) {
                byte[] key = keys.get(i);
                long ttl = 0;
                long expireAt = db.expireAt(key);
                if (expireAt >= 0) {
                    ttl = expireAt - ctx.now();
                    if (ttl < 0) {
                        continue;
                    }
                    ttl = Math.max(ttl, 1);
                }
                byte[] payload = dump.payload(values.get(i));
                if (replace) {
                    resp(cmd, Bytes.of("RESTORE"), key, Bytes.fromLong(ttl), payload, Bytes.of("REPLACE"));
                } else {
                    resp(cmd, Bytes.of("RESTORE"), key, Bytes.fromLong(ttl), payload);
                }
                sent.add(key);
            }
            t.socket.setSoTimeout(timeout);
            try {
                t.out.write(cmd.toByteArray());
                t.out.flush();
            } catch (IOException e) {
                writeError = true;
                throw e;
            }
            String authReply = password != null ? readLine(t) : null;
            String selectReply = select ? readLine(t) : null;
            for (byte[] key : sent) {
                String reply = readLine(t);
                boolean failed = (authReply != null && authReply.startsWith("-"))
                        || (selectReply != null && selectReply.startsWith("-")) || reply.startsWith("-");
                if (failed) {
                    if (!targetError) {
                        t.lastDb = -1;
                        targetError = true;
                        String err = authReply != null && authReply.startsWith("-") ? authReply
                                : selectReply != null && selectReply.startsWith("-") ? selectReply : reply;
                        error = err.substring(1);
                    }
                } else {
                    acked.add(key);
                }
            }
        }

        private String readLine(Target t) throws IOException {
            StringBuilder line = new StringBuilder();
            while (true) {
                int b = t.in.read();
                if (b < 0) {
                    throw new IOException("connection closed");
                }
                firstRead = false;
                if (b == '\n') {
                    int n = line.length();
                    return n > 0 && line.charAt(n - 1) == '\r' ? line.substring(0, n - 1) : line.toString();
                }
                line.append((char) b);
            }
        }
    }

    private static void resp(ByteArrayOutputStream out, byte[]... argv) {
        out.writeBytes(("*" + argv.length + "\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        for (byte[] a : argv) {
            out.writeBytes(("$" + a.length + "\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            out.writeBytes(a);
            out.writeBytes(new byte[] {'\r', '\n'});
        }
    }

    private Target connect(String host, String port, int timeout) {
        String name = host + ":" + port;
        Target t = cache.get(name);
        if (t != null) {
            t.lastUse = System.currentTimeMillis();
            return t;
        }
        if (cache.size() >= CACHE_MAX) {
            Iterator<Target> oldest = cache.values().iterator();
            oldest.next().close();
            oldest.remove();
        }
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress(host, Integer.parseInt(port)), timeout);
            t = new Target(s);
        } catch (IOException | RuntimeException e) {
            try {
                s.close();
            } catch (IOException ignored) {
                // never connected
            }
            throw new CommandException("IOERR error or timeout connecting to the client");
        }
        t.lastUse = System.currentTimeMillis();
        cache.put(name, t);
        return t;
    }

    private void closeSocket(String host, String port) {
        Target t = cache.remove(host + ":" + port);
        if (t != null) {
            t.close();
        }
    }
}
