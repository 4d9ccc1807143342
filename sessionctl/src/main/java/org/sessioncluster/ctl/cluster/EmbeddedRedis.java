package org.sessioncluster.ctl.cluster;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.sessioncluster.config.ClusterConfig;
import org.sessioncluster.config.ConfigKeys;

/**
 * The Redis a cluster's config asks sessionctl to start (redis modes without redis.address): one server, or one
 * with a replica and a Sentinel, or a Redis Cluster of three shards; none when the config names a Redis of its own.
 */
final class EmbeddedRedis {
    /** What was started (null primary: nothing) and the config that points the nodes at it. */
    record Started(ManagedProcess primary, List<ManagedProcess> helpers, ClusterConfig config) {}

    private final ClusterLauncher.Options options;
    private final Path runDir;
    private final Placement placement;

    EmbeddedRedis(ClusterLauncher.Options options, Path runDir, Placement placement) {
        this.options = options;
        this.runDir = runDir;
        this.placement = placement;
    }

    Started start(ClusterConfig config) {
        List<ManagedProcess> redisHelpers = new ArrayList<>();
        ManagedProcess redis = null;
        if (config.sessionMode().usesRedis() && config.redis().embeddedCluster()) {
            RedisClusterSetup.Started shards = startRedisCluster(config);
            redis = shards.processes().get(0);
            redisHelpers.addAll(shards.processes().subList(1, shards.processes().size()));
            config = config.with(Map.of(
                    ConfigKeys.REDIS_CLUSTER_NODES,
                    String.join(",", shards.addresses()),
                    ConfigKeys.REDIS_EMBEDDED_CLUSTER,
                    "false"));
        } else {
            redis = startRedisIfNeeded(config);
        }
        if (redis != null && config.redis().embeddedSentinel()) {
            try {
                int sentinelPort = startSentinelSetup(config, redisHelpers);
                config = config.with(
                        Map.of(ConfigKeys.REDIS_SENTINELS, "redis://" + config.nodeHost() + ":" + sentinelPort));
            } catch (RuntimeException e) {
                redis.kill();
                redisHelpers.forEach(ManagedProcess::kill);
                throw e;
            }
        } else if (redis != null && config.redis().clusterNodes().isEmpty()) {
            String host = placement.redisHost(config);
            String address = options.redisFront() == null
                    ? host + ":" + config.redis().embeddedPort()
                    : options.redisFront().address(host, config.redis().embeddedPort());
            config = config.with(Map.of(ConfigKeys.REDIS_ADDRESS, "redis://" + address));
        }
        return new Started(redis, redisHelpers, config);
    }

    /** Beside the primary: a replica and a Sentinel on free ports; returns the Sentinel's port. */
    private int startSentinelSetup(ClusterConfig config, List<ManagedProcess> started) {
        RedisServer.Setup setup = new RedisServer.Setup(
                RedisServer.locate(options.redisBinary()), config.nodeHost(), RedisServer.access(config), List.of());
        List<Integer> ports = Ports.free(config.nodeHost(), 2);
        ManagedProcess replica = RedisServer.startReplica(
                setup,
                ports.get(0),
                config.redis().embeddedPort(),
                runDir.resolve("logs").resolve("redis-replica.log"));
        started.add(replica);
        ManagedProcess sentinel = RedisServer.startSentinel(
                setup,
                ports.get(1),
                config.redis().sentinelMaster(),
                config.redis().embeddedPort(),
                runDir.resolve("logs"));
        started.add(sentinel);
        options.progress()
                .accept("started a Redis replica (pid " + replica.pid() + ") on " + config.nodeHost() + ":"
                        + ports.get(0)
                        + " and a Sentinel (pid " + sentinel.pid() + ") on " + config.nodeHost() + ":" + ports.get(1)
                        + " watching '"
                        + config.redis().sentinelMaster() + "'");
        return ports.get(1);
    }

    /** 3 primaries (the first on redis.embedded.port) and 3 replicas, joined into one Redis Cluster. */
    private RedisClusterSetup.Started startRedisCluster(ClusterConfig config) {
        List<Integer> ports = new ArrayList<>(List.of(config.redis().embeddedPort()));
        ports.addAll(placement.redisClusterPorts(config, 2 * RedisClusterSetup.PRIMARIES - 1));
        return RedisClusterSetup.start(redisSetup(config), ports, runDir.resolve("logs"), options.progress());
    }

    private ManagedProcess startRedisIfNeeded(ClusterConfig config) {
        if (!config.sessionMode().usesRedis()) {
            return null;
        }
        if (!config.redis().address().isEmpty()) {
            options.progress().accept("using Redis at " + config.redis().address());
            return null;
        }
        if (!config.redis().clusterNodes().isEmpty()) {
            // checked before any node starts: a cluster with a shard missing would fail every node alike
            RedisClusterView view = RedisClusterView.of(config.redis().clusterNodes(), RedisServer.access(config))
                    .orElseThrow(() -> new LaunchException("no node of redis.cluster.nodes "
                            + config.redis().clusterNodes() + " answers (is the Redis Cluster running?)"));
            view.problem().ifPresent(p -> {
                throw new LaunchException("redis.cluster.nodes: " + p);
            });
            options.progress()
                    .accept("using the Redis Cluster at " + config.redis().clusterNodes() + " ("
                            + view.shards().size() + " shards, all 16384 slots served)");
            return null;
        }
        if (!config.redis().sentinels().isEmpty()) {
            options.progress()
                    .accept("using the Redis that Sentinels " + config.redis().sentinels() + " name for '"
                            + config.redis().sentinelMaster() + "'");
            return null;
        }
        RedisServer.Setup setup = redisSetup(config);
        ManagedProcess redis = RedisServer.start(
                setup, config.redis().embeddedPort(), runDir.resolve("logs").resolve("redis.log"));
        options.progress()
                .accept("started Redis (pid " + redis.pid() + ", " + setup.binary() + ") on " + setup.host() + ":"
                        + config.redis().embeddedPort());
        return redis;
    }

    /** The session server's Redis: where the placement puts it (loopback, or its namespace in a network lab). */
    private RedisServer.Setup redisSetup(ClusterConfig config) {
        return new RedisServer.Setup(
                RedisServer.locate(options.redisBinary()),
                placement.redisHost(config),
                RedisServer.access(config),
                placement.command(Placement.REDIS, List.of()));
    }
}
