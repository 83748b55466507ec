package io.modis.api;

import java.util.List;

/**
 * The FUNCTION libraries, as a service of the scripting bundle, for the bundles that persist or
 * replicate them (RDB's FUNCTION2 records, AOF, full sync). A library is its code exactly as
 * FUNCTION LOAD received it, shebang included ({@code #!lua name=mylib ...}). Engine thread only.
 */
public interface FunctionStore {
    /** Every library's code. */
    List<byte[]> libraries();

    /**
     * Loads libraries (an RDB's FUNCTION2 records): all or none. With {@code replace}, a library
     * of the same name is replaced, else a name collision fails.
     *
     * @throws CommandException with Redis's error (compile error, "Library 'x' already exists" ...)
     */
    void load(List<byte[]> codes, boolean replace);

    /** Removes every library (FUNCTION FLUSH, before loading a full RDB). */
    void flush();
}
