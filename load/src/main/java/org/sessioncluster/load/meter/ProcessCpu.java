package org.sessioncluster.load.meter;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * CPU time a process has used, read from Linux's {@code /proc}: all its threads (those that already ended
 * included), and apart from that its JIT compiler threads (a JVM's {@code C1/C2 CompilerThread}s), whose work is
 * a one-time cost of warming up, not of serving a request. A figure the machine's other load cannot move, unlike
 * wall-clock throughput.
 */
public final class ProcessCpu {
    /** USER_HZ: the unit of /proc's CPU times on every Linux this runs on ({@code getconf CLK_TCK}). */
    public static final long TICKS_PER_SECOND = 100;

    private ProcessCpu() {}

    /**
     * One process at one moment, in clock ticks.
     *
     * @param total every thread's user + system time
     * @param jitByThread the JIT compiler threads' time, by thread id (a thread that ends takes its share along)
     */
    public record Ticks(long total, Map<Long, Long> jitByThread) {
        public static final Ticks NONE = new Ticks(0, Map.of());

        /** Seconds used since {@code before}, all threads. */
        public double secondsSince(Ticks before) {
            return (total - before.total) / (double) TICKS_PER_SECOND;
        }

        /** Seconds the JIT compiler threads used since {@code before}. */
        public double jitSecondsSince(Ticks before) {
            long sum = 0;
            for (Map.Entry<Long, Long> t : jitByThread.entrySet()) {
                sum += t.getValue() - before.jitByThread.getOrDefault(t.getKey(), 0L);
            }
            return Math.max(0, sum) / (double) TICKS_PER_SECOND;
        }

        /** Seconds used since {@code before} by everything but the JIT compilers: the cost of the work itself. */
        public double workSecondsSince(Ticks before) {
            return Math.max(0, secondsSince(before) - jitSecondsSince(before));
        }
    }

    /** Whether this system has /proc (Linux). */
    public static boolean supported() {
        return Files.isReadable(Path.of("/proc/self/stat"));
    }

    /** The process's CPU time now; {@link Ticks#NONE} when it has ended or /proc cannot be read. */
    public static Ticks of(long pid) {
        Path proc = Path.of("/proc", Long.toString(pid));
        long total;
        try {
            total = ticks(Files.readString(proc.resolve("stat")));
        } catch (IOException | RuntimeException e) {
            return Ticks.NONE;
        }
        Map<Long, Long> jit = new HashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(proc.resolve("task"))) {
            for (Path task : tasks) {
                try {
                    String comm = Files.readString(task.resolve("comm")).trim();
                    if (comm.startsWith("C1 CompilerThre") || comm.startsWith("C2 CompilerThre")) {
                        jit.put(
                                Long.parseLong(task.getFileName().toString()),
                                ticks(Files.readString(task.resolve("stat"))));
                    }
                } catch (IOException | RuntimeException e) {
                    // the thread ended while we looked
                }
            }
        } catch (IOException e) {
            // no thread list: all of it counts as work
        }
        return new Ticks(total, jit);
    }

    /** utime + stime of a /proc stat line (fields 14 and 15; the name in brackets may hold spaces). */
    static long ticks(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }
}
