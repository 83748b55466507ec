package io.modis.acl;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.List;

/** ACL LOG: the latest refusals, newest first, similar ones grouped with a count. */
final class AclLog {
    /** Similar refusals closer than this are counted in one entry. */
    private static final long GROUPING_MILLIS = 60_000;

    static final class Entry {
        long count = 1;
        final String reason;
        final String context;
        final String object;
        final String username;
        long created;
        String clientInfo;

        Entry(String reason, String context, String object, String username, long created, String clientInfo) {
            this.reason = reason;
            this.context = context;
            this.object = object;
            this.username = username;
            this.created = created;
            this.clientInfo = clientInfo;
        }

        boolean similar(Entry o) {
            return reason.equals(o.reason) && context.equals(o.context) && Math.abs(created - o.created) <= GROUPING_MILLIS
                    && object.equals(o.object) && username.equals(o.username);
        }
    }

    private final LinkedList<Entry> entries = new LinkedList<>();

    void add(Entry e, long maxLen) {
        int scanned = 0;
        for (Iterator<Entry> it = entries.iterator(); it.hasNext() && scanned < 10; scanned++) {
            Entry cur = it.next();
            if (cur.similar(e)) {
                it.remove();
                cur.count++;
                cur.created = e.created;
                cur.clientInfo = e.clientInfo;
                entries.addFirst(cur);
                return;
            }
        }
        entries.addFirst(e);
        while (entries.size() > maxLen) {
            entries.removeLast();
        }
    }

    void trim(long maxLen) {
        while (entries.size() > maxLen) {
            entries.removeLast();
        }
    }

    void reset() {
        entries.clear();
    }

    List<Entry> latest(long count) {
        List<Entry> out = new ArrayList<>();
        for (Entry e : entries) {
            if (out.size() >= count) {
                break;
            }
            out.add(e);
        }
        return out;
    }
}
