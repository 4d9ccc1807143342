/** The reverse proxy: forwards a client request to the chosen node, streams the answer back, retries safely once. */
package org.sessioncluster.balancer.proxy;
