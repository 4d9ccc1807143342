package org.sessioncluster.ctl.scenario;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;
import org.sessioncluster.config.ClusterConfig;
import org.sessioncluster.config.SessionMode;

/** A network fault that is not a crash, as {@code sessionctl chaos --faults} names it. */
public enum ChaosFault {
    /** One node from the other nodes (its cluster peers): the Tribes channel splits; the balancer reaches all. */
    PARTITION_PEERS("partition-peers", false, "one node cut off from the other nodes"),
    /** One node from Redis: the others still reach it. */
    PARTITION_REDIS("partition-redis", true, "one node cut off from Redis"),
    /** One node's link drops a fraction of its packets, both ways (to the balancer, its peers and Redis). */
    LOSS_NODE("loss-node", false, "one node's link drops --loss of its packets"),
    /** Redis's link drops a fraction of its packets, both ways. */
    LOSS_REDIS("loss-redis", true, "Redis's link drops --loss of its packets"),
    /** Every Redis reply comes late (a proxy in front of Redis holds it). */
    SLOW_REDIS("slow-redis", true, "every Redis reply --redis-delay late");

    private final String label;
    private final boolean needsRedis;
    private final String description;

    ChaosFault(String label, boolean needsRedis, String description) {
        this.label = label;
        this.needsRedis = needsRedis;
        this.description = description;
    }

    public String label() {
        return label;
    }

    public String description() {
        return description;
    }

    /** Whether the fault means something in this mode (a Redis fault needs a Redis). */
    public boolean appliesTo(SessionMode mode) {
        return !needsRedis || mode.usesRedis();
    }

    /**
     * Empty when the fault can be run on a cluster of this config; else why not: a Redis fault needs a Redis, and
     * slow-redis a single one (its proxy would have to rewrite a Redis Cluster's redirects to its own address).
     */
    public Optional<String> notApplicable(ClusterConfig config) {
        if (!appliesTo(config.sessionMode())) {
            return Optional.of(config.sessionMode().configName() + " mode uses no Redis");
        }
        if (this == SLOW_REDIS && config.redis().embeddedCluster()) {
            return Optional.of("the proxy that makes Redis slow stands in front of one Redis, not a Redis Cluster"
                    + " (whose clients follow redirects to each shard's own address)");
        }
        return Optional.empty();
    }

    public static ChaosFault named(String label) {
        for (ChaosFault f : values()) {
            if (f.label.equals(label.trim())) {
                return f;
            }
        }
        throw new IllegalArgumentException("fault '" + label + "' is not known; known: " + known());
    }

    /** Every label, with what it does: for --help and errors. */
    public static String known() {
        return Arrays.stream(values()).map(ChaosFault::label).collect(Collectors.joining(", "));
    }
}
