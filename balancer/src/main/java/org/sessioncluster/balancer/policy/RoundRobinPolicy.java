package org.sessioncluster.balancer.policy;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.sessioncluster.balancer.backend.Backend;

/**
 * Smooth weighted round-robin (nginx's algorithm): each pick adds every candidate's weight to its
 * running score, takes the highest and subtracts the total from it. Weights 1:3 give a:b:b:b spread
 * evenly, not a burst; equal weights give plain round-robin.
 */
public final class RoundRobinPolicy implements BalancingPolicy {
    private final Map<Backend, Integer> score = new IdentityHashMap<>();

    @Override
    public synchronized Backend pick(List<Backend> candidates) {
        int total = 0;
        Backend best = null;
        int bestScore = Integer.MIN_VALUE;
        for (Backend b : candidates) {
            int w = Math.max(b.weight(), 0);
            int s = score.getOrDefault(b, 0) + w;
            score.put(b, s);
            total += w;
            if (s > bestScore) {
                bestScore = s;
                best = b;
            }
        }
        score.put(best, bestScore - total);
        return best;
    }
}
