package io.modis.scripting;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What the scripting bundle hands to its next revision (an update in place) or to itself started
 * again: the bodies of the script cache and the code of every FUNCTION library, as FUNCTION LOAD
 * and FUNCTION DUMP hold it. Everything else is derived from these (compiled functions, INFO
 * memory's counts) or kept by the core (busy-reply-threshold's value, command statistics).
 *
 * <p>Plain bytes, kept by the core ({@code Engine.keepState}) between the old component's
 * deactivation and the new one's activation, so the old bundle's class loader can go. The form:
 * a format number, then each list as a count and length-prefixed entries.
 */
final class ScriptingState {
    /** The name the state is kept under in the core. */
    static final String NAME = "io.modis.scripting";
    private static final int FORMAT = 1;

    /** The script bodies (EVAL, SCRIPT LOAD) and the libraries' code (FUNCTION LOAD). */
    record Contents(List<byte[]> scripts, List<byte[]> libraries) {
    }

    private ScriptingState() {
    }

    static byte[] write(Contents contents) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(FORMAT);
            writeList(out, contents.scripts());
            writeList(out, contents.libraries());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * @throws IllegalArgumentException for a format this revision does not know (a newer
     *     revision's state handed back to an older one) or cut bytes
     */
    static Contents read(byte[] state) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(state))) {
            int format = in.readInt();
            if (format != FORMAT) {
                throw new IllegalArgumentException("unknown scripting state format " + format);
            }
            List<byte[]> scripts = readList(in);
            return new Contents(scripts, readList(in));
        } catch (IOException e) {
            throw new IllegalArgumentException("cut scripting state", e);
        }
    }

    private static void writeList(DataOutputStream out, List<byte[]> entries) throws IOException {
        out.writeInt(entries.size());
        for (byte[] e : entries) {
            out.writeInt(e.length);
            out.write(e);
        }
    }

    private static List<byte[]> readList(DataInputStream in) throws IOException {
        int n = in.readInt();
        List<byte[]> out = new ArrayList<>(Math.min(n, 1 << 16));
        for (int i = 0; i < n; i++) {
            byte[] e = new byte[in.readInt()];
            in.readFully(e);
            out.add(e);
        }
        return out;
    }
}
