package org.sessioncluster.ctl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;

/**
 * What a process did while a load ran, beyond CPU time, for benchmarks: system calls and context switches
 * (counted by the kernel's tracepoints through {@code perf stat -p}, which counts without tracing each call),
 * and for a JVM the bytes it allocated (from {@code jstat -gc}: every young collection found eden full, so
 * collections × eden capacity plus eden's growth; an estimate that is exact when eden keeps its size).
 */
public final class ProcessCounters {
    /** Syscalls and context switches over a window (empty when perf is missing or not allowed). */
    public record Kernel(long syscalls, long contextSwitches) {}

    private ProcessCounters() {}

    /** Starts counting the kernel events of {@code pid} for {@code seconds}; {@link Perf#result()} waits for it. */
    public static Optional<Perf> perf(long pid, int seconds) throws IOException {
        Optional<Path> perf = ExternalTools.find("perf");
        if (perf.isEmpty()) {
            return Optional.empty();
        }
        Process p = new ProcessBuilder(
                        perf.get().toString(),
                        "stat",
                        "-x",
                        ",",
                        "-e",
                        "raw_syscalls:sys_enter,context-switches",
                        "-p",
                        Long.toString(pid),
                        "--",
                        "sleep",
                        Integer.toString(seconds))
                .redirectErrorStream(true)
                .start();
        return Optional.of(new Perf(p));
    }

    /** A running {@code perf stat}. */
    public static final class Perf {
        private final Process process;

        Perf(Process process) {
            this.process = process;
        }

        public Optional<Kernel> result() throws IOException, InterruptedException {
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                return Optional.empty();
            }
            long syscalls = -1;
            long switches = -1;
            for (String line : out.split("\n")) {
                String[] f = line.split(",");
                if (f.length < 3 || !f[0].matches("\\d+")) {
                    continue; // "<not counted>" or a header
                }
                if (f[2].equals("raw_syscalls:sys_enter")) {
                    syscalls = Long.parseLong(f[0]);
                } else if (f[2].equals("context-switches")) {
                    switches = Long.parseLong(f[0]);
                }
            }
            return syscalls < 0 || switches < 0 ? Optional.empty() : Optional.of(new Kernel(syscalls, switches));
        }
    }

    /** The bytes a JVM has allocated so far, as jstat shows them (empty when jstat cannot attach). */
    public static OptionalDouble allocatedBytes(long pid) throws IOException, InterruptedException {
        Path jstat = Path.of(System.getProperty("java.home"), "bin", "jstat");
        Process p = new ProcessBuilder(jstat.toString(), "-gc", Long.toString(pid))
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            return OptionalDouble.empty();
        }
        String[] lines = out.trim().split("\n");
        if (lines.length < 2) {
            return OptionalDouble.empty();
        }
        List<String> names = List.of(lines[0].trim().split("\\s+"));
        String[] values = lines[1].trim().split("\\s+");
        int ec = names.indexOf("EC");
        int eu = names.indexOf("EU");
        int ygc = names.indexOf("YGC");
        if (ec < 0 || eu < 0 || ygc < 0) {
            return OptionalDouble.empty();
        }
        double kb = Double.parseDouble(values[ygc]) * Double.parseDouble(values[ec]) + Double.parseDouble(values[eu]);
        return OptionalDouble.of(kb * 1024);
    }
}
