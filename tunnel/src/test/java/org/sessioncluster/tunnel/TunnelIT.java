package org.sessioncluster.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sessioncluster.testsupport.FreePorts;
import org.sessioncluster.tunnel.server.DemoKeys;
import org.sessioncluster.tunnel.server.DemoSshServer;

/** Real SSH (the demo server, MINA SSHD) carrying real TCP traffic to a real echo service. */
class TunnelIT {
    @TempDir
    Path dir;

    private EchoServer echo;
    private DemoKeys keys;
    private DemoSshServer bastion;

    @BeforeEach
    void start() throws Exception {
        echo = new EchoServer();
        keys = DemoKeys.init(dir.resolve("ssh"));
        bastion = new DemoSshServer("127.0.0.1", 0, keys, List.of(echo.target())).start();
        keys.writeKnownHosts("127.0.0.1", bastion.port());
    }

    @AfterEach
    void stop() throws Exception {
        bastion.close();
        echo.close();
    }

    private SshConnector connector() {
        return new SshConnector(
                SshEndpoint.parse("demo@127.0.0.1:" + bastion.port()),
                keys.clientKey(),
                keys.knownHosts(),
                false,
                Duration.ofSeconds(10));
    }

    @Test
    void localForwardCarriesTrafficThroughTheBastionAndCountsIt() throws Exception {
        try (SshConnector ssh = connector();
                Tunnel tunnel = Tunnel.open(
                        Tunnel.Direction.LOCAL,
                        ssh,
                        ForwardSpec.parse("0:127.0.0.1:" + echo.port()),
                        Duration.ofSeconds(2))) {
            int port = tunnel.entrance().getPort();
            assertThat(EchoServer.roundTrip("127.0.0.1", port, "hello through -L"))
                    .isEqualTo("hello through -L");
            assertThat(EchoServer.roundTrip("127.0.0.1", port, "again")).isEqualTo("again");
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                TunnelStats stats = tunnel.stats();
                assertThat(stats.connections()).isEqualTo(2);
                assertThat(stats.bytesOut()).isEqualTo("hello through -L".length() + "again".length());
                assertThat(stats.bytesIn()).isEqualTo(stats.bytesOut());
                assertThat(stats.openConnections()).isZero();
            });
            assertThat(bastion.forwardsTo(echo.target())).isEqualTo(2);
        }
    }

    @Test
    void remoteForwardLetsTheServerSideReachATargetHere() throws Exception {
        int serverSidePort = freePort(); // the bastion runs on this machine too, so a port free here is free there
        try (SshConnector ssh = connector();
                Tunnel tunnel = Tunnel.open(
                        Tunnel.Direction.REMOTE,
                        ssh,
                        ForwardSpec.parse("127.0.0.1:" + serverSidePort + ":127.0.0.1:" + echo.port()),
                        Duration.ofSeconds(2))) {
            assertThat(tunnel.entrance().getPort()).isEqualTo(serverSidePort);
            assertThat(EchoServer.roundTrip("127.0.0.1", serverSidePort, "hello through -R"))
                    .isEqualTo("hello through -R");
            await().atMost(Duration.ofSeconds(5)).until(() -> tunnel.stats().connections() == 1);
        }
    }

    @Test
    void remoteForwardOnANonLoopbackAddressIsRefusedByTheBastion() throws Exception {
        int port = freePort();
        try (SshConnector ssh = connector()) {
            assertThatThrownBy(() -> Tunnel.open(
                            Tunnel.Direction.REMOTE,
                            ssh,
                            ForwardSpec.parse("0.0.0.0:" + port + ":127.0.0.1:" + echo.port()),
                            Duration.ofSeconds(2)))
                    .isInstanceOfSatisfying(
                            TunnelException.class,
                            e -> assertThat(e.kind()).isEqualTo(TunnelException.Kind.FORWARD_REFUSED))
                    .hasMessageContaining("refused to listen on 0.0.0.0:" + port);
            assertThatThrownBy(() -> Tunnel.open(
                            Tunnel.Direction.REMOTE,
                            ssh,
                            ForwardSpec.parse("0:127.0.0.1:" + echo.port()),
                            Duration.ofSeconds(2)))
                    .isInstanceOfSatisfying(
                            TunnelException.class, e -> assertThat(e.kind()).isEqualTo(TunnelException.Kind.BAD_INPUT))
                    .hasMessageContaining("needs an explicit port");
        }
    }

    static int freePort() {
        return FreePorts.loopback();
    }

    @Test
    void localForwardSurvivesADroppedSshConnectionOnTheSamePort() throws Exception {
        try (SshConnector ssh = connector();
                Tunnel tunnel = Tunnel.open(
                        Tunnel.Direction.LOCAL,
                        ssh,
                        ForwardSpec.parse("0:127.0.0.1:" + echo.port()),
                        Duration.ofSeconds(1))) {
            int port = tunnel.entrance().getPort();
            assertThat(EchoServer.roundTrip("127.0.0.1", port, "before")).isEqualTo("before");
            assertThat(bastion.dropSessions()).isEqualTo(1);
            await().atMost(Duration.ofSeconds(15))
                    .until(() ->
                            tunnel.stats().reconnects() == 1 && tunnel.stats().state() == Tunnel.State.UP);
            assertThat(tunnel.entrance().getPort()).isEqualTo(port);
            assertThat(EchoServer.roundTrip("127.0.0.1", port, "after")).isEqualTo("after");
        }
    }

    @Test
    void remoteForwardIsRequestedAgainAfterADroppedConnection() throws Exception {
        int serverSidePort = freePort();
        try (SshConnector ssh = connector();
                Tunnel tunnel = Tunnel.open(
                        Tunnel.Direction.REMOTE,
                        ssh,
                        ForwardSpec.parse(serverSidePort + ":127.0.0.1:" + echo.port()),
                        Duration.ofSeconds(1))) {
            assertThat(EchoServer.roundTrip("127.0.0.1", serverSidePort, "before"))
                    .isEqualTo("before");
            bastion.dropSessions();
            await().atMost(Duration.ofSeconds(15))
                    .until(() ->
                            tunnel.stats().reconnects() == 1 && tunnel.stats().state() == Tunnel.State.UP);
            await().atMost(Duration.ofSeconds(5))
                    .ignoreExceptions()
                    .until(() -> EchoServer.roundTrip("127.0.0.1", serverSidePort, "after"), "after"::equals);
        }
    }

    @Test
    void aBastionThatIsDownForAWhileIsRetriedWithBackOffUntilItReturns() throws Exception {
        int port = bastion.port();
        try (SshConnector ssh = connector();
                Tunnel tunnel = Tunnel.open(
                        Tunnel.Direction.LOCAL,
                        ssh,
                        ForwardSpec.parse("0:127.0.0.1:" + echo.port()),
                        Duration.ofSeconds(1))) {
            bastion.close();
            await().atMost(Duration.ofSeconds(15))
                    .until(() -> tunnel.stats().lastError().contains("cannot reach the SSH server"));
            assertThat(tunnel.stats().state()).isEqualTo(Tunnel.State.RECONNECTING);
            bastion = new DemoSshServer("127.0.0.1", port, keys, List.of(echo.target())).start();
            await().atMost(Duration.ofSeconds(15)).until(() -> tunnel.stats().state() == Tunnel.State.UP);
            assertThat(EchoServer.roundTrip("127.0.0.1", tunnel.entrance().getPort(), "back"))
                    .isEqualTo("back");
        }
    }

    @Test
    void forwardToADestinationTheBastionDoesNotAllowCarriesNothing() throws Exception {
        try (ServerSocket other = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
                SshConnector ssh = connector();
                Tunnel tunnel = Tunnel.open(
                        Tunnel.Direction.LOCAL,
                        ssh,
                        ForwardSpec.parse("0:127.0.0.1:" + other.getLocalPort()),
                        Duration.ofSeconds(1))) {
            assertThat(EchoServer.roundTrip("127.0.0.1", tunnel.entrance().getPort(), "let me in"))
                    .isEmpty();
            await().atMost(Duration.ofSeconds(5)).until(() -> bastion.refusedForwards() == 1);
        }
    }

    @Test
    void unknownHostKeyIsRefusedUnlessAcceptedExplicitlyThenWrittenToKnownHosts() throws Exception {
        Path knownHosts = dir.resolve("fresh/known_hosts");
        SshEndpoint endpoint = SshEndpoint.parse("demo@127.0.0.1:" + bastion.port());
        try (SshConnector strict =
                new SshConnector(endpoint, keys.clientKey(), knownHosts, false, Duration.ofSeconds(10))) {
            assertThatThrownBy(strict::connect)
                    .isInstanceOfSatisfying(
                            TunnelException.class, e -> assertThat(e.kind()).isEqualTo(TunnelException.Kind.HOST_KEY))
                    .hasMessageContaining("is not in " + knownHosts)
                    .hasMessageContaining(keys.hostKeyFingerprint())
                    .hasMessageContaining("--accept-new-host-key");
        }
        assertThat(knownHosts).doesNotExist();
        try (SshConnector acceptNew =
                new SshConnector(endpoint, keys.clientKey(), knownHosts, true, Duration.ofSeconds(10))) {
            acceptNew.connect().close();
        }
        assertThat(Files.readString(knownHosts)).contains("[127.0.0.1]:" + bastion.port());
        try (SshConnector strict =
                new SshConnector(endpoint, keys.clientKey(), knownHosts, false, Duration.ofSeconds(10))) {
            strict.connect().close(); // now known
        }
    }

    @Test
    void changedHostKeyIsAlwaysRefused() throws Exception {
        DemoKeys impostor = DemoKeys.init(dir.resolve("impostor"));
        Files.copy(keys.hostKey(), dir.resolve("real_host_key"));
        Files.copy(impostor.hostKey(), keys.hostKey(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        bastion.close();
        bastion = new DemoSshServer("127.0.0.1", 0, keys, List.of(echo.target())).start();
        Files.writeString(
                keys.knownHosts(),
                "[127.0.0.1]:" + bastion.port() + " "
                        + Files.readString(keys.knownHosts()).split(" ", 2)[1]); // the real key, remembered from before
        try (SshConnector ssh = new SshConnector(
                SshEndpoint.parse("demo@127.0.0.1:" + bastion.port()),
                keys.clientKey(),
                keys.knownHosts(),
                true,
                Duration.ofSeconds(10))) {
            assertThatThrownBy(ssh::connect)
                    .isInstanceOfSatisfying(
                            TunnelException.class, e -> assertThat(e.kind()).isEqualTo(TunnelException.Kind.HOST_KEY))
                    .hasMessageContaining("has CHANGED");
        }
    }

    @Test
    void aKeyTheServerDoesNotKnowIsRefusedWithItsFingerprint() {
        Path stranger = dir.resolve("stranger_key");
        DemoKeys.writeKeyPair(stranger, "stranger");
        try (SshConnector ssh = new SshConnector(
                SshEndpoint.parse("demo@127.0.0.1:" + bastion.port()),
                stranger,
                keys.knownHosts(),
                false,
                Duration.ofSeconds(10))) {
            assertThatThrownBy(ssh::connect)
                    .isInstanceOfSatisfying(
                            TunnelException.class, e -> assertThat(e.kind()).isEqualTo(TunnelException.Kind.AUTH))
                    .hasMessageContaining("refused the key in " + stranger)
                    .hasMessageContaining("SHA256:");
        }
    }

    @Test
    void aLocalPortInUseIsReportedBeforeAnyConnection() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
                SshConnector ssh = connector()) {
            assertThatThrownBy(() -> Tunnel.open(
                            Tunnel.Direction.LOCAL,
                            ssh,
                            ForwardSpec.parse(taken.getLocalPort() + ":127.0.0.1:" + echo.port()),
                            Duration.ofSeconds(1)))
                    .isInstanceOfSatisfying(
                            TunnelException.class,
                            e -> assertThat(e.kind()).isEqualTo(TunnelException.Kind.PORT_IN_USE))
                    .hasMessageContaining("port is in use");
        }
    }

    @Test
    void anUnreachableServerIsAConnectError() throws Exception {
        int closedPort = freePort();
        try (SshConnector ssh = new SshConnector(
                SshEndpoint.parse("demo@127.0.0.1:" + closedPort),
                keys.clientKey(),
                keys.knownHosts(),
                false,
                Duration.ofSeconds(5))) {
            assertThatThrownBy(ssh::connect)
                    .isInstanceOfSatisfying(
                            TunnelException.class, e -> assertThat(e.kind()).isEqualTo(TunnelException.Kind.CONNECT))
                    .hasMessageContaining("cannot reach the SSH server 127.0.0.1:" + closedPort);
        }
    }
}
