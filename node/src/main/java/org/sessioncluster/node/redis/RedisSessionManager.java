package org.sessioncluster.node.redis;

import java.io.File;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.Session;
import org.apache.catalina.Valve;
import org.apache.catalina.session.ManagerBase;
import org.apache.catalina.session.StandardSession;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;
import org.sessioncluster.node.mode.SessionStoreDownValve;
import org.sessioncluster.node.redis.RedisSessionRepository.Fetch;
import org.sessioncluster.node.redis.RedisSessionRequest.Held;

/**
 * The redis session mode's Tomcat manager. Per request ({@link RedisSessionValve} opens and closes it): the
 * first time the request asks for its session, it is locked (see {@link SessionLockMode}) and loaded in one
 * round trip; at the end, one round trip saves what changed (or only releases the lock; or nothing at all).
 * With {@code cacheSessions} (sticky balancing) a node keeps the sessions it served and serves them again
 * without asking Redis, checking in only once per touch interval; another node's write, rename or
 * invalidation reaches it as a message and drops its copy, and a save over a newer version is refused.
 * <p>
 * Configured by its bean properties: in the embedded node by {@link RedisSessionManagerFactory}, on a stock
 * Tomcat by the attributes of {@code <Manager>} in context.xml (with a Redisson YAML at {@code configPath}).
 */
public final class RedisSessionManager extends ManagerBase {
    private static final Logger LOG = Logger.getLogger(RedisSessionManager.class.getName());
    private static final ThreadLocal<RedisSessionRequest> REQUEST = new ThreadLocal<>();

    private Config redissonConfig;
    private String configPath = "";
    private String where = "Redis";
    private boolean passwordGiven;
    private String keyPrefix = "sessioncluster:session:";
    private SessionLockMode lockMode = SessionLockMode.REDIS;
    private boolean cacheSessions;
    private long lockLeaseMillis = 3_000;
    private long lockWaitMillis = 5_000;
    private long touchIntervalMillis = 5_000;
    private long expiryGraceMillis = 60_000;
    private int syncReplicas;
    private boolean configureKeyspaceEvents = true;
    private String nodeName = "";

    private final JvmSessionLocks jvmLocks = new JvmSessionLocks();
    private final AtomicLong tokens = new AtomicLong();
    private final String incarnation = UUID.randomUUID().toString().substring(0, 8);
    private RedissonClient client;
    private RedisSessionRepository repository;
    private RedisSessionEvents events;
    private Valve valve;
    private Valve storeDown;
    private volatile String startProblem;

    // ---- configuration (bean properties: context.xml sets them by name) ----

    /** The Redisson client settings to use (the embedded node builds them from cluster.properties). */
    public void setRedissonConfig(Config config) {
        this.redissonConfig = config;
    }

    /** A Redisson YAML file with the client settings (stock Tomcat: {@code ${catalina.base}/conf/redisson.yaml}). */
    public void setConfigPath(String path) {
        this.configPath = path;
    }

    /** Where Redis is, in words, for messages. */
    public void setWhere(String where) {
        this.where = where;
    }

    public void setPasswordGiven(boolean given) {
        this.passwordGiven = given;
    }

    public void setKeyPrefix(String prefix) {
        this.keyPrefix = prefix;
    }

    public void setLockMode(String mode) {
        this.lockMode = SessionLockMode.parse(mode);
    }

    public void setCacheSessions(boolean cache) {
        this.cacheSessions = cache;
    }

    public void setLockLeaseMillis(long millis) {
        this.lockLeaseMillis = millis;
    }

    public void setLockWaitMillis(long millis) {
        this.lockWaitMillis = millis;
    }

    public void setTouchIntervalMillis(long millis) {
        this.touchIntervalMillis = millis;
    }

    public void setExpiryGraceMillis(long millis) {
        this.expiryGraceMillis = millis;
    }

    public void setSyncReplicas(int replicas) {
        this.syncReplicas = replicas;
    }

