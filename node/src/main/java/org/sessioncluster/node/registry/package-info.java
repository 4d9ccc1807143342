/**
 * The node's side of the service registry (Eureka's idea, kept small): register at start, renew on a
 * timer, deregister on a graceful stop. The registry itself lives in the balancer; this package only
 * speaks its small HTTP protocol, so the node never imports the balancer.
 */
package org.sessioncluster.node.registry;
