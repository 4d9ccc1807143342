package org.sessioncluster.node.redis;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/** One lock per session id in this JVM, held by a request for its whole length; entries go when unused. */
final class JvmSessionLocks {
    private static final class Entry {
        final ReentrantLock lock = new ReentrantLock(true);
        int users;
    }

    private final ConcurrentHashMap<String, Entry> locks = new ConcurrentHashMap<>();

    /** True when this thread now holds the lock of {@code id}; false after {@code waitMillis} without it. */
    boolean acquire(String id, long waitMillis) {
        Entry e = locks.compute(id, (k, v) -> {
            Entry entry = v == null ? new Entry() : v;
            entry.users++;
            return entry;
        });
        boolean held;
        try {
            held = e.lock.tryLock(waitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            held = false;
        }
        if (!held) {
            leave(id);
        }
        return held;
    }

    void release(String id) {
        Entry e = locks.get(id);
        if (e != null && e.lock.isHeldByCurrentThread()) {
            e.lock.unlock();
            leave(id);
        }
    }

    int size() {
        return locks.size();
    }

    private void leave(String id) {
        locks.computeIfPresent(id, (k, v) -> --v.users == 0 ? null : v);
    }
}
