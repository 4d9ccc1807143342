package org.sessioncluster.balancer.proxy;

import org.sessioncluster.balancer.backend.Backend;

/** Told when a node could not be reached, so it stops getting requests at once. */
public interface PassiveHealth {
    void unreachable(Backend backend, String why);
}
