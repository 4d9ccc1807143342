package org.sessioncluster.node.redis;

import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import org.sessioncluster.node.redis.RedisSessionRepository.Fetch;
import org.sessioncluster.node.redis.RedisSessionRequest.Held;

/**
 * How a request gets its session and gives it back, for {@link RedisSessionManager}: on first use the session
 * is locked (see {@link SessionLockMode}) and fetched in one round trip, or served from the copy this node
 * keeps (sticky, no round trip until the touch interval passes); at the end of the request one round trip
 * saves what changed, or only releases the lock, or nothing happens at all.
 */
final class RedisSessionAccess {
    private static final Logger LOG = Logger.getLogger(RedisSessionAccess.class.getName());
    /** The request this thread serves; Tomcat serves a (synchronous) request on one thread. */
    private static final ThreadLocal<RedisSessionRequest> REQUEST = new ThreadLocal<>();

    private final RedisSessionManager manager;
    private final RedisSessionRepository repository;
    private final RedisSessionEvents events;
    private final SessionCopies copies;
    private final SessionRules rules;
    private final String tokenPrefix;
    private final JvmSessionLocks jvmLocks = new JvmSessionLocks();
    private final AtomicLong tokens = new AtomicLong();

    RedisSessionAccess(
            RedisSessionManager manager,
            RedisSessionRepository repository,
            RedisSessionEvents events,
            SessionCopies copies,
            SessionRules rules,
            String tokenPrefix) {
        this.manager = manager;
        this.repository = repository;
        this.events = events;
        this.copies = copies;
        this.rules = rules;
        this.tokenPrefix = tokenPrefix;
    }

    /** The request this thread serves, or null outside one. */
    static RedisSessionRequest current() {
        return REQUEST.get();
    }

    RedisSessionRequest beginRequest(boolean mayWrite) {
        RedisSessionRequest request = new RedisSessionRequest(mayWrite);
        REQUEST.set(request);
        return request;
    }

