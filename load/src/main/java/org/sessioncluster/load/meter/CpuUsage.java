package org.sessioncluster.load.meter;

import java.util.Map;

/**
 * CPU seconds a run's processes used in a metered window.
 *
 * @param workSeconds by role ("nodes", "balancer", "redis", "load"), JIT compiler threads left out
 * @param jitSeconds  what the JIT compiler threads of all of them used meanwhile
 */
public record CpuUsage(Map<String, Double> workSeconds, double jitSeconds) {
    public static final CpuUsage NONE = new CpuUsage(Map.of(), 0);

    public CpuUsage {
        workSeconds = Map.copyOf(workSeconds);
    }

    /** Every role's work together: the cluster's CPU for the window. */
    public double totalSeconds() {
        return workSeconds.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    /** A role's work in microseconds per request ({@code requests} served in the window); 0 for a role not metered. */
    public double microsPerRequest(String role, long requests) {
        return workSeconds.getOrDefault(role, 0.0) * 1e6 / Math.max(1, requests);
    }

    /** The cluster's work in microseconds per request. */
    public double totalMicrosPerRequest(long requests) {
        return totalSeconds() * 1e6 / Math.max(1, requests);
    }
}
