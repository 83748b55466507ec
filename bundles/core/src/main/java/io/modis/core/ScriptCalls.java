package io.modis.core;

import io.modis.api.CommandSpec;
import io.modis.api.Reply;

/**
 * The core's side of scripting (EVAL, FCALL): a script's commands run through
 * {@link Server#call} as the calling client, with {@link ClientSession#inScript} set, and the
 * script's effects are propagated as one MULTI/EXEC unit. The script engine (the scripting
 * bundle) makes Redis's script checks before calling; this class adds what only the core knows.
 */
final class ScriptCalls {
    private ScriptCalls() {
    }

    static CommandSpec lookup(Server server, byte[][] argv) {
        CommandTable.Entry e = entry(server, argv);
        return e == null ? null : e.command.spec();
    }

    private static CommandTable.Entry entry(Server server, byte[][] argv) {
        if (argv.length == 0) {
            return null;
        }
        CommandTable table = server.commands;
        CommandTable.Entry e = table.memo(argv);
        if (e != null) {
            return e;
        }
        e = table.lookup(argv[0]);
        if (e != null && e.isContainer()) {
            // a container called without subcommand runs itself (it answers the arity error)
            e = argv.length > 1 ? e.subcommand(argv[1]) : e;
        }
        table.remember(argv, e);
        return e;
    }

    static void call(Server server, ClientSession c, byte[][] argv, Reply reply) {
        CommandTable.Entry e = entry(server, argv);
        if (e == null) {
            reply.error("ERR Unknown Redis command called from script");
            return;
        }
        // the dispatcher's one ACL check, for the script's user (c is in script mode here)
        io.modis.api.AccessControl.Denial denied = server.checkAccess(c, e.command.spec(), argv);
        if (denied != null) {
            e.rejectedCalls++;
            reply.error("ERR " + denied.scriptError());
            server.stats.error(reply.lastError());
            return;
        }
        // the script's reply is not the client's: its errors are counted here, and are not the
        // errors of a child the way EXEC's are (the script's own error reply is its failed call)
        long errorsBefore = reply.errors();
        long childErrors = server.childErrors;
        server.call(c, e, argv, reply);
        server.childErrors = childErrors;
        for (long n = reply.errors() - errorsBefore; n > 0; n--) {
            server.stats.error(reply.lastError());
        }
    }

    /** A script engine refused {@code argv}: counted as a client's refused command is. */
    static void rejected(Server server, byte[][] argv, String error) {
        CommandTable.Entry e = entry(server, argv);
        if (e != null) {
            e.rejectedCalls++;
        }
        server.stats.error(error);
    }

    /** Redis's pre-command OOM state, for the clients that obey maxmemory (not the AOF loader). */
    static boolean outOfMemory(Server server, ClientSession c) {
        return server.ops.maxmemory > 0 && server.preCommandOom && !c.loader;
    }

    /** redis.acl_check_cmd: the client's user may run {@code argv}. */
    static boolean permits(Server server, ClientSession c, byte[][] argv) {
        CommandTable.Entry e = entry(server, argv);
        io.modis.api.AccessControl ac = server.accessControl;
        return e != null && (ac == null || c.loader || ac.permits(c, e.command.spec(), argv));
    }

    static void run(Server server, ClientSession c, Runnable body) {
        boolean outer = c.inScript;
        Db db = c.db;
        int mark = server.effectsMark();
        server.scriptRuns++;
        c.inScript = true;
        try {
            body.run();
        } finally {
            c.inScript = outer;
            c.db = db;
            if (!outer && !c.executingExec) {
                server.wrapEffects(mark);
            }
        }
    }

    // ---- busy scripts ----

    static final String BUSY_EVAL = "BUSY Redis is busy running a script. You can only call SCRIPT KILL or "
            + "SHUTDOWN NOSAVE.";
    static final String BUSY_FUNCTION = "BUSY Redis is busy running a script. You can only call FUNCTION KILL or "
            + "SHUTDOWN NOSAVE.";

    /**
     * A script runs past busy-reply-threshold on the engine thread, which is also the event loop
     * of every connection (io-threads 1): the engine loop's I/O is processed reentrantly, without
     * blocking, so that other clients are answered (see executeWhileBusy).
     */
    static boolean busy(Server server, ClientSession c, boolean eval) {
        if (server.shutdownRequested) {
            return true;
        }
        ClientSession outer = server.busyScript;
        boolean outerEval = server.busyScriptIsEval;
        server.busyScript = c;
        server.busyScriptIsEval = eval;
        try {
            server.ioPump.run();
        } finally {
            server.busyScript = outer;
            server.busyScriptIsEval = outerEval;
        }
        return server.shutdownRequested;
    }

