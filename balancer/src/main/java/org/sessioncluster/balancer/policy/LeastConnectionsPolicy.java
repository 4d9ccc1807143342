package org.sessioncluster.balancer.policy;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.sessioncluster.balancer.backend.Backend;

/**
 * The node with the fewest requests in flight per unit of weight. Ties rotate, so idle nodes share new
 * requests instead of the first one taking them all.
 */
public final class LeastConnectionsPolicy implements BalancingPolicy {
    private final AtomicInteger rotation = new AtomicInteger();

    @Override
    public Backend pick(List<Backend> candidates) {
        int n = candidates.size();
        int start = Math.floorMod(rotation.getAndIncrement(), n);
        Backend best = null;
        double bestLoad = Double.MAX_VALUE;
        for (int i = 0; i < n; i++) {
            Backend b = candidates.get((start + i) % n);
            double load = (b.active().get() + 1.0) / Math.max(b.weight(), 1);
            if (load < bestLoad) {
                bestLoad = load;
                best = b;
            }
        }
        return best;
    }
}
