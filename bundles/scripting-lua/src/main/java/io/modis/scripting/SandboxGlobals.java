package io.modis.scripting;

import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaValue;

/**
 * The global table of a script sandbox: read-only once set up (Redis 7.0 refuses new globals),
 * with a short window for the engine itself to set KEYS and ARGV before each EVAL.
 */
final class SandboxGlobals extends Globals {
    private boolean frozen;

    void freeze() {
        frozen = true;
    }

    /** Sets a global despite the protection (the engine's KEYS and ARGV). */
    void setProtected(LuaValue name, LuaValue value) {
        boolean f = frozen;
        frozen = false;
        try {
            super.rawset(name, value);
        } finally {
            frozen = f;
        }
    }

    @Override
    public void rawset(int key, LuaValue value) {
        if (frozen) {
            ReadonlyTable.refuse();
        }
        super.rawset(key, value);
    }

    @Override
    public void rawset(LuaValue key, LuaValue value) {
        if (frozen) {
            ReadonlyTable.refuse();
        }
        super.rawset(key, value);
    }

    @Override
    public LuaValue setmetatable(LuaValue metatable) {
        if (frozen) {
            ReadonlyTable.refuse();
        }
        return super.setmetatable(metatable);
    }

    @Override
    public void insert(int pos, LuaValue value) {
        if (frozen) {
            ReadonlyTable.refuse();
        }
        super.insert(pos, value);
    }

    @Override
    public LuaValue remove(int pos) {
        if (frozen) {
            ReadonlyTable.refuse();
        }
        return super.remove(pos);
    }
}