    /** Whether to turn on Redis's expiry notifications ({@code notify-keyspace-events Ex}) at start. */
    public void setConfigureKeyspaceEvents(boolean configure) {
        this.configureKeyspaceEvents = configure;
    }

    public void setNodeName(String name) {
        this.nodeName = name;
    }

    public SessionLockMode lockMode() {
        return lockMode;
    }

    public boolean cachesSessions() {
        return cacheSessions;
    }

    /** Round trips to Redis this manager made (each load, save, release, rename, delete, claim is one). */
    public long redisRoundTrips() {
        return repository == null ? 0 : repository.roundTrips();
    }

    /** Sessions expired in Redis whose listeners this node told. */
    public long expiredSessionsTold() {
        return events == null ? 0 : events.expiredTold();
    }

    /** Expiry notices from Redis this node heard and handled (whether or not it was the one to tell). */
    public long expiryNoticesHandled() {
        return events == null ? 0 : events.expiryNoticesHandled();
    }

    /** Why the manager did not start, in words; null when it started or nothing is known. */
    public String startProblem() {
        return startProblem;
    }

    /** The manager's Redis client; null before it started. */
    public RedissonClient client() {
        return client;
    }

    @Override
    public String getName() {
        return "RedisSessionManager";
    }

    // ---- lifecycle ----

    @Override
    protected synchronized void startInternal() throws LifecycleException {
        super.startInternal();
        try {
            Config config = redissonConfig != null ? new Config(redissonConfig) : Config.fromYAML(new File(configPath));
            config.setUseScriptCache(true); // EVALSHA: a script's text crosses the wire once
            client = Redisson.create(config);
            repository = new RedisSessionRepository(
                    client,
                    new RedisSessionKeys(keyPrefix),
                    touchIntervalMillis,
                    expiryGraceMillis,
                    syncReplicas,
                    Duration.ofMillis(500));
            repository.preload();
            if (nodeName.isEmpty()) {
                nodeName = getEngine() == null || getEngine().getJvmRoute() == null
                        ? incarnation
                        : getEngine().getJvmRoute();
            }
            events = new RedisSessionEvents(this, repository, nodeName, cacheSessions, keyPrefix + "changes");
            events.start(configureKeyspaceEvents);
        } catch (IOException | RuntimeException e) {
            startProblem = RedisConnectProblem.describe(e, where, passwordGiven);
            LOG.severe(startProblem);
            if (client != null) {
                client.shutdown();
            }
            throw new LifecycleException(startProblem, e);
        }
        installValves();
        LOG.info(() -> "sessions in " + where + " under " + keyPrefix + "{id}: lock "
                + lockMode.name().toLowerCase()
                + (cacheSessions ? ", copies kept on this node (sticky)" : ", loaded on every request"));
        setState(LifecycleState.STARTING);
    }

    /**
     * This manager's valve goes first in the context's pipeline, behind the store-down answer (a store that
     * fails answers a short 503, or 500 for data it refuses, never Tomcat's stack trace page): every valve
     * after it that asks for the session (Tomcat's authenticator does, for a cached login) is inside the request.
     */
    private void installValves() {
        org.apache.catalina.Pipeline pipeline = getContext().getPipeline();
        java.util.List<Valve> others = new java.util.ArrayList<>();
        for (Valve v : pipeline.getValves()) {
            if (v != pipeline.getBasic()) {
                pipeline.removeValve(v);
                if (v instanceof SessionStoreDownValve) {
                    storeDown = v;
                } else {
                    others.add(v);
                }
            }
        }
        if (storeDown == null) {
            storeDown = new SessionStoreDownValve(where);
        }
        valve = new RedisSessionValve(this);
        pipeline.addValve(storeDown);
        pipeline.addValve(valve);
        others.forEach(pipeline::addValve);
    }

