package io.modis.api;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Whole-dataset RDB images, as a service of the RDB bundle, for the bundles that need the
 * dataset in Redis's RDB format: the AOF rewrite's RDB preamble, a replica's full sync. An image
 * is written from the same fork-less incremental snapshot BGSAVE uses, so only one image (or
 * BGSAVE) runs at a time, as Redis runs one child. Engine thread only, except {@link #load}.
 *
 * @since 1.3.0
 */
public interface RdbImages {
    /** A running image. */
    interface Image {
        /** Stops it: nothing more is written, {@code done} is not called, the file is removed. */
        void cancel();
    }

    /** True while an image or a BGSAVE is being written. */
    boolean saving();

    /**
     * Starts writing the dataset as it is now, with the function libraries, to {@code file}
     * (created or truncated; fsynced before {@code done} hears of it). The keyspace is walked
     * between commands; writes reaching a part not yet walked save the old contents first.
     *
     * @param aofBase true for an AOF's base file (the image carries the aux field aof-base 1)
     * @param done called on the engine thread with null once the file is complete, else with the
     *     reason it failed
     * @throws CommandException "ERR Background save already in progress" when one is running
     */
    Image write(Path file, boolean aofBase, Consumer<String> done);

    /**
     * Loads the RDB image at the start of {@code file} into the keyspace (a key loaded replaces
     * one of the same name; function libraries replace theirs; expired keys are skipped) and
     * returns the bytes the image took (an AOF may go on with commands after its preamble).
     * Called on the engine thread, it loads at once; called on another thread, it parses there,
     * adds keys on the engine thread in batches and returns when all are added.
     *
     * @throws IOException naming the offset and the reason when the image is not a valid RDB
     */
    long load(Path file) throws IOException;
}
