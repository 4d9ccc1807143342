package org.sessioncluster.node.redis;

import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import redis.clients.jedis.ClientSetInfoConfig;
import redis.clients.jedis.ClusterCommandObjects;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.CommandObject;
import redis.clients.jedis.CommandObjects;
import redis.clients.jedis.Connection;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.SslOptions;
import redis.clients.jedis.SslVerifyMode;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisMovedDataException;
import redis.clients.jedis.providers.ClusterConnectionProvider;
import redis.clients.jedis.providers.ConnectionProvider;
import redis.clients.jedis.providers.PooledConnectionProvider;
import redis.clients.jedis.providers.SentineledConnectionProvider;

/**
 * The redis mode's connections to Redis, over Jedis: a pool of blocking connections (to one server, to the
 * primary the Sentinels name, or to each node of a Redis Cluster, where a command goes to the primary of its
 * key's slot). A request thread borrows one, writes its command and reads the reply itself: one sleep and
 * one wake-up per round trip, where an event-loop client (Lettuce, Redisson) adds a hand-off to its I/O thread
 * and back, which measured 20–40 µs of node CPU per round trip more ({@code scripts/bench-redis-clients.sh},
 * docs/redis-clients.md). A command that must be followed by WAIT stays on its connection for both.
 */
final class RedisConnection implements AutoCloseable {
    static final int COMMAND_TIMEOUT_MILLIS = 3_000;
    static final int CONNECT_TIMEOUT_MILLIS = 2_000;

    private final RedisEndpoint endpoint;
    private final int timeoutMillis;
    private final JedisClientConfig clientConfig;
    private final ConnectionProvider provider;
    private final ClusterConnectionProvider cluster; // null unless a Redis Cluster
    private final SentineledConnectionProvider sentinel; // null unless Sentinels
    private static final CommandObjects PLAIN = new CommandObjects();
    private final CommandObjects commands; // a cluster's name the slot of their keys
    private final List<AutoCloseable> others = new ArrayList<>();

    /**
     * Redis could not be reached, or the connection broke before the reply: the command never ran or its reply
     * was lost with the connection. Such a command may be sent again (a save is guarded by its version check).
     */
    static final class Unreachable extends JedisConnectionException {
        private static final long serialVersionUID = 1L;

        Unreachable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The command was sent and no reply came within the timeout: its fate is unknown, so it is not sent again. */
    static final class NoReply extends JedisConnectionException {
        private static final long serialVersionUID = 1L;

