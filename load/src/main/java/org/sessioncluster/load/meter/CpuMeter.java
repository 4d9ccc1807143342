package org.sessioncluster.load.meter;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU time of every process of a run over a metered window, by role ("nodes", "balancer", "redis", "load"):
 * the cost of the work the run did, which the machine's other load cannot move (unlike throughput). The JIT
 * compiler threads' time is kept apart: it is the cost of warming up, paid once, not per request.
 */
public final class CpuMeter {
    private final Map<String, List<Long>> pidsByRole;
    private final Map<Long, ProcessCpu.Ticks> start = new HashMap<>();

    /** @param pidsByRole the processes of each role (a role may have none) */
    public CpuMeter(Map<String, List<Long>> pidsByRole) {
        this.pidsByRole = new LinkedHashMap<>(pidsByRole);
    }

    public void start() {
        start.clear();
        pidsByRole.values().forEach(pids -> pids.forEach(pid -> start.put(pid, ProcessCpu.of(pid))));
    }

    /** What each role used since {@link #start()}. */
    public CpuUsage stop() {
        Map<String, Double> work = new LinkedHashMap<>();
        double jit = 0;
        for (Map.Entry<String, List<Long>> role : pidsByRole.entrySet()) {
            double sum = 0;
            for (long pid : role.getValue()) {
                ProcessCpu.Ticks before = start.getOrDefault(pid, ProcessCpu.Ticks.NONE);
                ProcessCpu.Ticks now = ProcessCpu.of(pid);
                if (now == ProcessCpu.Ticks.NONE || before == ProcessCpu.Ticks.NONE) {
                    continue; // it ended (or began) inside the window: no honest figure for it
                }
                sum += now.workSecondsSince(before);
                jit += now.jitSecondsSince(before);
            }
            work.put(role.getKey(), sum);
        }
        return new CpuUsage(work, jit);
    }
}
