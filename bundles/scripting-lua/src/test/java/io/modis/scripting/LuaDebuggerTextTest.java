package io.modis.scripting;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;

/**
 * How the Lua debugger writes values and command replies (its protocol over a real server is
 * tested in itests' LuaDebuggerTest and with redis-cli --ldb in RedisToolsTest).
 */
class LuaDebuggerTextTest {

    private static String value(LuaValue v) {
        StringBuilder sb = new StringBuilder();
        LuaDebugger.value(sb, v, 0);
        return sb.toString();
    }

    @Test
    void valuesAsRedisShowsThem() {
        assertEquals("\"a\\\"b\\\\c\\n\\r\\t\\a\\b\\x01\\xff\"",
                value(LuaValue.valueOf(new byte[] {'a', '"', 'b', '\\', 'c', '\n', '\r', '\t', 7, '\b', 1, (byte) 0xff})));
        assertEquals("3.5", value(LuaValue.valueOf(3.5)));
        assertEquals("1e+20", value(LuaValue.valueOf(1e20)));
        assertEquals("0.333333", value(LuaValue.valueOf(1.0 / 3)));
        assertEquals("true", value(LuaValue.TRUE));
        assertEquals("nil", value(LuaValue.NIL));
        assertEquals("{}", value(new LuaTable()));
        assertEquals("{1; \"x\"; {2}}", value(LuaValue.listOf(new LuaValue[] {LuaValue.valueOf(1), LuaValue.valueOf("x"),
            LuaValue.listOf(new LuaValue[] {LuaValue.valueOf(2)})})));
        LuaTable map = new LuaTable();
        map.set("k", LuaValue.valueOf("v"));
        assertEquals("{[\"k\"]=\"v\"}", value(map));
        LuaTable deep = new LuaTable();
        LuaTable t = deep;
        for (int i = 0; i < 12; i++) {
            LuaTable inner = new LuaTable();
            t.set(1, inner);
            t = inner;
        }
        assertEquals("{".repeat(10) + "<max recursion level reached! Nested table?>" + "}".repeat(10), value(deep));
    }

    @Test
    void repliesInRedisHumanForm() {
        assertEquals("\"v\"", LuaDebugger.human(LuaValue.valueOf("v"), 2));
        assertEquals("7", LuaDebugger.human(LuaValue.valueOf(7), 2));
        assertEquals("NULL", LuaDebugger.human(LuaValue.FALSE, 2));
        assertEquals("\"+OK\"", LuaDebugger.human(LuaValue.tableOf(new LuaValue[] {LuaValue.valueOf("ok"),
            LuaValue.valueOf("OK")}), 2));
        assertEquals("[\"a\",1,NULL]", LuaDebugger.human(LuaValue.listOf(new LuaValue[] {LuaValue.valueOf("a"),
            LuaValue.valueOf(1), LuaValue.FALSE}), 2));
        assertEquals("(null)", LuaDebugger.human(LuaValue.NIL, 3));
        assertEquals("#false", LuaDebugger.human(LuaValue.FALSE, 3));
        assertEquals("(double) 1.5", LuaDebugger.human(LuaValue.tableOf(new LuaValue[] {LuaValue.valueOf("double"),
            LuaValue.valueOf(1.5)}), 3));
        LuaTable inner = new LuaTable();
        inner.set("f", LuaValue.valueOf(1));
        assertEquals("{\"f\" => 1}", LuaDebugger.human(LuaValue.tableOf(new LuaValue[] {LuaValue.valueOf("map"), inner}), 3));
        LuaTable members = new LuaTable();
        members.set("m", LuaValue.TRUE);
        assertEquals("~(\"m\")", LuaDebugger.human(LuaValue.tableOf(new LuaValue[] {LuaValue.valueOf("set"), members}), 3));
    }
}
