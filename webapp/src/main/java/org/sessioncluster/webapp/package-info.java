/**
 * The webapp every node runs: login/logout, a cart, a counter, a payload knob that grows the session,
 * and JSON that lets a client tell a good session from a lost or stale one. It is a plain Jakarta
 * Servlet app and knows nothing about how sessions are clustered; that is the node's job.
 */
package org.sessioncluster.webapp;
