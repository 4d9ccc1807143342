package org.sessioncluster.config;

import java.util.Optional;

/**
 * The {@code cluster.*} keys: the Tribes channel of the delta and backup modes.
 *
 * @param name               the cluster's name (members of other names do not join)
 * @param membership         static (every node lists the others) or dns (members are what a DNS name resolves to)
 * @param partitionPolicy    serve (go on, as Tomcat does) or quorum (after {@code partitionGraceMillis} without a
 *                           majority of the configured nodes, answer 503, the health check included)
 * @param memberExpiryMillis how long a static member may stay silent before its peers count it gone
 * @param partitionGraceMillis how long a node may be without a majority before quorum refuses requests
 * @param sendOptions        Tribes send options (6: acknowledged and synchronous)
 * @param jvmRouteBinder     rename a session's route suffix when it lands on another node; auto resolved by the
 *                           balancer policy (on for sticky: the user follows the session after a failover; off
 *                           otherwise, where each rename is one more message to every peer)
 * @param encryptionKeySetting cluster.encryption.key as written (see {@link #encryptionKey()})
 */
public record ChannelConfig(
        String name,
        String membership,
        String partitionPolicy,
        int memberExpiryMillis,
        int partitionGraceMillis,
        int sendOptions,
        boolean jvmRouteBinder,
        String encryptionKeySetting) {

    static ChannelConfig read(ClusterConfig c) {
        String binder = c.get("cluster.jvm.route.binder");
        return new ChannelConfig(
                c.get("cluster.name"),
                c.get("cluster.membership"),
                c.get("cluster.partition.policy"),
                c.getInt("cluster.member.expiry.ms"),
                c.getInt("cluster.partition.grace.ms"),
                c.getInt("cluster.send.options"),
                "auto".equals(binder) ? "sticky".equals(c.get("balancer.policy")) : Boolean.parseBoolean(binder),
                c.get("cluster.encryption.key"));
    }

    /**
     * The AES key that encrypts the channel: cluster.encryption.key, else the env CLUSTER_ENCRYPTION_KEY (checked
     * like the key, when asked for: only the modes with a channel need it), else empty: no encryption.
     */
    public Optional<String> encryptionKey() {
        String v = encryptionKeySetting;
        if (v.isEmpty()) {
            v = System.getenv().getOrDefault("CLUSTER_ENCRYPTION_KEY", "").trim();
            if (!v.isEmpty()
                    && !ConfigKeys.ALL.get("cluster.encryption.key").check().test(v)) {
                throw new ConfigException(
                        "the env CLUSTER_ENCRYPTION_KEY is not allowed; allowed: an AES key of 32, 48 or 64 hex digits");
            }
        }
        return v.isEmpty() ? Optional.empty() : Optional.of(v);
    }

    /** Without the key, which no log may show. */
    @Override
    public String toString() {
        return "ChannelConfig[name=" + name + ", membership=" + membership + ", partitionPolicy=" + partitionPolicy
                + ", sendOptions=" + sendOptions + ", jvmRouteBinder=" + jvmRouteBinder + ", encrypted="
                + !encryptionKeySetting.isEmpty() + "]";
    }
}
