package org.sessioncluster.contract;

/**
 * One node in the balancer's registry ({@code GET /registry}, a JSON array of these): written by the balancer,
 * read by a client that balances on its own side (the Ribbon-style selector of {@code sessionctl load --ribbon}).
 *
 * @param name    the node's name
 * @param url     where it serves
 * @param healthy whether its health checks pass
 * @param state   enabled, drained or disabled
 * @param weight  its balancer weight
 */
public record RegistryEntry(String name, String url, boolean healthy, String state, int weight) {

    /** A node a client may send new requests to. */
    public boolean takesRequests() {
        return healthy && "enabled".equals(state);
    }
}
