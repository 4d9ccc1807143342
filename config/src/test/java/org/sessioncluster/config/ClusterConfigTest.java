package org.sessioncluster.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterConfigTest {
    @TempDir
    Path dir;

    private ClusterConfig load(String text) throws IOException {
        Path file = dir.resolve("cluster.properties");
        Files.writeString(file, text);
        return ClusterConfig.load(file, Map.of());
    }

    @Test
    void defaultsGiveThreeLocalNodesOnConsecutivePorts() throws IOException {
        ClusterConfig config = load("");
        assertThat(config.sessionMode()).isEqualTo(SessionMode.LOCAL);
        assertThat(config.nodes()).extracting(NodeAddress::name).containsExactly("node-1", "node-2", "node-3");
        assertThat(config.nodes()).extracting(NodeAddress::httpPort).containsExactly(8081, 8082, 8083);
        assertThat(config.nodes()).extracting(NodeAddress::clusterPort).containsExactly(4001, 4002, 4003);
    }

    @Test
    void overridesWinOverTheFileAndPerNodePortsWinOverTheBase() throws IOException {
        Path file = dir.resolve("cluster.properties");
        Files.writeString(file, "session.mode=local\nnodes=2\n");
        ClusterConfig config = ClusterConfig.load(file, Map.of("session.mode", "delta", "node.2.http.port", "9999"));
        assertThat(config.sessionMode()).isEqualTo(SessionMode.DELTA);
        assertThat(config.node("node-2").httpPort()).isEqualTo(9999);
        assertThat(config.node("node-1").httpPort()).isEqualTo(8081);
    }

    @Test
    void aNodeOfItsOwnAddressKeepsItAcrossAWrittenConfigAndTheOthersKeepNodeHost() throws IOException {
        ClusterConfig config = load("session.mode=delta\nnodes=3\nnode.2.host=10.213.7.11\n");
        assertThat(config.nodes())
                .extracting(NodeAddress::host)
                .containsExactly("127.0.0.1", "10.213.7.11", "127.0.0.1");
        assertThat(config.node("node-2").clusterHost())
                .as("the Tribes receiver follows")
                .isEqualTo("10.213.7.11");
        Path written = dir.resolve("written.properties");
        config.writeTo(written);
        assertThat(ClusterConfig.load(written, Map.of()).node("node-2").host()).isEqualTo("10.213.7.11");
        assertThatThrownBy(() -> load("nodes=2\nnode.3.host=10.0.0.1\n")).hasMessageContaining("names node 3");
        assertThatThrownBy(() -> load("node.1.host=a b\n"))
                .hasMessageContaining("node.1.host")
                .hasMessageContaining("without spaces");
    }

    @Test
    void badModeNamesTheKeyTheValueAndWhatIsAllowed() {
        assertThatThrownBy(() -> load("session.mode=deltaa\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("session.mode = 'deltaa'")
                .hasMessageContaining("local, delta, backup, redis");
    }

    @Test
    void routeBinderFollowsTheBalancerPolicyUnlessSetExplicitly() throws IOException {
        assertThat(load("balancer.policy=sticky\n").channel().jvmRouteBinder())
                .as("auto, sticky: the user follows the renamed session")
                .isTrue();
        assertThat(load("balancer.policy=round-robin\n").channel().jvmRouteBinder())
                .as("auto, round-robin: no rename on every request")
                .isFalse();
        assertThat(load("balancer.policy=least-connections\n").channel().jvmRouteBinder())
                .isFalse();
        assertThat(load("balancer.policy=round-robin\ncluster.jvm.route.binder=true\n")
                        .channel()
                        .jvmRouteBinder())
                .isTrue();
        assertThat(load("balancer.policy=sticky\ncluster.jvm.route.binder=false\n")
                        .channel()
                        .jvmRouteBinder())
                .isFalse();
        assertThatThrownBy(() -> load("cluster.jvm.route.binder=yes\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("cluster.jvm.route.binder = 'yes'")
                .hasMessageContaining("auto, true, false");
    }

    @Test
    void nodeCountOutOfRangeIsRefused() {
        assertThatThrownBy(() -> load("nodes=0\n"))
                .hasMessageContaining("nodes = '0'")
                .hasMessageContaining("1 to 64");
        assertThatThrownBy(() -> load("nodes=65\n")).hasMessageContaining("nodes = '65'");
        assertThatThrownBy(() -> load("nodes=three\n")).hasMessageContaining("nodes = 'three'");
    }

    @Test
    void unknownKeyIsRefusedWithASuggestion() {
        assertThatThrownBy(() -> load("sesion.mode=delta\n"))
                .hasMessageContaining("unknown key 'sesion.mode'")
                .hasMessageContaining("did you mean 'session.mode'");
    }

    @Test
    void securityKeysAreCheckedAndResolved() throws IOException {
        assertThatThrownBy(() -> load("session.allowed.classes=org\\\\.example\\\\.(\n"))
                .hasMessageContaining("session.allowed.classes = 'org\\.example\\.('")
                .hasMessageContaining("regular expression");
        ClusterConfig own = load("session.allowed.classes=org\\\\.example\\\\..*\n");
        assertThat(own.session().allowedClasses()).isEqualTo("org\\.example\\..*");
        assertThat(load("").session().allowedClasses()).contains("org\\.sessioncluster\\.webapp\\..*");

        assertThatThrownBy(() -> load("redis.username=app\n"))
                .hasMessageContaining("redis.username = 'app' needs redis.password");
        assertThatThrownBy(() -> load("redis.password=two words\n")).hasMessageContaining("redis.password");
        ClusterConfig redis = load("redis.username=app\nredis.password=s3cret\nredis.tls.truststore=trust.p12\n");
        assertThat(redis.redis().password()).isEqualTo("s3cret");
        assertThat(redis.redis().tlsTruststore()).contains(dir.resolve("trust.p12"));

        ClusterConfig channel = load("session.mode=delta\ncluster.host=10.0.0.{name}\n");
        assertThat(channel.node("node-2").host()).isEqualTo("127.0.0.1");
        assertThat(channel.node("node-2").clusterHost()).isEqualTo("10.0.0.node-2");
        assertThat(load("session.mode=delta\n").node("node-1").clusterHost()).isEqualTo("127.0.0.1");

        Path written = dir.resolve("out/resolved.properties");
        redis.writeTo(written);
        assertThat(java.nio.file.Files.getPosixFilePermissions(written))
                .as("the file holds the password: owner only")
                .containsExactlyInAnyOrder(
                        java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                        java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
        assertThat(ClusterConfig.load(written, java.util.Map.of()).redis().password())
                .isEqualTo("s3cret");
    }

    @Test
    void duplicatePortsAreRefused() {
        assertThatThrownBy(() -> load("session.mode=delta\nnode.http.port.base=4000\nnode.cluster.port.base=4002\n"))
                .hasMessageContaining("port 4002 is given to both");
        assertThatThrownBy(() -> load("node.2.http.port=8081\n")).hasMessageContaining("port 8081");
    }

    @Test
    void perNodeKeyForANodeThatDoesNotExistIsRefused() {
        assertThatThrownBy(() -> load("nodes=2\nnode.5.http.port=9000\n")).hasMessageContaining("names node 5");
    }

    @Test
    void badRedisAddressIsRefused() {
        assertThatThrownBy(() -> load("redis.address=localhost\n"))
                .hasMessageContaining("redis.address = 'localhost'")
                .hasMessageContaining("redis://host:port");
    }

    @Test
    void missingFileSaysWhichFile() {
        assertThatThrownBy(() -> ClusterConfig.load(dir.resolve("nope.properties"), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("config file not found");
    }

    @Test
    void writtenConfigReadsBackTheSame() throws IOException {
        ClusterConfig config =
                load("session.mode=backup\nnodes=4\nnode.http.port.base=0\n").with(Map.of("node.3.http.port", "12345"));
        Path out = dir.resolve("run/resolved.properties");
        config.writeTo(out);
        ClusterConfig back = ClusterConfig.load(out, Map.of());
        assertThat(back.sessionMode()).isEqualTo(SessionMode.BACKUP);
        assertThat(back.nodes()).isEqualTo(config.nodes());
        assertThat(back.redis().redissonConfigPath()).isEqualTo(config.redis().redissonConfigPath());
    }

    @Test
    void unknownPolicyAndBadWeightAreRefused() {
        assertThatThrownBy(() -> load("balancer.policy=random\n"))
                .hasMessageContaining("balancer.policy = 'random'")
                .hasMessageContaining("round-robin, least-connections, sticky");
        assertThatThrownBy(() -> load("node.2.weight=-1\n")).hasMessageContaining("node.2.weight = '-1'");
        assertThatThrownBy(() -> load("node.2.weight=heavy\n")).hasMessageContaining("a weight from 0 to 256");
    }

    @Test
    void weightsDefaultToOneAndPerNodeWeightsAreRead() throws IOException {
        ClusterConfig config = load("node.3.weight=10\n");
        assertThat(config.weightOf("node-1")).isEqualTo(1);
        assertThat(config.weightOf("node-3")).isEqualTo(10);
    }

    @Test
    void balancerPortMayNotCollideWithANodePort() {
        assertThatThrownBy(() -> load("balancer.port=8082\n")).hasMessageContaining("port 8082 is given to both");
    }

    @Test
    void internalProxiesAreARegularExpressionThatTrustsLoopbackAndPrivateAddressesByDefault() throws IOException {
        java.util.regex.Pattern trusted =
                java.util.regex.Pattern.compile(load("").node().internalProxies());
        assertThat(List.of(
                        "127.0.0.1", "::1", "0:0:0:0:0:0:0:1", "10.1.2.3", "172.16.0.1", "172.31.9.9", "192.168.1.1"))
                .allMatch(a -> trusted.matcher(a).matches());
        assertThat(List.of("172.32.0.1", "8.8.8.8", "100.128.0.1", "2001:db8::1"))
                .noneMatch(a -> trusted.matcher(a).matches());
        assertThat(load("node.internal.proxies=10\\\\.0\\\\.0\\\\.5\n").node().internalProxies())
                .isEqualTo("10\\.0\\.0\\.5");
        assertThatThrownBy(() -> load("node.internal.proxies=10.0.0.(\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("node.internal.proxies = '10.0.0.(' is not allowed");
    }

    @Test
    void aBadValueOrKeyGivenOnTheCommandLineIsNotBlamedOnTheFile() throws IOException {
        Path file = dir.resolve("cluster.properties");
        Files.writeString(file, "nodes=2\n");
        assertThatThrownBy(() -> ClusterConfig.load(file, Map.of("nodes", "abc")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("the command line: nodes = 'abc' is not allowed");
        assertThatThrownBy(() -> ClusterConfig.load(file, Map.of("nodez", "3")))
                .hasMessageStartingWith("the command line: unknown key 'nodez' (did you mean 'nodes'?)");
        assertThatThrownBy(() -> ClusterConfig.load(file, Map.of("node.3.http.port", "9000")))
                .hasMessageStartingWith("the command line: key 'node.3.http.port' names node 3 but nodes = 2");
        // the file's own bad value is still the file's, whatever else the command line sets
        Files.writeString(file, "nodes=many\n");
        assertThatThrownBy(() -> ClusterConfig.load(file, Map.of("session.mode", "delta")))
                .hasMessageStartingWith("cluster.properties: nodes = 'many' is not allowed");
        // a check of several keys names both places once the command line gave any of them
        Files.writeString(file, "session.mode=redis\nredis.address=redis://127.0.0.1:6379\n");
        assertThatThrownBy(() -> ClusterConfig.load(file, Map.of("redis.sentinels", "redis://127.0.0.1:26379")))
                .hasMessageStartingWith("cluster.properties and the command line: redis.address and redis.sentinels");
    }

    @Test
    void shortAdminTokenIsRefused() {
        assertThatThrownBy(() -> load("balancer.admin.token=abc\n"))
                .hasMessageContaining("balancer.admin.token = 'abc'");
    }

    @Test
    void sentinelSettingsAreCheckedWithAClearMessage() throws IOException {
        ClusterConfig ha = load(
                "session.mode=redis\nredis.sentinels=redis://127.0.0.1:26379, redis://127.0.0.1:26380\nredis.sync.replicas=1\n");
        assertThat(ha.redis().sentinels()).containsExactly("redis://127.0.0.1:26379", "redis://127.0.0.1:26380");
        assertThat(ha.redis().sentinelMaster()).isEqualTo("session-primary");
        assertThat(ha.redis().syncReplicas()).isEqualTo(1);

        assertThatThrownBy(() -> load("session.mode=redis\nredis.sentinels=127.0.0.1:26379\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("redis.sentinels = '127.0.0.1:26379' is not allowed");
        assertThatThrownBy(
                        () -> load(
                                "session.mode=redis\nredis.address=redis://127.0.0.1:6379\nredis.sentinels=redis://127.0.0.1:26379\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("leave redis.address empty");
        assertThatThrownBy(
                        () -> load("session.mode=redisson\nredis.sync.replicas=1\nredis.update.mode=AFTER_REQUEST\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("redis.sync.replicas needs redis.update.mode = DEFAULT");
        assertThatThrownBy(
                        () -> load(
                                "session.mode=redis\nredis.embedded.sentinel=true\nredis.ssh=demo@127.0.0.1:2222\nredis.ssh.identity=k\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("redis.ssh cannot be combined with Sentinel");
        assertThatThrownBy(() -> load("redis.sync.replicas=9\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("redis.sync.replicas");
    }

    @Test
    void eachSubsystemIsARecordWithItsAutoValuesResolvedAndNoSecretInItsText() throws IOException {
        ClusterConfig sticky = load(
                "balancer.policy=sticky\nredis.password=s3cret-pw\nbalancer.admin.token=t0ken-t0ken-t0ken\n"
                        + "cluster.encryption.key=00112233445566778899aabbccddeeff\nredis.sentinels=redis://a:1, redis://b:2\nsession.mode=redis\n");
        assertThat(sticky.redis().sessionLock()).isEqualTo("node");
        assertThat(sticky.redis().sessionCache()).isEqualTo("true");
        assertThat(sticky.redis().sentinels()).containsExactly("redis://a:1", "redis://b:2");
        assertThat(sticky.channel().jvmRouteBinder()).isTrue();
        assertThat(sticky.channel().encryptionKey()).contains("00112233445566778899aabbccddeeff");
        assertThat(sticky.balancer().policy()).isEqualTo("sticky");
        assertThat(sticky.registry().renewMillis()).isPositive();
        assertThat(sticky.redis() + " " + sticky.balancer() + " " + sticky.channel())
                .contains("sticky")
                .doesNotContain("s3cret-pw", "t0ken-t0ken-t0ken", "00112233445566778899aabbccddeeff");

        ClusterConfig roundRobin = load("balancer.policy=round-robin\n");
        assertThat(roundRobin.redis().sessionLock()).isEqualTo("writes");
        assertThat(roundRobin.redis().sessionCache()).isEqualTo("verify");
        assertThat(roundRobin.channel().jvmRouteBinder()).isFalse();
        assertThat(roundRobin.redis().isCluster()).isFalse();
        assertThat(roundRobin
                        .with(Map.of(ConfigKeys.REDIS_CLUSTER_NODES, "redis://127.0.0.1:7000"))
                        .redis()
                        .isCluster())
                .isTrue();
    }

    @Test
    void aValueThatDoesNotParseIsAConfigErrorNotANumberFormatException() {
        assertThatThrownBy(() -> load("redis.pool.max=many\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("redis.pool.max");
        assertThatThrownBy(() -> load("balancer.port=80x\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("balancer.port");
    }
}
