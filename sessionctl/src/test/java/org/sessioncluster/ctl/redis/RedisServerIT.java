package org.sessioncluster.ctl.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sessioncluster.config.SessionMode;
import org.sessioncluster.ctl.SessionClient;
import org.sessioncluster.ctl.TestClusters;
import org.sessioncluster.ctl.cluster.RedisServer;
import org.sessioncluster.ctl.cluster.RunningCluster;

/** The redis mode must work with the redis-server bundled in the embedded-redis jar, where none is installed. */
class RedisServerIT {
    @TempDir
    Path runDir;

    @Test
    void bundledBinaryIsFoundAndRunnable() {
        Path binary = RedisServer.locate(RedisServer.Binary.BUNDLED);
        assertThat(Files.isExecutable(binary)).isTrue();
    }

    @Test
    void twoNodeRedisClusterSharesSessionsThroughTheBundledRedis() throws Exception {
        try (RunningCluster cluster = TestClusters.start(SessionMode.REDIS, 2, runDir, RedisServer.Binary.BUNDLED)) {
            assertThat(cluster.redis()).isPresent();
            String address = cluster.config().redis().address();
            int port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
            assertThat(RedisServer.ping("127.0.0.1", port)).isTrue();

            SessionClient user = new SessionClient();
            user.post(cluster.node("node-1").url(), "/login", Map.of("user", "dan"));
            assertThat(user.get(cluster.node("node-2").url(), "/session").text("user"))
                    .isEqualTo("dan");

            cluster.close();
            assertThat(RedisServer.ping("127.0.0.1", port))
                    .as("closing the cluster stops its Redis")
                    .isFalse();
        }
    }
}
