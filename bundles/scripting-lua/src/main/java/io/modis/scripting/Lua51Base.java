package io.modis.scripting;

import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.OneArgFunction;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * The base functions whose results scripts see differently under LuaJ than under Lua 5.1, put
 * over LuaJ's: pcall, xpcall, coroutine.resume and coroutine.wrap give error messages in 5.1's
 * form ({@link ScriptErrors}), tostring writes numbers as 5.1 does ({@code "%.14g"}). Each
 * calls LuaJ's own function and only rewrites what it returns.
 */
final class Lua51Base {
    private Lua51Base() {
    }

    /** Replaces the functions in {@code globals} (before the sandbox makes it read-only). */
    static void install(Globals globals) {
        LuaValue pcall = globals.get("pcall");
        globals.rawset("pcall", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                return failed(pcall.invoke(args));
            }
        });
        LuaValue xpcall = globals.get("xpcall");
        globals.rawset("xpcall", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                if (args.narg() < 2) {
                    return xpcall.invoke(args); // LuaJ's argument error
                }
                LuaValue handler = args.arg(2);
                LuaValue normalizing = new OneArgFunction() {
                    @Override
                    public LuaValue call(LuaValue m) {
                        return handler.call(m.type() == LuaValue.TSTRING
                                ? LuaValue.valueOf(ScriptErrors.positioned(m.tojstring())) : m);
                    }
                };
                return xpcall.invoke(LuaValue.varargsOf(args.arg1(), normalizing, args.subargs(3)));
            }
        });
        LuaValue tostring = globals.get("tostring");
        globals.rawset("tostring", new OneArgFunction() {
            @Override
            public LuaValue call(LuaValue v) {
                return v.type() == LuaValue.TNUMBER ? LuaValue.valueOf(Lua51Base.tostring(v.todouble())) : tostring.call(v);
            }
        });
        ((LuaTable) globals.get("table")).rawset("concat", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                return tableConcat(args);
            }
        });
        LuaTable coroutine = (LuaTable) globals.get("coroutine");
        LuaValue resume = coroutine.get("resume");
        LuaValue create = coroutine.get("create");
        VarArgFunction resume51 = new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                return failed(resume.invoke(args));
            }
        };
        coroutine.rawset("resume", resume51);
        coroutine.rawset("wrap", new OneArgFunction() {
            @Override
            public LuaValue call(LuaValue f) {
                LuaValue thread = create.call(f);
                return new VarArgFunction() {
                    @Override
                    public Varargs invoke(Varargs args) {
                        Varargs r = resume51.invoke(LuaValue.varargsOf(thread, args));
                        if (r.arg1().toboolean()) {
                            return r.subargs(2);
                        }
                        // raised again as it is: 5.1 adds no position here (the caller is not Lua code)
                        throw new LuaError(r.arg(2));
                    }
                };
            }
        });
    }

    /** table.concat(t [, sep [, i [, j]]]) as Lua 5.1's: numbers joined in their 5.1 text. */
    static LuaValue tableConcat(Varargs args) {
        LuaValue t = args.arg1();
        if (!t.istable()) {
            throw new LuaError("bad argument #1 to 'concat' (table expected, got "
                    + (args.narg() == 0 ? "no value" : t.typename()) + ")");
        }
        byte[] sep = args.arg(2).isnil() ? new byte[0] : LuaEngine.bytes(args.checkstring(2));
        int from = args.arg(3).isnil() ? 1 : args.checkint(3);
        int to = args.arg(4).isnil() ? t.rawlen() : args.checkint(4);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (long k = from; k <= to; k++) {
            LuaValue v = t.rawget((int) k);
            if (v.type() != LuaValue.TSTRING && v.type() != LuaValue.TNUMBER) {
                throw new LuaError("invalid value (at index " + k + ") in table for 'concat'");
            }
            out.writeBytes(LuaEngine.bytes(v));
            if (k < to) {
                out.writeBytes(sep);
            }
        }
        return LuaValue.valueOf(out.toByteArray());
    }

    /** A (false, message) result with the message in 5.1's form; other results unchanged. */
    private static Varargs failed(Varargs r) {
        if (r.arg1().toboolean()) {
            return r;
        }
        return LuaValue.varargsOf(LuaValue.FALSE, ScriptErrors.normalize(r.arg(2)));
    }

    /** A number as Lua 5.1 writes it: C's "%.14g". */
    static String tostring(double d) {
        if (Double.isNaN(d)) {
            return Double.doubleToRawLongBits(d) < 0 ? "-nan" : "nan"; // as glibc prints the sign bit
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (d == Math.rint(d) && Math.abs(d) < 1e14) {
            return d == 0 && 1 / d < 0 ? "-0" : Long.toString((long) d);
        }
        return formatG(d, 14);
    }

    /**
     * C's "%.<precision>g": the double's exact value rounded to {@code precision} significant
     * digits (BigDecimal, as glibc rounds the exact binary value; Java's own %g rounds a shorter
     * decimal form and differs in the last digits), trailing zeros dropped, exponent form below
     * 1e-4 or from 10^precision.
     */
    static String formatG(double d, int precision) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            return tostring(d);
        }
        if (d == 0) {
            return 1 / d < 0 ? "-0" : "0";
        }
        int p = Math.max(1, precision);
        java.math.BigDecimal b = new java.math.BigDecimal(d).round(new java.math.MathContext(p, java.math.RoundingMode.HALF_EVEN));
        int exp = b.precision() - b.scale() - 1;
        String sign = b.signum() < 0 ? "-" : "";
        String digits = b.unscaledValue().abs().toString().replaceFirst("0+$", "");
        if (digits.isEmpty()) {
            digits = "0";
        }
        if (exp < -4 || exp >= p) {
            String mantissa = digits.length() > 1 ? digits.charAt(0) + "." + digits.substring(1) : digits;
            int a = Math.abs(exp);
            return sign + mantissa + "e" + (exp < 0 ? "-" : "+") + (a < 10 ? "0" : "") + a;
        }
        return sign + b.abs().stripTrailingZeros().toPlainString();
    }
}
