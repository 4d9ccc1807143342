package org.sessioncluster.ctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sessioncluster.tunnel.server.DemoKeys;
import org.sessioncluster.tunnel.server.DemoSshServer;
import picocli.CommandLine;

/** {@code sessionctl tunnel} and {@code ssh-server} as a person runs them: output, exit codes, error messages. */
class TunnelCliIT {
    @TempDir
    Path dir;

    private ServerSocket echo;
    private DemoKeys keys;
    private DemoSshServer bastion;

    @BeforeEach
    void start() throws Exception {
        echo = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(
                () -> {
                    while (!echo.isClosed()) {
                        try (Socket s = echo.accept()) {
                            s.getOutputStream().write(s.getInputStream().readNBytes(4));
                        } catch (IOException e) {
                            return;
                        }
                    }
                },
                "echo");
        acceptor.setDaemon(true);
        acceptor.start();
        keys = DemoKeys.init(dir.resolve("ssh"));
        bastion = new DemoSshServer("127.0.0.1", 0, keys, List.of("127.0.0.1:" + echo.getLocalPort())).start();
        keys.writeKnownHosts("127.0.0.1", bastion.port());
    }

    @AfterEach
    void stop() throws Exception {
        bastion.close();
        echo.close();
    }

    private record Run(int exit, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = SessionCtl.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private String via() {
        return "demo@127.0.0.1:" + bastion.port();
    }

    @Test
    void localTunnelForwardsReportsAndStopsAfterItsTime() throws Exception {
        int port = TestClusters.freePort();
        CompletableFuture<Run> tunnel = CompletableFuture.supplyAsync(() -> run(
                "tunnel",
                "local",
                "--via",
                via(),
                "--identity",
                keys.clientKey().toString(),
                "--known-hosts",
                keys.knownHosts().toString(),
                "-L",
                port + ":127.0.0.1:" + echo.getLocalPort(),
                "--for",
                "4s",
                "--stats-every",
                "1s"));
        String answer = await().atMost(Duration.ofSeconds(10))
                .ignoreExceptions()
                .until(
                        () -> {
                            try (Socket s = new Socket("127.0.0.1", port)) {
                                s.setSoTimeout(5000);
                                s.getOutputStream().write("ping".getBytes(StandardCharsets.US_ASCII));
                                return new String(s.getInputStream().readNBytes(4), StandardCharsets.US_ASCII);
                            }
                        },
                        "ping"::equals);
        assertThat(answer).isEqualTo("ping");
        Run run = tunnel.get(20, TimeUnit.SECONDS);
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out())
                .contains("forwarding: local forward 127.0.0.1:" + port + " -> " + via() + " -> 127.0.0.1:"
                        + echo.getLocalPort())
                .contains("stopped; up: 1 connections (0 open), 4 B out, 4 B in, 0 reconnects");
    }

    @Test
    void unknownHostKeyWrongKeyAndPortInUseExitNonZeroWithOneClearLine() throws Exception {
        Run unknown = run(
                "tunnel",
                "local",
                "--via",
                via(),
                "--identity",
                keys.clientKey().toString(),
                "--known-hosts",
                dir.resolve("empty_known_hosts").toString(),
                "-L",
                "0:127.0.0.1:" + echo.getLocalPort(),
                "--for",
                "1s");
        assertThat(unknown.exit()).isEqualTo(1);
        assertThat(unknown.err())
                .startsWith("sessionctl: refusing to connect to " + via())
                .contains("--accept-new-host-key")
                .doesNotContain("Exception");

        Path stranger = dir.resolve("stranger");
        DemoKeys.writeKeyPair(stranger, "stranger");
        Run refused = run(
                "tunnel",
                "remote",
                "--via",
                via(),
                "--identity",
                stranger.toString(),
                "--known-hosts",
                keys.knownHosts().toString(),
                "-R",
                TestClusters.freePort() + ":127.0.0.1:" + echo.getLocalPort(),
                "--for",
                "1s");
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).contains("refused the key in " + stranger).doesNotContain("Exception");

        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Run inUse = run(
                    "tunnel",
                    "local",
                    "--via",
                    via(),
                    "--identity",
                    keys.clientKey().toString(),
                    "--known-hosts",
                    keys.knownHosts().toString(),
                    "-L",
                    taken.getLocalPort() + ":127.0.0.1:" + echo.getLocalPort(),
                    "--for",
                    "1s");
            assertThat(inUse.exit()).isEqualTo(1);
            assertThat(inUse.err())
                    .contains("cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": the port is in use");
        }

        Run badSpec = run(
                "tunnel",
                "local",
                "--via",
                via(),
                "--identity",
                keys.clientKey().toString(),
                "-L",
                "6379");
        assertThat(badSpec.exit()).isEqualTo(2);
        assertThat(badSpec.err()).contains("'6379' is not a forward; expected [bind:]port:target-host:target-port");

        Run noKey = run(
                "tunnel",
                "local",
                "--via",
                via(),
                "--identity",
                dir.resolve("missing").toString(),
                "-L",
                "0:127.0.0.1:1");
        assertThat(noKey.exit()).isEqualTo(2);
        assertThat(noKey.err()).contains("identity file " + dir.resolve("missing") + " does not exist");
    }

    @Test
    void demoServerMakesItsKeysAndSaysHowToConnect() {
        Path sshDir = dir.resolve("demo");
        Run run = run(
                "ssh-server", "--dir", sshDir.toString(), "--port", "0", "--allow", "127.0.0.1:6379", "--for", "200ms");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out())
                .contains("demo SSH server on 127.0.0.1:")
                .contains("host key SHA256:")
                .contains("tunnel local --via demo@127.0.0.1:");
        assertThat(sshDir.resolve("client_key")).exists();
        assertThat(sshDir.resolve("authorized_keys")).exists();
        assertThat(Files.exists(sshDir.resolve("known_hosts"))).isTrue();

        Run bad = run("ssh-server", "--dir", sshDir.toString(), "--port", "0", "--allow", "6379", "--for", "200ms");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("--allow '6379' is not HOST:PORT");
    }
}
