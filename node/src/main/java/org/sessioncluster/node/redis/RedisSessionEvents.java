package org.sessioncluster.node.redis;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/**
 * What the redis session mode hears from Redis: other nodes' changes (when nodes keep copies: every write
 * for trusted copies, only logouts and logins for copies checked on every request) and the expiry of
 * sessions. When a session's expiry marker expires, every node hears it, one claims the
 * session's data in one script, and that node alone tells the listeners ({@code sessionDestroyed},
 * {@code valueUnbound}): once cluster-wide. A node that dies between its claim and the telling loses
 * that notice (at most once, never twice).
 */
final class RedisSessionEvents {
    private static final Logger LOG = Logger.getLogger(RedisSessionEvents.class.getName());
    private static final String EXPIRED = "__keyevent@*__:expired";

    private final RedisSessionManager manager;
    private final RedisSessionRepository repository;
    private final String node;
    private final String channel;
    private final SessionCopies copies;
    private final ExecutorService claims = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "redis-session-expiry");
        t.setDaemon(true);
        return t;
    });
    private final LongAdder told = new LongAdder();
    private final LongAdder heard = new LongAdder();
    private volatile boolean stopped;

    RedisSessionEvents(
            RedisSessionManager manager,
            RedisSessionRepository repository,
            String node,
            SessionCopies copies,
            String channel) {
        this.manager = manager;
        this.repository = repository;
        this.node = node;
        this.copies = copies;
        this.channel = copies.kept() ? channel : "";
    }

    /**
     * The channel a write is announced on: only for copies served without asking Redis ("" = nothing is
     * published; a checked copy finds a write by its version).
     */
    String writesChannel() {
        return copies.needMessages() ? channel : "";
    }

    /**
     * The channel a logout or a login (the old id) is announced on, wherever nodes keep copies: a checked copy
     * would find the session gone on its next use, but a node whose users went elsewhere would hold it until
     * it idles out.
     */
    String goneChannel() {
        return channel;
    }

    /**
     * How this node names itself as a holder of copies in a session's hash, so that a write is announced only
     * when another node may hold one ("" when writes are not announced: nothing is recorded, and a logout or
     * login is announced always).
     */
    String holder() {
        return writesChannel().isEmpty() ? "" : node;
    }

    /** How a write by this node names itself and the session (the save script appends the new version). */
    String message(String id) {
        return node + " " + id;
    }

    long expiredTold() {
        return told.sum();
    }

    /** Expiry notices this node heard and finished handling (claimed or not). */
    long expiryNoticesHandled() {
        return heard.sum();
    }

    void start(boolean configureKeyspaceEvents) {
        if (configureKeyspaceEvents) {
            enableExpiryNotifications();
        }
        RedisConnection redis = repository.redis();
        RedisSubscription.Listener listener = (pattern, ch, message) -> {
            if (stopped) {
                return;
            }
            if (EXPIRED.equals(pattern)) {
                expired(message);
            } else if (ch.equals(channel)) {
                changed(message);
            }
        };
        List<RedisSubscription> subscriptions = new java.util.ArrayList<>();
        if (redis.cluster()) {
            // An expiry is told only by the node that holds the key: the pattern goes to every node, replicas
            // too (one may be promoted). PUBLISH reaches every node of a cluster: the changes once, from any.
            for (HostAndPort server : redis.servers()) {
                subscriptions.add(new RedisSubscription(
                        "redis-expiry-" + server, () -> server, redis, List.of(EXPIRED), listener));
            }
            if (!channel.isEmpty()) {
                List<HostAndPort> all = redis.servers();
                java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
                subscriptions.add(new RedisSubscription(
                        "redis-session-changes",
                        () -> all.get(Math.floorMod(next.getAndIncrement(), all.size())),
                        redis,
                        List.of(exactly(channel)),
                        listener));
            }
        } else {
            List<String> patterns = channel.isEmpty() ? List.of(EXPIRED) : List.of(EXPIRED, exactly(channel));
            subscriptions.add(new RedisSubscription("redis-session-events", redis::primary, redis, patterns, listener));
        }
        for (RedisSubscription s : subscriptions) {
            redis.closeWith(s);
            if (!s.start(RedisConnection.COMMAND_TIMEOUT_MILLIS)) {
                throw new RedisConnection.Unreachable(
                        "could not subscribe to " + redis.endpoint().describe() + " within "
                                + RedisConnection.COMMAND_TIMEOUT_MILLIS + " ms",
                        null);
            }
        }
    }

    /** A channel name as a pattern that matches it alone (Redis glob characters escaped). */
    static String exactly(String channelName) {
        return channelName.replaceAll("([\\\\*?\\[\\]^])", "\\\\$1");
    }

    private void changed(String message) {
        String[] parts = message.split(" ");
        if (parts.length >= 2 && !parts[0].equals(node)) {
            manager.dropCopy(parts[1]);
        }
    }

    private void expired(String key) {
        String id = repository.keys().idOfMarker(key);
        if (id != null) {
            manager.dropCopy(id);
            claims.execute(() -> claim(id));
        }
    }

    void stop() {
        stopped = true; // the subscriptions close with the connection
        claims.shutdown();
        try {
            claims.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void claim(String id) {
        try {
            Map<String, byte[]> fields = repository.claimExpired(id);
            if (fields.isEmpty()) {
                return; // touched again, or another node tells the listeners
            }
            manager.expiredCopy(id, fields).expire(true);
            told.increment();
        } catch (RuntimeException e) {
            LOG.warning(() -> "session " + RedisSessionMapper.shortId(id) + " expired in Redis, but its listeners"
                    + " could not be told: " + e.getMessage());
        } finally {
            heard.increment();
        }
    }

    /**
     * Redis tells subscribers about expired keys only with {@code notify-keyspace-events} holding E and x.
     * Turned on where the server allows CONFIG (the primary and its replicas, which may become primary);
     * where it does not (a managed Redis), the operator sets it, and this says so.
     */
    private void enableExpiryNotifications() {
        try {
            for (HostAndPort server : repository.redis().servers()) {
                try (Jedis c = new Jedis(repository.redis().connectTo(server))) {
                    String flags = c.configGet("notify-keyspace-events").getOrDefault("notify-keyspace-events", "");
                    if (!flags.contains("E") || !(flags.contains("x") || flags.contains("A"))) {
                        c.configSet("notify-keyspace-events", flags + (flags.contains("E") ? "" : "E") + "x");
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.warning(() -> "could not turn on Redis's expiry notifications (CONFIG SET notify-keyspace-events Ex: "
                    + e.getMessage() + "); session listeners hear of expired sessions only if Redis has them on");
        }
    }
}
