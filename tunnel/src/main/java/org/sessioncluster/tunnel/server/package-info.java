/**
 * A small SSH server (the bastion of the demos and tests): key auth only, no shell, and port
 * forwarding only to the destinations it was told to allow.
 */
package org.sessioncluster.tunnel.server;
