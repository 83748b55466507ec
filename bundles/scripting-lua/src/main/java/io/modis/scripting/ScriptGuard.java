package io.modis.scripting;

import java.lang.reflect.Field;
import java.util.Arrays;
import org.luaj.vm2.Lua;
import org.luaj.vm2.LuaClosure;
import org.luaj.vm2.LuaFunction;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Prototype;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.DebugLib;

/**
 * The interpreter's instruction hook (LuaJ calls its debug library on every instruction): it
 * counts instructions and, every {@link #PERIOD} of them, lets the engine look at the running
 * script (time limit, SCRIPT KILL). It also keeps the functions being called and the last
 * instruction run, so that an error can name what it failed on as Lua 5.1 does ("attempt to
 * call field 'f' (a nil value)"); that costs a counter, a field and an array slot per call.
 * Not registered as the script-visible {@code debug} table. A Lua debugger session swaps in a
 * {@link DebugGuard} for the script it debugs, so that this hook stays as cheap as it is.
 */
class ScriptGuard extends DebugLib {
    static final int PERIOD = 100_000;

    private final Runnable checkpoint;
    private int budget = PERIOD;
    /** The functions being called, innermost last (coroutines may leave it approximate). */
    LuaFunction[] frames = new LuaFunction[16];
    int depth;
    /** The instruction the innermost Lua function runs now. */
    int pc;

    ScriptGuard(Runnable checkpoint) {
        this.checkpoint = checkpoint;
    }

    void reset() {
        budget = PERIOD;
        Arrays.fill(frames, 0, depth, null);
        depth = 0;
    }

    @Override
    public void onInstruction(int pc, Varargs v, int top) {
        this.pc = pc;
        if (--budget <= 0) {
            budget = PERIOD;
            checkpoint.run();
        }
    }

    @Override
    public void onCall(LuaFunction f) {
        push(f);
    }

    @Override
    public void onCall(LuaClosure c, Varargs varargs, LuaValue[] stack) {
        push(c);
    }

    private void push(LuaFunction f) {
        if (depth == frames.length) {
            frames = Arrays.copyOf(frames, depth * 2);
        }
        frames[depth++] = f;
    }

    @Override
    public void onReturn() {
        if (depth > 0) {
            frames[--depth] = null;
        }
    }

    /**
     * No traceback: LuaJ appends this to error messages, and {@link ScriptErrors} removes it. It
     * carries, after a tab, what the failing instruction called or indexed, when Lua can name it
     * ("call field 'f'", "index local 't'").
     */
    @Override
    public String traceback(int level) {
        String operand = depth > 0 && frames[depth - 1] instanceof LuaClosure c ? operand(c.p, pc) : null;
        return operand == null ? ScriptErrors.NO_TRACEBACK : ScriptErrors.NO_TRACEBACK + "\t" + operand;
    }

    /** What instruction {@code pc} of {@code p} calls or indexes, as "call global 'f'", or null. */
    static String operand(Prototype p, int pc) {
        if (pc < 0 || pc >= p.code.length) {
            return null;
        }
        int i = p.code[pc];
        return switch (Lua.GET_OPCODE(i)) {
            case Lua.OP_CALL -> named("call", p, pc, Lua.GETARG_A(i));
            case Lua.OP_GETTABLE, Lua.OP_SELF -> named("index", p, pc, Lua.GETARG_B(i));
            case Lua.OP_SETTABLE -> named("index", p, pc, Lua.GETARG_A(i));
            default -> null;
        };
    }

    private static String named(String action, Prototype p, int pc, int register) {
        String[] name = objname(p, pc, register);
        return name == null ? null : action + " " + name[0] + " '" + name[1] + "'";
    }

    /** What register {@code register} holds at {@code pc}, as {kind, name} ("global", "f"), or null. */
    static String[] objname(Prototype p, int pc, int register) {
        Object name = DebugLib.getobjname(p, pc, register);
        if (name == null) {
            return null;
        }
        try {
            // LuaJ's NameWhat keeps its fields package-private
            Field what = name.getClass().getDeclaredField("namewhat");
            Field text = name.getClass().getDeclaredField("name");
            what.setAccessible(true);
            text.setAccessible(true);
            return new String[] {String.valueOf(what.get(name)), String.valueOf(text.get(name))};
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
