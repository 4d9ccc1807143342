package org.sessioncluster.node.redis;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.sessioncluster.config.ClusterConfig;

/**
 * Where the redis mode's Redis is and how to log in: one server ({@code address}), the Sentinels that know the
 * primary ({@code sentinels} and {@code sentinelMaster}), or the nodes of a Redis Cluster ({@code clusterNodes});
 * then the ACL user and password and, for rediss://, the truststore holding the server certificate's CA. The
 * same password opens the Sentinels.
 *
 * @param truststore null when the JVM's default trust applies
 */
public record RedisEndpoint(
        String address,
        List<String> sentinels,
        String sentinelMaster,
        List<String> clusterNodes,
        String username,
        String password,
        Path truststore,
        String truststorePassword) {

    public RedisEndpoint {
        sentinels = List.copyOf(sentinels);
        clusterNodes = List.copyOf(clusterNodes);
    }

    /** The endpoint cluster.properties describes (redis.address / redis.sentinels / redis.cluster.nodes, login, TLS). */
    public static RedisEndpoint from(ClusterConfig config) {
        return new RedisEndpoint(
                config.redis().address(),
                config.redis().sentinels(),
                config.redis().sentinelMaster(),
                config.redis().clusterNodes(),
                config.redis().username(),
                config.redis().password(),
                config.redis().tlsTruststore().orElse(null),
                config.redis().tlsTruststorePassword());
    }

    /** From the {@code <Manager>}'s attributes in context.xml (lists comma-separated, "" for none). */
    @SuppressWarnings("ParameterNumber")
    static RedisEndpoint ofAttributes(
            String address,
            String sentinels,
            String sentinelMaster,
            String clusterNodes,
            String username,
            String password,
            String truststore,
            String truststorePassword) {
        return new RedisEndpoint(
                address,
                list(sentinels),
                sentinelMaster,
                list(clusterNodes),
                username,
                password,
                truststore == null || truststore.isBlank() ? null : Path.of(truststore),
                truststorePassword);
    }

    /** A comma-separated list as context.xml attributes give it ("" for none). */
    static List<String> list(String commaSeparated) {
        return commaSeparated == null || commaSeparated.isBlank()
                ? List.of()
                : Arrays.stream(commaSeparated.split(","))
                        .map(String::trim)
                        .filter(s -> !s.isEmpty())
                        .toList();
    }

    boolean cluster() {
        return !clusterNodes.isEmpty();
    }

    boolean sentinel() {
        return !cluster() && !sentinels.isEmpty();
    }

    /** Every address the client is given (TLS is on when they say rediss://). */
    List<String> addresses() {
        return cluster() ? clusterNodes : sentinel() ? sentinels : List.of(address);
    }

    boolean tls() {
        return addresses().stream().anyMatch(a -> a.startsWith("rediss://"));
    }

    /** In words, for messages. */
    String describe() {
        if (cluster()) {
            return "the Redis Cluster " + clusterNodes;
        }
        return sentinel() ? "the primary '" + sentinelMaster + "' of the Sentinels " + sentinels : address;
    }

    @Override
    public String toString() {
        return describe(); // never the password
    }
}
