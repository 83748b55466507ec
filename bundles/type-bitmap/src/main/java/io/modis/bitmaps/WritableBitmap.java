package io.modis.bitmaps;

import io.modis.api.CommandContext;
import io.modis.api.Database;
import io.modis.api.StringValue;

/**
 * A string opened for bit writes (Redis's lookupStringForBitCommand): created zero-filled if
 * missing, made a private raw value, and zero-padded so that the highest bit to write exists.
 *
 * @param value the string, safe to change in place
 * @param resized true if the key was created or the string grew: a change even if no bit flips
 */
record WritableBitmap(StringValue value, boolean resized) {

    /**
     * Opens {@code key} so that bit {@code maxBit} can be written.
     *
     * @throws io.modis.api.CommandException WRONGTYPE, or the string would be too long
     */
    static WritableBitmap open(CommandContext ctx, byte[] key, long maxBit) {
        Database db = ctx.db();
        StringValue v = db.get(key, StringValue.class);
        long needed = (maxBit >>> 3) + 1;
        BitArguments.checkLength(needed);
        if (v == null) {
            v = StringValue.ofRaw(new byte[(int) needed]);
            db.add(key, v);
            return new WritableBitmap(v, true);
        }
        if (!v.encoding().equals("raw")) {
            // an int has no bytes to edit, and an embstr may share its array with the SET that
            // made it (still waiting to be propagated): write on a raw copy, as Redis unshares
            v = StringValue.ofRaw(v.bytes().clone());
            db.setKeepTtl(key, v);
        }
        if (v.length() < needed) {
            v.setByte((int) needed - 1, (byte) 0);
            return new WritableBitmap(v, true);
        }
        return new WritableBitmap(v, false);
    }
}
