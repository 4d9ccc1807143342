package org.sessioncluster.ctl.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sessioncluster.config.ConfigKeys;
import org.sessioncluster.config.SessionMode;
import org.sessioncluster.ctl.SessionClient;
import org.sessioncluster.ctl.TestClusters;
import org.sessioncluster.ctl.cluster.ClusterLauncher;
import org.sessioncluster.ctl.cluster.ManagedProcess;
import org.sessioncluster.ctl.cluster.RedisServer;
import org.sessioncluster.ctl.cluster.RunningCluster;

/** With redis.address set, the nodes use that Redis and sessionctl starts none of its own. */
class ExternalRedisIT {
    @TempDir
    Path runDir;

    @Test
    void nodesUseTheConfiguredRedis() throws Exception {
        int port = RedisServer.freeLoopbackPort();
        ManagedProcess redis = RedisServer.startOnLoopback(port, runDir.resolve("external-redis.log"));
        try {
            var config = TestClusters.config(
                    SessionMode.REDIS, 2, Map.of(ConfigKeys.REDIS_ADDRESS, "redis://127.0.0.1:" + port));
            try (RunningCluster cluster = new ClusterLauncher(new ClusterLauncher.Options(
                            TestClusters.war(), runDir, RedisServer.Binary.AUTO, false, line -> {}))
                    .start(config)) {
                assertThat(cluster.redis()).as("no Redis of its own").isEmpty();
                SessionClient user = new SessionClient();
                user.post(cluster.node("node-1").url(), "/login", Map.of("user", "eve"));
                assertThat(user.get(cluster.node("node-2").url(), "/session").text("user"))
                        .isEqualTo("eve");
            }
            assertThat(redis.isAlive())
                    .as("closing the cluster leaves a Redis it did not start alone")
                    .isTrue();
        } finally {
            redis.kill();
        }
    }
}
