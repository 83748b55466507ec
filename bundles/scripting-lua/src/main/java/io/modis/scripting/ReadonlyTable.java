package io.modis.scripting;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;

/**
 * A Lua table that refuses every change once {@link #freeze() frozen}, as Redis 7.0 protects
 * the globals and the library tables of its Lua sandbox: assignments, rawset, table.insert and
 * setmetatable all fail with "Attempt to modify a readonly table".
 */
class ReadonlyTable extends LuaTable {
    static final String MESSAGE = "Attempt to modify a readonly table";

    private boolean frozen;

    ReadonlyTable freeze() {
        frozen = true;
        return this;
    }

    /** A frozen copy of {@code source}'s entries. */
    static ReadonlyTable copyOf(LuaTable source) {
        ReadonlyTable t = new ReadonlyTable();
        LuaValue k = LuaValue.NIL;
        while (true) {
            org.luaj.vm2.Varargs n = source.next(k);
            if ((k = n.arg1()).isnil()) {
                break;
            }
            t.rawset(k, n.arg(2));
        }
        return t.freeze();
    }

    static void refuse() {
        throw new LuaError(MESSAGE);
    }

    @Override
    public void rawset(int key, LuaValue value) {
        if (frozen) {
            refuse();
        }
        super.rawset(key, value);
    }

    @Override
    public void rawset(LuaValue key, LuaValue value) {
        if (frozen) {
            refuse();
        }
        super.rawset(key, value);
    }

    @Override
    public LuaValue setmetatable(LuaValue metatable) {
        if (frozen) {
            refuse();
        }
        return super.setmetatable(metatable);
    }

    @Override
    public void insert(int pos, LuaValue value) {
        if (frozen) {
            refuse();
        }
        super.insert(pos, value);
    }

    @Override
    public LuaValue remove(int pos) {
        if (frozen) {
            refuse();
        }
        return super.remove(pos);
    }

    @Override
    public void sort(LuaValue comparator) {
        if (frozen) {
            refuse();
        }
        super.sort(comparator);
    }
}
