package org.sessioncluster.ctl.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.api.options.KeysScanOptions;
import org.redisson.client.codec.StringCodec;
import org.redisson.codec.CompositeCodec;
import org.redisson.codec.SerializationCodec;
import org.redisson.config.Config;
import org.sessioncluster.config.ClusterConfig;
import org.sessioncluster.config.ConfigKeys;
import org.sessioncluster.config.SessionMode;
import org.sessioncluster.ctl.ExternalTools;
import org.sessioncluster.ctl.SessionClient;
import org.sessioncluster.ctl.TestClusters;
import org.sessioncluster.ctl.cluster.ClusterLauncher;
import org.sessioncluster.ctl.cluster.RedisServer;
import org.sessioncluster.ctl.cluster.RunningCluster;
import org.sessioncluster.load.meter.RespConnection;

/**
 * The redis mode behind a password and over TLS: sessionctl's own Redis asks for redis.password, a node with
 * a wrong or missing password stops with a sentence that says so, a TLS Redis (certificate made by openssl in
 * the test) is reached through redis.tls.truststore — and a foreign class written into a session in Redis is
 * refused by the node, which answers 500 "session data refused" and goes on serving everyone else.
 */
class RedisSecurityIT {
    private static final String PASSWORD = "pw-" + Long.toHexString(System.nanoTime());

    @TempDir
    Path dir;

    private RunningCluster start(ClusterConfig config, String run) {
        return new ClusterLauncher(new ClusterLauncher.Options(
                        TestClusters.war(), dir.resolve(run), RedisServer.Binary.AUTO, false, line -> {}))
                .start(config);
    }

    /** Starts a node that must fail; returns what it printed once it exited (code 1). */
    private String failedStart(ClusterConfig config, String name) throws Exception {
        Path log = dir.resolve(name + "-" + System.nanoTime() + ".log");
        Process p = TestClusters.startNodeProcess(config, name, dir, log);
        try {
            assertThat(p.waitFor(90, TimeUnit.SECONDS))
                    .as("the node gives up by itself")
                    .isTrue();
            assertThat(p.exitValue()).isEqualTo(1);
            return Files.readString(log);
        } finally {
            p.destroyForcibly().waitFor();
        }
    }

