package org.sessioncluster.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sessioncluster.config.ConfigKeys;
import org.sessioncluster.config.SessionMode;
import org.sessioncluster.ctl.cluster.ClusterLauncher;
import org.sessioncluster.ctl.cluster.RedisServer;
import org.sessioncluster.ctl.cluster.RunningCluster;

/** The app says which version it is: the build's by default, a run-time flag's when given. */
class AppVersionIT {
    @TempDir
    Path runDir;

    private static HttpResponse<String> get(String url) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(url))
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void everyResponseCarriesTheVersionAndTheRunTimeFlagOverridesIt() throws Exception {
        ClusterLauncher launcher = new ClusterLauncher(
                new ClusterLauncher.Options(TestClusters.war(), runDir, RedisServer.Binary.AUTO, false, l -> {}));
        try (RunningCluster cluster = launcher.start(
                TestClusters.config(
                        SessionMode.LOCAL,
                        1,
                        Map.of(
                                ConfigKeys.NODE_JVM_OPTIONS,
                                "-Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Dsessioncluster.app.version=2.0-canary")))) {
            HttpResponse<String> health = get(cluster.node("node-1").url() + "/health");
            assertThat(health.headers().firstValue("X-App-Version")).hasValue("2.0-canary");
            HttpResponse<String> page = get(cluster.node("node-1").url() + "/");
            assertThat(page.body()).contains("<span id=\"app-version\">2.0-canary</span>");
        }
        try (RunningCluster cluster = launcher.start(TestClusters.config(SessionMode.LOCAL, 1, Map.of()))) {
            String built = get(cluster.node("node-1").url() + "/health")
                    .headers()
                    .firstValue("X-App-Version")
                    .orElseThrow();
            assertThat(built).as("the version the build wrote").matches("\\d+\\.\\d+\\.\\d+.*");
        }
    }
}
