package org.sessioncluster.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sessioncluster.config.ConfigKeys;
import org.sessioncluster.config.ExitCodes;
import org.sessioncluster.contract.BalancerStatus;
import org.sessioncluster.ctl.cluster.BalancerAdmin;
import org.sessioncluster.ctl.cluster.ManagedProcess;
import org.sessioncluster.ctl.cluster.RunState;
import org.sessioncluster.ctl.cluster.RunningCluster;
import picocli.CommandLine;

/** sessionctl as a user types it: clear errors and exit codes, and a real up / status / down. */
class SessionCtlCliIT {
    @TempDir
    Path runDir;

    record Run(int exitCode, String out, String err) {}

    private Run sessionctl(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = SessionCtl.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(Cli.inRunDir(runDir, args));
        return new Run(code, out.toString(), err.toString());
    }

    /** For commands that read no cluster config (make-war). */
    private Run withoutConfig(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = SessionCtl.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    /** `up` of {@code nodes} nodes in {@code mode} with the tests' WAR, every port free (the balancer's too); then {@code more}. */
    private Run upOnFreePorts(String mode, int nodes, String... more) {
        List<String> args = new ArrayList<>(List.of(
                "up",
                "--mode",
                mode,
                "--nodes",
                Integer.toString(nodes),
                "--war",
                TestClusters.war().toString(),
                "--set",
                "node.http.port.base=0",
                "--set",
                "node.cluster.port.base=0",
                "--set",
                "balancer.port=0",
                "--set",
                "balancer.admin.port=0"));
        args.addAll(List.of(more));
        return sessionctl(args.toArray(String[]::new));
    }

    @AfterEach
    void killLeftovers() {
        RunState.read(runDir).ifPresent(state -> state.liveProcesses().forEach(ManagedProcess::kill));
    }

    @Test
    void everyCommandsHelpRendersWithoutAFormatWarning() {
        java.io.PrintStream saved = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            CommandLine cli = SessionCtl.commandLine();
            assertThat(cli.getUsageMessage()).contains("Usage: sessionctl");
            cli.getSubcommands()
                    .forEach((name, sub) ->
                            assertThat(sub.getUsageMessage()).as(name).contains("Usage: sessionctl " + name));
        } finally {
            System.setErr(saved);
        }
        assertThat(captured.toString(java.nio.charset.StandardCharsets.UTF_8))
                .as("a '%' in a description must be written '%%'")
                .doesNotContain("picocli WARN");
    }

