package org.sessioncluster.node.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.redisson.config.Config;
import org.sessioncluster.config.ClusterConfig;
import org.sessioncluster.config.ConfigKeys;

/** Redisson's settings per Redis setup: a failover of a Sentinel's or a Redis Cluster's primary is waited out. */
class RedisClientConfigTest {
    @TempDir
    Path dir;

    private Config redisson(Map<String, String> keys) throws IOException {
        Files.copy(Path.of("..", "cluster-config", "redisson.yaml"), dir.resolve("redisson.yaml"));
        Files.writeString(dir.resolve("cluster.properties"), "session.mode=redisson\n");
        return RedisClientConfig.from(ClusterConfig.load(dir.resolve("cluster.properties"), keys));
    }

    @Test
    void aSingleServerKeepsTheShippedYamlsRetries() throws IOException {
        Config c = redisson(Map.of(ConfigKeys.REDIS_ADDRESS, "redis://127.0.0.1:6390"));
        assertThat(c.useSingleServer().getRetryAttempts()).isEqualTo(3);
        assertThat(c.useSingleServer().getAddress()).isEqualTo("redis://127.0.0.1:6390");
    }

    @Test
    void sentinelsAndAClusterTryACommandLongEnoughToOutlastAFailover() throws IOException {
        Config sentinel = redisson(Map.of(ConfigKeys.REDIS_SENTINELS, "redis://127.0.0.1:26390"));
        assertThat(sentinel.useSentinelServers().getRetryAttempts())
                .isEqualTo(RedisClientConfig.FAILOVER_RETRY_ATTEMPTS);
        Files.delete(dir.resolve("redisson.yaml"));
        Config cluster = redisson(Map.of(ConfigKeys.REDIS_CLUSTER_NODES, "redis://127.0.0.1:7390"));
        assertThat(cluster.useClusterServers().getRetryAttempts()).isEqualTo(RedisClientConfig.FAILOVER_RETRY_ATTEMPTS);
        assertThat(cluster.useClusterServers().getMasterConnectionPoolSize())
                .as("the yaml's pool size, for every primary")
                .isEqualTo(16);
    }
}
