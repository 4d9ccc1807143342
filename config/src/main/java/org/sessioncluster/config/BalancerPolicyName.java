package org.sessioncluster.config;

import java.util.List;

/** The balancer policies a config may name (the balancer module implements them). */
public final class BalancerPolicyName {
    public static final String ROUND_ROBIN = "round-robin";
    public static final String LEAST_CONNECTIONS = "least-connections";
    public static final String STICKY = "sticky";
    public static final List<String> NAMES = List.of(ROUND_ROBIN, LEAST_CONNECTIONS, STICKY);

    private BalancerPolicyName() {}
}
