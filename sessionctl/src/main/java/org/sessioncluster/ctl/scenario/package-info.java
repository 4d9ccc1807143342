/**
 * Fault and update scenarios run under a measured load: a node killed and restarted
 * ({@link org.sessioncluster.ctl.scenario.FailoverRun}), rolling, blue-green and canary rollouts
 * ({@link org.sessioncluster.ctl.scenario.Rollout}), and the Redis primary lost behind Sentinel; each
 * marks what it did on the load's timeline for the report.
 */
package org.sessioncluster.ctl.scenario;
