package org.sessioncluster.ctl.modes;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.sessioncluster.config.SessionMode;
import org.sessioncluster.ctl.SessionClient;
import org.sessioncluster.ctl.TestClusters;
import org.sessioncluster.ctl.cluster.ManagedProcess;
import org.sessioncluster.ctl.cluster.RedisServer;
import org.sessioncluster.ctl.cluster.RunningCluster;
import org.sessioncluster.load.meter.ClusterMeter;
import org.sessioncluster.load.meter.RespConnection;
import redis.clients.jedis.Jedis;

/**
 * The byte meters of the comparison against known transfers: what Redis says it received, and what the nodes say
 * they sent on the cluster channel, are the bytes sent plus a bounded overhead.
 */
class ByteMeterIT {
    /** Run folders and reports of this class's clusters; kept when a test fails, for their logs. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path tmp;

    private static final int VALUE = 100_000;
    private static final int TIMES = 10;

    @Test
    void redisInputBytesAreTheBytesSentToIt() throws Exception {
        Path dir = Files.createTempDirectory(tmp, "byte-meter-redis");
        int port = RedisServer.freeLoopbackPort();
        ManagedProcess redis = RedisServer.startOnLoopback(port, dir.resolve("redis.log"));
        try (ClusterMeter meter = new ClusterMeter(Map.of(), "redis://127.0.0.1:" + port, RespConnection.Access.NONE);
                Jedis client = new Jedis("127.0.0.1", port)) {
            meter.start();
            for (int i = 0; i < TIMES; i++) {
                client.set(("k" + i).getBytes(), new byte[VALUE]);
            }
            ClusterMeter.Delta d = meter.stop();
            long sent = (long) VALUE * TIMES;
            assertThat(d.redisInputBytes())
                    .as("Redis's input bytes: the values plus their commands' framing (and the meter's INFO)")
                    .isBetween(sent, sent + sent / 20);
            assertThat(d.redisCommands()).as("10 SETs").isGreaterThanOrEqualTo(TIMES);
        } finally {
            redis.kill();
        }
    }

    @Test
    void channelBytesAreTheSessionChangesTimesThePeers() throws Exception {
        try (RunningCluster cluster = TestClusters.start(
                SessionMode.DELTA, 3, Files.createTempDirectory(tmp, "byte-meter-delta"), RedisServer.Binary.AUTO)) {
            Map<String, String> nodes = Map.of(
                    "node-1", cluster.node("node-1").url(),
                    "node-2", cluster.node("node-2").url(),
                    "node-3", cluster.node("node-3").url());
            SessionClient user = new SessionClient();
            String node1 = cluster.node("node-1").url();
            assertThat(user.put(node1, "/payload?bytes=1").status()).isEqualTo(200);
            try (ClusterMeter meter = new ClusterMeter(nodes, (String) null, RespConnection.Access.NONE)) {
                meter.start();
                for (int i = 0; i < TIMES; i++) {
                    // a new payload each time: a changed attribute of VALUE bytes, sent to both peers
                    assertThat(user.put(node1, "/payload?bytes=" + (VALUE + i)).status())
                            .isEqualTo(200);
                }
                ClusterMeter.Delta d = meter.stop();
                long changed = 2L * VALUE * TIMES;
                assertThat(d.sentBytes())
                        .as("bytes sent on the channel: each change to 2 peers, plus framing and heartbeats")
                        .isBetween(changed, changed + changed / 10);
                assertThat(d.receivedBytes()).as("what the peers received").isBetween(changed, changed + changed / 10);
            }
        }
    }
}
