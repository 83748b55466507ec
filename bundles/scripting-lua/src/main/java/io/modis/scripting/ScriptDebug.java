package io.modis.scripting;

import io.modis.api.Client;
import io.modis.api.CommandContext;
import io.modis.api.CommandException;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * SCRIPT DEBUG: which clients have the Lua debugger on for their next EVAL, and starting a
 * session ({@link LuaDebugger}). Redis's YES mode forks and runs the session in a child whose
 * writes are thrown away; the JVM cannot fork, so here YES runs as SYNC: the session blocks the
 * server as SYNC does and the script's writes stay.
 */
final class ScriptDebug {
    /** Clients with the debugger on (weak: a client gone needs no clean-up). */
    private final Map<Client, Boolean> enabled = new WeakHashMap<>();

    /** SCRIPT DEBUG YES|SYNC|NO. */
    void scriptDebug(CommandContext ctx) {
        String mode = ctx.argLower(2);
        switch (mode) {
            case "no" -> {
                enabled.remove(ctx.client());
                ctx.reply().ok();
            }
            case "yes", "sync" -> {
                if (!ctx.scriptDebugAvailable()) {
                    throw new CommandException("ERR The Lua debugger needs io-threads 1 on this server");
                }
                enabled.put(ctx.client(), Boolean.TRUE);
                ctx.reply().ok();
            }
            default -> throw new CommandException("ERR Use SCRIPT DEBUG YES/SYNC/NO");
        }
    }

    boolean enabled(Client c) {
        return !enabled.isEmpty() && enabled.containsKey(c);
    }

    /**
     * Starts a session for an EVAL of a client with the debugger on: it ends (and the client
     * with it) when the EVAL replies, whatever happened.
     */
    LuaDebugger start(CommandContext ctx, LuaEngine engine, long timeLimitMillis) {
        enabled.remove(ctx.client());
        ctx.log().warning("Redis synchronous debugging eval session started");
        return new LuaDebugger(ctx, engine, ctx.arg(1), timeLimitMillis);
    }
}
