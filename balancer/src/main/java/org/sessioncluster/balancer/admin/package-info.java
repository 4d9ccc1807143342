/** The admin side, on its own loopback port: status JSON, node controls, the registry protocol, metrics and the dashboard. */
package org.sessioncluster.balancer.admin;
