package org.sessioncluster.node.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.async.RedisScriptingAsyncCommands;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.support.AsyncConnectionPoolSupport;
import io.lettuce.core.support.BoundedAsyncPool;
import io.lettuce.core.support.BoundedPoolConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The redis mode's connection to Redis, over Lettuce: one shared, pipelined connection for every request
 * thread (a single server, the Sentinels' primary, or a Redis Cluster, where each command goes to the primary
 * of its key's slot). Why Lettuce and not Redisson's client, which the redisson mode uses: one script call cost
 * this JVM 34 µs of CPU with Lettuce and 84 µs with Redisson ({@code scripts/bench-redis-clients.sh}). A save
 * that must reach the replicas ({@code WAIT}) takes a connection of its own from a small pool, because WAIT
 * holds up every later command on its connection.
 */
final class RedisConnection implements AutoCloseable {
    static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(3);
    private static final int FULL_SLOTS = SlotHash.SLOT_COUNT;

    private final RedisEndpoint endpoint;
    private final ClientResources resources;
    private final RedisClient client; // one server or Sentinel; in cluster mode for direct connections to one node
    private final RedisClusterClient clusterClient; // null unless a Redis Cluster
    private final RedisURI uri; // the server or Sentinel address (the first cluster node in cluster mode)
    private final StatefulConnection<String, byte[]> shared;
    // asynchronous commands awaited here: Lettuce's synchronous API is a reflective proxy over the same futures,
    // measurably dearer on the request path
    private final RedisScriptingAsyncCommands<String, byte[]> scripting;
    private final Map<String, BoundedAsyncPool<StatefulRedisConnection<String, byte[]>>> waitPools =
            new ConcurrentHashMap<>();
    private final List<AutoCloseable> others = new ArrayList<>();

    private RedisConnection(RedisEndpoint endpoint) {
        this.endpoint = endpoint;
        // reconnect within 20..500 ms (Lettuce's default backs off to 30 s: far longer than a failover)
        this.resources = DefaultClientResources.builder()
                .reconnectDelay(io.lettuce.core.resource.Delay.exponential(
                        Duration.ofMillis(20), Duration.ofMillis(500), 2, TimeUnit.MILLISECONDS))
                .build();
        // No command is queued while the connection is down: Lettuce would send a queued command after it came
        // back even when its caller had timed out and answered 503, so a save the user saw fail could land later.
        // The repository retries a rejected command instead, within a budget (RedisSessionRepository.RETRY_BUDGET).
        ClientOptions options = options(ClientOptions.builder())
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .build();
        this.client = RedisClient.create(resources);
        client.setOptions(options);
        try {
            if (endpoint.cluster()) {
                List<RedisURI> seeds =
                        endpoint.clusterNodes().stream().map(this::login).toList();
                this.uri = seeds.get(0);
                this.clusterClient = RedisClusterClient.create(resources, seeds);
                clusterClient.setOptions(((ClusterClientOptions.Builder) options(ClusterClientOptions.builder()))
                        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                        // a promoted replica is found within about a second of the cluster's failover
                        .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                                .enablePeriodicRefresh(Duration.ofSeconds(1))
                                .enableAllAdaptiveRefreshTriggers()
                                .build())
                        .build());
                StatefulRedisClusterConnection<String, byte[]> c = clusterClient.connect(CODEC);
                this.shared = c;
                this.scripting = c.async();
                checkSlotsCovered(c);
            } else {
                this.clusterClient = null;
                this.uri = endpoint.sentinel() ? sentinelUri() : login(endpoint.address());
                StatefulRedisConnection<String, byte[]> c = client.connect(CODEC, uri);
                this.shared = c;
                this.scripting = c.async();
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Connects (and logs in) now: a Redis that is not there, or refuses the login, fails here. */
    static RedisConnection open(RedisEndpoint endpoint) {
        return new RedisConnection(endpoint);
    }

    boolean cluster() {
        return clusterClient != null;
    }

    RedisEndpoint endpoint() {
        return endpoint;
    }

    String scriptLoad(String lua) {
        return await(scripting.scriptLoad(lua));
    }

    /** A script by digest: a list (integers as Long, strings as bytes), or one Long for an integer reply. */
    Object evalsha(String sha, String[] keys, byte[][] values) {
        return await(scripting.evalsha(sha, ScriptOutputType.MULTI, keys, values));
    }

    /** A script by its text (loads it into the server's cache again, after a restart or a failover). */
    Object eval(String lua, String[] keys, byte[][] values) {
        return await(scripting.eval(lua, ScriptOutputType.MULTI, keys, values));
    }

    /** Waits as the synchronous API would: a timeout or an error reply is thrown as Lettuce's RedisException. */
    private static <T> T await(io.lettuce.core.RedisFuture<T> reply) {
        return LettuceFutures.awaitOrCancel(reply, COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The outcome of a script sent with WAIT: its reply and how many replicas acknowledged it. */
    record Waited(Object reply, long replicas) {}

    /**
     * A script by digest and then WAIT, on a connection only this call uses meanwhile, to the primary that holds
     * {@code keys[0]}: once the replicas acknowledge, they have the script's writes.
     */
    Waited evalshaAndWait(String sha, String[] keys, byte[][] values, int replicas, Duration timeout) {
        BoundedAsyncPool<StatefulRedisConnection<String, byte[]>> pool = waitPool(keys[0]);
        StatefulRedisConnection<String, byte[]> c = acquire(pool);
        try {
            RedisAsyncCommands<String, byte[]> async = c.async();
            var reply = async.evalsha(sha, ScriptOutputType.MULTI, keys, values);
            var acked = async.waitForReplication(replicas, timeout.toMillis());
            long wait = COMMAND_TIMEOUT.plus(timeout).toMillis();
            Object r = LettuceFutures.awaitOrCancel(reply, wait, TimeUnit.MILLISECONDS);
            Long n = LettuceFutures.awaitOrCancel(acked, wait, TimeUnit.MILLISECONDS);
            return new Waited(r, n == null ? 0 : n);
        } finally {
            pool.release(c);
        }
    }

    private static StatefulRedisConnection<String, byte[]> acquire(
            BoundedAsyncPool<StatefulRedisConnection<String, byte[]>> pool) {
        try {
            return pool.acquire().toCompletableFuture().get(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new io.lettuce.core.RedisException("interrupted while waiting for a connection", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r
                    ? r
                    : new io.lettuce.core.RedisConnectionException(String.valueOf(e.getCause()), e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new io.lettuce.core.RedisCommandTimeoutException("no connection for WAIT within " + COMMAND_TIMEOUT);
        }
    }

    /** Drops the WAIT connections to the primary of {@code key} (it moved: a failover). */
    void forgetPrimaryOf(String key) {
        String at = primaryAddress(key);
        var pool = waitPools.remove(at);
        if (pool != null) {
            pool.closeAsync();
        }
        if (clusterClient != null) {
            clusterClient.refreshPartitions();
        }
    }

    /** Every server that may hold sessions or become their primary: the primary and replicas, every cluster node. */
    List<RedisURI> servers() {
        List<RedisURI> out = new ArrayList<>();
        if (cluster()) {
            for (RedisClusterNode node : ((StatefulRedisClusterConnection<?, ?>) shared).getPartitions()) {
                out.add(at(node.getUri().getHost(), node.getUri().getPort()));
            }
        } else if (endpoint.sentinel()) {
            try (var sentinel = client.connectSentinel(StringCodec.UTF8, uri)) {
                var primary =
                        (java.net.InetSocketAddress) sentinel.sync().getMasterAddrByName(endpoint.sentinelMaster());
                out.add(at(primary.getHostString(), primary.getPort()));
                for (Map<String, String> replica : sentinel.sync().replicas(endpoint.sentinelMaster())) {
                    out.add(at(replica.get("ip"), Integer.parseInt(replica.get("port"))));
                }
            }
        } else {
            out.add(uri);
        }
        return out;
    }

    /** A plain connection to one server (closed by the caller). */
    StatefulRedisConnection<String, String> connectTo(RedisURI server) {
        return client.connect(StringCodec.UTF8, server);
    }

    RedisClient client() {
        return client;
    }

    RedisClusterClient clusterClient() {
        return clusterClient;
    }

    RedisURI uri() {
        return uri;
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
        waitPools.values().forEach(BoundedAsyncPool::close);
        waitPools.clear();
        if (shared != null) {
            shared.close();
        }
        if (clusterClient != null) {
            clusterClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }

    private BoundedAsyncPool<StatefulRedisConnection<String, byte[]>> waitPool(String key) {
        String at = primaryAddress(key);
        RedisURI target = cluster() ? at(at.substring(0, at.lastIndexOf(':')), portOf(at)) : uri;
        return waitPools.computeIfAbsent(
                at,
                a -> AsyncConnectionPoolSupport.createBoundedObjectPool(
                        () -> client.connectAsync(CODEC, target),
                        BoundedPoolConfig.builder()
                                .maxTotal(16)
                                .maxIdle(16)
                                .minIdle(0)
                                .build()));
    }

    private String primaryAddress(String key) {
        if (!cluster()) {
            return "";
        }
        RedisClusterNode primary =
                ((StatefulRedisClusterConnection<?, ?>) shared).getPartitions().getMasterBySlot(SlotHash.getSlot(key));
        if (primary == null) {
            throw new IllegalStateException("no primary of the Redis Cluster serves slot " + SlotHash.getSlot(key));
        }
        return primary.getUri().getHost() + ":" + primary.getUri().getPort();
    }

    private static int portOf(String hostPort) {
        return Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
    }

    private static void checkSlotsCovered(StatefulRedisClusterConnection<?, ?> c) {
        java.util.BitSet served = new java.util.BitSet(FULL_SLOTS);
        for (RedisClusterNode node : c.getPartitions()) {
            if (node.is(RedisClusterNode.NodeFlag.UPSTREAM) && !node.is(RedisClusterNode.NodeFlag.FAIL)) {
                node.getSlots().forEach(served::set);
            }
        }
        if (served.cardinality() < FULL_SLOTS) {
            throw new IllegalStateException(
                    "Not all slots covered! Only " + served.cardinality() + " slots are available");
        }
    }

    private <B extends ClientOptions.Builder> B options(B builder) {
        builder.timeoutOptions(TimeoutOptions.enabled(COMMAND_TIMEOUT))
                .socketOptions(SocketOptions.builder()
                        .connectTimeout(Duration.ofSeconds(2))
                        .build());
        if (endpoint.tls() && endpoint.truststore() != null) {
            builder.sslOptions(SslOptions.builder()
                    .jdkSslProvider()
                    .truststore(endpoint.truststore().toFile(), endpoint.truststorePassword())
                    .build());
        }
        return builder;
    }

    /** An address of cluster.properties with the endpoint's login and TLS. */
    private RedisURI login(String address) {
        return withLogin(RedisURI.builder(RedisURI.create(address))).build();
    }

    private RedisURI at(String host, int port) {
        return withLogin(RedisURI.builder().withHost(host).withPort(port).withSsl(endpoint.tls()))
                .build();
    }

    private RedisURI sentinelUri() {
        RedisURI.Builder b = RedisURI.builder().withSentinelMasterId(endpoint.sentinelMaster());
        for (String s : endpoint.sentinels()) {
            b.withSentinel(login(s)); // the Sentinels take the same password
        }
        return withLogin(b).withSsl(endpoint.tls()).build();
    }

    private RedisURI.Builder withLogin(RedisURI.Builder b) {
        b.withTimeout(COMMAND_TIMEOUT);
        if (!endpoint.password().isEmpty()) {
            if (endpoint.username().isEmpty()) {
                b.withPassword(endpoint.password().toCharArray());
            } else {
                b.withAuthentication(endpoint.username(), endpoint.password().toCharArray());
            }
        }
        return b;
    }
}