    /**
     * A command that arrived while a script is busy: refused with -BUSY unless flagged
     * allow_busy; allowed ones run without the steps that would disturb the running script
     * (propagation flush, serving blocked clients). The script's own client queues its input.
     */
    static boolean executeWhileBusy(Server server, ClientSession c, byte[][] argv) {
        Reply reply = c.conn.reply();
        CommandTable.Entry e = entry(server, argv);
        if (e == null || !e.command.spec().has(io.modis.api.CommandFlag.ALLOW_BUSY) || c == server.busyScript) {
            if (e != null) {
                e.rejectedCalls++;
            }
            String busy = server.busyScriptIsEval ? BUSY_EVAL : BUSY_FUNCTION;
            if (c.inMulti && e != null && e.command.spec().name().equals("exec")) {
                // EXEC refused: the transaction is discarded, with the reason
                server.discard(c);
                reply.error("EXECABORT Transaction discarded because of: " + busy);
            } else {
                if (c.inMulti) {
                    c.multiError = true;
                }
                reply.error(busy);
            }
            server.stats.error(reply.lastError());
            return true;
        }
        ClientSession busy = server.busyScript;
        server.busyScript = null;
        try {
            server.call(c, e, argv, reply);
        } finally {
            server.busyScript = busy;
        }
        return !c.closing;
    }

    /**
     * The Lua debugger waits for its client's next command (SCRIPT DEBUG): the engine loop's I/O
     * is processed, waiting for it, with the debugging client's commands held for the debugger
     * (its connection is inside the EVAL, so it queues them) and the other clients' commands held
     * until the script has ended, as Redis's synchronous session makes them wait. Null when the
     * client is gone or the server must stop.
     */
    static byte[][] debugReceive(Server server, ClientSession c) {
        ClientSession outer = server.debugging;
        server.debugging = c;
        try {
            while (true) {
                if (c.conn.closed() || c.closing || server.shutdownRequested || server.signalPending) {
                    return null;
                }
                byte[][] argv = c.conn.takeCommand();
                if (argv != null) {
                    return argv;
                }
                server.ioWait.accept(DEBUG_WAIT_NANOS);
            }
        } finally {
            server.debugging = outer;
        }
    }

    /** How long one wait for a debugger's command blocks before the stop conditions are checked again. */
    private static final long DEBUG_WAIT_NANOS = 100_000_000L;

    /**
     * The engine loop's I/O handler factory, wrapped to keep the handler it creates, so that a
     * busy script can have the loop's ready I/O processed without waiting ({@link #run}).
     */
    static final class EngineIo implements io.netty.channel.IoHandlerFactory, Runnable {
        private static final io.netty.channel.IoHandlerContext NON_BLOCKING = new io.netty.channel.IoHandlerContext() {
            @Override
            public boolean canBlock() {
                return false;
            }

            @Override
            public long delayNanos(long currentTimeNanos) {
                return 0;
            }

            @Override
            public long deadlineNanos() {
                return -1;
            }
        };

        private final io.netty.channel.IoHandlerFactory base;
        private volatile io.netty.channel.IoHandler handler;

        EngineIo(io.netty.channel.IoHandlerFactory base) {
            this.base = base;
        }

        @Override
        public io.netty.channel.IoHandler newHandler(io.netty.util.concurrent.ThreadAwareExecutor executor) {
            io.netty.channel.IoHandler h = base.newHandler(executor);
            handler = h;
            return h;
        }

        @Override
        public boolean isChangingThreadSupported() {
            return base.isChangingThreadSupported();
        }

        /**
         * Processes the engine loop's I/O, waiting up to {@code nanos} for some (engine thread
         * only; a task submitted to the loop wakes the wait up, but does not run).
         */
        void runWaiting(long nanos) {
            io.netty.channel.IoHandler h = handler;
            if (h == null) {
                return;
            }
            long deadline = System.nanoTime() + nanos;
            h.run(new io.netty.channel.IoHandlerContext() {
                @Override
                public boolean canBlock() {
                    return true;
                }

                @Override
                public long delayNanos(long currentTimeNanos) {
                    return Math.max(0, deadline - currentTimeNanos);
                }

                @Override
                public long deadlineNanos() {
                    return deadline;
                }
            });
        }

        /** Processes whatever I/O is ready on the engine loop now (engine thread only). */
        @Override
        public void run() {
            io.netty.channel.IoHandler h = handler;
            if (h != null) {
                h.run(NON_BLOCKING);
            }
        }
    }
}
