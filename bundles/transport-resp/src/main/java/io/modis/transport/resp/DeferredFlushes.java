package io.modis.transport.resp;

import java.util.ArrayList;
import java.util.concurrent.Executor;

/**
 * Replies written outside a read batch — a PUBLISH fanned out to many subscribers, a blocked
 * client served by another's command, MONITOR lines — are flushed by one task per engine turn
 * for all the connections written to, rather than one task per connection: a message to 1,000
 * subscribers costs one queued task, and several messages to one subscriber in the same turn
 * cost one flush.
 *
 * <p>Only the engine thread writes replies, so each engine thread has its own list and no
 * locking is needed.
 */
final class DeferredFlushes {
    private static final ThreadLocal<DeferredFlushes> OF_THREAD = ThreadLocal.withInitial(DeferredFlushes::new);

    private ArrayList<RespConnection> waiting = new ArrayList<>();
    private ArrayList<RespConnection> spare = new ArrayList<>();
    private final Runnable flushAll = this::flushAll;

    private DeferredFlushes() {
    }

    /** Flushes {@code c} once the engine's current task is done (called on the engine thread). */
    static void schedule(RespConnection c, Executor engine) {
        DeferredFlushes d = OF_THREAD.get();
        if (d.waiting.isEmpty()) {
            engine.execute(d.flushAll);
        }
        d.waiting.add(c);
    }

    private void flushAll() {
        // connections written to while these flush wait for the next task
        ArrayList<RespConnection> batch = waiting;
        waiting = spare;
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).deferredFlush();
        }
        batch.clear();
        spare = batch;
    }
}
