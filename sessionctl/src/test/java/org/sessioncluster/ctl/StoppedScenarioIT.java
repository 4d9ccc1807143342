package org.sessioncluster.ctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sessioncluster.balancer.BalancerMain;
import org.sessioncluster.node.NodeMain;

/**
 * A scenario command stopped half-way (SIGTERM, as a CI job's timeout or a service manager sends it) takes its
 * throw-away cluster with it: no node or balancer JVM outlives the sessionctl that started it, not even a node the
 * scenario restarted.
 */
class StoppedScenarioIT {
    @TempDir
    Path dir;

    private Process sessionctl;
    private final List<ProcessHandle> started = new ArrayList<>();

    @AfterEach
    void killLeftovers() {
        if (sessionctl != null) {
            started.addAll(sessionctl.descendants().toList());
            sessionctl.destroyForcibly();
        }
        started.forEach(ProcessHandle::destroyForcibly);
    }

    @Test
    void aFailoverStoppedWithSigtermLeavesNoProcessBehind() throws Exception {
        Path console = dir.resolve("console.log");
        sessionctl = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        // the run folder (a temporary one) inside this test's own
                        "-Djava.io.tmpdir=" + Files.createDirectories(dir.resolve("tmp")),
                        "-cp",
                        System.getProperty("java.class.path"),
                        SessionCtl.class.getName(),
                        "failover",
                        "--modes",
                        "local",
                        "--nodes",
                        "2",
                        "--users",
                        "2",
                        "--duration",
                        "60s",
                        "--kill-at",
                        "2s",
                        "--restart-after",
                        "1s",
                        "--out",
                        dir.resolve("report").toString(),
                        "--war",
                        TestClusters.war().toString(),
                        "--jvm-options",
                        Cli.LEAN_JVM,
                        "--config",
                        TestClusters.configFile().toString())
                .redirectErrorStream(true)
                .redirectOutput(console.toFile())
                .start();

        // under load, with node-1 killed and started again: the cluster's JVMs are the balancer, node-2 and the
        // new node-1
        await("node-1 restarted under load (see " + console + ")")
                .atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(200))
                .failFast("sessionctl ended early", () -> !sessionctl.isAlive())
                .until(() -> Files.readString(console).contains("node-1 is back"));
        started.addAll(clusterJvms());
        assertThat(started).as("the balancer and two nodes").hasSize(3);

        sessionctl.destroy(); // SIGTERM
        assertThat(sessionctl.waitFor(30, TimeUnit.SECONDS))
                .as("sessionctl ends on SIGTERM")
                .isTrue();
        await("every node and the balancer gone with the sessionctl that started them")
                .atMost(Duration.ofSeconds(15))
                .untilAsserted(
                        () -> assertThat(started).as(Files.readString(console)).noneMatch(ProcessHandle::isAlive));
    }

    /** The node and balancer JVMs among the sessionctl process's descendants. */
    private List<ProcessHandle> clusterJvms() {
        return sessionctl
                .descendants()
                .filter(p -> {
                    List<String> arguments = arguments(p);
                    return arguments.contains(NodeMain.class.getName())
                            || arguments.contains(BalancerMain.class.getName());
                })
                .toList();
    }

    /** Its whole command line, from /proc: ProcessHandle.Info leaves out a command line as long as these JVMs' class path. */
    private static List<String> arguments(ProcessHandle p) {
        try {
            return Arrays.asList(
                    new String(Files.readAllBytes(Path.of("/proc", Long.toString(p.pid()), "cmdline"))).split("\0"));
        } catch (java.io.IOException gone) {
            return List.of();
        }
    }
}
