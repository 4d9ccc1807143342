package org.sessioncluster.ctl.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import org.sessioncluster.ctl.SessionClient;
import org.sessioncluster.ctl.TestClusters;
import org.sessioncluster.ctl.cluster.ClusterLauncher;
import org.sessioncluster.ctl.cluster.ManagedProcess;
import org.sessioncluster.ctl.cluster.RedisServer;
import org.sessioncluster.ctl.cluster.RunningCluster;

/** Redis down entirely: the nodes answer a clear 503 (no stack trace) and serve again by themselves when it returns. */
class RedisDownIT {
    @TempDir
    Path runDir;

    /** An empty Redis on 127.0.0.1:port (again on the same port after a kill: the log is appended to). */
    private ManagedProcess startRedis(int port) {
        return RedisServer.startOnLoopback(port, runDir.resolve("external-redis.log"));
    }

    /** With the session's cookie and a long timeout: Redisson retries for a while before it gives up. */
    private static HttpResponse<String> get(String url, String accept, String sessionId) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(url))
                                .header("Accept", accept)
                                .header("Cookie", "JSESSIONID=" + sessionId)
                                .timeout(Duration.ofSeconds(60))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void nodesAnswer503WhileRedisIsDownAndRecoverWhenItReturns() throws Exception {
        int port = TestClusters.freePort();
        ManagedProcess redis = startRedis(port);
        try {
            var config = TestClusters.config(
                    SessionMode.REDIS, 1, Map.of(ConfigKeys.REDIS_ADDRESS, "redis://127.0.0.1:" + port));
            try (RunningCluster cluster = new ClusterLauncher(new ClusterLauncher.Options(
                            TestClusters.war(), runDir, RedisServer.Binary.AUTO, false, line -> {}))
                    .start(config)) {
                String node = cluster.node("node-1").url();
                SessionClient ana = new SessionClient();
                assertThat(ana.post(node, "/login", Map.of("user", "ana")).status())
                        .isEqualTo(200);

                redis.kill();
                long t0 = System.nanoTime();
                HttpResponse<String> json = get(node + "/session", "application/json", ana.sessionId());
                long firstAnswerMs = (System.nanoTime() - t0) / 1_000_000;
                assertThat(json.statusCode()).as(json.body()).isEqualTo(503);
                assertThat(json.body())
                        .isEqualTo("{\"error\":\"session store unavailable\",\"status\":503,\"retryAfterSeconds\":2}");
                HttpResponse<String> page = get(node + "/", "text/html", ana.sessionId());
                assertThat(page.statusCode()).isEqualTo(503);
                assertThat(page.headers().firstValue("Retry-After")).hasValue("2");
                assertThat(page.body())
                        .contains("Sessions are unavailable for a moment")
                        .doesNotContain("Exception")
                        .doesNotContain("at org.");
                assertThat(new SessionClient().get(node, "/health").status())
                        .as("a request without a session is served")
                        .isEqualTo(200);
                System.out.println("first answer with Redis down after " + firstAnswerMs + " ms");

                redis = startRedis(port); // an empty Redis on the same address: old sessions are gone, new ones work
                long back = System.nanoTime();
                SessionClient bea = new SessionClient();
                await().atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(500))
                        .until(() ->
                                bea.post(node, "/login", Map.of("user", "bea")).status() == 200);
                System.out.println(
                        "serving again " + (System.nanoTime() - back) / 1_000_000 + " ms after Redis returned");
                assertThat(bea.get(node, "/session").text("user")).isEqualTo("bea");
            }
        } finally {
            redis.kill();
        }
    }
}
