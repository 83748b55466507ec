package io.modis.scripting;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * The {@code cmsgpack} library Redis bundles (lua_cmsgpack): MessagePack pack/unpack of Lua
 * values. Tables nested deeper than 16 levels are packed as nil, as the original does.
 */
final class LuaMsgPack {
    static final int MAX_NESTING = 16;

    private LuaMsgPack() {
    }

    static LuaTable library() {
        LuaTable t = new LuaTable();
        t.rawset("pack", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                if (args.narg() == 0) {
                    throw new LuaError("MessagePack pack needs input.");
                }
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                for (int i = 1; i <= args.narg(); i++) {
                    pack(out, args.arg(i), 0);
                }
                return LuaValue.valueOf(out.toByteArray());
            }
        });
        t.rawset("unpack", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                return unpack(args.arg1(), 0, 0, false);
            }
        });
        t.rawset("unpack_one", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                return unpack(args.arg1(), 1, args.arg(2).optint(0), true);
            }
        });
        t.rawset("unpack_limit", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                return unpack(args.arg1(), args.arg(2).optint(0), args.arg(3).optint(0), true);
            }
        });
        t.rawset("_NAME", LuaValue.valueOf("cmsgpack"));
        t.rawset("_VERSION", LuaValue.valueOf("lua-cmsgpack 0.4.0"));
        return t;
    }

    // ---------------------------------------------------------------- pack

    private static void pack(ByteArrayOutputStream out, LuaValue v, int level) {
        switch (v.type()) {
            case LuaValue.TSTRING -> {
                byte[] s = LuaEngine.bytes(v);
                int len = s.length;
                if (len < 32) {
                    out.write(0xa0 | len);
                } else if (len <= 0xff) {
                    out.write(0xd9);
                    out.write(len);
                } else if (len <= 0xffff) {
                    out.write(0xda);
                    be(out, len, 2);
                } else {
                    out.write(0xdb);
                    be(out, len, 4);
                }
                out.writeBytes(s);
            }
            case LuaValue.TBOOLEAN -> out.write(v.toboolean() ? 0xc3 : 0xc2);
            case LuaValue.TNUMBER -> number(out, v.todouble());
            case LuaValue.TTABLE -> {
                if (level >= MAX_NESTING) {
                    out.write(0xc0);
                } else {
                    table(out, (LuaTable) v, level + 1);
                }
            }
            default -> out.write(0xc0);
        }
    }

    private static void be(ByteArrayOutputStream out, long v, int bytes) {
        for (int i = bytes - 1; i >= 0; i--) {
            out.write((int) (v >>> (8 * i)) & 0xff);
        }
    }

    private static void number(ByteArrayOutputStream out, double d) {
        long n = (long) d;
        if ((double) n == d && !Double.isInfinite(d)) {
            if (n >= 0) {
                if (n <= 127) {
                    out.write((int) n);
                } else if (n <= 0xff) {
                    out.write(0xcc);
                    be(out, n, 1);
                } else if (n <= 0xffff) {
                    out.write(0xcd);
                    be(out, n, 2);
                } else if (n <= 0xffffffffL) {
                    out.write(0xce);
                    be(out, n, 4);
                } else {
                    out.write(0xcf);
                    be(out, n, 8);
                }
            } else {
                if (n >= -32) {
                    out.write((int) n & 0xff);
                } else if (n >= -128) {
                    out.write(0xd0);
                    be(out, n, 1);
                } else if (n >= -32768) {
                    out.write(0xd1);
                    be(out, n, 2);
                } else if (n >= -2147483648L) {
                    out.write(0xd2);
                    be(out, n, 4);
                } else {
                    out.write(0xd3);
                    be(out, n, 8);
                }
            }
            return;
        }
        float f = (float) d;
        if ((double) f == d) {
            out.write(0xca);
            be(out, Float.floatToIntBits(f) & 0xffffffffL, 4);
        } else {
            out.write(0xcb);
            be(out, Double.doubleToLongBits(d), 8);
        }
    }

    /** The length of {@code t} as an array (keys 1..n, no holes), or -1. */
    private static int arrayLength(LuaTable t) {
        long count = 0;
        double max = 0;
        LuaValue k = LuaValue.NIL;
        while (true) {
            Varargs n = t.next(k);
            if ((k = n.arg1()).isnil()) {
                break;
            }
            if (k.type() != LuaValue.TNUMBER) {
                return -1;
            }
            double d = k.todouble();
            if (d < 1 || d != Math.floor(d)) {
                return -1;
            }
            max = Math.max(max, d);
            count++;
        }
        return max == count ? (int) count : -1;
    }

    private static void table(ByteArrayOutputStream out, LuaTable t, int level) {
        int len = arrayLength(t);
        if (len >= 0) {
            header(out, len, 0x90, 0xdc, 0xdd);
            for (int i = 1; i <= len; i++) {
                pack(out, t.rawget(i), level);
            }
            return;
        }
        int count = 0;
        LuaValue k = LuaValue.NIL;
        while (true) {
            Varargs n = t.next(k);
            if ((k = n.arg1()).isnil()) {
                break;
            }
            count++;
        }
        header(out, count, 0x80, 0xde, 0xdf);
        k = LuaValue.NIL;
        while (true) {
            Varargs n = t.next(k);
            if ((k = n.arg1()).isnil()) {
                break;
            }
            pack(out, k, level);
            pack(out, n.arg(2), level);
        }
    }

    private static void header(ByteArrayOutputStream out, int n, int fix, int c16, int c32) {
        if (n < 16) {
            out.write(fix | n);
        } else if (n <= 0xffff) {
            out.write(c16);
            be(out, n, 2);
        } else {
            out.write(c32);
            be(out, n, 4);
        }
    }

    // ---------------------------------------------------------------- unpack

    private static final class Cursor {
        final byte[] in;
        int pos;

        Cursor(byte[] in, int pos) {
            this.in = in;
            this.pos = pos;
        }

        void need(long n) {
            if (pos + n > in.length) {
                throw new LuaError("Missing bytes in input.");
            }
        }

        long be(int bytes) {
            need(bytes);
            long v = 0;
            for (int i = 0; i < bytes; i++) {
                v = (v << 8) | (in[pos++] & 0xff);
            }
            return v;
        }
    }

    private static Varargs unpack(LuaValue s, int limit, int offset, boolean withOffset) {
        byte[] in = LuaEngine.bytes(s.checkstring());
        if (offset < 0 || limit < 0) {
            throw new LuaError("Invalid request to unpack with offset of " + offset + " and limit of " + limit + ".");
        }
        if (offset > in.length) {
            throw new LuaError("Start offset " + offset + " greater than input length " + in.length + ".");
        }
        Cursor c = new Cursor(in, offset);
        List<LuaValue> values = new ArrayList<>();
        while (c.pos < in.length && (limit == 0 || values.size() < limit)) {
            values.add(decode(c));
        }
        if (!withOffset) {
            return LuaValue.varargsOf(values.toArray(new LuaValue[0]));
        }
        LuaValue[] out = new LuaValue[values.size() + 1];
        out[0] = LuaValue.valueOf(c.pos >= in.length ? -1 : c.pos);
        for (int i = 0; i < values.size(); i++) {
            out[i + 1] = values.get(i);
        }
        return LuaValue.varargsOf(out);
    }

    private static LuaValue decode(Cursor c) {
        c.need(1);
        int b = c.in[c.pos++] & 0xff;
        if (b <= 0x7f) {
            return LuaValue.valueOf(b);
        }
        if (b >= 0xe0) {
            return LuaValue.valueOf(b - 256);
        }
        if ((b & 0xe0) == 0xa0) {
            return str(c, b & 0x1f);
        }
        if ((b & 0xf0) == 0x90) {
            return array(c, b & 0x0f);
        }
        if ((b & 0xf0) == 0x80) {
            return map(c, b & 0x0f);
        }
        switch (b) {
            case 0xc0:
                return LuaValue.NIL;
            case 0xc2:
                return LuaValue.FALSE;
            case 0xc3:
                return LuaValue.TRUE;
            case 0xca:
                return LuaValue.valueOf((double) Float.intBitsToFloat((int) c.be(4)));
            case 0xcb:
                return LuaValue.valueOf(Double.longBitsToDouble(c.be(8)));
            case 0xcc:
                return LuaValue.valueOf((double) c.be(1));
            case 0xcd:
                return LuaValue.valueOf((double) c.be(2));
            case 0xce:
                return LuaValue.valueOf((double) c.be(4));
            case 0xcf: {
                long v = c.be(8);
                return LuaValue.valueOf(v >= 0 ? (double) v : (double) (v >>> 1) * 2.0 + (v & 1));
            }
            case 0xd0:
                return LuaValue.valueOf((double) (byte) c.be(1));
            case 0xd1:
                return LuaValue.valueOf((double) (short) c.be(2));
            case 0xd2:
                return LuaValue.valueOf((double) (int) c.be(4));
            case 0xd3:
                return LuaValue.valueOf((double) c.be(8));
            case 0xc4:
            case 0xd9:
                return str(c, (int) c.be(1));
            case 0xc5:
            case 0xda:
                return str(c, (int) c.be(2));
            case 0xc6:
            case 0xdb:
                return str(c, (int) c.be(4));
            case 0xdc:
                return array(c, (int) c.be(2));
            case 0xdd:
                return array(c, (int) c.be(4));
            case 0xde:
                return map(c, (int) c.be(2));
            case 0xdf:
                return map(c, (int) c.be(4));
            default:
                throw new LuaError("Bad data format in input.");
        }
    }

    private static LuaValue str(Cursor c, int len) {
        if (len < 0) {
            throw new LuaError("Missing bytes in input.");
        }
        c.need(len);
        byte[] s = java.util.Arrays.copyOfRange(c.in, c.pos, c.pos + len);
        c.pos += len;
        return LuaValue.valueOf(s);
    }

    private static LuaValue array(Cursor c, int n) {
        LuaTable t = new LuaTable();
        for (int i = 1; i <= n; i++) {
            LuaValue v = decode(c);
            if (!v.isnil()) {
                t.rawset(i, v);
            }
        }
        return t;
    }

    private static LuaValue map(Cursor c, int n) {
        LuaTable t = new LuaTable();
        for (int i = 0; i < n; i++) {
            LuaValue k = decode(c);
            LuaValue v = decode(c);
            if (!k.isnil()) {
                t.rawset(k, v);
            }
        }
        return t;
    }
}
