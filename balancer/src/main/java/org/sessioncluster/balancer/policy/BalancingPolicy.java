package org.sessioncluster.balancer.policy;

import java.util.List;
import org.sessioncluster.balancer.backend.Backend;

/** Picks one node among candidates that may all take the request. */
public interface BalancingPolicy {
    /** One of the candidates (never empty), respecting their weights. */
    Backend pick(List<Backend> candidates);
}