    /** Saves what the request changed (or releases its locks), each session in one round trip. */
    void endRequest(RedisSessionRequest request) {
        REQUEST.set(null); // not remove(): its Reference.clear() is a call into the VM, on every request
        RuntimeException first = null;
        for (Held h : request.all()) {
            try {
                finish(h);
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                }
            } finally {
                if (h.jvmLockId != null) {
                    jvmLocks.release(h.jvmLockId);
                }
                if (!copies.kept()) {
                    manager.forgetCopy(h.session.getIdInternal(), h.session);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private void finish(Held h) {
        RedisSession s = h.session;
        String id = s.getIdInternal();
        if (h.invalidated) {
            if (!s.version.isEmpty()) {
                repository.delete(id, events.goneChannel(), events.message(id), events.holder());
            } else if (!h.token.isEmpty()) {
                repository.release(id, h.token);
            }
            return;
        }
        if (s.version.isEmpty() || s.isDirty()) {
            save(s, h.token);
        } else if (!h.token.isEmpty()) {
            repository.release(id, h.token);
        }
    }

    void save(RedisSession s, String token) {
        String id = s.getIdInternal();
        boolean fresh = s.version.isEmpty();
        if (fresh) {
            s.markAllChanged();
        }
        long now = System.currentTimeMillis();
        String expected = fresh ? "" : rules.lockMode() == SessionLockMode.NONE ? "*" : s.version;
        RedisSessionRepository.Saved saved = repository.save(
                id,
                token,
                expected,
                now,
                s.getMaxInactiveInterval(),
                s.getCreationTimeInternal(),
                events.writesChannel(),
                events.message(id),
                events.holder(),
                RedisSessionMapper.serialize(s.changedValues(), id),
                s.removedNames().stream()
                        .map(n -> RedisSessionMapper.ATTRIBUTE + n)
                        .toList());
        if (!saved.ok()) {
            manager.forgetCopy(id, s);
            throw new SessionBusyException("session " + RedisSessionMapper.shortId(id)
                    + " changed on another node during this request (stored version " + saved.version()
                    + ", loaded " + (fresh ? "none" : s.version) + "): this request's change was not saved");
        }
        s.version = saved.version();
        s.touchedAt = now;
        s.clearChanges();
    }

    /**
     * A login renames {@code s} to {@code newId} (before Tomcat changes the id): in one step where one script
     * reaches both keys; returns what the current request holds of it (null outside a request).
     */
    Held renaming(RedisSession s, String newId) {
        String oldId = s.getIdInternal();
        RedisSessionRequest request = current();
        Held h = request == null ? null : request.find(s);
        String token = h == null ? "" : h.token;
        if (!s.version.isEmpty() && repository.sharded()) {
            // On a Redis Cluster the new id may hash to another shard, out of one script's reach: the old
            // keys go now and the request's save writes the session whole under the new id (a node that dies
            // in between loses this one login, as a login cut off by a crash is lost anyway).
            repository.delete(oldId, events.goneChannel(), events.message(oldId), events.holder());
            s.version = "";
        } else if (!s.version.isEmpty()
                && !repository.rename(
                        oldId,
                        newId,
                        token,
                        rules.lockLeaseMillis(),
                        events.goneChannel(),
                        events.message(oldId),
                        events.holder())) {
            s.version = ""; // gone from Redis meanwhile: saved whole under the new id
        }
        return h;
    }

    /** The application invalidated {@code session}: its keys go at the end of the request (at once outside one). */
    void invalidated(RedisSession session) {
        RedisSessionRequest request = current();
        Held h = request == null ? null : request.find(session);
        if (h != null) {
            h.invalidated = true;
        } else if (!session.version.isEmpty()) {
            String id = session.getIdInternal();
            repository.delete(id, events.goneChannel(), events.message(id), events.holder());
        }
    }

    RedisSession acquire(RedisSessionRequest request, String id) {
        long deadline = System.nanoTime() + rules.lockWaitMillis() * 1_000_000;
        String jvmLock = null;
        if (rules.lockMode() != SessionLockMode.NONE) {
            if (!jvmLocks.acquire(id, rules.lockWaitMillis())) {
                throw busy(id);
            }
            jvmLock = id;
        }
        try {
            boolean redisLock = rules.lockMode() == SessionLockMode.REDIS
                    || rules.lockMode() == SessionLockMode.WRITES && request.mayWrite();
            String token = redisLock ? tokenPrefix + tokens.incrementAndGet() : "";
            RedisSession kept = copies.kept() ? manager.copy(id) : null;
            long now = System.currentTimeMillis();
            if (kept != null
                    && copies == SessionCopies.TRUSTED
                    && token.isEmpty()
                    && now - kept.touchedAt < rules.touchMillis()) {
                request.add(kept, jvmLock, ""); // sticky read: no round trip at all
                return kept;
            }
            for (long pause = 1; ; pause = Math.min(pause * 2, 16)) {
                Loaded loaded = load(id, token, kept);
                if (!loaded.locked()) {
                    if (loaded.session() == null) {
                        manager.dropCopy(id);
                        release(jvmLock);
                        return null;
                    }
                    RedisSession s = loaded.session();
                    if (s != kept || !copies.kept()) {
                        manager.keepCopy(id, s);
                    }
                    request.add(s, jvmLock, token);
                    return s;
                }
                if (System.nanoTime() - deadline > 0) {
                    throw busy(id);
                }
                try {
                    Thread.sleep(pause); // another node's request holds the session: a back-off, then ask again
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw busy(id);
                }
            }
        } catch (RuntimeException e) {
            release(jvmLock);
            throw e;
        }
    }

    /** What one fetch gave: the session (null for none), or that another request holds its lock. */
    record Loaded(RedisSession session, boolean locked) {
        static final Loaded NONE = new Loaded(null, false);
        static final Loaded LOCKED = new Loaded(null, true);
    }

    /**
     * One fetch: the session (the kept copy when it is current), none, or locked by another request. A key
     * that is not a session of this format counts as none (and is logged).
     */
    Loaded load(String id, String token, RedisSession kept) {
        long now = System.currentTimeMillis();
        Fetch f;
        try {
            f = repository.fetch(
                    id, token, rules.lockLeaseMillis(), kept == null ? "" : kept.version, now, events.holder());
        } catch (SessionFormatException e) {
            LOG.warning(e.getMessage() + "; answered as no session");
            return Loaded.NONE;
        }
        switch (f.found()) {
            case LOCKED:
                return Loaded.LOCKED;
            case NONE:
                return Loaded.NONE;
            case CURRENT:
                kept.touchedAt = now;
                return new Loaded(kept, false);
            default:
                RedisSession s = manager.emptySession();
                try {
                    RedisSessionMapper.restore(s, id, f.version(), f.fields());
                } catch (SessionFormatException e) {
                    if (!token.isEmpty()) {
                        repository.release(id, token);
                    }
                    LOG.warning(e.getMessage() + "; answered as no session");
                    return Loaded.NONE;
                }
                s.touchedAt = now;
                return new Loaded(s, false);
        }
    }

    private void release(String jvmLock) {
        if (jvmLock != null) {
            jvmLocks.release(jvmLock);
        }
    }

    private SessionBusyException busy(String id) {
        return new SessionBusyException("session " + RedisSessionMapper.shortId(id) + " is held by another request for"
                + " longer than redis.lock.wait.ms (" + rules.lockWaitMillis() + " ms)");
    }
}