    @Override
    protected synchronized void stopInternal() throws LifecycleException {
        setState(LifecycleState.STOPPING);
        if (valve != null) {
            getContext().getPipeline().removeValve(valve);
        }
        if (storeDown != null) {
            getContext().getPipeline().removeValve(storeDown);
        }
        if (events != null) {
            events.stop();
        }
        if (client != null) {
            client.shutdown();
        }
        sessions.clear();
        super.stopInternal();
    }

    @Override
    public void load() {
        // sessions live in Redis: nothing to read back at start
    }

    @Override
    public void unload() {
        // nothing to write at stop: every request saved its changes before it answered
    }

    @Override
    protected StandardSession getNewSession() {
        return new RedisSession(this);
    }

    // ---- requests ----

    RedisSessionRequest beginRequest() {
        RedisSessionRequest request = new RedisSessionRequest();
        REQUEST.set(request);
        return request;
    }

    /** Saves what the request changed (or releases its locks), each session in one round trip. */
    void endRequest(RedisSessionRequest request) {
        REQUEST.remove();
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
                if (!cacheSessions) {
                    sessions.remove(h.session.getIdInternal(), h.session);
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
                repository.delete(id, events.channel(), events.message(id));
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

    private void save(RedisSession s, String token) {
        String id = s.getIdInternal();
        boolean fresh = s.version.isEmpty();
        if (fresh) {
            s.markAllChanged();
        }
        long now = System.currentTimeMillis();
        String expected = fresh ? "" : lockMode == SessionLockMode.NONE ? "*" : s.version;
        RedisSessionRepository.Saved saved = repository.save(
                id,
                token,
                expected,
                now,
                s.getMaxInactiveInterval(),
                s.getCreationTimeInternal(),
                events.channel(),
                events.message(id),
                RedisSessionMapper.serialize(s.changedValues(), id),
                s.removedNames().stream()
                        .map(n -> RedisSessionMapper.ATTRIBUTE + n)
                        .toList());
        if (!saved.ok()) {
            sessions.remove(id, s);
            throw new SessionBusyException("session " + RedisSessionMapper.shortId(id)
                    + " changed on another node during this request (stored version " + saved.version()
                    + ", loaded " + (fresh ? "none" : s.version) + "): this request's change was not saved");
        }
        s.version = saved.version();
        s.touchedAt = now;
        s.clearChanges();
    }

    @Override
    public Session findSession(String id) throws IOException {
        if (id == null) {
            return null;
        }
        RedisSessionRequest request = REQUEST.get();
        if (request == null) {
            // outside a request (Tomcat's own checks): a copy kept here, or a plain read that is not kept
            Session kept = sessions.get(id);
            return kept != null ? kept : load(id, "", null).session();
        }
        Held held = request.find(id);
        if (held != null) {
            return held.session;
        }
        return acquire(request, id);
    }

    private RedisSession acquire(RedisSessionRequest request, String id) {
        long deadline = System.nanoTime() + lockWaitMillis * 1_000_000;
        String jvmLock = null;
        if (lockMode != SessionLockMode.NONE) {
            if (!jvmLocks.acquire(id, lockWaitMillis)) {
                throw busy(id);
            }
            jvmLock = id;
        }
        try {
            String token = lockMode == SessionLockMode.REDIS
                    ? nodeName + ":" + incarnation + ":" + tokens.incrementAndGet()
                    : "";
            RedisSession kept = cacheSessions ? (RedisSession) sessions.get(id) : null;
            long now = System.currentTimeMillis();
            if (kept != null && token.isEmpty() && now - kept.touchedAt < touchIntervalMillis) {
                request.add(kept, jvmLock, ""); // sticky read: no round trip at all
                return kept;
            }
            for (long pause = 1; ; pause = Math.min(pause * 2, 16)) {
                Loaded loaded = load(id, token, kept);
                if (!loaded.locked()) {
                    if (loaded.session() == null) {
                        sessions.remove(id);
                        release(jvmLock);
                        return null;
                    }
                    RedisSession s = loaded.session();
                    if (s != kept || !cacheSessions) {
                        sessions.put(id, s);
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
    private record Loaded(RedisSession session, boolean locked) {
        static final Loaded NONE = new Loaded(null, false);
        static final Loaded LOCKED = new Loaded(null, true);
    }

    /**
     * One fetch: the session (the kept copy when it is current), none, or locked by another request. A key
     * that is not a session of this format counts as none (and is logged).
     */
    private Loaded load(String id, String token, RedisSession kept) {
        long now = System.currentTimeMillis();
        Fetch f;
        try {
            f = repository.fetch(id, token, lockLeaseMillis, kept == null ? "" : kept.version, now);
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
                RedisSession s = (RedisSession) createEmptySession();
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
                + " longer than redis.lock.wait.ms (" + lockWaitMillis + " ms)");
    }

    @Override
    public Session createSession(String requestedId) {
        // never an id the client chose: a session id is only ever one this server made
        RedisSession s = (RedisSession) super.createSession(null);
        RedisSessionRequest request = REQUEST.get();
        if (request != null) {
            request.add(s, null, "");
        } else {
            save(s, "");
            if (!cacheSessions) {
                sessions.remove(s.getIdInternal(), s);
            }
        }
        return s;
    }

    @Override
    protected void changeSessionId(
            Session session, String newId, boolean notifySessionListeners, boolean notifyContainerListeners) {
        RedisSession s = (RedisSession) session;
        String oldId = s.getIdInternal();
        RedisSessionRequest request = REQUEST.get();
        Held h = request == null ? null : request.find(s);
        String token = h == null ? "" : h.token;
        if (!s.version.isEmpty()
                && !repository.rename(oldId, newId, token, lockLeaseMillis, events.channel(), events.message(oldId))) {
            s.version = ""; // gone from Redis meanwhile: saved whole under the new id
        }
        super.changeSessionId(session, newId, notifySessionListeners, notifyContainerListeners);
        if (h == null && !cacheSessions) {
            sessions.remove(newId, s);
        }
    }

    /** The application invalidated {@code session} (not Redis's expiry): its keys go, at the end of the request. */
    void invalidated(RedisSession session) {
        RedisSessionRequest request = REQUEST.get();
        Held h = request == null ? null : request.find(session);
        if (h != null) {
            h.invalidated = true;
        } else if (!session.version.isEmpty()) {
            String id = session.getIdInternal();
            repository.delete(id, events.channel(), events.message(id));
        }
    }

    /** Another node changed, renamed or removed this session: the copy here (if any) is no longer current. */
    void dropCopy(String id) {
        sessions.remove(id);
    }

    /** A session Redis expired, as this node claimed it: a copy that only tells the listeners. */
    RedisSession expiredCopy(String id, Map<String, byte[]> fields) {
        RedisSession s = (RedisSession) createEmptySession();
        RedisSessionMapper.restore(s, id, "", fields);
        s.expiredInRedis = true;
        return s;
    }

    Object deserialize(String id, String name, byte[] bytes) {
        ClassLoader loader = getContext() != null && getContext().getLoader() != null
                ? getContext().getLoader().getClassLoader()
                : getClass().getClassLoader();
        return RedisSessionMapper.deserialize(
                bytes,
                loader,
                getSessionAttributeValueClassNamePattern(),
                getWarnOnSessionAttributeFilterFailure(),
                id,
                name);
    }

    @Override
    public void processExpires() {
        // Redis expires sessions (and its notification tells the listeners); here only copies no request
        // used for longer than a session may idle are let go, silently.
        long now = System.currentTimeMillis();
        for (Session s : findSessions()) {
            RedisSession rs = (RedisSession) s;
            int max = rs.getMaxInactiveInterval();
            if (max > 0 && now - rs.getThisAccessedTimeInternal() > max * 1000L + touchIntervalMillis) {
                sessions.remove(rs.getIdInternal(), rs);
            }
        }
    }
}
