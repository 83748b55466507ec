package io.modis.scripting;

import java.io.ByteArrayOutputStream;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaUserdata;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * The {@code cjson} library Redis bundles (lua-cjson 2.1): JSON encode/decode between Lua
 * values and text, with its settings (maximum depths, invalid numbers, sparse arrays) and
 * {@code cjson.null}.
 */
final class LuaCjson {
    /** cjson.null: decodes JSON null, encodes as null. */
    static final LuaValue NULL = new LuaUserdata(new Object());

    private int encodeMaxDepth = 1000;
    private int decodeMaxDepth = 1000;
    private boolean encodeInvalidNumbers;
    private boolean decodeInvalidNumbers = true;
    private boolean sparseConvert;
    private int sparseRatio = 2;
    private int sparseSafe = 10;
    private int precision = 14;

    private interface Fn {
        Varargs apply(Varargs args);
    }

    private static void fn(LuaTable t, String name, Fn f) {
        t.rawset(name, new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                return f.apply(args);
            }
        });
    }

    static LuaTable library() {
        LuaCjson c = new LuaCjson();
        LuaTable t = new LuaTable();
        fn(t, "encode", a -> {
            if (a.narg() != 1) {
                throw new LuaError("bad argument #1 to 'encode' (expected 1 argument)");
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            c.encode(out, a.arg1(), 0);
            return LuaValue.valueOf(out.toByteArray());
        });
        fn(t, "decode", a -> {
            if (a.narg() != 1) {
                throw new LuaError("bad argument #1 to 'decode' (expected 1 argument)");
            }
            LuaString s = a.arg1().checkstring();
            Decoder d = c.new Decoder(LuaEngine.bytes(s));
            LuaValue v = d.value(0);
            d.skipSpace();
            if (d.pos < d.in.length) {
                throw d.error("the end", d.token());
            }
            return v;
        });
        fn(t, "encode_max_depth", a -> {
            if (!a.arg1().isnil()) {
                c.encodeMaxDepth = checkRange(a.arg1(), 1, Integer.MAX_VALUE);
            }
            return LuaValue.valueOf(c.encodeMaxDepth);
        });
        fn(t, "decode_max_depth", a -> {
            if (!a.arg1().isnil()) {
                c.decodeMaxDepth = checkRange(a.arg1(), 1, Integer.MAX_VALUE);
            }
            return LuaValue.valueOf(c.decodeMaxDepth);
        });
        fn(t, "encode_number_precision", a -> {
            if (!a.arg1().isnil()) {
                c.precision = checkRange(a.arg1(), 1, 14);
            }
            return LuaValue.valueOf(c.precision);
        });
        fn(t, "encode_keep_buffer", a -> a.arg1().isnil() ? LuaValue.TRUE : LuaValue.valueOf(a.arg1().toboolean()));
        fn(t, "encode_invalid_numbers", a -> {
            if (!a.arg1().isnil()) {
                c.encodeInvalidNumbers = a.arg1().toboolean();
            }
            return LuaValue.valueOf(c.encodeInvalidNumbers);
        });
        fn(t, "decode_invalid_numbers", a -> {
            if (!a.arg1().isnil()) {
                c.decodeInvalidNumbers = a.arg1().toboolean();
            }
            return LuaValue.valueOf(c.decodeInvalidNumbers);
        });
        fn(t, "encode_sparse_array", a -> {
            if (!a.arg(1).isnil()) {
                c.sparseConvert = a.arg(1).toboolean();
            }
            if (!a.arg(2).isnil()) {
                c.sparseRatio = checkRange(a.arg(2), 0, Integer.MAX_VALUE);
            }
            if (!a.arg(3).isnil()) {
                c.sparseSafe = checkRange(a.arg(3), 0, Integer.MAX_VALUE);
            }
            return LuaValue.varargsOf(LuaValue.valueOf(c.sparseConvert), LuaValue.valueOf(c.sparseRatio),
                    LuaValue.valueOf(c.sparseSafe));
        });
        t.rawset("null", NULL);
        t.rawset("_NAME", LuaValue.valueOf("cjson"));
        t.rawset("_VERSION", LuaValue.valueOf("2.1.0"));
        return t;
    }

    private static int checkRange(LuaValue v, int min, int max) {
        int n = v.checkint();
        if (n < min || n > max) {
            throw new LuaError("bad argument #1 (expected integer between " + min + " and " + max + ")");
        }
        return n;
    }

    // ---------------------------------------------------------------- encoding

    private void encode(ByteArrayOutputStream out, LuaValue v, int depth) {
        switch (v.type()) {
            case LuaValue.TSTRING -> string(out, LuaEngine.bytes(v));
            case LuaValue.TNUMBER -> number(out, v.todouble());
            case LuaValue.TBOOLEAN -> out.writeBytes(v.toboolean() ? TRUE : FALSE);
            case LuaValue.TNIL -> out.writeBytes(NULL_TEXT);
            case LuaValue.TTABLE -> table(out, (LuaTable) v, depth + 1);
            default -> {
                if (v == NULL) {
                    out.writeBytes(NULL_TEXT);
                } else {
                    throw new LuaError("Cannot serialise " + v.typename() + ": type not supported");
                }
            }
        }
    }

    private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
    private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};
    private static final byte[] NULL_TEXT = {'n', 'u', 'l', 'l'};

    private void number(ByteArrayOutputStream out, double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            if (!encodeInvalidNumbers) {
                throw new LuaError("Cannot serialise number: must not be NaN or Inf");
            }
            out.writeBytes(LuaEngine.utf8(Double.isNaN(d) ? "nan" : d > 0 ? "inf" : "-inf"));
            return;
        }
        String s;
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            s = Long.toString((long) d);
        } else {
            s = formatG(d, precision);
        }
        out.writeBytes(LuaEngine.utf8(s));
    }

    static String formatG(double d, int precision) {
        return Lua51Base.formatG(d, precision);
    }

    private static void string(ByteArrayOutputStream out, byte[] s) {
        out.write('"');
        for (byte b : s) {
            int c = b & 0xff;
            switch (c) {
                case '"' -> out.writeBytes(new byte[] {'\\', '"'});
                case '\\' -> out.writeBytes(new byte[] {'\\', '\\'});
                case '/' -> out.writeBytes(new byte[] {'\\', '/'});
                case '\b' -> out.writeBytes(new byte[] {'\\', 'b'});
                case '\f' -> out.writeBytes(new byte[] {'\\', 'f'});
                case '\n' -> out.writeBytes(new byte[] {'\\', 'n'});
                case '\r' -> out.writeBytes(new byte[] {'\\', 'r'});
                case '\t' -> out.writeBytes(new byte[] {'\\', 't'});
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        out.writeBytes(LuaEngine.utf8(String.format("\\u%04x", c)));
                    } else {
                        out.write(c);
                    }
                }
            }
        }
        out.write('"');
    }

    /** The array length of {@code t}, 0 for an object, -1 when it must be encoded as an object. */
    private int arrayLength(LuaTable t) {
        int max = 0;
        int items = 0;
        LuaValue k = LuaValue.NIL;
        while (true) {
            Varargs n = t.next(k);
            if ((k = n.arg1()).isnil()) {
                break;
            }
            if (k.type() == LuaValue.TNUMBER) {
                double d = k.todouble();
                if (d == Math.floor(d) && d >= 1) {
                    if (d > max) {
                        max = (int) Math.min(d, Integer.MAX_VALUE);
                    }
                    items++;
                    continue;
                }
            }
            return -1;
        }
        if (sparseRatio > 0 && max > items * sparseRatio && max > sparseSafe) {
            if (!sparseConvert) {
                throw new LuaError("Cannot serialise table: excessively sparse array");
            }
            return -1;
        }
        return max;
    }

    private void table(ByteArrayOutputStream out, LuaTable t, int depth) {
        if (depth > encodeMaxDepth) {
            throw new LuaError("Cannot serialise, excessive nesting (" + depth + ")");
        }
        int len = arrayLength(t);
        if (len > 0) {
            out.write('[');
            for (int i = 1; i <= len; i++) {
                if (i > 1) {
                    out.write(',');
                }
                encode(out, t.rawget(i), depth);
            }
            out.write(']');
            return;
        }
        out.write('{');
        boolean first = true;
        LuaValue k = LuaValue.NIL;
        while (true) {
            Varargs n = t.next(k);
            if ((k = n.arg1()).isnil()) {
                break;
            }
            if (!first) {
                out.write(',');
            }
            first = false;
            if (k.type() == LuaValue.TSTRING) {
                string(out, LuaEngine.bytes(k));
            } else if (k.type() == LuaValue.TNUMBER) {
                out.write('"');
                number(out, k.todouble());
                out.write('"');
            } else {
                throw new LuaError("Cannot serialise " + k.typename() + ": table key must be a number or string");
            }
            out.write(':');
            encode(out, n.arg(2), depth);
        }
        out.write('}');
    }

    // ---------------------------------------------------------------- decoding

    private final class Decoder {
        final byte[] in;
        int pos;

        Decoder(byte[] in) {
            this.in = in;
        }

        void skipSpace() {
            while (pos < in.length && (in[pos] == ' ' || in[pos] == '\t' || in[pos] == '\n' || in[pos] == '\r')) {
                pos++;
            }
        }

        String token() {
            if (pos >= in.length) {
                return "the end";
            }
            return switch (in[pos]) {
                case '{' -> "object start";
                case '}' -> "object end";
                case '[' -> "array start";
                case ']' -> "array end";
                case ',' -> "comma";
                case ':' -> "colon";
                case '"' -> "string";
                default -> "invalid token";
            };
        }

        LuaError error(String expected, String found) {
            return new LuaError("Expected " + expected + " but found " + found + " at character " + (pos + 1));
        }

        LuaValue value(int depth) {
            skipSpace();
            if (pos >= in.length) {
                throw error("value", "the end");
            }
            byte b = in[pos];
            switch (b) {
                case '{':
                    return object(depth + 1);
                case '[':
                    return array(depth + 1);
                case '"':
                    return LuaValue.valueOf(string());
                case 't':
                    return literal("true", LuaValue.TRUE);
                case 'f':
                    return literal("false", LuaValue.FALSE);
                case 'n':
                    if (pos + 3 <= in.length && in[pos + 1] == 'a' && in[pos + 2] == 'n' && decodeInvalidNumbers) {
                        pos += 3;
                        return LuaValue.valueOf(Double.NaN);
                    }
                    return literal("null", NULL);
                default:
                    if (b == '-' || (b >= '0' && b <= '9') || b == 'i' || b == 'I') {
                        return number();
                    }
                    throw error("value", "invalid token");
            }
        }

        private LuaValue literal(String word, LuaValue v) {
            for (int i = 0; i < word.length(); i++) {
                if (pos + i >= in.length || in[pos + i] != word.charAt(i)) {
                    throw error("value", "invalid token");
                }
            }
            pos += word.length();
            return v;
        }

        private LuaValue number() {
            int start = pos;
            while (pos < in.length) {
                byte c = in[pos];
                if ((c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E'
                        || c == 'x' || c == 'X' || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
                        || c == 'i' || c == 'n' || c == 'I' || c == 'N' || c == 't' || c == 'y') {
                    pos++;
                } else {
                    break;
                }
            }
            String text = new String(in, start, pos - start, java.nio.charset.StandardCharsets.ISO_8859_1);
            try {
                String lower = text.toLowerCase(java.util.Locale.ROOT);
                if (lower.equals("inf") || lower.equals("infinity") || lower.equals("-inf")
                        || lower.equals("-infinity")) {
                    if (!decodeInvalidNumbers) {
                        throw new NumberFormatException();
                    }
                    return LuaValue.valueOf(lower.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY);
                }
                if (lower.startsWith("0x") || lower.startsWith("-0x")) {
                    boolean neg = lower.startsWith("-");
                    long v = Long.parseLong(lower.substring(neg ? 3 : 2), 16);
                    return LuaValue.valueOf((double) (neg ? -v : v));
                }
                return LuaValue.valueOf(Double.parseDouble(text));
            } catch (NumberFormatException e) {
                pos = start;
                throw error("value", "invalid number");
            }
        }

        private byte[] string() {
            pos++;
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            while (true) {
                if (pos >= in.length) {
                    throw error("value", "unexpected end of string");
                }
                byte c = in[pos++];
                if (c == '"') {
                    return out.toByteArray();
                }
                if (c != '\\') {
                    out.write(c);
                    continue;
                }
                if (pos >= in.length) {
                    throw error("value", "invalid escape code");
                }
                byte e = in[pos++];
                switch (e) {
                    case '"', '\\', '/' -> out.write(e);
                    case 'b' -> out.write('\b');
                    case 'f' -> out.write('\f');
                    case 'n' -> out.write('\n');
                    case 'r' -> out.write('\r');
                    case 't' -> out.write('\t');
                    case 'u' -> {
                        int cp = hex4();
                        if (cp >= 0xD800 && cp <= 0xDBFF && pos + 1 < in.length && in[pos] == '\\' && in[pos + 1] == 'u') {
                            pos += 2;
                            int low = hex4();
                            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                        }
                        out.writeBytes(new String(Character.toChars(cp)).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    }
                    default -> throw error("value", "invalid escape code");
                }
            }
        }

        private int hex4() {
            if (pos + 4 > in.length) {
                throw error("value", "invalid unicode escape code");
            }
            try {
                int v = Integer.parseInt(new String(in, pos, 4, java.nio.charset.StandardCharsets.ISO_8859_1), 16);
                pos += 4;
                return v;
            } catch (NumberFormatException e) {
                throw error("value", "invalid unicode escape code");
            }
        }

        private void checkDepth(int depth) {
            if (depth > decodeMaxDepth) {
                throw new LuaError("Found too many nested data structures (" + depth + ") at character " + (pos + 1));
            }
        }

        private LuaValue object(int depth) {
            checkDepth(depth);
            pos++;
            LuaTable t = new LuaTable();
            skipSpace();
            if (pos < in.length && in[pos] == '}') {
                pos++;
                return t;
            }
            while (true) {
                skipSpace();
                if (pos >= in.length || in[pos] != '"') {
                    throw error("object key string", token());
                }
                LuaValue key = LuaValue.valueOf(string());
                skipSpace();
                if (pos >= in.length || in[pos] != ':') {
                    throw error("colon", token());
                }
                pos++;
                t.rawset(key, value(depth));
                skipSpace();
                if (pos < in.length && in[pos] == ',') {
                    pos++;
                    continue;
                }
                if (pos < in.length && in[pos] == '}') {
                    pos++;
                    return t;
                }
                throw error("comma or object end", token());
            }
        }

        private LuaValue array(int depth) {
            checkDepth(depth);
            pos++;
            LuaTable t = new LuaTable();
            skipSpace();
            if (pos < in.length && in[pos] == ']') {
                pos++;
                return t;
            }
            for (int i = 1; ; i++) {
                t.rawset(i, value(depth));
                skipSpace();
                if (pos < in.length && in[pos] == ',') {
                    pos++;
                    continue;
                }
                if (pos < in.length && in[pos] == ']') {
                    pos++;
                    return t;
                }
                throw error("comma or array end", token());
            }
        }
    }
}
