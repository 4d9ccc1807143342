package org.sessioncluster.ctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sessioncluster.config.ClusterConfig;
import org.sessioncluster.config.ConfigKeys;
import org.sessioncluster.ctl.proxyconf.HaproxyConfig;
import org.sessioncluster.ctl.proxyconf.NginxConfig;

/** The HAProxy and nginx files in cluster-config/ follow cluster.properties, and the real programs accept them. */
class ProxyConfigTest {
    @TempDir
    Path dir;

    private static ClusterConfig projectConfig(Map<String, String> more) {
        return ClusterConfig.load(TestClusters.configFile(), more);
    }

    @Test
    void checkedInFilesAreWhatTheConfigRendersTo() throws Exception {
        Path folder = TestClusters.configFile().getParent();
        assertThat(Files.readString(folder.resolve("haproxy.cfg"), StandardCharsets.UTF_8))
                .as(
                        "cluster-config/haproxy.cfg is stale: run scripts/sessionctl proxy-config haproxy -o cluster-config/haproxy.cfg")
                .isEqualTo(HaproxyConfig.render(projectConfig(Map.of())));
        assertThat(Files.readString(folder.resolve("nginx.conf"), StandardCharsets.UTF_8))
                .as(
                        "cluster-config/nginx.conf is stale: run scripts/sessionctl proxy-config nginx -o cluster-config/nginx.conf")
                .isEqualTo(NginxConfig.render(projectConfig(Map.of())));
    }

    @Test
    void stickyHaproxyRoutesByJvmRouteAndChecksHealth() {
        String cfg =
                HaproxyConfig.render(projectConfig(Map.of(ConfigKeys.BALANCER_POLICY, "sticky", "node.2.weight", "3")));
        assertThat(cfg)
                .contains("use-server node-2 if { req.cook(JSESSIONID) -m end .node-2 }")
                .contains("server node-2 127.0.0.1:8082 check weight 3")
                .contains("option httpchk GET /health")
                .contains("default-server inter 250ms fall 3 rise 2")
                .contains("retry-on conn-failure");
        assertThat(HaproxyConfig.render(projectConfig(Map.of(ConfigKeys.BALANCER_POLICY, "least-connections"))))
                .contains("balance leastconn");
        assertThat(NginxConfig.render(projectConfig(Map.of(ConfigKeys.BALANCER_POLICY, "sticky"))))
                .contains("hash $cookie_JSESSIONID consistent;");
    }

    @Test
    void haproxyAcceptsTheRenderedConfig() throws Exception {
        Optional<Path> haproxy = ExternalTools.find("haproxy");
        assumeTrue(haproxy.isPresent(), "haproxy is not installed (.ci/run installs it)");
        for (String policy : new String[] {"round-robin", "least-connections", "sticky"}) {
            Path cfg = dir.resolve(policy + ".cfg");
            Files.writeString(cfg, HaproxyConfig.render(projectConfig(Map.of(ConfigKeys.BALANCER_POLICY, policy))));
            assertAccepted(haproxy.get().toString(), "-c", "-f", cfg.toString());
        }
    }

    @Test
    void nginxAcceptsTheRenderedConfig() throws Exception {
        Optional<Path> nginx = ExternalTools.find("nginx");
        assumeTrue(nginx.isPresent(), "nginx is not installed (.ci/run installs it)");
        for (String policy : new String[] {"round-robin", "least-connections", "sticky"}) {
            Path cfg = dir.resolve(policy + ".conf");
            Files.writeString(cfg, NginxConfig.render(projectConfig(Map.of(ConfigKeys.BALANCER_POLICY, policy))));
            assertAccepted(nginx.get().toString(), "-t", "-p", dir.toString(), "-c", cfg.toString());
        }
    }

    /** Runs a config check command; it must exit 0 (its output is the failure message). */
    private static void assertAccepted(String... command) throws Exception {
        Process check = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(check.waitFor()).as(output).isZero();
    }
}
