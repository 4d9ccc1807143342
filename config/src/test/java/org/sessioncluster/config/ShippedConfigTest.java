package org.sessioncluster.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped cluster-config/ lists and documents every key; the redis.ssh keys are checked. */
class ShippedConfigTest {
    private static final Path CONFIG_DIR = Path.of("..", "cluster-config");

    @TempDir
    Path dir;

    @Test
    void everyKeyIsInTheShippedFileAndDocumented() throws IOException {
        String properties = Files.readString(CONFIG_DIR.resolve("cluster.properties"));
        String readme = Files.readString(CONFIG_DIR.resolve("README.md"));
        for (String key : ConfigKeys.ALL.keySet()) {
            assertThat(properties)
                    .as("cluster.properties lists " + key)
                    .containsPattern("(?m)^" + key.replace(".", "\\.") + "=");
            assertThat(readme).as("cluster-config/README.md documents " + key).contains("| `" + key + "` |");
        }
        ClusterConfig.load(CONFIG_DIR.resolve("cluster.properties"), Map.of()); // and it loads as shipped
    }

    @Test
    void redisSshNeedsAnIdentityAndAUserAtHost() throws IOException {
        Path file = dir.resolve("cluster.properties");
        Files.writeString(file, "session.mode=redis\nredis.ssh=ops@bastion.example:2222\n");
        assertThatThrownBy(() -> ClusterConfig.load(file, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("needs redis.ssh.identity");
        assertThatThrownBy(() -> ClusterConfig.load(file, Map.of("redis.ssh", "bastion.example")))
                .hasMessageContaining("redis.ssh = 'bastion.example' is not allowed")
                .hasMessageContaining("user@host[:port]");
        ClusterConfig ok = ClusterConfig.load(file, Map.of("redis.ssh.identity", "keys/id_ecdsa"));
        assertThat(ok.redis().ssh()).isEqualTo("ops@bastion.example:2222");
        assertThat(ok.redis().sshIdentity()).isEqualTo(dir.resolve("keys/id_ecdsa"));
        assertThat(ok.redis().sshKnownHosts()).isEqualTo(dir.resolve("known_hosts"));
        Path resolved = dir.resolve("out/cluster.properties");
        ok.writeTo(resolved);
        assertThat(Files.readString(resolved))
                .contains("redis.ssh.identity=" + dir.resolve("keys/id_ecdsa"))
                .contains("redis.ssh.known-hosts=" + dir.resolve("known_hosts"));
    }

    @Test
    void nodeHostNameTemplateGivesEachNodeItsOwnDnsName() {
        ClusterConfig config =
                ClusterConfig.load(CONFIG_DIR.resolve("cluster.properties"), Map.of("node.host", "{name}"));
        assertThat(config.nodes()).extracting(NodeAddress::host).containsExactly("node-1", "node-2", "node-3");
        assertThat(config.node("node-2").httpPort()).isEqualTo(8082);
    }

    @Test
    void replicasWithoutAListOfNamesRunAsTheFirstNodesTemplate() {
        ClusterConfig redis = ClusterConfig.load(
                CONFIG_DIR.resolve("cluster.properties"),
                Map.of("session.mode", "redis", "nodes", "1", "node.host", "{name}"));
        NodeAddress pod = redis.nodeOrTemplate("session-node-7d9f8c-x2x4q");
        assertThat(pod)
                .isEqualTo(new NodeAddress(1, "session-node-7d9f8c-x2x4q", "session-node-7d9f8c-x2x4q", 8081, 4001));
        ClusterConfig staticDelta =
                ClusterConfig.load(CONFIG_DIR.resolve("cluster.properties"), Map.of("session.mode", "delta"));
        assertThatThrownBy(() -> staticDelta.nodeOrTemplate("session-node-7d9f8c-x2x4q"))
                .as("a static member list must name every member")
                .hasMessageContaining("no node named");
        assertThatThrownBy(() -> redis.with(Map.of("nodes", "2")).nodeOrTemplate("session-node-7d9f8c-x2x4q"))
                .as("a config of several nodes names them all: a typo is an error")
                .hasMessageContaining("no node named");
        ClusterConfig dnsDelta = staticDelta.with(Map.of("cluster.membership", "dns", "nodes", "1"));
        assertThat(dnsDelta.nodeOrTemplate("pod-a").name()).isEqualTo("pod-a");
        assertThatThrownBy(() -> dnsDelta.nodeOrTemplate("../x")).hasMessageContaining("is not allowed");
        assertThatThrownBy(() -> ClusterConfig.load(
                        CONFIG_DIR.resolve("cluster.properties"), Map.of("cluster.membership", "multicast")))
                .hasMessageContaining("cluster.membership = 'multicast' is not allowed")
                .hasMessageContaining("static, dns");
    }
}
