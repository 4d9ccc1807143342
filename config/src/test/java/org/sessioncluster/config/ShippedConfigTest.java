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
            assertThat(properties).as("cluster.properties lists " + key).containsPattern("(?m)^" + key.replace(".", "\\.") + "=");
            assertThat(readme).as("cluster-config/README.md documents " + key).contains("| `" + key + "` |");
        }
        ClusterConfig.load(CONFIG_DIR.resolve("cluster.properties"), Map.of()); // and it loads as shipped
    }

    @Test
    void redisSshNeedsAnIdentityAndAUserAtHost() throws IOException {
        Path file = dir.resolve("cluster.properties");
        Files.writeString(file, "session.mode=redis\nredis.ssh=ops@bastion.example:2222\n");
        assertThatThrownBy(() -> ClusterConfig.load(file, Map.of())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("needs redis.ssh.identity");
        assertThatThrownBy(() -> ClusterConfig.load(file, Map.of("redis.ssh", "bastion.example")))
                .hasMessageContaining("redis.ssh = 'bastion.example' is not allowed").hasMessageContaining("user@host[:port]");
        ClusterConfig ok = ClusterConfig.load(file, Map.of("redis.ssh.identity", "keys/id_ecdsa"));
        assertThat(ok.redisSsh()).isEqualTo("ops@bastion.example:2222");
        assertThat(ok.redisSshIdentity()).isEqualTo(dir.resolve("keys/id_ecdsa"));
        assertThat(ok.redisSshKnownHosts()).isEqualTo(dir.resolve("known_hosts"));
        Path resolved = dir.resolve("out/cluster.properties");
        ok.writeTo(resolved);
        assertThat(Files.readString(resolved)).contains("redis.ssh.identity=" + dir.resolve("keys/id_ecdsa"))
                .contains("redis.ssh.known-hosts=" + dir.resolve("known_hosts"));
    }
}
