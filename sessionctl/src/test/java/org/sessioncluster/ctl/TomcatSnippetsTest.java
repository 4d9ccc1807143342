package org.sessioncluster.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sessioncluster.config.ClusterConfig;
import org.sessioncluster.config.ConfigKeys;
import org.sessioncluster.ctl.tomcat.TomcatBases;

/** cluster-config/tomcat/ holds the stock-Tomcat XML rendered from the shipped cluster.properties. */
class TomcatSnippetsTest {
    @TempDir
    Path dir;

    @Test
    void shippedSnippetsMatchTheShippedConfig() throws Exception {
        Path shipped = TestClusters.configFile().toAbsolutePath().getParent().resolve("tomcat");
        TomcatBases.writeSnippets(ClusterConfig.load(TestClusters.configFile(), Map.of()), dir);
        try (var files = Files.walk(dir)) {
            for (Path rendered : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                Path rel = dir.relativize(rendered);
                assertThat(shipped.resolve(rel))
                        .as("cluster-config/tomcat/" + rel
                                + " is stale: scripts/sessionctl tomcat-base --snippets-to cluster-config/tomcat")
                        .hasSameTextualContentAs(rendered);
            }
        }
        assertThat(Files.readString(shipped.resolve("delta/node-2-cluster.xml")))
                .contains(
                        "<LocalMember className=\"org.apache.catalina.tribes.membership.StaticMember\" host=\"127.0.0.1\" port=\"4002\"")
                .contains("org.apache.catalina.ha.session.DeltaManager");
        assertThat(Files.readString(shipped.resolve("backup/node-1-cluster.xml")))
                .contains("org.apache.catalina.ha.session.BackupManager");
        assertThat(Files.readString(shipped.resolve("redisson/context-manager.xml")))
                .contains("org.redisson.tomcat.RedissonSessionManager")
                .contains("readMode=\"REDIS\"");
        assertThat(Files.readString(shipped.resolve("redis/context-manager.xml")))
                .contains("org.sessioncluster.node.redis.RedisSessionManager")
                .contains("lockMode=\"writes\"")
                .contains("cacheSessions=\"verify\"");
    }

    @Test
    void theRedisManagerIsToldWhereRedisIsInItsAttributes() throws Exception {
        ClusterConfig cluster = ClusterConfig.load(
                TestClusters.configFile(),
                Map.of(
                        ConfigKeys.SESSION_MODE, "redis",
                        ConfigKeys.REDIS_CLUSTER_NODES, "redis://127.0.0.1:7001,redis://127.0.0.1:7002",
                        ConfigKeys.REDIS_PASSWORD, "s3cret"));
        TomcatBases.writeSnippets(cluster, dir);
        assertThat(Files.readString(dir.resolve("redis/context-manager.xml")))
                .contains("clusterNodes=\"redis://127.0.0.1:7001,redis://127.0.0.1:7002\"")
                .contains("passwordEnv=\"REDIS_PASSWORD\"")
                .doesNotContain("s3cret")
                .doesNotContain("address=");
        ClusterConfig sentinel = ClusterConfig.load(
                TestClusters.configFile(),
                Map.of(
                        ConfigKeys.SESSION_MODE, "redis",
                        ConfigKeys.REDIS_SENTINELS, "redis://127.0.0.1:26379",
                        ConfigKeys.REDIS_SENTINEL_MASTER, "sessions"));
        TomcatBases.writeSnippets(sentinel, dir);
        assertThat(Files.readString(dir.resolve("redis/context-manager.xml")))
                .contains("sentinels=\"redis://127.0.0.1:26379\" sentinelMaster=\"sessions\"")
                .doesNotContain("passwordEnv");
    }
}
