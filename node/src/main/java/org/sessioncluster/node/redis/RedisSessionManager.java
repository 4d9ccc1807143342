package org.sessioncluster.node.redis;

import java.io.IOException;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Logger;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.Session;
import org.apache.catalina.Valve;
import org.apache.catalina.session.StandardSession;
import org.sessioncluster.node.mode.SessionStoreDownValve;
import org.sessioncluster.node.redis.RedisSessionRequest.Held;

/**
 * The redis session mode's Tomcat manager. Per request ({@link RedisSessionValve} opens and closes it): the
 * first time the request asks for its session, it is locked (see {@link SessionLockMode}) and loaded in one
 * round trip; at the end, one round trip saves what changed (or only releases the lock; or nothing at all).
 * With {@code cacheSessions} (see {@link SessionCopies}) a node keeps the sessions it served and serves them again
 * without asking Redis, checking in only once per touch interval; another node's write, rename or
 * invalidation reaches it as a message and drops its copy, and a save over a newer version is refused.
 * <p>
 * Configured by its bean properties: in the embedded node by {@link RedisSessionManagerFactory}, on a stock
 * Tomcat by the attributes of {@code <Manager>} in context.xml ({@code address} or {@code sentinels} and
 * {@code sentinelMaster} or {@code clusterNodes}; {@code username}, {@code passwordEnv}: the environment
 * variable holding the password; {@code truststore}).
 */
public final class RedisSessionManager extends RedisSessionManagerSettings {
    private static final Logger LOG = Logger.getLogger(RedisSessionManager.class.getName());

    private final String incarnation = UUID.randomUUID().toString().substring(0, 8);
    private RedisConnection redis;
    private RedisSessionRepository repository;
    private RedisSessionEvents events;
    private RedisSessionAccess access;
    private Valve valve;
    private Valve storeDown;
    private volatile String startProblem;

