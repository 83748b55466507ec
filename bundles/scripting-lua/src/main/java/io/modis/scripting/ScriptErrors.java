package io.modis.scripting;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.luaj.vm2.LuaValue;

/**
 * Turns the text of a Lua error raised inside LuaJ into what Lua 5.1 (and so Redis) shows, in
 * one place: for error replies, for pcall/xpcall and for coroutines.
 *
 * <p>LuaJ prefixes a runtime error with {@code "source:line "} where {@code source} is the chunk
 * name as given to the compiler ({@code "@user_script"}); Lua 5.1 writes {@code "user_script:1: "}.
 * LuaJ words some type errors differently ({@code "attempt to call nil"}, {@code "attempt to index
 * ? (a nil value)"}); Lua 5.1 says {@code "attempt to call a nil value"}. And LuaJ appends a stack
 * traceback when a debug library is installed: the bundle's ({@link ScriptGuard}) returns
 * {@link #NO_TRACEBACK} for it, which this class removes again. Its presence also tells that LuaJ
 * positioned the error, so user text that merely looks like a position is left alone.
 */
final class ScriptErrors {
    /** What {@link ScriptGuard#traceback} gives LuaJ to append (after a newline) to an error. */
    static final String NO_TRACEBACK = "stack traceback: (not kept)";
    /** The appended marker, with what the failing instruction called or indexed if known. */
    private static final Pattern SUFFIX = Pattern.compile(
            "\n" + Pattern.quote(NO_TRACEBACK) + "(?:\t(call|index) (\\w+ '.*'))?$", Pattern.DOTALL);

    /** LuaJ's position prefix: the chunk's source name, a line number (or ?), a space. */
    private static final Pattern POSITION = Pattern.compile("^([^\\n]*?):(\\d+|\\?) ");
    /** The position of an error in the bundle's own chunks, which LuaJ always gives. */
    private static final Pattern OWN_CHUNK = Pattern.compile("@user_(script|function):(\\d+|\\?) ");
    private static final String TYPE = "(nil|boolean|number|string|table|function|thread|userdata)";
    private static final Pattern UNARY = Pattern.compile(
            "attempt to (call|get length of|perform arithmetic on) " + TYPE);
    /** Reading a field of a non-table, or (LuaJ's other wording) assigning one. */
    private static final Pattern INDEX = Pattern.compile(
            "(?:attempt to index \\? \\(a " + TYPE + " value\\)|index expected, got " + TYPE + ")");
    private static final Pattern ARITH = Pattern.compile(
            "attempt to perform arithmetic (?:__\\w+|'\\w+') on " + TYPE + " and " + TYPE);
    private static final Pattern CONCAT = Pattern.compile("attempt to concatenate " + TYPE + " and " + TYPE);

    private ScriptErrors() {
    }

    /** Where LuaJ says an error was raised: the chunk's source name ("@user_script") and line. */
    record Where(String source, String line) {
    }

    /**
     * The 5.1 form of an error message as LuaJ's pcall, coroutine.resume or an uncaught error
     * give it; null for an error raised with a nil value.
     */
    static String normalize(String luaj) {
        if (luaj == null) {
            return null;
        }
        Matcher suffix = SUFFIX.matcher(luaj);
        if (!suffix.find()) {
            // FUNCTION code (its globals are not LuaJ's Globals, so no traceback is added) is
            // positioned all the same; otherwise the error came from outside any Lua function's
            // frame (a tail call) and has no position
            return OWN_CHUNK.matcher(luaj).lookingAt() ? positioned(luaj) : reword(luaj);
        }
        String m = luaj.substring(0, suffix.start());
        if (m.equals("null")) {
            return null; // error(nil): LuaJ has no message and no position for it
        }
        return positioned(m, suffix.group(1), suffix.group(2));
    }

    /** {@link #normalize} for a message value: strings are rewritten, other values kept. */
    static LuaValue normalize(LuaValue v) {
        if (v == null) {
            return LuaValue.NIL;
        }
        if (v.type() != LuaValue.TSTRING) {
            return v;
        }
        String m = normalize(v.tojstring());
        return m == null ? LuaValue.NIL : LuaValue.valueOf(m);
    }

    /**
     * The 5.1 form of the message LuaJ hands an xpcall handler: always positioned, never with
     * a traceback.
     */
    static String positioned(String m) {
        Matcher suffix = SUFFIX.matcher(m);
        if (suffix.find()) {
            return positioned(m.substring(0, suffix.start()), suffix.group(1), suffix.group(2));
        }
        return positioned(m, null, null);
    }

    private static String positioned(String m, String action, String operand) {
        Matcher p = POSITION.matcher(m);
        if (!p.find()) {
            return m;
        }
        return display(p.group(1)) + ":" + p.group(2) + ": " + reword(m.substring(p.end()), action, operand);
    }

    /** Where an uncaught error was raised, from its LuaJ message; null if LuaJ did not say. */
    static Where where(String luaj) {
        if (luaj == null || !SUFFIX.matcher(luaj).find() && !OWN_CHUNK.matcher(luaj).lookingAt()) {
            return null;
        }
        Matcher p = POSITION.matcher(luaj);
        return p.find() ? new Where(p.group(1), p.group(2)) : null;
    }

    /** A chunk's source as Lua 5.1 shows it in messages: "@file" and "=name" without the mark. */
    static String display(String source) {
        if (source.startsWith("@") || source.startsWith("=")) {
            return source.substring(1);
        }
        return "[string \"" + source + "\"]";
    }

    /** LuaJ's wording of a type error in Lua 5.1's words; other messages unchanged. */
    static String reword(String m) {
        return reword(m, null, null);
    }

    /**
     * {@link #reword}, naming the value as 5.1 does when the failing instruction's operand is
     * known: {@code action} "call" or "index", {@code operand} such as "field 'f'".
     */
    static String reword(String m, String action, String operand) {
        Matcher x = INDEX.matcher(m);
        if (x.matches()) {
            String type = x.group(1) != null ? x.group(1) : x.group(2);
            return "index".equals(action) ? "attempt to index " + operand + " (a " + type + " value)"
                    : "attempt to index a " + type + " value";
        }
        x = UNARY.matcher(m);
        if (x.matches()) {
            if (x.group(1).equals("call") && "call".equals(action)) {
                return "attempt to call " + operand + " (a " + x.group(2) + " value)";
            }
            return "attempt to " + x.group(1) + " a " + x.group(2) + " value";
        }
        x = ARITH.matcher(m);
        if (x.matches()) {
            // 5.1 names the operand that is not a number (the second one if both are not)
            String culprit = x.group(1).equals("number") || x.group(1).equals("string") ? x.group(2) : x.group(1);
            return "attempt to perform arithmetic on a " + culprit + " value";
        }
        x = CONCAT.matcher(m);
        if (x.matches()) {
            String culprit = x.group(1).equals("number") || x.group(1).equals("string") ? x.group(2) : x.group(1);
            return "attempt to concatenate a " + culprit + " value";
        }
        return m;
    }
}
