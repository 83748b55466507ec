package io.modis.scripting;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * The {@code bit} library Redis bundles (LuaBitOp): 32-bit operations whose results are
 * signed 32-bit numbers; arguments are reduced modulo 2^32.
 */
final class LuaBit {
    private LuaBit() {
    }

    private interface Op {
        Varargs apply(Varargs args);
    }

    static int tobit(LuaValue v, int arg) {
        if (v.type() != LuaValue.TNUMBER && !(v.isstring() && v.tonumber().isnumber())) {
            throw new LuaError("bad argument #" + arg + " to '?' (number expected, got " + v.typename() + ")");
        }
        double d = v.todouble();
        // the same reduction LuaBitOp does: add 2^52+2^51 and keep the low 32 bits
        return (int) Double.doubleToRawLongBits(d + 6755399441055744.0);
    }

    private static LuaValue num(int v) {
        return LuaValue.valueOf(v);
    }

    private static void fn(LuaTable t, String name, Op op) {
        t.rawset(name, new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                return op.apply(args);
            }
        });
    }

    static LuaTable library() {
        LuaTable t = new LuaTable();
        fn(t, "tobit", a -> num(tobit(a.arg(1), 1)));
        fn(t, "bnot", a -> num(~tobit(a.arg(1), 1)));
        fn(t, "band", a -> {
            int r = tobit(a.arg(1), 1);
            for (int i = 2; i <= a.narg(); i++) {
                r &= tobit(a.arg(i), i);
            }
            return num(r);
        });
        fn(t, "bor", a -> {
            int r = tobit(a.arg(1), 1);
            for (int i = 2; i <= a.narg(); i++) {
                r |= tobit(a.arg(i), i);
            }
            return num(r);
        });
        fn(t, "bxor", a -> {
            int r = tobit(a.arg(1), 1);
            for (int i = 2; i <= a.narg(); i++) {
                r ^= tobit(a.arg(i), i);
            }
            return num(r);
        });
        fn(t, "lshift", a -> num(tobit(a.arg(1), 1) << (tobit(a.arg(2), 2) & 31)));
        fn(t, "rshift", a -> num(tobit(a.arg(1), 1) >>> (tobit(a.arg(2), 2) & 31)));
        fn(t, "arshift", a -> num(tobit(a.arg(1), 1) >> (tobit(a.arg(2), 2) & 31)));
        fn(t, "rol", a -> num(Integer.rotateLeft(tobit(a.arg(1), 1), tobit(a.arg(2), 2) & 31)));
        fn(t, "ror", a -> num(Integer.rotateRight(tobit(a.arg(1), 1), tobit(a.arg(2), 2) & 31)));
        fn(t, "bswap", a -> num(Integer.reverseBytes(tobit(a.arg(1), 1))));
        fn(t, "tohex", a -> {
            int b = tobit(a.arg(1), 1);
            int n = a.narg() >= 2 && !a.arg(2).isnil() ? tobit(a.arg(2), 2) : 8;
            boolean upper = n < 0;
            if (n < 0) {
                n = -n;
            }
            if (n > 8) {
                n = 8;
            }
            String hex = String.format("%08x", b);
            hex = hex.substring(8 - n);
            return LuaValue.valueOf(upper ? hex.toUpperCase(java.util.Locale.ROOT) : hex);
        });
        return t;
    }
}
