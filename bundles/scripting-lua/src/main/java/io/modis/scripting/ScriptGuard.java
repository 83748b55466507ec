package io.modis.scripting;

import org.luaj.vm2.LuaClosure;
import org.luaj.vm2.LuaFunction;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.DebugLib;

/**
 * The interpreter's instruction hook (LuaJ calls its debug library on every instruction): it
 * counts instructions and, every {@link #PERIOD} of them, lets the engine look at the running
 * script (time limit, SCRIPT KILL). It keeps no call stack, so it costs one counter decrement
 * per instruction. Not registered as the script-visible {@code debug} table.
 */
final class ScriptGuard extends DebugLib {
    static final int PERIOD = 100_000;

    private final Runnable checkpoint;
    private int budget = PERIOD;

    ScriptGuard(Runnable checkpoint) {
        this.checkpoint = checkpoint;
    }

    void reset() {
        budget = PERIOD;
    }

    @Override
    public void onInstruction(int pc, Varargs v, int top) {
        if (--budget <= 0) {
            budget = PERIOD;
            checkpoint.run();
        }
    }

    @Override
    public void onCall(LuaFunction f) {
    }

    @Override
    public void onCall(LuaClosure c, Varargs varargs, LuaValue[] stack) {
    }

    @Override
    public void onReturn() {
    }

    /** No traceback: LuaJ appends this to error messages, and {@link ScriptErrors} removes it. */
    @Override
    public String traceback(int level) {
        return ScriptErrors.NO_TRACEBACK;
    }
}
