package io.modis.examples.template;

import io.modis.api.Bytes;
import io.modis.api.DataType;
import io.modis.api.Digest;
import io.modis.api.Value;

/** A counter value. Values are changed only on the engine thread: no synchronization. */
public final class Counter implements Value {
    private long value;

    Counter(long value) {
        this.value = value;
    }

    long get() {
        return value;
    }

    void set(long value) {
        this.value = value;
    }

    @Override
    public DataType type() {
        return CounterType.INSTANCE;
    }

    /** What OBJECT ENCODING answers. */
    @Override
    public String encoding() {
        return "raw";
    }

    /** MEMORY USAGE and maxmemory read this estimate: the object header and one long. */
    @Override
    public long memoryUsage() {
        return 24;
    }

    @Override
    public Value copy() {
        return new Counter(value);
    }

    /** DEBUG DIGEST: equal contents give equal digests. */
    @Override
    public void digest(Digest d) {
        d.add(Bytes.fromLong(value));
    }
}
