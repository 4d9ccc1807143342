/**
 * The load generator: virtual users, each with its own session, run a shop visit (log in, fill a cart,
 * look at it, maybe grow the session, log out) and check every answer against what they expect, so that
 * a lost session (miss) or an old copy of it (stale) is counted, not just errors and latency.
 */
package org.sessioncluster.load;
