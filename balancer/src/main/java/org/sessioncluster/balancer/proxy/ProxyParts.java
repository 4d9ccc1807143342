package org.sessioncluster.balancer.proxy;

import org.sessioncluster.balancer.policy.Router;

/**
 * What every client connection of one proxy shares: who chooses the node, what is counted, who hears of a node
 * that failed, the pooled connections to the nodes and the limits.
 */
record ProxyParts(
        Router router, ProxyMetrics metrics, PassiveHealth health, NodeConnections nodes, ProxySettings settings) {}
