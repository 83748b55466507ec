package io.modis.scripting;

import java.util.Arrays;
import org.luaj.vm2.LuaClosure;
import org.luaj.vm2.LuaFunction;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Prototype;
import org.luaj.vm2.Varargs;

/**
 * The instruction hook of a script being debugged (SCRIPT DEBUG), installed for that one run in
 * place of the sandbox's {@link ScriptGuard}: the same frame bookkeeping, plus what Lua's line
 * hook gives Redis's debugger. A line event is the first instruction of a call, a jump back, or
 * an instruction on another line than the previous one of the same call (Lua 5.1's rule); every
 * {@link #PERIOD} instructions a count event lets the debugger check the time. It also keeps
 * each Lua call's registers, so that the debugger can print local variables.
 */
final class DebugGuard extends ScriptGuard {
    private final LuaDebugger debugger;
    /** The registers of each call (null for a Java function), as {@link #frames}. */
    private LuaValue[][] stacks = new LuaValue[16][];
    /** The last instruction run by each call, -1 before its first. */
    private int[] lastPc = new int[16];
    private int countdown = PERIOD;

    DebugGuard(LuaDebugger debugger) {
        super(() -> { });
        this.debugger = debugger;
    }

    @Override
    public void onCall(LuaFunction f) {
        super.onCall(f);
        track(null);
    }

    @Override
    public void onCall(LuaClosure c, Varargs varargs, LuaValue[] stack) {
        super.onCall(c, varargs, stack);
        track(stack);
    }

    private void track(LuaValue[] stack) {
        int d = depth - 1;
        if (d >= stacks.length) {
            stacks = Arrays.copyOf(stacks, frames.length);
            lastPc = Arrays.copyOf(lastPc, frames.length);
        }
        stacks[d] = stack;
        lastPc[d] = -1;
    }

    @Override
    public void onReturn() {
        if (depth > 0) {
            stacks[depth - 1] = null;
        }
        super.onReturn();
    }

    @Override
    public void onInstruction(int pc, Varargs v, int top) {
        this.pc = pc;
        boolean count = --countdown <= 0;
        if (count) {
            countdown = PERIOD;
        }
        if (depth == 0 || !(frames[depth - 1] instanceof LuaClosure c) || !LuaDebugger.isScript(c.p)) {
            return;
        }
        int d = depth - 1;
        int last = lastPc[d];
        lastPc[d] = pc;
        int line = line(c.p, pc);
        boolean lineEvent = last < 0 || pc <= last || line != line(c.p, last);
        if (lineEvent || count) {
            debugger.hook(line, lineEvent, count);
            this.pc = pc; // the debugger's eval and redis commands ran other code
        }
    }

    static int line(Prototype p, int pc) {
        return p.lineinfo != null && pc >= 0 && pc < p.lineinfo.length ? p.lineinfo[pc] : 0;
    }

    // ---------------------------------------------------------------- what the debugger reads

    /** Calls on the stack, innermost last. */
    int depth() {
        return depth;
    }

    /** The Lua function of call {@code d} (0 = outermost), or null for a Java function. */
    LuaClosure closure(int d) {
        return frames[d] instanceof LuaClosure c ? c : null;
    }

    /** The registers of call {@code d}. */
    LuaValue[] stack(int d) {
        return stacks[d];
    }

    /** The instruction call {@code d} runs now (the innermost) or called from. */
    int pcOf(int d) {
        return lastPc[d];
    }
}
