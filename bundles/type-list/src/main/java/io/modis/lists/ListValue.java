package io.modis.lists;

import io.modis.api.DataType;
import io.modis.api.Digest;
import io.modis.api.Members;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A list held under a key. Redis 7.0 reports every list as "quicklist", whatever its size.
 * Its members, for SORT and other readers, are its elements from head to tail.
 */
public final class ListValue extends QuickList implements Members {
    private static final AtomicLong CREATED = new AtomicLong();

    /**
     * When this value came to be, in creation order across all lists. A client blocked on
     * several keys that fill up in one command is served from the list that appeared first,
     * as Redis serves the key first signalled ready (a list key is signalled when it is added).
     */
    private final long birth = CREATED.incrementAndGet();

    ListValue() {
        super(ListTuning.fill());
    }

    private ListValue(int fill) {
        super(fill);
    }

    /**
     * A list of {@code elements}, head to tail (SORT ... STORE builds its result with it). The
     * list keeps copies: the arrays may be other values' and change later.
     */
    public static ListValue of(List<byte[]> elements) {
        ListValue v = new ListValue();
        for (byte[] e : elements) {
            v.pushLastCopy(e);
        }
        return v;
    }

    long birth() {
        return birth;
    }

    @Override
    public DataType type() {
        return ListType.INSTANCE;
    }

    @Override
    public String encoding() {
        return "quicklist";
    }

    @Override
    public long memoryUsage() {
        return footprint();
    }

    @Override
    public ListValue copy() {
        ListValue v = new ListValue(fill());
        v.copyFrom(this);
        return v;
    }

    @Override
    public void digest(Digest d) {
        walk(0, true, (buf, off, len) -> {
            d.add(Arrays.copyOfRange(buf, off, off + len));
            return true;
        });
    }

    @Override
    public void forEachMember(Consumer<byte[]> out) {
        walk(0, true, (buf, off, len) -> {
            out.accept(off == 0 && len == buf.length ? buf : Arrays.copyOfRange(buf, off, off + len));
            return true;
        });
    }
}
