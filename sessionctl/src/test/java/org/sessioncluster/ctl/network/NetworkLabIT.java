package org.sessioncluster.ctl.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.sessioncluster.ctl.cluster.RedisServer;
import redis.clients.jedis.Jedis;

/**
 * A network lab on this machine's kernel: real namespaces, veth pairs, a bridge and tc; a real Redis inside one
 * namespace, reached from this JVM over the bridge. Skipped with the reason where labs cannot be made.
 */
class NetworkLabIT {
    /** Run folders and reports of this class's clusters; kept when a test fails, for their logs. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path tmp;

    private static final long RATE = 40_000_000; // 40 Mbit/s: a 4 MB value takes 0.8 s each way

    @BeforeAll
    static void labsCanBeMadeHere() {
        NetworkLab.unavailable().ifPresent(why -> Assumptions.abort("no network lab here: " + why));
    }

    @Test
    void eachLinkCarriesItsRateBothWaysWithin20Percent() throws Exception {
        NetworkLab lab = NetworkLab.create(new LinkShape(RATE, 0));
        Process redis = null;
        try {
            NetworkLab.Member member = lab.member("redis");
            assertThat(member.address()).startsWith("10.213.");
            int port = 6379;
            redis = startRedis(lab, member, port);
            byte[] value = new byte[4_000_000];
            try (Jedis j = new Jedis(member.address(), port, 30_000)) {
                j.set("warm".getBytes(), new byte[100_000]); // the connection's first segments
                List<Double> up = new ArrayList<>();
                List<Double> down = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    long t0 = System.nanoTime();
                    j.set("big".getBytes(), value);
                    long t1 = System.nanoTime();
                    assertThat(j.get("big".getBytes())).hasSize(value.length);
                    long t2 = System.nanoTime();
                    up.add(value.length * 8.0 / ((t1 - t0) / 1e9));
                    down.add(value.length * 8.0 / ((t2 - t1) / 1e9));
                }
                double upMedian = up.stream().sorted().toList().get(1);
                double downMedian = down.stream().sorted().toList().get(1);
                assertThat(upMedian)
                        .as("bit/s into the namespace, rounds " + up)
                        .isBetween(RATE * 0.8, RATE * 1.2);
                assertThat(downMedian)
                        .as("bit/s out of the namespace, rounds " + down)
                        .isBetween(RATE * 0.8, RATE * 1.2);
            }
        } finally {
            if (redis != null) {
                redis.destroyForcibly().waitFor();
            }
            lab.close();
        }
        assertThat(lab.remains()).as("namespaces, links and bridge left").isEmpty();
    }

    @Test
    void aCutPartitionsTwoMembersWhileOthersStillReachBothAndHealEndsIt() throws Exception {
        NetworkLab lab = NetworkLab.create(new LinkShape(100_000_000, 0));
        Process redis = null;
        try {
            NetworkLab.Member server = lab.member("redis");
            lab.member("node-1");
            redis = startRedis(lab, server, 6379);
            List<String> ping = lab.inside(
                    "node-1", List.of(java.util.Objects.requireNonNull(redisCli()), "-h", server.address(), "ping"));
            assertThat(Shell.attempt(ping).output()).contains("PONG");

            lab.cut("node-1", List.of("redis"));
            assertThat(lab.cuts()).containsExactly(List.of("node-1", "redis"));
            assertThat(Shell.attempt(ping).output())
                    .as("node-1 cut off from Redis")
                    .doesNotContain("PONG");
            try (Jedis j = new Jedis(server.address(), 6379)) {
                assertThat(j.ping()).as("this process still reaches Redis").isEqualTo("PONG");
            }

            lab.heal();
            assertThat(lab.cuts()).isEmpty();
            assertThat(Shell.attempt(ping).output()).contains("PONG");
        } finally {
            if (redis != null) {
                redis.destroyForcibly().waitFor();
            }
            lab.close();
        }
    }

    @Test
    void aLossyLinkDropsItsShareOfPacketsAtRandomAndHealMakesItWholeAgain() throws Exception {
        NetworkLab lab = NetworkLab.create(new LinkShape(100_000_000, 0));
        try (java.net.DatagramSocket receiver =
                new java.net.DatagramSocket(0, java.net.InetAddress.getByName(lab.hostAddress()))) {
            receiver.setSoTimeout(1_000);
            receiver.setReceiveBufferSize(1 << 20);
            lab.member("node-1");
            // first over the whole link: node-1 learns this address's MAC (ARP) now, not while packets are lost
            assertThat(sendAndCount(lab, receiver, 20)).isEqualTo(20);

            lab.lose("node-1", 0.2);
            int received = sendAndCount(lab, receiver, 2_000);
            assertThat(received)
                    .as("20 %% of 2,000 datagrams from node-1 dropped, drawn at random (±5 points)")
                    .isBetween(1_500, 1_700);
            assertThat(lab.dropped("node-1"))
                    .as("the link counts what it dropped (ARP and the like may add a few)")
                    .isBetween((long) (2_000 - received), (long) (2_000 - received) + 20);

            lab.heal();
            assertThat(sendAndCount(lab, receiver, 500))
                    .as("healed: nothing lost")
                    .isEqualTo(500);
            assertThat(lab.dropped("node-1")).isZero();
        } finally {
            lab.close();
        }
    }

    /** Sends {@code count} datagrams from node-1 to this process (bash's /dev/udp); returns how many came. */
    private static int sendAndCount(NetworkLab lab, java.net.DatagramSocket receiver, int count) throws Exception {
        String target = "/dev/udp/" + lab.hostAddress() + "/" + receiver.getLocalPort();
        Shell.run(lab.inside(
                "node-1", List.of("bash", "-c", "for i in $(seq " + count + "); do echo x > " + target + "; done")));
        int received = 0;
        java.net.DatagramPacket packet = new java.net.DatagramPacket(new byte[64], 64);
        try {
            while (true) {
                receiver.receive(packet);
                received++;
            }
        } catch (java.net.SocketTimeoutException e) {
            return received; // a second with nothing more: all that came is in
        }
    }

