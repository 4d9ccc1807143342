/** Balancing policies: which node gets the next request (round-robin, least-connections, sticky by jvmRoute). */
package org.sessioncluster.balancer.policy;
