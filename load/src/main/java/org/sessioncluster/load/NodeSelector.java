package org.sessioncluster.load;

import java.util.Optional;
import java.util.Set;

/** Picks where each request goes. */
public interface NodeSelector {
    /** The target for the next request, avoiding the excluded ones; empty when there is none. */
    Optional<Target> next(Set<Target> exclude);

    /** Told when a request could not reach a target. */
    void failed(Target target);

    /** Whether the caller should retry a request that could not reach its target (client-side balancing). */
    boolean retriesOnConnectFailure();
}
