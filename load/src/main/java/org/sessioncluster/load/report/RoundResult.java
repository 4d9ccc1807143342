package org.sessioncluster.load.report;

import org.sessioncluster.load.LoadSummary;
import org.sessioncluster.load.meter.ClusterMeter;
import org.sessioncluster.load.meter.CpuUsage;

/**
 * One metered run of a scenario on N nodes. The comparison runs each scenario several times, alternating
 * with the others, so the spread of its rounds says how far the machine's noise moved a figure.
 *
 * @param round 1, 2, …
 * @param load  what the load generator saw
 * @param meter what the nodes, the channel, Redis and the store counted
 * @param cpu   the CPU time every process of the run used meanwhile, by role
 */
public record RoundResult(int round, LoadSummary load, ClusterMeter.Delta meter, CpuUsage cpu) {

    /** The cluster's CPU (nodes, balancer, Redis, load generator; JIT compilers left out) per request, in µs. */
    public double cpuMicrosPerRequest() {
        return cpu.totalMicrosPerRequest(load.requests());
    }

    public double cpuMicrosPerRequest(String role) {
        return cpu.microsPerRequest(role, load.requests());
    }
}
