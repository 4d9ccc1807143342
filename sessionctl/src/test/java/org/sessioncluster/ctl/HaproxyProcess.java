package org.sessioncluster.ctl;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.sessioncluster.config.ConfigKeys;
import org.sessioncluster.ctl.cluster.RunningCluster;
import org.sessioncluster.ctl.proxyconf.HaproxyConfig;
import org.sessioncluster.testsupport.FreePorts;

/**
 * The real HAProxy in front of a running cluster, configured as {@code sessionctl proxy-config haproxy} writes it
 * (on a free loopback port instead of the balancer's): started, waited for until it serves /health through to a
 * node, and killed on close. Its config and log are left in the run folder.
 */
public final class HaproxyProcess implements AutoCloseable {
    private final Process process;
    private final int port;

    private HaproxyProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** HAProxy ({@code binary}) in front of {@code cluster}, ready; its files in {@code runDir}. */
    public static HaproxyProcess start(Path binary, RunningCluster cluster, Path runDir) throws IOException {
        int port = FreePorts.loopback();
        Path cfg = runDir.resolve("haproxy.cfg");
        Files.writeString(
                cfg,
                HaproxyConfig.render(cluster.config().with(Map.of(ConfigKeys.BALANCER_PORT, Integer.toString(port)))));
        Process process = new ProcessBuilder(binary.toString(), "-db", "-f", cfg.toString())
                .redirectErrorStream(true)
                .redirectOutput(runDir.resolve("haproxy.log").toFile())
                .start();
        HaproxyProcess haproxy = new HaproxyProcess(process, port);
        try {
            HttpClient http = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofMillis(500))
                    .build();
            HttpRequest health = HttpRequest.newBuilder(URI.create(haproxy.url() + "/health"))
                    .timeout(Duration.ofSeconds(2))
                    .build();
            await("HAProxy serves /health on port " + port + " (see " + runDir.resolve("haproxy.log") + ")")
                    .atMost(Duration.ofSeconds(15))
                    .pollInterval(Duration.ofMillis(100))
                    .failFast("HAProxy exited (see " + runDir.resolve("haproxy.log") + ")", () -> !process.isAlive())
                    .ignoreExceptions()
                    .until(() -> http.send(health, HttpResponse.BodyHandlers.discarding())
                                    .statusCode()
                            == 200);
            return haproxy;
        } catch (RuntimeException | Error e) {
            haproxy.close();
            throw e;
        }
    }

    public int port() {
        return port;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
