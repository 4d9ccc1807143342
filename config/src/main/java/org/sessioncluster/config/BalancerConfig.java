package org.sessioncluster.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The {@code balancer.*} keys: where the embedded balancer listens, how it picks and checks nodes, its limits,
 * TLS, admin API and JVM.
 *
 * @param policy                the balancing policy (round-robin, least-connections, sticky, …)
 * @param host                  where the proxy listens
 * @param port                  the proxy's port
 * @param adminHost             where the admin API listens: loopback by default, whatever {@code host} says
 * @param adminPort             the admin API's port
 * @param adminToken            the admin token; empty when none is set (sessionctl then makes one for the run)
 * @param healthIntervalMillis  how often each node's health is checked
 * @param healthFall            failed checks in a row that take a node out
 * @param healthRise            passed checks in a row that bring it back
 * @param connectTimeoutMillis  how long connecting to a node may take
 * @param tlsKeystore           the keystore of the proxy's TLS; empty when it serves plain HTTP
 * @param tlsKeystorePassword   the config's, else the env BALANCER_TLS_PASSWORD, else empty
 * @param clientTimeoutMillis   how long the proxy waits for a client's next bytes before closing
 * @param maxHeaderBytes        the largest request head accepted (larger: 400)
 * @param maxBodyBytes          the largest request body accepted (larger: 413)
 * @param responseTimeoutMillis how long a node may take to answer
 * @param warmupRequests        requests sent through a copy of the data path at start, to a stand-in node
 * @param jvmOptions            the options of the balancer's JVM that sessionctl starts (not the nodes')
 */
public record BalancerConfig(
        String policy,
        String host,
        int port,
        String adminHost,
        int adminPort,
        String adminToken,
        int healthIntervalMillis,
        int healthFall,
        int healthRise,
        int connectTimeoutMillis,
        Optional<Path> tlsKeystore,
        String tlsKeystorePassword,
        int clientTimeoutMillis,
        int maxHeaderBytes,
        long maxBodyBytes,
        int responseTimeoutMillis,
        int warmupRequests,
        String jvmOptions) {

    static BalancerConfig read(ClusterConfig c) {
        return new BalancerConfig(
                c.get("balancer.policy"),
                c.get("balancer.host"),
                c.getInt("balancer.port"),
                c.get("balancer.admin.host"),
                c.getInt("balancer.admin.port"),
                c.get("balancer.admin.token"),
                c.getInt("balancer.health.interval.ms"),
                c.getInt("balancer.health.fall"),
                c.getInt("balancer.health.rise"),
                c.getInt("balancer.connect.timeout.ms"),
                c.optionalPath("balancer.tls.keystore"),
                c.getOrEnv("balancer.tls.keystore.password", "BALANCER_TLS_PASSWORD"),
                c.getInt("balancer.client.timeout.ms"),
                c.getInt("balancer.max.header.bytes"),
                c.getInt("balancer.max.body.bytes"),
                c.getInt("balancer.response.timeout.ms"),
                c.getInt("balancer.warmup.requests"),
                c.get("balancer.jvm.options"));
    }

    /** Without the token and the keystore password, which no log may show. */
    @Override
    public String toString() {
        return "BalancerConfig[policy=" + policy + ", host=" + host + ", port=" + port + ", adminHost=" + adminHost
                + ", adminPort=" + adminPort + ", tls=" + tlsKeystore.isPresent() + "]";
    }
}
