package org.sessioncluster.ctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sessioncluster.config.ConfigKeys;

/**
 * {@code cluster.membership=dns}, the Kubernetes way (headless Service): two replicas that know no list
 * of names find each other through one DNS name and replicate sessions. DNS is played by a hosts file per
 * node JVM ({@code jdk.net.hosts.file}): {@code peers} resolves to 127.0.0.1 and 127.0.0.2, and — as in
 * a pod — the machine's own host name resolves to the replica's own address (Tomcat's DNS membership
 * tells itself from its peers that way). Both addresses are loopback, the ports the same, as pods' are.
 */
class DnsMembershipIT {
    @TempDir
    Path dir;

    private final List<Process> pods = new ArrayList<>();

    @AfterEach
    void stopPods() throws Exception {
        for (String pod : List.of("pod-a", "pod-b")) { // kept in the test report: what each pod saw of the other
            Path log = dir.resolve(pod + ".log");
            if (Files.exists(log)) {
                List<String> lines = Files.readAllLines(log);
                System.out.println("---- " + pod + ".log (membership lines)");
                lines.stream()
                        .filter(l -> l.contains("ember") || l.contains("SEVERE") || l.contains("up in"))
                        .forEach(System.out::println);
            }
        }
        for (Process p : pods) {
            p.destroy();
        }
        for (Process p : pods) {
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private void startPod(String name, String address, int httpPort, int clusterPort) throws IOException {
        Path hosts = dir.resolve(name + ".hosts");
        Files.writeString(
                hosts,
                "127.0.0.1 pod-a\n127.0.0.2 pod-b\n127.0.0.1 peers\n127.0.0.2 peers\n127.0.0.1 localhost\n" + address
                        + " " + InetAddress.getLocalHost().getHostName() + "\n");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-Djdk.net.hosts.file=" + hosts,
                "-cp",
                System.getProperty("java.class.path"),
                "org.sessioncluster.node.NodeMain",
                "--config",
                TestClusters.configFile().toString(),
                "--name",
                name,
                "--war",
                TestClusters.war().toString(),
                "--work-dir",
                dir.resolve("work").resolve(name).toString()));
        for (Map.Entry<String, String> e : Map.of(
                        ConfigKeys.SESSION_MODE,
                        "delta",
                        ConfigKeys.NODES,
                        "1",
                        ConfigKeys.NODE_HOST,
                        "{name}",
                        ConfigKeys.CLUSTER_MEMBERSHIP,
                        "dns",
                        ConfigKeys.NODE_HTTP_PORT_BASE,
                        Integer.toString(httpPort),
                        ConfigKeys.NODE_CLUSTER_PORT_BASE,
                        Integer.toString(clusterPort))
                .entrySet()) {
            command.add("--set");
            command.add(e.getKey() + "=" + e.getValue());
        }
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile());
        pb.environment().put("DNS_MEMBERSHIP_SERVICE_NAME", "peers");
        pods.add(pb.start());
    }

    private static void awaitHealthy(String url) {
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250))
                .ignoreExceptions()
                .until(() -> new SessionClient().get(url, "/health").status() == 200);
    }

    @Test
    void replicasFindEachOtherThroughOneDnsNameAndShareSessions() throws Exception {
        int http = TestClusters.freePort();
        int cluster = TestClusters.freePort();
        String a = "http://127.0.0.1:" + http;
        String b = "http://127.0.0.2:" + http;
        // one after the other, as a rolling update (maxSurge 1) starts pods: two DeltaManagers that ask
        // each other for the sessions at the same instant drop each other's request and wait out the timeout
        startPod("pod-a", "127.0.0.1", http, cluster);
        awaitHealthy(a);
        startPod("pod-b", "127.0.0.2", http, cluster);
        awaitHealthy(b);
        // each pod sees the other through the DNS name (membership is refreshed on the channel's heartbeat)
        for (String url : List.of(a, b)) {
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500))
                    .ignoreExceptions()
                    .until(() -> new SessionClient()
                                    .get(url, "/_node/status")
                                    .body()
                                    .get("channelPeers")
                                    .asInt()
                            == 1);
        }
        SessionClient ana = new SessionClient();
        ana.post(a, "/login", Map.of("user", "ana"));
        ana.post(a, "/cart/items", Map.of("item", "fig"));
        SessionClient.Answer read = ana.get(b, "/cart");
        assertThat(read.servedBy()).isEqualTo("pod-b");
        assertThat(read.body().get("cart").toString()).contains("fig");
    }
}
