package io.modis.scripting;

import io.modis.api.Bytes;
import io.modis.api.Reply;
import java.util.ArrayDeque;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;

/**
 * A command's reply, called from a script, built as the Lua value Redis gives the script
 * (script_lua.c's RESP to Lua conversion) in the protocol the script chose with
 * redis.setresp: integers become numbers, bulk strings strings, a RESP2 null false, arrays
 * tables, a status {ok=...}, an error {err=...}; in RESP3 maps {map={...}}, sets
 * {set={member=true}}, doubles {double=n}, null nil, booleans booleans, big numbers
 * {big_number="..."} and verbatim strings {verbatim_string={format=..., string=...}}.
 */
final class LuaReply implements Reply {
    private static final LuaValue OK = LuaValue.valueOf("ok");
    private static final LuaValue ERR = LuaValue.valueOf("err");
    private static final LuaValue MAP = LuaValue.valueOf("map");
    private static final LuaValue SET = LuaValue.valueOf("set");
    private static final LuaValue DOUBLE = LuaValue.valueOf("double");

    private enum Kind { ARRAY, MAP, SET, ATTRIBUTE }

    private static final class Frame {
        final Kind kind;
        final LuaTable table = new LuaTable();
        int remaining;
        int index;
        LuaValue key;

        Frame(Kind kind, int remaining) {
            this.kind = kind;
            this.remaining = remaining;
        }
    }

    private final int protocol;
    /** Open aggregates, innermost first; most replies have none, so it is created on need. */
    private ArrayDeque<Frame> stack;
    private LuaValue result = LuaValue.NIL;
    private long errors;
    private String lastError;
    /** The error message when the whole reply is an error, else null. */
    private String topError;

    LuaReply(int protocol) {
        this.protocol = protocol;
    }

    LuaValue value() {
        return result;
    }

    /** The error message when the reply is an error (redis.call raises it), else null. */
    String error() {
        return topError;
    }

    private void add(LuaValue v) {
        Frame f = stack == null ? null : stack.peek();
        if (f == null) {
            result = v;
            return;
        }
        switch (f.kind) {
            case ARRAY -> {
                f.index++;
                if (!v.isnil()) {
                    f.table.rawset(f.index, v);
                }
            }
            case MAP -> {
                if (f.key == null) {
                    f.key = v;
                    return;
                }
                if (!f.key.isnil()) {
                    f.table.rawset(f.key, v);
                }
                f.key = null;
            }
            case SET -> {
                if (!v.isnil()) {
                    f.table.rawset(v, LuaValue.TRUE);
                }
            }
            case ATTRIBUTE -> {
                // attributes are read and dropped: scripts do not see them (as Redis 7.0)
            }
        }
        f.remaining--;
        complete();
    }

    private void complete() {
        while (stack != null && !stack.isEmpty() && stack.peek().remaining <= 0) {
            Frame done = stack.pop();
            LuaValue v = switch (done.kind) {
                case ARRAY -> done.table;
                case MAP -> LuaValue.tableOf(new LuaValue[] {MAP, done.table});
                case SET -> LuaValue.tableOf(new LuaValue[] {SET, done.table});
                case ATTRIBUTE -> null;
            };
            if (v != null) {
                add(v);
            }
        }
    }

    private void open(Kind kind, int n) {
        if (stack == null) {
            stack = new ArrayDeque<>(4);
        }
        stack.push(new Frame(kind, n));
        if (n <= 0) {
            complete();
        }
    }

    @Override
    public int protocol() {
        return protocol;
    }

    @Override
    public void simple(String s) {
        add(LuaValue.tableOf(new LuaValue[] {OK, LuaValue.valueOf(s)}));
    }

    @Override
    public void error(String message) {
        errors++;
        lastError = message;
        if (stack == null || stack.isEmpty()) {
            topError = message;
        }
        add(LuaValue.tableOf(new LuaValue[] {ERR, LuaValue.valueOf(message)}));
    }

    @Override
    public void integer(long v) {
        add(LuaValue.valueOf((double) v));
    }

    @Override
    public void bulk(byte[] b) {
        add(LuaValue.valueOf(b));
    }

    @Override
    public void bulk(byte[] b, int off, int len) {
        add(LuaValue.valueOf(java.util.Arrays.copyOfRange(b, off, off + len)));
    }

    @Override
    public void nil() {
        add(protocol == 2 ? LuaValue.FALSE : LuaValue.NIL);
    }

    @Override
    public void nilArray() {
        add(protocol == 2 ? LuaValue.FALSE : LuaValue.NIL);
    }

    @Override
    public void array(int n) {
        open(Kind.ARRAY, n);
    }

    @Override
    public void map(int n) {
        if (protocol == 2) {
            open(Kind.ARRAY, n * 2);
        } else {
            open(Kind.MAP, n);
        }
    }

    @Override
    public void set(int n) {
        open(protocol == 2 ? Kind.ARRAY : Kind.SET, n);
    }

    @Override
    public void push(int n) {
        open(Kind.ARRAY, n);
    }

    @Override
    public void dbl(double d) {
        if (protocol == 2) {
            bulk(Bytes.of(Double.isNaN(d) ? "nan" : Bytes.formatDouble(d)));
        } else {
            add(LuaValue.tableOf(new LuaValue[] {DOUBLE, LuaValue.valueOf(d)}));
        }
    }

    @Override
    public void bool(boolean b) {
        if (protocol == 2) {
            add(LuaValue.valueOf(b ? 1 : 0));
        } else {
            add(LuaValue.valueOf(b));
        }
    }

    @Override
    public void verbatim(String format, byte[] text) {
        if (protocol == 2) {
            bulk(text);
            return;
        }
        LuaTable v = new LuaTable();
        v.rawset("format", LuaValue.valueOf(format));
        v.rawset("string", LuaValue.valueOf(text));
        add(LuaValue.tableOf(new LuaValue[] {LuaValue.valueOf("verbatim_string"), v}));
    }

    @Override
    public void bigNumber(String digits) {
        if (protocol == 2) {
            bulk(Bytes.of(digits));
        } else {
            add(LuaValue.tableOf(new LuaValue[] {LuaValue.valueOf("big_number"), LuaValue.valueOf(digits)}));
        }
    }

    @Override
    public void attribute(int n) {
        open(Kind.ATTRIBUTE, n * 2);
    }

    @Override
    public long errors() {
        return errors;
    }

    @Override
    public String lastError() {
        return lastError;
    }
}