    public SessionLockMode lockMode() {
        return lockMode;
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

    /** Saves whose replicas did not all acknowledge within the wait (redis.sync.replicas). */
    public long syncShortfalls() {
        return repository == null ? 0 : repository.syncShortfalls();
    }

    @Override
    public String getName() {
        return "RedisSessionManager";
    }

    // ---- lifecycle ----

    @Override
    protected synchronized void startInternal() throws LifecycleException {
        super.startInternal();
        RedisEndpoint where = endpoint != null
                ? endpoint
                : RedisEndpoint.ofAttributes(
                        address,
                        sentinels,
                        sentinelMaster,
                        clusterNodes,
                        username,
                        password,
                        truststore,
                        truststorePassword);
        try {
            if (where.addresses().stream().allMatch(String::isBlank)) {
                throw new IllegalArgumentException(
                        "no Redis given: set address, sentinels (with sentinelMaster) or" + " clusterNodes");
            }
            redis = RedisConnection.open(where, maxConnections, timeoutMillis);
            SessionRules rules = rules();
            repository = new RedisSessionRepository(redis, new RedisSessionKeys(keyPrefix), rules);
            repository.preload();
            if (nodeName.isEmpty()) {
                nodeName = getEngine() == null || getEngine().getJvmRoute() == null
                        ? incarnation
                        : getEngine().getJvmRoute();
            }
            events = new RedisSessionEvents(this, repository, nodeName, copies, keyPrefix + "changes");
            events.start(configureKeyspaceEvents);
            access =
                    new RedisSessionAccess(this, repository, events, copies, rules, nodeName + ":" + incarnation + ":");
        } catch (RuntimeException e) {
            startProblem = RedisConnectProblem.describe(
                    e, where.describe(), !where.password().isEmpty());
            LOG.severe(startProblem);
            if (redis != null) {
                redis.close();
                redis = null;
            }
            throw new LifecycleException(startProblem, e);
        }
        LOG.info(() -> "sessions in " + where.describe() + " under " + keyPrefix + "{id}: lock "
                + lockMode.name().toLowerCase()
                + ", " + copies.describe());
        setState(LifecycleState.STARTING);
    }

    /**
     * This manager's valve goes into the context's pipeline as soon as the manager is given its context,
     * behind the store-down answer (a store that fails answers a short 503, or 500 for data it refuses,
     * never Tomcat's stack trace page). That is before the context starts, so before the authenticator
     * Tomcat adds at start: every valve after these that asks for the session (the authenticator does, for
     * a cached login) is inside the request. (Moving valves later is not possible: a pipeline destroys
     * the valves it removes.)
     */
    @Override
    public void setContext(org.apache.catalina.Context context) {
        org.apache.catalina.Context previous = getContext();
        if (previous != null && previous != context && valve != null) {
            previous.getPipeline().removeValve(valve);
            previous.getPipeline().removeValve(storeDown);
            valve = null;
            storeDown = null;
        }
        super.setContext(context);
        if (context != null && valve == null) {
            storeDown = new SessionStoreDownValve(this::where);
            valve = new RedisSessionValve(this);
            context.getPipeline().addValve(storeDown);
            context.getPipeline().addValve(valve);
        }
    }

    @Override
    protected synchronized void stopInternal() throws LifecycleException {
        setState(LifecycleState.STOPPING);
        if (events != null) {
            events.stop();
        }
        if (redis != null) {
            redis.close();
            redis = null;
        }
        sessions.clear();
        super.stopInternal();
    }

    /** Where the sessions are, in words, for messages. */
    String where() {
        return redis != null ? redis.endpoint().describe() : endpoint != null ? endpoint.describe() : address;
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

    // ---- sessions ----

    /** The running request side, or null while the manager is not started (its valve then lets requests by). */
    RedisSessionAccess access() {
        return access;
    }

    @Override
    public Session findSession(String id) throws IOException {
        if (id == null) {
            return null;
        }
        RedisSessionRequest request = RedisSessionAccess.current();
        if (request == null) {
            // outside a request (Tomcat's own checks): a copy kept here, or a plain read that is not kept
            Session kept = sessions.get(id);
            return kept != null ? kept : access.load(id, "", null).session();
        }
        Held held = request.find(id);
        return held != null ? held.session : access.acquire(request, id);
    }

    @Override
    public Session createSession(String requestedId) {
        // never an id the client chose: a session id is only ever one this server made
        RedisSession s = (RedisSession) super.createSession(null);
        RedisSessionRequest request = RedisSessionAccess.current();
        if (request != null) {
            request.add(s, null, "");
        } else {
            access.save(s, "");
            if (!copies.kept()) {
                sessions.remove(s.getIdInternal(), s);
            }
        }
        return s;
    }

    @Override
    protected void changeSessionId(
            Session session, String newId, boolean notifySessionListeners, boolean notifyContainerListeners) {
        RedisSession s = (RedisSession) session;
        Held h = access.renaming(s, newId);
        super.changeSessionId(session, newId, notifySessionListeners, notifyContainerListeners);
        if (h == null && !copies.kept()) {
            sessions.remove(newId, s);
        }
    }

    /** The application invalidated {@code session} (not Redis's expiry): its keys go, at the end of the request. */
    void invalidated(RedisSession session) {
        access.invalidated(session);
    }

    /** Another node changed, renamed or removed this session: the copy here (if any) is no longer current. */
    void dropCopy(String id) {
        sessions.remove(id);
    }

    /** The copy of a session this node keeps (sticky), or null. */
    RedisSession copy(String id) {
        return (RedisSession) sessions.get(id);
    }

    void keepCopy(String id, RedisSession session) {
        sessions.put(id, session);
    }

    /** Lets this copy go (and only this one: a newer copy under the same id stays). */
    void forgetCopy(String id, RedisSession session) {
        sessions.remove(id, session);
    }

    RedisSession emptySession() {
        return (RedisSession) createEmptySession();
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
