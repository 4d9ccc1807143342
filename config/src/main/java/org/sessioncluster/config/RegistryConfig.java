package org.sessioncluster.config;

/**
 * The {@code registry.*} keys: the Eureka-style registry nodes renew their entry in.
 *
 * @param url            where nodes register (the balancer's admin URL); empty when they do not register
 * @param renewMillis    how often a node renews its entry
 * @param evictionMillis how long an entry lives without a renewal
 */
public record RegistryConfig(String url, int renewMillis, int evictionMillis) {

    static RegistryConfig read(ClusterConfig c) {
        return new RegistryConfig(
                c.get("registry.url"), c.getInt("registry.renew.ms"), c.getInt("registry.eviction.ms"));
    }
}
