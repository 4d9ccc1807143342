package org.sessioncluster.load;

import java.util.Optional;
import java.util.Set;

/** Every request goes to the balancer, which picks the node (and retries) itself. */
public final class BalancerSelector implements NodeSelector {
    private final Target balancer;

    public BalancerSelector(String balancerUrl) {
        this.balancer = new Target("balancer", balancerUrl);
    }

    @Override
    public Optional<Target> next(Set<Target> exclude) {
        return exclude.contains(balancer) ? Optional.empty() : Optional.of(balancer);
    }

    @Override
    public void failed(Target target) {
        // the balancer is the only target; nothing to steer
    }

    @Override
    public boolean retriesOnConnectFailure() {
        return false;
    }
}