    /** A Redis in the member's namespace on its address, answering PING (protected mode off: lab clients only). */
    private Process startRedis(NetworkLab lab, NetworkLab.Member member, int port) throws Exception {
        Path dir = Files.createTempDirectory(tmp, "lab-redis");
        Process redis = new ProcessBuilder(lab.inside(
                        member.role(),
                        List.of(
                                RedisServer.locate(RedisServer.Binary.AUTO).toString(),
                                "--port",
                                Integer.toString(port),
                                "--bind",
                                member.address(),
                                "--save",
                                "",
                                "--protected-mode",
                                "no",
                                "--dir",
                                dir.toString())))
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.log").toFile())
                .start();
        try {
            await().atMost(Duration.ofSeconds(15)).ignoreExceptions().until(() -> {
                try (Jedis j = new Jedis(member.address(), port)) {
                    return "PONG".equals(j.ping());
                }
            });
        } catch (RuntimeException e) {
            redis.destroyForcibly().waitFor();
            throw e;
        }
        return redis;
    }

    /** redis-cli beside the redis-server that tests use (Debian's redis-tools). */
    private static String redisCli() {
        Path beside = RedisServer.locate(RedisServer.Binary.AUTO).resolveSibling("redis-cli");
        if (Files.isExecutable(beside)) {
            return beside.toString();
        }
        Assumptions.abort("no redis-cli beside " + beside + " (apt-get install redis-tools)");
        return null;
    }

    @Test
    void closeRemovesEverythingAlsoWhatStillRunsInside() throws Exception {
        NetworkLab lab = NetworkLab.create(new LinkShape(100_000_000, 0));
        Process sleeper;
        try {
            lab.member("node-1");
            lab.member("node-2");
            sleeper = new ProcessBuilder(lab.inside("node-1", List.of("sleep", "300"))).start();
            assertThat(lab.remains()).hasSize(5); // two namespaces, two links, the bridge
        } finally {
            lab.close();
        }
        assertThat(lab.remains()).isEmpty();
        assertThat(sleeper.waitFor(10, java.util.concurrent.TimeUnit.SECONDS))
                .as("a process left inside a namespace is ended with it")
                .isTrue();
        assertThatThrownBy(() -> lab.member("node-3")).hasMessageContaining("already removed");
    }

