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
 * The {@code struct} library Redis bundles: struct.pack(fmt, ...), struct.unpack(fmt, s [, i])
 * and struct.size(fmt). Formats: {@code < > =} endianness, {@code !n} alignment, {@code x}
 * padding, {@code b B h H l L T i I[n]} integers, {@code f d} floats, {@code s} zero-terminated
 * string, {@code c[n]} fixed-size string (c0: the whole string, or in unpack the length given by
 * the previous number).
 */
final class LuaStruct {
    private LuaStruct() {
    }

    private static final class Format {
        final String fmt;
        int pos;
        boolean little = true;
        int maxAlign = 1;

        Format(String fmt) {
            this.fmt = fmt;
        }

        boolean more() {
            return pos < fmt.length();
        }

        int number(int def) {
            if (pos >= fmt.length() || !Character.isDigit(fmt.charAt(pos))) {
                return def;
            }
            int n = 0;
            while (pos < fmt.length() && Character.isDigit(fmt.charAt(pos))) {
                n = n * 10 + (fmt.charAt(pos++) - '0');
                if (n > 100_000_000) {
                    throw new LuaError("integral size out of limits");
                }
            }
            return n;
        }

        /** Size of the next option (after reading it); -1 for options without data. */
        int size(char opt) {
            return switch (opt) {
                case 'B', 'b', 'x' -> 1;
                case 'H', 'h' -> 2;
                case 'L', 'l', 'T', 'd' -> 8;
                case 'f' -> 4;
                case 'c' -> number(1);
                case 'i', 'I' -> {
                    int n = number(4);
                    if (n < 1 || n > 8) {
                        throw new LuaError("integral size " + n + " is larger than limit of 8");
                    }
                    yield n;
                }
                default -> 0;
            };
        }

        /** Handles a control option; true if {@code opt} was one. */
        boolean control(char opt) {
            switch (opt) {
                case ' ' -> {
                    return true;
                }
                case '>' -> {
                    little = false;
                    return true;
                }
                case '<', '=' -> {
                    little = true;
                    return true;
                }
                case '!' -> {
                    maxAlign = number(8);
                    return true;
                }
                default -> {
                    return false;
                }
            }
        }

        int padding(int offset, int size, char opt) {
            if (opt == 'c' || opt == 's' || size <= 1) {
                return 0;
            }
            int align = Math.min(size, maxAlign);
            if ((align & (align - 1)) != 0) {
                throw new LuaError("alignment must be power of 2");
            }
            return (align - (offset & (align - 1))) & (align - 1);
        }
    }