    /** The running config plus one more node (node-N+1, on a free port) with these keys changed. */
    private ClusterConfig withOneMoreNode(ClusterConfig running, Map<String, String> more) {
        int n = running.nodeCount() + 1;
        Map<String, String> set = new java.util.HashMap<>(more);
        set.put(ConfigKeys.NODES, Integer.toString(n));
        set.put("node." + n + ".http.port", Integer.toString(TestClusters.freePort()));
        return running.with(set);
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(
            value = SessionMode.class,
            names = {"REDIS", "SPRING_SESSION"})
    void passwordIsRequiredAndAWrongOneIsAClearStartupError(SessionMode mode) throws Exception {
        ClusterConfig config = TestClusters.config(mode, 1, Map.of(ConfigKeys.REDIS_PASSWORD, PASSWORD));
        try (RunningCluster cluster = start(config, "run-" + mode.configName())) {
            String url = cluster.node("node-1").url();
            SessionClient user = new SessionClient();
            user.post(url, "/login", Map.of("user", "ana"));
            assertThat(user.get(url, "/session").text("user")).isEqualTo("ana");

            int port = cluster.config().redis().embeddedPort();
            assertThat(RedisServer.ping("127.0.0.1", port))
                    .as("no PING without the password")
                    .isFalse();
            assertThat(RedisServer.ping("127.0.0.1", port, RedisServer.access(cluster.config())))
                    .isTrue();
            assertThat(Files.readString(cluster.node("node-1").process().log())).doesNotContain(PASSWORD);

            String wrong = failedStart(
                    withOneMoreNode(cluster.config(), Map.of(ConfigKeys.REDIS_PASSWORD, "not-" + PASSWORD)), "node-2");
            assertThat(wrong)
                    .contains("node-2 failed to start: Redis at "
                            + cluster.config().redis().address() + " refused the password")
                    .doesNotContain("not-" + PASSWORD);
            String none =
                    failedStart(withOneMoreNode(cluster.config(), Map.of(ConfigKeys.REDIS_PASSWORD, "")), "node-2");
            assertThat(none).contains("requires a password: set redis.password");
        }
    }

    @Test
    void sentinelSetupBehindAPassword() throws Exception {
        ClusterConfig config = TestClusters.config(
                SessionMode.REDIS,
                1,
                Map.of(ConfigKeys.REDIS_PASSWORD, PASSWORD, ConfigKeys.REDIS_EMBEDDED_SENTINEL, "true"));
        try (RunningCluster cluster = start(config, "run-sentinel")) {
            java.net.URI sentinel =
                    java.net.URI.create(cluster.config().redis().sentinels().get(0));
            String master = cluster.config().redis().sentinelMaster();
            int[] view = RedisServer.sentinelView(cluster.config());
            assertThat(view[0])
                    .as("the Sentinel names the primary")
                    .isEqualTo(cluster.config().redis().embeddedPort());
            assertThat(view[1])
                    .as("and knows the replica, which logged in to the primary")
                    .isEqualTo(1);
            assertThat(
                            RedisServer.sentinelView(
                                    sentinel.getHost(), sentinel.getPort(), master, RespConnection.Access.NONE)[0])
                    .as("the Sentinel answers no one without the password")
                    .isEqualTo(-1);
            SessionClient user = new SessionClient();
            user.post(cluster.node("node-1").url(), "/login", Map.of("user", "dee"));
            assertThat(user.get(cluster.node("node-1").url(), "/session").text("user"))
                    .isEqualTo("dee");
        }
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(
            value = SessionMode.class,
            names = {"REDIS", "REDISSON"})
    void aForeignClassInASessionIsRefusedAndTheNodeServesOn(SessionMode mode) throws Exception {
        ClusterConfig config = TestClusters.config(mode, 1, Map.of(ConfigKeys.REDIS_PASSWORD, PASSWORD));
        try (RunningCluster cluster = start(config, "run-" + mode.configName())) {
            String url = cluster.node("node-1").url();
            SessionClient victim = new SessionClient();
            victim.post(url, "/login", Map.of("user", "ana"));
            victim.post(url, "/cart/items", Map.of("item", "apple"));

            // Someone who can write to Redis puts an object of a class the app does not use into the session.
            Config redissonConfig = new Config();
            redissonConfig.setCodec(new SerializationCodec());
            redissonConfig
                    .useSingleServer()
                    .setAddress(cluster.config().redis().address())
                    .setPassword(PASSWORD);
            RedissonClient redis = Redisson.create(redissonConfig);
            try {
                String pattern = mode == SessionMode.REDIS
                        ? "sessioncluster:session:{" + victim.sessionId() + "}"
                        : "*tomcat_session:" + SessionClient.baseId(victim.sessionId()) + "*";
                String key = null;
                for (String k :
                        redis.getKeys().getKeys(KeysScanOptions.defaults().pattern(pattern))) {
                    key = k;
                }
                assertThat(key).as("the session's hash in Redis").isNotNull();
                // field names as plain strings, values in Java serialization: how both managers store them
                redis.getMap(
                                key,
                                new CompositeCodec(
                                        StringCodec.INSTANCE, new SerializationCodec(), new SerializationCodec()))
                        .fastPut(
                                mode == SessionMode.REDIS ? "a:shop" : "shop",
                                new AtomicLong(42)); // fastPut: the old value (a webapp class) is not read back here
                if (mode == SessionMode.REDIS) {
                    // and moves the version on, as a write does: a node checks its copy by the version alone
                    var meta = redis.<String, String>getMap(key, StringCodec.INSTANCE);
                    meta.fastPut("v", Long.toString(Long.parseLong(meta.get("v")) + 1));
                }
            } finally {
                redis.shutdown();
            }

            SessionClient.Answer refused = victim.get(url, "/session");
            assertThat(refused.status()).isEqualTo(500);
            assertThat(refused.text("error")).isEqualTo("session data refused");
            await().atMost(Duration.ofSeconds(5))
                    .untilAsserted(() -> assertThat(Files.readString(
                                    cluster.node("node-1").process().log()))
                            .contains("refused: ")
                            .contains("java.util.concurrent.atomic.AtomicLong")
                            .contains("(GET /session answered 500)"));

            SessionClient other = new SessionClient();
            other.post(url, "/login", Map.of("user", "bea"));
            assertThat(other.get(url, "/session").text("user"))
                    .as("everyone else is served")
                    .isEqualTo("bea");
        }
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(
            value = SessionMode.class,
            names = {"REDIS", "SPRING_SESSION"})
    void nodesReachATlsRedisThroughTheTruststore(SessionMode mode) throws Exception {
        Path openssl = ExternalTools.find("openssl")
                .orElseThrow(() -> new AssertionError("openssl is needed (apt-get install openssl)"));
        Path cert = dir.resolve("redis.crt");
        Path key = dir.resolve("redis.key");
        run(List.of(
                openssl.toString(),
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-keyout",
                key.toString(),
                "-out",
                cert.toString(),
                "-days",
                "1",
                "-subj",
                "/CN=127.0.0.1",
                "-addext",
                "subjectAltName=IP:127.0.0.1"));
        Path trust = dir.resolve("redis-trust.p12");
        run(List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-importcert",
                "-noprompt",
                "-alias",
                "redis",
                "-file",
                cert.toString(),
                "-keystore",
                trust.toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                "trust-pass"));

        int port = TestClusters.freePort();
        Process redis = new ProcessBuilder(
                        RedisServer.locate(RedisServer.Binary.SYSTEM).toString(),
                        "--port",
                        "0",
                        "--tls-port",
                        Integer.toString(port),
                        "--bind",
                        "127.0.0.1",
                        "--tls-cert-file",
                        cert.toString(),
                        "--tls-key-file",
                        key.toString(),
                        "--tls-ca-cert-file",
                        cert.toString(),
                        "--tls-auth-clients",
                        "no",
                        "--save",
                        "",
                        "--appendonly",
                        "no",
                        "--requirepass",
                        PASSWORD)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("tls-redis.log").toFile())
                .start();
        try {
            String address = "rediss://127.0.0.1:" + port;
            RespConnection.Access access = new RespConnection.Access("", PASSWORD, trust, "trust-pass");
            await().atMost(Duration.ofSeconds(10)).until(() -> RedisServer.ping(address, access));
            ClusterConfig config = TestClusters.config(
                    mode,
                    2,
                    Map.of(
                            ConfigKeys.REDIS_ADDRESS,
                            address,
                            ConfigKeys.REDIS_PASSWORD,
                            PASSWORD,
                            ConfigKeys.REDIS_TLS_TRUSTSTORE,
                            trust.toString(),
                            ConfigKeys.REDIS_TLS_TRUSTSTORE_PASSWORD,
                            "trust-pass"));
            try (RunningCluster cluster = start(config, "run-tls-" + mode.configName())) {
                SessionClient user = new SessionClient();
                user.post(cluster.node("node-1").url(), "/login", Map.of("user", "cy"));
                assertThat(user.get(cluster.node("node-2").url(), "/session").text("user"))
                        .as("a session over TLS")
                        .isEqualTo("cy");
                assertThat(RedisServer.ping(address, RespConnection.Access.NONE))
                        .as("no answer without trust and password")
                        .isFalse();

                String untrusted = failedStart(
                        withOneMoreNode(cluster.config(), Map.of(ConfigKeys.REDIS_TLS_TRUSTSTORE, "")), "node-3");
                assertThat(untrusted).contains("node-3 failed to start: TLS with Redis at " + address + " failed");
            }
        } finally {
            redis.destroyForcibly().waitFor();
        }
    }

    private void run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("tool.log").toFile())
                .start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue())
                .as(String.join(" ", command) + ":\n" + Files.readString(dir.resolve("tool.log")))
                .isZero();
    }
}
