package org.sessioncluster.node.redis;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Logger;
import redis.clients.jedis.Connection;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.exceptions.JedisException;

/**
 * A pattern subscription to one Redis server on a thread of its own (a subscribed connection blocks on its
 * reads), made again, on the server {@code where} names then, whenever the connection is lost. Messages sent
 * while it was down are not heard (pub/sub keeps nothing).
 */
final class RedisSubscription implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(RedisSubscription.class.getName());

    /** What a subscription hears. */
    interface Listener {
        void message(String pattern, String channel, String message);
    }

    private final String name;
    private final Supplier<HostAndPort> where;
    private final RedisConnection redis;
    private final List<String> patterns;
    private final Listener listener;
    private final CountDownLatch firstSubscribed = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean closed;
    private volatile Connection current;
    private volatile JedisPubSub pubsub;

    RedisSubscription(
            String name, Supplier<HostAndPort> where, RedisConnection redis, List<String> patterns, Listener listener) {
        this.name = name;
        this.where = where;
        this.redis = redis;
        this.patterns = List.copyOf(patterns);
        this.listener = listener;
        this.thread = new Thread(this::run, name);
        thread.setDaemon(true);
    }

    /** Starts it and waits until the server confirmed the first subscription; false after {@code millis} without. */
    boolean start(long millis) {
        thread.start();
        try {
            return firstSubscribed.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void run() {
        long pause = 20;
        boolean lost = false;
        while (!closed) {
            HostAndPort at = null;
            try {
                at = where.get();
                try (Connection c = redis.connectTo(at)) {
                    current = c;
                    if (closed) {
                        return;
                    }
                    JedisPubSub p = new JedisPubSub() {
                        @Override
                        public void onPSubscribe(String pattern, int count) {
                            if (count == patterns.size()) {
                                firstSubscribed.countDown();
                            }
                        }

                        @Override
                        public void onPMessage(String pattern, String channel, String message) {
                            listener.message(pattern, channel, message);
                        }
                    };
                    pubsub = p;
                    if (lost) {
                        LOG.info(name + ": subscribed again at " + at);
                        lost = false;
                    }
                    pause = 20;
                    p.proceedWithPatterns(c, patterns.toArray(String[]::new)); // returns when unsubscribed
                }
            } catch (JedisException | IllegalStateException e) {
                if (closed) {
                    return;
                }
                if (!lost) {
                    String server = String.valueOf(at);
                    LOG.warning(() ->
                            name + ": subscription at " + server + " lost (" + e.getMessage() + "); subscribing again");
                    lost = true;
                }
            }
            try {
                Thread.sleep(pause); // back off while Redis is away
            } catch (InterruptedException e) {
                return;
            }
            pause = Math.min(pause * 2, 500);
        }
    }

    @Override
    public void close() {
        closed = true;
        JedisPubSub p = pubsub;
        try {
            if (p != null && p.isSubscribed()) {
                p.punsubscribe();
            }
        } catch (RuntimeException e) {
            // the connection is going anyway
        }
        Connection c = current;
        if (c != null) {
            c.close(); // wakes the blocked read
        }
        thread.interrupt();
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