    static LuaTable library() {
        LuaTable t = new LuaTable();
        t.rawset("pack", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                return pack(args);
            }
        });
        t.rawset("unpack", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                return unpack(args);
            }
        });
        t.rawset("size", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                Format f = new Format(args.checkjstring(1));
                int total = 0;
                while (f.more()) {
                    char opt = f.fmt.charAt(f.pos++);
                    if (f.control(opt)) {
                        continue;
                    }
                    if (opt == 's') {
                        throw new LuaError("options 'c0' - 's' have undefined sizes");
                    }
                    int size = f.size(opt);
                    if (opt == 'c' && size == 0) {
                        throw new LuaError("options 'c0' - 's' have undefined sizes");
                    }
                    total += f.padding(total, size, opt) + size;
                }
                return LuaValue.valueOf(total);
            }
        });
        return t;
    }

    private static void writeInt(ByteArrayOutputStream out, long v, int size, boolean little) {
        for (int i = 0; i < size; i++) {
            int shift = 8 * (little ? i : size - 1 - i);
            out.write(shift >= 64 ? (v < 0 ? 0xff : 0) : (int) (v >>> shift) & 0xff);
        }
    }

    private static Varargs pack(Varargs args) {
        Format f = new Format(args.checkjstring(1));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int arg = 2;
        while (f.more()) {
            char opt = f.fmt.charAt(f.pos++);
            if (f.control(opt)) {
                continue;
            }
            int size = f.size(opt);
            int pad = f.padding(out.size(), size, opt);
            for (int i = 0; i < pad; i++) {
                out.write(0);
            }
            switch (opt) {
                case 'x' -> out.write(0);
                case 'b', 'B', 'h', 'H', 'l', 'L', 'T', 'i', 'I' -> {
                    double d = args.checkdouble(arg++);
                    writeInt(out, (long) d, size, f.little);
                }
                case 'f' -> writeInt(out, Float.floatToIntBits((float) args.checkdouble(arg++)) & 0xffffffffL, 4, f.little);
                case 'd' -> writeInt(out, Double.doubleToLongBits(args.checkdouble(arg++)), 8, f.little);
                case 'c', 's' -> {
                    byte[] s = LuaEngine.bytes(args.checkstring(arg++));
                    int len = opt == 's' || size == 0 ? s.length : size;
                    if (len > s.length) {
                        throw new LuaError("bad argument #" + (arg - 1) + " to 'pack' (string too short)");
                    }
                    out.write(s, 0, len);
                    if (opt == 's') {
                        out.write(0);
                    }
                }
                default -> throw new LuaError("invalid format option '" + opt + "'");
            }
        }
        return LuaValue.valueOf(out.toByteArray());
    }

    private static long readInt(byte[] s, int pos, int size, boolean little, boolean signed) {
        long v = 0;
        for (int i = 0; i < size; i++) {
            int b = s[pos + (little ? size - 1 - i : i)] & 0xff;
            v = (v << 8) | b;
        }
        if (signed && size < 8) {
            int shift = 64 - 8 * size;
            v = (v << shift) >> shift;
        }
        return v;
    }

    private static Varargs unpack(Varargs args) {
        Format f = new Format(args.checkjstring(1));
        byte[] s = LuaEngine.bytes(args.checkstring(2));
        int pos = args.optint(3, 1) - 1;
        if (pos < 0 || pos > s.length) {
            throw new LuaError("bad argument #3 to 'unpack' (offset must be 1 or greater)");
        }
        List<LuaValue> out = new ArrayList<>();
        while (f.more()) {
            char opt = f.fmt.charAt(f.pos++);
            if (f.control(opt)) {
                continue;
            }
            int size = f.size(opt);
            pos += f.padding(pos, size, opt);
            if (opt != 's' && !(opt == 'c' && size == 0) && pos + size > s.length) {
                throw new LuaError("bad argument #2 to 'unpack' (data string too short)");
            }
            switch (opt) {
                case 'x' -> pos += 1;
                case 'b', 'h', 'l', 'i' -> {
                    out.add(LuaValue.valueOf((double) readInt(s, pos, size, f.little, true)));
                    pos += size;
                }
                case 'B', 'H', 'L', 'T', 'I' -> {
                    long v = readInt(s, pos, size, f.little, false);
                    out.add(LuaValue.valueOf(v >= 0 ? (double) v : (double) (v >>> 1) * 2.0 + (v & 1)));
                    pos += size;
                }
                case 'f' -> {
                    out.add(LuaValue.valueOf((double) Float.intBitsToFloat((int) readInt(s, pos, 4, f.little, false))));
                    pos += 4;
                }
                case 'd' -> {
                    out.add(LuaValue.valueOf(Double.longBitsToDouble(readInt(s, pos, 8, f.little, false))));
                    pos += 8;
                }
                case 'c' -> {
                    int len = size;
                    if (len == 0) {
                        if (out.isEmpty() || out.get(out.size() - 1).type() != LuaValue.TNUMBER) {
                            throw new LuaError("format 'c0' needs a previous size");
                        }
                        len = out.remove(out.size() - 1).toint();
                        if (pos + len > s.length) {
                            throw new LuaError("bad argument #2 to 'unpack' (data string too short)");
                        }
                    }
                    out.add(LuaValue.valueOf(java.util.Arrays.copyOfRange(s, pos, pos + len)));
                    pos += len;
                }
                case 's' -> {
                    int end = pos;
                    while (end < s.length && s[end] != 0) {
                        end++;
                    }
                    if (end >= s.length) {
                        throw new LuaError("unfinished string in data");
                    }
                    out.add(LuaValue.valueOf(java.util.Arrays.copyOfRange(s, pos, end)));
                    pos = end + 1;
                }
                default -> throw new LuaError("invalid format option '" + opt + "'");
            }
        }
        out.add(LuaValue.valueOf(pos + 1));
        return LuaValue.varargsOf(out.toArray(new LuaValue[0]));
    }
}
