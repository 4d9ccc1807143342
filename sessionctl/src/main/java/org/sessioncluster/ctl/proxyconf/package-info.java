/**
 * The real-world equivalents of the embedded balancer: HAProxy and nginx configurations rendered from
 * cluster.properties, so they follow the one source of truth.
 */
package org.sessioncluster.ctl.proxyconf;