    @Test
    void sweepRemovesWhatARunKilledBeforeItsCleanUpLeft() throws Exception {
        Process holder = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        LabHolder.class.getName())
                .redirectErrorStream(true)
                .start();
        String prefix = NetworkLab.NAMESPACE_PREFIX + holder.pid() + "-";
        try {
            java.io.BufferedReader out =
                    new java.io.BufferedReader(new java.io.InputStreamReader(holder.getInputStream()));
            assertThat(out.readLine()).isEqualTo("ready");
            assertThat(NetworkLab.namespaces().stream().filter(n -> n.startsWith(prefix)))
                    .hasSize(2);
            NetworkLab.sweep();
            assertThat(NetworkLab.namespaces().stream().filter(n -> n.startsWith(prefix)))
                    .as("a live run's lab is not touched")
                    .hasSize(2);

            holder.destroyForcibly().waitFor(); // SIGKILL: no shutdown hook runs
            assertThat(NetworkLab.namespaces().stream().filter(n -> n.startsWith(prefix)))
                    .as("left behind by the kill")
                    .hasSize(2);

            assertThat(NetworkLab.sweep()).isGreaterThanOrEqualTo(3); // two namespaces, the bridge
            assertThat(NetworkLab.namespaces().stream().filter(n -> n.startsWith(prefix)))
                    .isEmpty();
            assertThat(bridgesOf(holder.pid())).isEmpty();
        } finally {
            holder.destroyForcibly().waitFor();
            NetworkLab.sweep();
        }
    }

    /** Bridges whose alias names this pid as their lab's owner. */
    private static List<String> bridgesOf(long pid) throws java.io.IOException {
        try (java.util.stream.Stream<Path> links = Files.list(Path.of("/sys/class/net"))) {
            return links.filter(l -> {
                        try {
                            return Files.readString(l.resolve("ifalias"))
                                    .strip()
                                    .endsWith("pid=" + pid);
                        } catch (java.io.IOException e) {
                            return false;
                        }
                    })
                    .map(l -> l.getFileName().toString())
                    .toList();
        }
    }

    @Test
    void aDelayNeedsNetemAndSaysSoWhereTheKernelHasNone() {
        if (NetworkLab.netemAvailable()) {
            try (NetworkLab lab = NetworkLab.create(new LinkShape(RATE, 2_000))) {
                lab.member("node-1");
                assertThat(lab.remains()).isNotEmpty();
            }
        } else {
            assertThatThrownBy(() -> NetworkLab.create(new LinkShape(RATE, 2_000)))
                    .isInstanceOf(NetworkLabException.class)
                    .hasMessageContaining("no netem")
                    .hasMessageContaining("set the delay to 0");
        }
    }

    @Test
    void ratesAndDelaysAreReadAsTcWritesThem() {
        assertThat(LinkShape.parseRate("100mbit")).isEqualTo(100_000_000);
        assertThat(LinkShape.parseRate("1gbit")).isEqualTo(1_000_000_000);
        assertThat(LinkShape.parseRate("2.5Mbit")).isEqualTo(2_500_000);
        assertThat(LinkShape.parseDelayMicros("0.2ms")).isEqualTo(200);
        assertThat(LinkShape.parseDelayMicros("50us")).isEqualTo(50);
        assertThat(new LinkShape(100_000_000, 200).rateText()).isEqualTo("100mbit");
        assertThatThrownBy(() -> LinkShape.parseRate("fast")).hasMessageContaining("e.g. 100mbit");
        assertThatThrownBy(() -> LinkShape.parseDelayMicros("2 s")).hasMessageContaining("e.g. 0.2ms");
    }
}