        NoReply(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private RedisConnection(RedisEndpoint endpoint, int maxConnections, int timeoutMillis) {
        this.endpoint = endpoint;
        this.timeoutMillis = timeoutMillis;
        this.clientConfig = clientConfig(endpoint, timeoutMillis);
        ConnectionPoolConfig pool = pool(maxConnections, timeoutMillis);
        this.commands = endpoint.cluster() ? new ClusterCommandObjects() : new CommandObjects();
        if (endpoint.cluster()) {
            Set<HostAndPort> seeds = new LinkedHashSet<>();
            endpoint.clusterNodes().forEach(a -> seeds.add(hostAndPort(a)));
            this.cluster = new ClusterConnectionProvider(seeds, clientConfig, pool);
            this.sentinel = null;
            this.provider = cluster;
        } else if (endpoint.sentinel()) {
            Set<HostAndPort> sentinels = new LinkedHashSet<>();
            endpoint.sentinels().forEach(a -> sentinels.add(hostAndPort(a)));
            // the Sentinels take the same password; Jedis follows +switch-master to the new primary
            this.sentinel = new SentineledConnectionProvider(
                    endpoint.sentinelMaster(), clientConfig, pool, sentinels, clientConfig);
            this.cluster = null;
            this.provider = sentinel;
        } else {
            this.provider = new PooledConnectionProvider(hostAndPort(endpoint.address()), clientConfig, pool);
            this.cluster = null;
            this.sentinel = null;
        }
    }

    /**
     * Connects (and logs in) now: a Redis that is not there, refuses the login, or (a cluster) leaves slots
     * without a primary, fails here. {@code maxConnections}: at most this many connections per server.
     */
    static RedisConnection open(RedisEndpoint endpoint, int maxConnections) {
        return open(endpoint, maxConnections, COMMAND_TIMEOUT_MILLIS);
    }

    /** As {@link #open(RedisEndpoint, int)}, a reply (or a free connection) awaited at most {@code timeoutMillis}. */
    static RedisConnection open(RedisEndpoint endpoint, int maxConnections, int timeoutMillis) {
        RedisConnection c = new RedisConnection(endpoint, maxConnections, timeoutMillis);
        try {
            if (c.cluster != null) {
                c.checkSlotsCovered();
            } else {
                c.execute(c.commands.ping());
            }
            return c;
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
    }

    boolean cluster() {
        return cluster != null;
    }

    RedisEndpoint endpoint() {
        return endpoint;
    }

    /** Loads a script into every server that may run it (each node of a cluster); returns its digest. */
    String scriptLoad(String lua) {
        if (cluster == null) {
            return execute(commands.scriptLoad(lua));
        }
        String sha = null;
        for (String node : cluster.getNodes().keySet()) {
            try (Connection c = cluster.getConnection(HostAndPort.from(node))) {
                sha = c.executeCommand(commands.scriptLoad(lua));
            } catch (JedisException e) {
                // a node down now loads it on the first EVALSHA that meets NOSCRIPT there
            }
        }
        if (sha == null) {
            throw new Unreachable("no node of " + endpoint.describe() + " took the script", null);
        }
        return sha;
    }

    /** A script by digest: a list (integers as Long, strings as bytes), or one Long for an integer reply. */
    Object evalsha(String sha, String[] keys, byte[][] values) {
        return execute(commands.evalsha(bytes(sha), keyList(keys), List.of(values)));
    }

    /** A script by its text (loads it into the server's cache again, after a restart or a failover). */
    Object eval(String lua, String[] keys, byte[][] values) {
        return execute(commands.eval(bytes(lua), keyList(keys), List.of(values)));
    }

    /** The outcome of a script sent with WAIT: its reply and how many replicas acknowledged it. */
    record Waited(Object reply, long replicas) {}

    /**
     * A script by digest and then WAIT on the same connection (to the primary that holds {@code keys[0]}): once
     * the replicas acknowledge, they have the script's writes.
     */
    Waited evalshaAndWait(String sha, String[] keys, byte[][] values, int replicas, long timeoutMillis) {
        CommandObject<Object> script = commands.evalsha(bytes(sha), keyList(keys), List.of(values));
        Connection c = borrow(script);
        try (c) {
            Object reply = c.executeCommand(script);
            // WAIT names no key; on a cluster it counts the replicas of the node this connection reaches
            Long acked = c.executeCommand(PLAIN.waitReplicas(replicas, timeoutMillis));
            return new Waited(reply, acked == null ? 0 : acked);
        } catch (JedisMovedDataException e) {
            cluster.renewSlotCache(); // the slot has a new primary (a failover): not run, so it may be sent again
            throw new Unreachable("the slot of " + keys[0] + " moved to " + e.getTargetNode(), e);
        } catch (JedisConnectionException e) {
            throw classify(e);
        } catch (JedisDataException e) {
            throw refusedForNow(e);
        }
    }

    /** One command on a borrowed connection, given back at once. */
    <T> T execute(CommandObject<T> command) {
        Connection c = borrow(command);
        try (c) {
            return c.executeCommand(command);
        } catch (JedisMovedDataException e) {
            cluster.renewSlotCache(); // the slot has a new primary (a failover): not run, so it may be sent again
            throw new Unreachable("the slot moved to " + e.getTargetNode(), e);
        } catch (JedisConnectionException e) {
            throw classify(e);
        } catch (JedisDataException e) {
            throw refusedForNow(e);
        }
    }

    private Connection borrow(CommandObject<?> command) {
        try {
            return provider.getConnection(command.getArguments());
        } catch (JedisException e) {
            if (cluster != null) {
                cluster.renewSlotCache(); // a node is gone: ask the others where its slots are now
            }
            throw new Unreachable("cannot reach " + endpoint.describe() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Replies by which a server refuses a command it did not run, for the moment of a failover: a cluster without
     * a primary for some slots (CLUSTERDOWN, TRYAGAIN), a server still loading its data (LOADING), a former primary
     * now a replica (READONLY). Those may be sent again; any other error reply is the caller's.
     */
    private JedisException refusedForNow(JedisDataException e) {
        String m = String.valueOf(e.getMessage());
        if (m.startsWith("CLUSTERDOWN")
                || m.startsWith("TRYAGAIN")
                || m.startsWith("LOADING")
                || m.startsWith("READONLY")) {
            if (cluster != null) {
                cluster.renewSlotCache();
            }
            return new Unreachable(endpoint.describe() + " refused for now: " + m, e);
        }
        return e;
    }

    /** A read that timed out was sent and may have run; anything else broke the connection before a reply. */
    private JedisConnectionException classify(JedisConnectionException e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SocketTimeoutException) {
                return new NoReply("no reply from Redis within " + timeoutMillis + " ms (redis.timeout.ms)", e);
            }
        }
        return new Unreachable(String.valueOf(e.getMessage()), e);
    }

    /**
     * Every server that may hold sessions or become their primary: the primary and its replicas, every node of
     * a cluster (its keyspace notifications are its own).
     */
    List<HostAndPort> servers() {
        List<HostAndPort> out = new ArrayList<>();
        if (cluster != null) {
            cluster.getNodes().keySet().forEach(n -> out.add(HostAndPort.from(n)));
        } else if (sentinel != null) {
            HostAndPort primary = sentinel.getCurrentMaster();
            out.add(primary);
            for (String s : endpoint.sentinels()) {
                try (Jedis j = new Jedis(hostAndPort(s), clientConfig)) {
                    for (Map<String, String> replica : j.sentinelReplicas(endpoint.sentinelMaster())) {
                        out.add(new HostAndPort(replica.get("ip"), Integer.parseInt(replica.get("port"))));
                    }
                    break;
                } catch (JedisException e) {
                    // ask the next Sentinel
                }
            }
        } else {
            out.add(hostAndPort(endpoint.address()));
        }
        return out;
    }

    /** Where the session data lives now: the one server or the Sentinels' current primary (null on a cluster). */
    HostAndPort primary() {
        return sentinel != null
                ? sentinel.getCurrentMaster()
                : cluster != null ? null : hostAndPort(endpoint.address());
    }

    /** A plain connection to one server, logged in (closed by the caller). */
    Connection connectTo(HostAndPort server) {
        return new Connection(server, clientConfig);
    }

    /** Something to close with this connection (the subscriptions). */
    void closeWith(AutoCloseable c) {
        synchronized (others) {
            others.add(c);
        }
    }

    @Override
    public void close() {
        synchronized (others) {
            for (AutoCloseable c : others) {
                try {
                    c.close();
                } catch (Exception e) {
                    // closing anyway
                }
            }
            others.clear();
        }
        try {
            provider.close();
        } catch (Exception e) {
            // closing anyway
        }
    }

    private void checkSlotsCovered() {
        String info;
        try (Connection c = cluster.getConnection()) {
            info = new String(
                    (byte[]) c.executeCommand(new CommandArguments(Protocol.Command.CLUSTER).add("INFO")),
                    StandardCharsets.UTF_8);
        } catch (JedisConnectionException e) {
            throw classify(e);
        }
        long ok = 0;
        for (String line : info.split("\r?\n")) {
            if (line.startsWith("cluster_slots_ok:")) {
                ok = Long.parseLong(line.substring("cluster_slots_ok:".length()).trim());
            }
        }
        if (ok < 16_384) {
            // the words Redisson uses, so RedisConnectProblem explains both alike
            throw new IllegalStateException("Not all slots covered! Only " + ok + " slots are available");
        }
    }

    private static ConnectionPoolConfig pool(int maxConnections, int timeoutMillis) {
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setMaxTotal(maxConnections);
        pool.setMaxIdle(maxConnections); // connections stay open: a new one costs a TCP (and TLS) handshake
        pool.setMinIdle(0);
        pool.setMaxWait(java.time.Duration.ofMillis(timeoutMillis));
        pool.setTestOnBorrow(false); // a PING per borrow would double the round trips; a broken one is retried
        pool.setTestWhileIdle(false);
        pool.setTimeBetweenEvictionRuns(java.time.Duration.ofMillis(-1)); // no evictor thread
        pool.setJmxEnabled(false);
        return pool;
    }

    private static JedisClientConfig clientConfig(RedisEndpoint endpoint, int timeoutMillis) {
        DefaultJedisClientConfig.Builder b = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(Math.min(CONNECT_TIMEOUT_MILLIS, timeoutMillis))
                .socketTimeoutMillis(timeoutMillis)
                .clientSetInfoConfig(ClientSetInfoConfig.DISABLED); // no CLIENT SETINFO round trips per connection
        if (!endpoint.password().isEmpty()) {
            b.password(endpoint.password());
            if (!endpoint.username().isEmpty()) {
                b.user(endpoint.username());
            }
        }
        if (endpoint.tls()) {
            b.ssl(true);
            SslOptions.Builder ssl = SslOptions.builder().sslVerifyMode(SslVerifyMode.FULL);
            if (endpoint.truststore() != null) {
                String pw = endpoint.truststorePassword();
                ssl.truststore(endpoint.truststore().toFile(), pw == null ? null : pw.toCharArray());
            }
            b.sslOptions(ssl.build());
        }
        return b.build();
    }

    /** host and port of a redis:// or rediss:// address (port 6379 when it names none). */
    static HostAndPort hostAndPort(String address) {
        URI uri = URI.create(address.trim());
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("not a redis:// address: " + address);
        }
        return new HostAndPort(uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort());
    }

    private static List<byte[]> keyList(String[] keys) {
        List<byte[]> out = new ArrayList<>(keys.length);
        for (String k : keys) {
            out.add(bytes(k));
        }
        return out;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
