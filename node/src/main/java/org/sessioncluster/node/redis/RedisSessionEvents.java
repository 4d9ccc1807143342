package org.sessioncluster.node.redis;

import io.lettuce.core.RedisURI;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.RedisPubSubListener;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;

/**
 * What the redis session mode hears from Redis: other nodes' changes (when nodes keep copies) and the
 * expiry of sessions. When a session's expiry marker expires, every node hears it, one claims the
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
            boolean copiesKept,
            String channel) {
        this.manager = manager;
        this.repository = repository;
        this.node = node;
        this.channel = copiesKept ? channel : "";
    }

    /** The channel a write is announced on ("" when no node keeps copies, so nothing is published). */
    String channel() {
        return channel;
    }

    /** How this node names itself as a holder of copies in a session's hash ("" when no node keeps copies). */
    String holder() {
        return channel.isEmpty() ? "" : node;
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
        RedisPubSubListener<String, String> listener = new RedisPubSubAdapter<>() {
            @Override
            public void message(String ch, String message) {
                if (!stopped && ch.equals(channel)) {
                    changed(message);
                }
            }

            @Override
            public void message(String pattern, String ch, String key) {
                if (!stopped && EXPIRED.equals(pattern)) {
                    expired(key);
                }
            }
        };
        RedisConnection redis = repository.redis();
        if (redis.cluster()) {
            // PUBLISH reaches every node of a cluster, but an expiry is told only by the node that holds the
            // key: the pattern goes to every node, replicas too (one may be promoted)
            var pubsub = redis.clusterClient().connectPubSub(StringCodec.UTF8);
            redis.closeWith(pubsub);
            pubsub.setNodeMessagePropagation(true);
            pubsub.addListener(listener);
            if (!channel.isEmpty()) {
                pubsub.sync().subscribe(channel);
            }
            pubsub.sync().all().commands().psubscribe(EXPIRED);
        } else {
            var pubsub = redis.client().connectPubSub(StringCodec.UTF8, redis.uri());
            redis.closeWith(pubsub);
            pubsub.addListener(listener);
            if (!channel.isEmpty()) {
                pubsub.sync().subscribe(channel);
            }
            pubsub.sync().psubscribe(EXPIRED);
        }
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
            List<RedisURI> servers = repository.redis().servers();
            for (RedisURI server : servers) {
                try (var c = repository.redis().connectTo(server)) {
                    String flags =
                            c.sync().configGet("notify-keyspace-events").getOrDefault("notify-keyspace-events", "");
                    if (!flags.contains("E") || !(flags.contains("x") || flags.contains("A"))) {
                        c.sync().configSet("notify-keyspace-events", flags + (flags.contains("E") ? "" : "E") + "x");
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.warning(() -> "could not turn on Redis's expiry notifications (CONFIG SET notify-keyspace-events Ex: "
                    + e.getMessage() + "); session listeners hear of expired sessions only if Redis has them on");
        }
    }
}
