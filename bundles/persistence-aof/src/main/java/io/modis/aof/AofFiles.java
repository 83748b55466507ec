package io.modis.aof;

import java.nio.file.Path;

/** Names and sizes of the files in the AOF directory. */
final class AofFiles {
    final Path dir;
    final String prefix;
    /** The manifest last persisted (written on the writer thread, or before it starts). */
    volatile Manifest manifest = Manifest.empty();
    volatile long baseSize;
    volatile long incrSize;

    AofFiles(Path dir, String prefix) {
        this.dir = dir;
        this.prefix = prefix;
    }

    String manifestName() {
        return prefix + ".manifest";
    }

    String baseName(long seq) {
        return baseName(seq, false);
    }

    /** The base file's name: {@code .base.rdb} for an RDB base (aof-use-rdb-preamble yes). */
    String baseName(long seq, boolean rdb) {
        return prefix + "." + seq + (rdb ? ".base.rdb" : ".base.aof");
    }

    String incrName(long seq) {
        return prefix + "." + seq + ".incr.aof";
    }

    Path path(String name) {
        return dir.resolve(name);
    }

    Path manifestPath() {
        return dir.resolve(manifestName());
    }

    void incrGrew(long n) {
        incrSize += n;
    }

    long currentSize() {
        return baseSize + incrSize;
    }
}
