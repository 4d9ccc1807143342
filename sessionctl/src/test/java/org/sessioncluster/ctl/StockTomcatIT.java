package org.sessioncluster.ctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sessioncluster.ctl.cluster.ManagedProcess;
import org.sessioncluster.ctl.cluster.RedisServer;
import picocli.CommandLine;

/**
 * The WAR on the stock Tomcat distribution (the {@code org.apache.tomcat:tomcat} zip), laid out by
 * {@code sessionctl tomcat-base}: two real Tomcat instances share sessions in delta mode and in redis mode.
 */
class StockTomcatIT {
    private static final String REDIS_PASSWORD = "stock-" + Long.toHexString(System.nanoTime());

    @TempDir
    static Path shared;

    static Path home;

    @TempDir
    Path dir;

    private final List<Process> tomcats = new ArrayList<>();

    @BeforeAll
    static void unpackTomcat() throws IOException {
        Path zip = Path.of(System.getProperty("sessioncluster.test.tomcat.zip", "target/test-tomcat/tomcat.zip"));
        assertThat(zip)
                .as("the stock Tomcat zip the build copies for the tests")
                .isRegularFile();
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                Path target = shared.resolve(e.getName()).normalize();
                if (!target.startsWith(shared)) {
                    throw new IOException("zip entry outside the target: " + e.getName());
                }
                if (e.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(in, target);
                }
            }
        }
        try (var top = Files.list(shared)) {
            home = top.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        try (var scripts = Files.list(home.resolve("bin"))) {
            for (Path s : (Iterable<Path>) scripts::iterator) {
                if (s.toString().endsWith(".sh")) {
                    Files.setPosixFilePermissions(s, PosixFilePermissions.fromString("rwxr-xr-x"));
                }
            }
        }
    }

    @AfterEach
    void stopTomcats() throws InterruptedException {
        for (Process p : tomcats) {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
        }
        for (Process p : tomcats) {
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private List<String> layOut(String mode, String... sets) {
        List<String> args = new ArrayList<>(List.of(
                "tomcat-base",
                "--home",
                home.toString(),
                "--out",
                dir.resolve("bases").toString(),
                "--war",
                TestClusters.war().toString(),
                "--config",
                TestClusters.configFile().toString(),
                "--mode",
                mode,
                "--nodes",
                "2",
                "--set",
                "node.http.port.base=0",
                "--set",
                "node.cluster.port.base=0",
                "--set",
                "node.jvm.options=-Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1"));
        for (String s : sets) {
            args.add("--set");
            args.add(s);
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = SessionCtl.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        assertThat(cli.execute(args.toArray(String[]::new))).as(err.toString()).isZero();
        List<String> urls = new ArrayList<>();
        for (String line : out.toString().split("\n")) {
            if (line.trim().startsWith("node-")) {
                urls.add(line.trim().split("\\s+")[1].replaceAll("/$", ""));
            }
        }
        assertThat(urls).hasSize(2);
        return urls;
    }

    /** Starts a CATALINA_BASE with the stock catalina.sh in the foreground (its java process is our child's child). */
    private void start(String node) throws IOException {
        Path base = dir.resolve("bases").resolve(node);
        ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/catalina.sh").toString(), "run");
        pb.environment().put("CATALINA_HOME", home.toString());
        pb.environment().put("CATALINA_BASE", base.toString());
        // the managers read the Redis password from the environment, as an operator would give it
        pb.environment().put("REDIS_PASSWORD", REDIS_PASSWORD);
        pb.redirectErrorStream(true)
                .redirectOutput(base.resolve("logs/console.log").toFile());
        tomcats.add(pb.start());
    }

    private static void awaitHealthy(String url) {
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(250))
                .ignoreExceptions()
                .until(() -> new SessionClient().get(url, "/health").status() == 200);
    }

    private void sessionCrossesInstances(List<String> urls) throws Exception {
        SessionClient ana = new SessionClient();
        SessionClient.Answer login = ana.post(urls.get(0), "/login", Map.of("user", "ana"));
        assertThat(login.servedBy()).isEqualTo("node-1");
        ana.post(urls.get(0), "/cart/items", Map.of("item", "apple"));
        SessionClient.Answer read = ana.get(urls.get(1), "/cart");
        assertThat(read.servedBy()).isEqualTo("node-2");
        assertThat(read.body().get("cart").get(0).asText()).isEqualTo("apple");
    }

    @Test
    void deltaModeReplicatesBetweenTwoStockTomcats() throws Exception {
        List<String> urls = layOut("delta");
        start("node-1");
        awaitHealthy(urls.get(0));
        start("node-2");
        awaitHealthy(urls.get(1));
        // membership forms after start: poll until a session made on node-1 is read on node-2
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .ignoreExceptions()
                .untilAsserted(() -> sessionCrossesInstances(urls));
        assertThat(Files.readString(dir.resolve("bases/node-2/conf/server.xml")))
                .contains("jvmRoute=\"node-2\"")
                .contains("org.apache.catalina.ha.session.DeltaManager");
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"redis", "redisson"})
    void redisModesShareSessionsBetweenTwoStockTomcats(String mode) throws Exception {
        int port = TestClusters.freePort();
        var access = new org.sessioncluster.load.meter.RespConnection.Access("", REDIS_PASSWORD, null, "");
        ManagedProcess redis = RedisServer.start(
                new RedisServer.Setup(RedisServer.locate(RedisServer.Binary.AUTO), "127.0.0.1", access, List.of()),
                port,
                dir.resolve("redis.log"));
        try {
            List<String> urls =
                    layOut(mode, "redis.address=redis://127.0.0.1:" + port, "redis.password=" + REDIS_PASSWORD);
            Path conf = dir.resolve("bases/node-1/conf");
            assertThat(Files.readString(
                            mode.equals("redis") ? conf.resolve("context.xml") : conf.resolve("redisson.yaml")))
                    .as("the password comes from the environment, not the file")
                    .contains(
                            mode.equals("redis") ? "passwordEnv=\"REDIS_PASSWORD\"" : "password: \"${REDIS_PASSWORD}\"")
                    .doesNotContain(REDIS_PASSWORD);
            assertThat(Files.readString(conf.resolve("context.xml"))).contains("sessionAttributeValueClassNameFilter=");
            assertThat(dir.resolve("bases/node-1/lib"))
                    .isDirectoryContaining(p -> p.getFileName()
                            .toString()
                            .startsWith(mode.equals("redis") ? "jedis-" : "redisson-tomcat-10"));
            assertThat(Files.readString(conf.resolve("context.xml")))
                    .contains(
                            mode.equals("redis")
                                    ? "org.sessioncluster.node.redis.RedisSessionManager"
                                    : "org.redisson.tomcat.RedissonSessionManager");
            start("node-1");
            start("node-2");
            awaitHealthy(urls.get(0));
            awaitHealthy(urls.get(1));
            sessionCrossesInstances(urls);
            if (mode.equals("redis")) {
                // this project's key layout, written by a stock Tomcat
                try (var c =
                        org.sessioncluster.load.meter.RespConnection.open("127.0.0.1", port, false, access, 2000)) {
                    assertThat(c.call("KEYS", "sessioncluster:session:{*}").toString())
                            .contains(".node-1}");
                }
            }
        } finally {
            redis.kill();
        }
    }
}
