package io.modis.streams;

import io.modis.api.Reply;
import io.modis.streams.StreamBlock.Entry;
import java.util.List;

/** How entries are written in replies: {@code [id, [field, value, ...]]}. */
final class StreamReplies {
    private StreamReplies() {
    }

    static void entry(Reply r, Entry e) {
        r.array(2);
        r.bulk(e.id().toBytes());
        r.array(2 * e.pairs());
        e.block().forEachField(e, r::bulk);
    }

    static void entries(Reply r, List<Entry> entries) {
        r.array(entries.size());
        for (Entry e : entries) {
            entry(r, e);
        }
    }

    static void id(Reply r, StreamId id) {
        r.bulk(id.toBytes());
    }
}
