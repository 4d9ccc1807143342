/**
 * sessionctl, the command line: the only place that starts, watches and stops processes. {@code cluster}
 * holds the process orchestration (nodes, Redis, readiness, the run state on disk); {@code command} the
 * picocli commands a user types.
 */
package org.sessioncluster.ctl;