    @Test
    void unknownModeIsABadConfigWithExitCode2() {
        Run run = sessionctl("up", "--mode", "sticky-ish");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err())
                .contains("the command line: session.mode = 'sticky-ish' is not allowed")
                .contains("local, delta, backup, redis")
                .doesNotContain("Exception");
    }

    @Test
    void nodeCountOutOfRangeIsABadConfig() {
        Run run = sessionctl("up", "--nodes", "0");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("nodes = '0'").contains("1 to 64");
    }

    @Test
    void unknownKeyInSetIsABadConfig() {
        Run run = sessionctl("up", "--set", "sesion.mode=delta");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("did you mean 'session.mode'");
    }

    @Test
    void portInUseIsRefusedBeforeAnythingStarts() throws Exception {
        try (ServerSocket busy = new ServerSocket()) {
            busy.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Run run = upOnFreePorts("local", 1, "--set", "node.http.port.base=" + busy.getLocalPort());
            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.err()).contains("port " + busy.getLocalPort()).contains("in use");
            assertThat(RunState.read(runDir)).isEmpty();
        }
    }

    @Test
    void missingWarSaysHowToBuildIt() {
        Run run = sessionctl(
                "up",
                "--mode",
                "local",
                "--war",
                runDir.resolve("nope.war").toString(),
                "--set",
                "node.http.port.base=0");
        assertThat(run.exitCode()).as("bad input").isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(run.err()).contains("WAR not found").contains("mvnw");
    }

    @Test
    void statusWithoutAClusterSaysSoWithExitCode3() {
        Run run = sessionctl("status");
        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.out()).contains("no cluster is running");
    }

    @Test
    void aRedisThatDoesNotAnswerIsNamedInOneLineWithoutClassNames() {
        int closed = org.sessioncluster.testsupport.FreePorts.loopback(); // nothing listens there
        Run run = sessionctl("store", "inspect", "--redis", "redis://127.0.0.1:" + closed);
        assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(run.err())
                .contains("cannot open the session store at redis://127.0.0.1:" + closed)
                .contains("Connection refused")
                .doesNotContain("Exception")
                .doesNotContain("org.redisson");
        assertThat(run.err().strip().lines()).hasSize(1);
    }

    @Test
    void aDeadBalancerIsSaidInWordsAndALoadWithFailedRequestsExitsWith3() {
        Run up = upOnFreePorts("local", 1);
        assertThat(up.exitCode()).as(up.err()).isZero();
        RunningCluster.attach(runDir).balancer().orElseThrow().kill();

        Run drain = sessionctl("drain", "node-1");
        assertThat(drain.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(drain.err()).contains("does not answer: connection refused").doesNotContain("null");
        Run load = sessionctl(
                "load",
                "--users",
                "2",
                "--requests",
                "50",
                "--out",
                runDir.resolve("load-report").toString());
        assertThat(load.exitCode()).as("it ran, and its requests failed").isEqualTo(ExitCodes.NOT_MET);
        assertThat(load.out()).contains("ok 0,");
        assertThat(sessionctl("down").exitCode()).isZero();
    }

    @Test
    void unknownPolicyIsABadConfig() {
        Run run = sessionctl("up", "--policy", "random");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err())
                .contains("balancer.policy = 'random' is not allowed")
                .contains("round-robin, least-connections, sticky");
    }

    @Test
    void balancerPortInUseIsRefused() throws Exception {
        try (ServerSocket busy = new ServerSocket()) {
            busy.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Run run = upOnFreePorts("local", 1, "--set", "balancer.port=" + busy.getLocalPort());
            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.err())
                    .contains("port " + busy.getLocalPort())
                    .contains("(balancer)")
                    .contains(ConfigKeys.BALANCER_PORT);
        }
    }

    @Test
    void nodeCommandsWithoutAClusterSaySo() {
        Run run = sessionctl("drain", "node-1");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("no cluster is running");
    }

    @Test
    void upStatusDrainWeightDownRunsAndStopsRealProcesses() {
        Run up = upOnFreePorts("delta", 2, "--policy", "sticky");
        assertThat(up.exitCode()).as(up.err()).isZero();
        assertThat(up.out())
                .contains("node-1 ready")
                .contains("node-2 ready")
                .contains("cluster is up (delta)")
                .contains("policy sticky")
                .contains("dashboard");
        Optional<RunState> state = RunState.read(runDir);
        assertThat(state).isPresent();
        assertThat(state.get().liveProcesses()).hasSize(3);

        Run status = sessionctl("status");
        assertThat(status.exitCode()).isZero();
        assertThat(status.out()).contains("mode: delta").contains("policy sticky");
        assertThat(status.out()
                        .lines()
                        .filter(l -> l.startsWith("node-") && l.contains(" up ") && l.contains(" enabled "))
                        .count())
                .isEqualTo(2);

        // a payload the nodes would refuse on every write is refused before any request
        Run tooBig = sessionctl("load", "--payload", "300000", "--requests", "10");
        assertThat(tooBig.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(tooBig.err())
                .contains("--payload 300000 is over the nodes' limit of 262144 bytes (session.payload.max.bytes)");
        assertThat(tooBig.out()).doesNotContain("requests ");

        // a load against the running cluster says what a request cost, CPU of every process included
        Run load = sessionctl(
                "load",
                "--users",
                "4",
                "--requests",
                "300",
                "--out",
                runDir.resolve("load-report").toString());
        assertThat(load.exitCode()).as(load.err()).isZero();
        assertThat(load.out()).contains("cost per request: cluster CPU");
        // up returned before the balancer's warm-up (begun once the nodes registered) ended; the load, begun at
        // once, waited for it rather than meter it (300 requests end well before 20,000 do)
        assertThat(RunningCluster.attach(runDir)
                        .balancerAdmin()
                        .flatMap(BalancerAdmin::status)
                        .map(BalancerStatus::warmedUp))
                .as("the balancer's warm-up ended before the load's end")
                .contains(true);
        assertThat(sessionctl("status").out()).doesNotContain("warming");
        JsonNode loadRun =
                readJson(runDir.resolve("load-report/results.json")).get("runs").get(0);
        assertThat(loadRun.get("cpuMicrosPerRequestByRole").get("nodes").asDouble())
                .isPositive();
        assertThat(loadRun.get("cpuMicrosPerRequestByRole").get("balancer").asDouble())
                .isPositive();
        assertThat(loadRun.get("channelBytesPerRequest").asDouble())
                .as("delta replicates the writes")
                .isPositive();

        // ROUTED is what the balancer sent each node: the load's 300 requests (and the health checks' none)
        List<String> header = List.of(sessionctl("status")
                .out()
                .lines()
                .filter(l -> l.startsWith("NAME "))
                .findFirst()
                .orElseThrow()
                .split("\\s+"));
        int routed = header.indexOf("ROUTED");
        assertThat(routed).as("a ROUTED column in " + header).isPositive();
        long routedSum = sessionctl("status")
                .out()
                .lines()
                .filter(l -> l.startsWith("node-"))
                .mapToLong(l -> Long.parseLong(l.split("\\s+")[routed]))
                .sum();
        assertThat(routedSum).isBetween(300L, 400L);

        Run drain = sessionctl("drain", "node-2");
        assertThat(drain.exitCode()).as(drain.err()).isZero();
        assertThat(drain.out()).contains("node-2: state drained");
        Run weight = sessionctl("weight", "node-1", "5");
        assertThat(weight.out()).contains("node-1: state enabled, weight 5");
        Run badWeight = sessionctl("weight", "node-1", "heavy");
        assertThat(badWeight.exitCode()).as("bad input").isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(badWeight.err()).contains("weight = 'heavy' is not allowed");
        Run noSuchNode = sessionctl("drain", "node-9");
        assertThat(noSuchNode.exitCode()).as("not in this cluster").isEqualTo(ExitCodes.FAILED);
        assertThat(noSuchNode.err()).contains("no node named 'node-9'").doesNotContain("Exception");
        assertThat(sessionctl("status").out()).contains("drained");
        String missingWar = runDir.resolve("missing.war").toString();
        Run addWithoutWar = sessionctl("add-node", "--war", missingWar);
        assertThat(addWithoutWar.exitCode()).as("bad input").isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(addWithoutWar.err()).contains("WAR not found: " + missingWar);
        assertThat(sessionctl("kill", "node-2").exitCode()).isZero();
        Run restartWithoutWar = sessionctl("restart", "node-2", "--war", missingWar);
        assertThat(restartWithoutWar.exitCode()).as("bad input").isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(restartWithoutWar.err()).contains("WAR not found: " + missingWar);
        assertThat(RunState.read(runDir).orElseThrow().liveProcesses())
                .as("no node started for them: the balancer and node-1 are left")
                .hasSize(2);
        Run restart = sessionctl("restart", "node-2");
        assertThat(restart.exitCode()).as(restart.err()).isZero();
        assertThat(restart.out()).contains("node-2 is back");

        Run again = sessionctl(
                "up", "--mode", "local", "--war", TestClusters.war().toString(), "--set", "node.http.port.base=0");
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err()).contains("already running");
        assertThat(again.out()).as("it says it starts nothing").doesNotContain("starting");

        List<ManagedProcess> before = state.get().liveProcesses();
        Run down = sessionctl("down");
        assertThat(down.exitCode()).isZero();
        assertThat(down.out()).contains("stopped 3 process(es)");
        assertThat(before).noneMatch(ManagedProcess::isAlive);
        assertThat(RunState.read(runDir)).isEmpty();
    }

    @Test
    void rolloutAndFailoverRefuseBadInputWithOneLine() throws Exception {
        Path war = runDir.resolve("v2.war");
        Run made = withoutConfig(
                "make-war", "--from", TestClusters.war().toString(), "--app-version", "2.0", "--out", war.toString());
        assertThat(made.exitCode()).as(made.err()).isZero();
        assertThat(made.out()).contains("version 2.0");
        try (var zip = new java.util.zip.ZipFile(war.toFile())) {
            var entry = zip.getEntry("WEB-INF/classes/org/sessioncluster/webapp/app.properties");
            assertThat(new String(
                            zip.getInputStream(entry).readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1))
                    .contains("version=2.0")
                    .contains("failure.rate=0.0");
            assertThat(zip.size())
                    .isEqualTo(new java.util.zip.ZipFile(TestClusters.war().toFile()).size());
        }

        Run badVersion = withoutConfig(
                "make-war",
                "--from",
                TestClusters.war().toString(),
                "--app-version",
                "2.0 beta",
                "--out",
                war.toString());
        assertThat(badVersion.exitCode()).as("bad input").isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(badVersion.err())
                .contains("--app-version '2.0 beta' is not allowed")
                .doesNotContain("Exception");

        Run strategy = sessionctl("rollout", "--strategy", "sideways", "--war", war.toString());
        assertThat(strategy.exitCode()).as("bad input").isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(strategy.err())
                .contains("--strategy 'sideways' is not allowed; allowed: rolling, blue-green, canary");

        Run noCluster = sessionctl("rollout", "--strategy", "rolling", "--war", war.toString());
        assertThat(noCluster.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(noCluster.err()).contains("no cluster is running").doesNotContain("Exception");

        Run noWar = sessionctl(
                "rollout",
                "--strategy",
                "canary",
                "--war",
                runDir.resolve("missing.war").toString());
        assertThat(noWar.exitCode()).as("bad input").isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(noWar.err()).contains("WAR not found").contains("make-war");

        Run mode = sessionctl("failover", "--modes", "delta,sticky");
        assertThat(mode.exitCode()).as("bad input").isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(mode.err()).contains("unknown mode 'sticky'").contains("local, delta, backup, redis");

        Run late = sessionctl("failover", "--modes", "delta", "--kill-at", "30s", "--duration", "10s");
        assertThat(late.err()).contains("must come before the end of the load");
        Run noVictim = sessionctl("failover", "--modes", "local", "--nodes", "2", "--victim", "node-9");
        assertThat(noVictim.exitCode()).as("bad input").isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(noVictim.err())
                .contains("--victim node-9 is not a node of these clusters; allowed: [node-1, node-2] or redis-primary")
                .doesNotContain("bad config");

        Run soakNodes = sessionctl("soak", "--nodes", "1");
        assertThat(soakNodes.exitCode()).as("bad input").isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(soakNodes.err())
                .contains("--nodes 1 is not allowed; allowed: 2 to 16")
                .contains("Try 'sessionctl soak --help'");
        Run soakGaps = sessionctl("soak", "--gap-min", "30s", "--gap-max", "10s");
        assertThat(soakGaps.err()).contains("must not be shorter than the shortest");
        Run soakHeap = sessionctl("soak", "--heap-every", "200ms");
        assertThat(soakHeap.exitCode()).as("bad input").isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(soakHeap.err()).contains("at most once a second per node");
        Run soakDuration = sessionctl("soak", "--duration", "soon");
        assertThat(soakDuration.err()).contains("--duration").doesNotContain("Exception");
    }

    private static JsonNode readJson(Path file) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(file.toFile());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
